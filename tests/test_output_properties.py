"""Property-based tests of what reports do with hostile names and copy (issue 15, item 11): every writer on
findings whose sentences, paths and notices are arbitrary Unicode, lone surrogates included, and the real
command on real files whose names are arbitrary bytes.

The properties: nothing crashes; every output is valid UTF-8; JSON, JSONL and SARIF parse and give the
data back exactly; JUnit XML parses; CSV reads back cell for cell with no cell starting like a formula;
text, concise, github and the HTML page hold no raw C0, C1, ESC, bidirectional control or lone surrogate
(but line breaks, and the HTML copy's tabs and CRs).

CI runs a few examples with a fixed seed (about 10 s). A long campaign, with a fresh seed:

    EXOCHECK_FUZZ_EXAMPLES=48000 python -m pytest tests/test_output_properties.py --hypothesis-show-statistics

runs that many examples of the writers' property and a twentieth as many of the command's (each starts
the command once). See docs/robustness.md for the last campaign.
"""

from __future__ import annotations

import csv
import functools
import html.parser
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote_to_bytes
from xml.etree import ElementTree as ET

from hypothesis import HealthCheck, given, settings, strategies as st

import exocheck
from exocheck.formats import (
    concise,
    csv_format,
    github,
    html_report,
    json_format,
    jsonl,
    junit,
    sarif,
    text,
)
from exocheck.kb import KnowledgeBase
from exocheck.model import Finding, Notice, Report
from exocheck.survey import render_csv, render_json, render_text, survey

from conftest import reported_paths

_FUZZ_EXAMPLES = int(os.environ.get("EXOCHECK_FUZZ_EXAMPLES", "0"))


def _budget(ci: int, share: int = 1) -> settings:
    """`ci` examples with a fixed seed, or a campaign's share of EXOCHECK_FUZZ_EXAMPLES with a fresh one."""
    return settings(
        max_examples=max(10, _FUZZ_EXAMPLES // share) if _FUZZ_EXAMPLES else ci, deadline=None,
        derandomize=not _FUZZ_EXAMPLES, database=None, print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# What people-facing output may not hold raw (written out here, not taken from formats/safe.py).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
RAW_IN_HTML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
SGR = re.compile("\x1b\\[[0-9;]*m")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# --- what hostile copy and names look like -------------------------------------------------------------

HOSTILE = [
    "\x1b[2J", "\x1b[31m", "\x1b]0;title\x07", "\x1b]8;;https://evil.example\x1b\\", "\x1b]8;;\x1b\\", "\x1bc",
    "\x9b31m", "\x9d0;t\x9c", "\x85", "\x00", "\x07", "\x08", "\x7f", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c",
    "\x1c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e",
    "\u200f", "\u061c", "\u2028", "\u2029", "\ufeff", "\u200b", "\ufffe", "\uffff", "\udcff", "\udc80", "\ud800",
    "\udfff", "\ud83d", "=", "+", "-", "@", "=HYPERLINK(\"http://x\")", "[bold]", "[/bold]", "[link=https://x]",
    ":smile:", "%", "::", ",", ":", "\\", "\\x1b", '"', "'", "<b>", "&amp;", "]]>", "😀", "中文", "ß",
]
ALL_CATEGORIES = ("Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps", "Pe", "Pi",
                  "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn")
any_unicode = st.text(st.characters(categories=ALL_CATEGORIES), max_size=12)  # surrogates included
hostile_text = st.lists(st.one_of(any_unicode, st.sampled_from(HOSTILE)), max_size=10).map("".join)


# Not fixtures: hypothesis would print a whole knowledge base with every failing example.
@functools.cache
def _kb() -> KnowledgeBase:
    return exocheck.load_kb()


@functools.cache
def _templates() -> list[Finding]:
    """Real findings of every severity (their claim ids are the KB's, which several formats look up)."""
    kb = _kb()
    report = exocheck.check("Our exosome facial is FDA approved. Exosomes may help with knee pain.\n"
                            "There are no FDA-approved exosome products. Exosomes cure hair loss.", kb=kb)
    assert {f.severity for f in report.findings} == {"error", "warning", "info"}
    return report.findings


@st.composite
def reports(draw: st.DrawFn, templates: list[Finding]) -> tuple[Report, dict[str, str]]:
    """A report of findings with arbitrary sentences in files with arbitrary names, and each file's text
    (its sentences one per line, so every finding's offsets point at its sentence)."""
    paths = draw(st.lists(hostile_text, min_size=1, max_size=3, unique=True))
    findings: list[Finding] = []
    notices: list[Notice] = []
    texts: dict[str, str] = {}
    for path in sorted(paths):
        sentences = draw(st.lists(st.tuples(st.sampled_from(templates), hostile_text), max_size=3))
        body = ""
        for number, (template, sentence) in enumerate(sentences, 1):
            cues = tuple(draw(st.lists(hostile_text, max_size=2)))
            findings.append(replace(template, path=path, sentence=sentence, start=len(body),
                                    end=len(body) + len(sentence), line=number, end_line=number, cues=cues))
            body += sentence + "\n"
        texts[path] = body
        notices += [Notice(path, draw(st.integers(1, 5)), 1, draw(st.sampled_from(sorted(sarif.NOTICE_RULES))),
                           message) for message in draw(st.lists(hostile_text, max_size=2))]
    report = Report(findings=findings, notices=notices, files=len(paths), sentences=len(findings))
    return report, texts


def _people(output: str, name: str) -> None:
    output.encode("utf-8")
    assert not RAW_CONTROL.search(output), (name, RAW_CONTROL.search(output))
    assert len(output.splitlines()) == output.count("\n"), name


def _as_json_reads(value: object) -> object:
    """`value` as JSON gives it back: a high surrogate followed by a low one (two lone surrogates in a
    Python string) is one character in JSON. File names never have one (their bytes become low
    surrogates only)."""
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    if isinstance(value, dict):
        return {key: _as_json_reads(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json_reads(item) for item in value]
    return value


def _names_of(uri: bytes) -> set[str]:
    """The paths a SARIF uri's bytes can stand for: a name's bytes (surrogateescape), or, for a made-up
    path with a lone surrogate that no name has, that surrogate as UTF-8 would encode it."""
    names = {uri.decode("utf-8", "surrogateescape")}
    try:
        names.add(uri.decode("utf-8", "surrogatepass"))
    except UnicodeDecodeError:
        pass
    return names


def _own_escape(value: str) -> str:
    """What a CSV cell holds for `value` (surrogates escaped, as docs/robustness.md says), computed here."""
    return "".join(f"\\x{ord(c) - 0xDC00:02x}" if 0xDC80 <= ord(c) <= 0xDCFF else
                   f"\\u{ord(c):04x}" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)


def _csv_expected(value: str) -> str:
    shown = _own_escape(value)
    return "'" + shown if shown.startswith(FORMULA_STARTS) else shown


@_budget(100)
@given(data=st.data())
def test_every_writer_copes_with_any_names_and_copy(data: st.DataObject) -> None:
    kb = _kb()
    report, texts = data.draw(reports(_templates()))
    count = len(report.findings) + len(report.notices)

    for name, output in (("text", text.render_plain(report)), ("concise", concise.render(report, kb)),
                         ("github", github.render(report, kb))):
        _people(output, name)
        if name != "text":  # github: an annotation and a plain log line each
            assert output.count("\n") == count * (2 if name == "github" else 1), name
    stream = io.StringIO()
    colour = text.ColorWriter(None, stream)
    colour.part(report)
    colour.tail(report)
    assert "\x1b" not in SGR.sub("", stream.getvalue())
    _people(SGR.sub("", stream.getvalue()), "text --color")

    expected = _as_json_reads(json_format.document(report))
    for ascii_only in (False, True):
        assert json.loads(json_format.render(report, ascii_only).encode("utf-8")) == expected
    lines = jsonl.render(report, kb).encode("utf-8").decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == expected["findings"] + expected["notices"]
    results = json.loads(sarif.render(report, kb).encode("utf-8"))["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"] for r in results[:len(report.findings)]] == \
        [_as_json_reads(f.sentence) for f in report.findings]
    for result, item in zip(results, [*report.findings, *report.notices]):
        uri = unquote_to_bytes(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        assert item.path in _names_of(uri)

    root = ET.fromstring(junit.render(report, kb).encode("utf-8"))
    assert len(list(root.iter("testcase"))) == count

    rows = list(csv.reader(io.StringIO(csv_format.render(report, kb).encode("utf-8").decode("utf-8"), newline="")))
    assert len(rows) == 1 + count
    assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
    columns = rows[0]
    for row, finding in zip(rows[1:], report.findings):
        cells = dict(zip(columns, row))
        assert (cells["path"], cells["sentence"]) == (_csv_expected(finding.path), _csv_expected(finding.sentence))
        assert cells["cues"] == _csv_expected(" | ".join(finding.cues))

    writer = html_report.Writer(kb, texts.__getitem__)
    writer.part(report, also=texts)
    page = io.StringIO()
    writer.finish(page, report)
    page.getvalue().encode("utf-8")
    assert not RAW_IN_HTML.search(page.getvalue())
    html.parser.HTMLParser().feed(page.getvalue())

    counted = survey([report], list(texts))
    _people(render_text(counted), "survey text")
    assert [f["path"] for f in json.loads(render_json(counted).encode("utf-8"))["files"]] == \
        [_as_json_reads(path) for path in sorted(texts)]
    survey_rows = list(csv.reader(io.StringIO(render_csv(counted), newline="")))
    assert {row[0] for row in survey_rows[1:]} == {_csv_expected(path) for path in texts}


# --- the command on real files named with arbitrary bytes -----------------------------------------------

NAME_PIECES = [b"\xff", b"\xfe\xfe", b"\x80", b"\xc3", b"\xed\xb2\x80", b"\x1b[2J", b"\x1b]0;t\x07", b"\x1b]8;;x\x1b\\",
               "\u202e".encode(), "\u2066".encode(), "\u2028".encode(), b"\xc2\x85", b"\xc2\x9b", b"\n", b"\r",
               b"\t", b" ", b"=", b"+", b"-", b"@", b",", b":", b"%", b"\\", b"'", b'"', b"<&>", b"[bold]",
               "é中😀".encode()]
byte_names = st.lists(st.one_of(st.binary(min_size=1, max_size=6), st.sampled_from(NAME_PIECES)),
                      min_size=1, max_size=5).map(b"".join) \
    .map(lambda name: b"f" + name.replace(b"/", b"_").replace(b"\x00", b"_")[:200])
CLAIM = "Exosomes cure hair loss.\n"
# A file's copy: the claim alone (which must be reported), or hostile text around it. Files hold no
# surrogates (they are bytes, decoded) and no NUL (a binary file is refused, see test_robustness.py).
copy_text = st.one_of(st.just(CLAIM), st.lists(st.one_of(st.just(CLAIM), any_unicode, st.sampled_from(HOSTILE)),
                                               max_size=8).map(lambda parts: re.sub("[\x00\ud800-\udfff]", "", "".join(parts))))
FORMATS = ["text", "concise", "github", "junit", "html", "json", "jsonl", "sarif", "csv"]


def _run(args: list[str | bytes], cwd: str) -> subprocess.CompletedProcess:
    here = Path(__file__).resolve().parent
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "1000", "PYTHONIOENCODING": "utf-8:strict",
           "PYTHONPATH": os.pathsep.join(p for p in (str(here.parent), os.environ.get("PYTHONPATH", "")) if p)}
    env.pop("EXOCHECK_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "exocheck", *args], capture_output=True, cwd=cwd, env=env,
                          timeout=60, stdin=subprocess.DEVNULL, check=False)


@_budget(12, share=20)
@given(files=st.dictionaries(st.tuples(byte_names, st.sampled_from([b".md", b".txt", b".html"])).map(b"".join),
                             copy_text, min_size=1, max_size=4),
       fmt=st.sampled_from([*FORMATS, "text --color"]), output_name=st.one_of(st.none(), byte_names))
def test_the_command_copes_with_any_file_names(files: dict[bytes, str], fmt: str, output_name: bytes | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = os.path.join(os.fsencode(tmp), b"site")
        os.mkdir(site)
        for name, content in files.items():
            with open(os.path.join(site, name), "wb") as file:
                file.write(content.encode("utf-8"))
        args: list[str | bytes] = ["lint", b"site", "--format", fmt.split()[0], *fmt.split()[1:]]
        if output_name is not None:
            args += ["-o", os.path.join(os.fsencode(tmp), output_name)]
        result = _run(args, tmp)
        assert result.returncode in (0, 1), result.stderr
        assert result.stderr == b""
        output = (Path(os.fsdecode(args[-1])).read_bytes() if output_name is not None else result.stdout) \
            .decode("utf-8")  # strict: valid UTF-8 whatever the names
        if output_name is not None:
            assert result.stdout == b""

    names = {os.fsdecode(b"site/" + name) for name in files}
    must = {os.fsdecode(b"site/" + name) for name, content in files.items() if content == CLAIM}
    if fmt.startswith("text") or fmt in ("concise", "github"):
        _people(SGR.sub("", output) if fmt == "text --color" else output, fmt)
        assert "\x1b" not in SGR.sub("", output)
        if fmt == "concise":
            assert output.count("\n") >= len(must)  # a line per finding, and none split
    elif fmt in ("json", "jsonl", "sarif"):
        assert must <= reported_paths(fmt, output) <= names  # every name read back is exactly a file's
    elif fmt == "junit":
        ET.fromstring(output.encode("utf-8"))
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(output, newline="")))
        assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
        assert {_csv_expected(name) for name in must} <= {row[0] for row in rows[1:]} <= \
            {_csv_expected(name) for name in names}
    else:
        assert not RAW_IN_HTML.search(output)
        html.parser.HTMLParser().feed(output)
