"""Copy and file names cannot drive the terminal or the spreadsheet, and names that are not UTF-8 never
crash a report (issue 15, items 2 and 4): the real writers on hostile findings, then the real command on
real files whose names are arbitrary bytes. The convention is `exocheck/formats/safe.py`'s."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

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
from exocheck.formats.safe import csv_cell, escape, escape_surrogates, json_text
from exocheck.kb import KnowledgeBase
from exocheck.lint import lint_text
from exocheck.model import Report
from exocheck.survey import render_csv, render_json, render_text, survey

from conftest import reported_paths, run_cli

# What no people-facing output may hold raw: C0 but the line feed, DEL, C1, bidirectional formatting
# characters, line and paragraph separators, lone surrogates. Written out here, not taken from safe.py.
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
SGR = re.compile("\x1b\\[[0-9;]*m")  # rich's own colours, the only escape sequences --color may print

# A file name with a byte that is not UTF-8 (b"\xff", read by Python as "\udcff"), an ANSI colour and a
# right-to-left override; copy with a window title (OSC 0), a clear screen, rich markup, an OSC 8 link,
# a C1 CSI and NEL, an isolate, and sentences that start like spreadsheet formulas.
HOSTILE_PATH = "d/\udcff\x1b[31m\u202egpj.md"
SHOWN_PATH = "d/\\xff\\x1b[31m\\u202egpj.md"
HOSTILE_COPY = (
    "\x1b]0;pwned\x07 Exosomes cure hair loss \x1b[2J[bold]now[/bold] \u202e\x9b31m\x85.\n\n"
    '=HYPERLINK("http://x") exosomes are FDA approved.\n\n'
    "@SUM(1) Exosomes reverse aging \x1b]8;;https://evil.example\x1b\\here\x1b]8;;\x1b\\ \u2067today.\n"
)
SHOWN_SENTENCE = "\\x1b]0;pwned\\x07 Exosomes cure hair loss \\x1b[2J[bold]now[/bold] \\u202e\\u009b31m\\u0085."


@pytest.fixture(scope="module")
def kb():
    return exocheck.load_kb()


@pytest.fixture(scope="module")
def hostile(kb) -> Report:
    report = lint_text(exocheck.checker_for(kb), HOSTILE_COPY, HOSTILE_PATH, "markdown", set())
    assert [f.claim_id for f in report.findings] == ["hair-loss-treatment", "fda-approved", "regeneration-claim"]
    return report


# --- the convention ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "shown"), [
    ("plain text, ünïcødé, 中文, 😀", "plain text, ünïcødé, 中文, 😀"),
    ("\x1b[2J\x1b]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07"),
    ("tab\tnew\nline\rcr\x00nul\x7fdel", "tab\\tnew\\nline\\rcr\\x00nul\\x7fdel"),
    ("c1 \x85 \x9b \x80", "c1 \\u0085 \\u009b \\u0080"),  # characters: \u; \x80 and up means a byte
    ("bidi \u202a\u202b\u202c\u202d\u202e \u2066\u2067\u2068\u2069 \u200e\u200f\u061c",
     "bidi \\u202a\\u202b\\u202c\\u202d\\u202e \\u2066\\u2067\\u2068\\u2069 \\u200e\\u200f\\u061c"),
    ("lines \u2028 \u2029", "lines \\u2028 \\u2029"),
    ("bytes \udcff\udc80 and \ud800", "bytes \\xff\\x80 and \\ud800"),  # surrogateescape bytes as bytes
    ("zero\u200bwidth, nbsp\u00a0, soft\u00adhyphen", "zero\u200bwidth, nbsp\u00a0, soft\u00adhyphen"),
])
def test_escape_shows_every_control_and_nothing_else(raw: str, shown: str) -> None:
    assert escape(raw) == shown
    assert escape(shown) == shown  # escaping twice is escaping once
    assert not RAW_CONTROL.search(shown.replace("\n", ""))


def test_escape_keeps_the_layout_a_caller_asks_for() -> None:
    assert escape("a\tb\nc\rd\x1b", keep="\t\n") == "a\tb\nc\\rd\\x1b"


def test_surrogates_are_escaped_for_text_and_json_escaped_for_json() -> None:
    assert escape_surrogates("a\udcff\x1b\u202e") == "a\\xff\x1b\u202e"
    dumped = json_text(json.dumps({"path": "a\udcff\x1b"}, ensure_ascii=False))
    dumped.encode("utf-8")  # strict: nothing unencodable is left
    assert dumped == '{"path": "a\\udcff\\u001b"}'
    assert os.fsencode(json.loads(dumped)["path"]) == b"a\xff\x1b"  # the name's very bytes


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cell_neutralises_formula_starts(start: str) -> None:
    assert csv_cell(start + "1+2") == "'" + start + "1+2"
    assert csv_cell("a" + start + "1") == "a" + start + "1"  # only the first character counts
    assert csv_cell("") == ""


# --- the writers ------------------------------------------------------------------------------------


def _people_formats(report: Report, kb: KnowledgeBase) -> dict[str, str]:
    return {"text": text.render_plain(report), "concise": concise.render(report, kb),
            "github": github.render(report, kb)}


def test_text_concise_and_github_show_controls_from_copy_and_names_as_escapes(hostile: Report, kb) -> None:
    for name, output in _people_formats(hostile, kb).items():
        output.encode("utf-8")
        assert not RAW_CONTROL.search(output), (name, RAW_CONTROL.search(output))
        assert "\x1b" not in output and "\u202e" not in output
        assert len(output.splitlines()) == output.count("\n")  # no viewer sees more lines than there are
    rendered = _people_formats(hostile, kb)
    assert f"{SHOWN_PATH}:1:1: unsupported (error) [hair-loss-treatment]" in rendered["text"]
    assert f"  > {SHOWN_SENTENCE}\n" in rendered["text"]
    assert "\\x1b]8;;https://evil.example\\x1b\\here\\x1b]8;;\\x1b\\ \\u2067today." in rendered["text"]
    assert rendered["concise"].splitlines()[0] == (
        f"{SHOWN_PATH}:1:1: error [hair-loss-treatment] unsupported: "
        "An exosome product treats hair loss or regrows hair.")
    assert f"::error file={SHOWN_PATH},line=1,col=1," in rendered["github"]


def test_text_shows_controls_that_count_as_whitespace(kb) -> None:
    report = exocheck.check("Exosomes\x0ccure\x1chair\x0bloss\u2028now.\r\nok", kb=kb)
    assert "  > Exosomes\\x0ccure\\x1chair\\x0bloss\\u2028now.\n" in text.render_plain(report)


def test_github_keeps_workflow_commands_one_line_and_escapes_controls(kb) -> None:
    report = exocheck.check("Exosomes cure hair loss.", kb=kb, path="a\x1b[2J\n::set-output name=x::\u202e.md")
    command, log_line = github.render(report, kb).splitlines(keepends=True)  # an annotation, a plain line
    assert command.startswith("::error file=a\\x1b[2J%0A%3A%3Aset-output name=x%3A%3A\\u202e.md,line=1,")
    assert log_line.startswith("a\\x1b[2J\\n::set-output name=x::\\u202e.md:1:1: error [hair-loss-treatment] ")


def test_colour_text_prints_copy_and_markup_literally(hostile: Report, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # rich wraps at the terminal's width: one line per line here
    stream = io.StringIO()
    writer = text.ColorWriter(None, stream)
    writer.part(hostile)
    writer.part(Report(findings=[dataclasses.replace(hostile.findings[0], sentence=":smile: [link=https://x]y[/link]")]))
    writer.tail(hostile)
    output = stream.getvalue()
    assert SGR.search(output)  # coloured
    plain = SGR.sub("", output)
    assert not RAW_CONTROL.search(plain)
    assert SHOWN_SENTENCE in plain and "[bold]now[/bold]" in plain
    assert "  > :smile: [link=https://x]y[/link]\n" in plain and "\x1b]8" not in output
    assert SHOWN_PATH in plain


def test_json_jsonl_and_sarif_keep_the_data_exact_and_valid_utf8(hostile: Report, kb) -> None:
    expected = [f.to_dict() for f in hostile.findings]
    for ascii_only in (False, True):
        document = json.loads(json_format.render(hostile, ascii_only).encode("utf-8"))
        assert document["findings"] == expected  # the name's surrogate and every control, as they are
        assert document["notices"] == [n.to_dict() for n in hostile.notices]
    lines = jsonl.render(hostile, kb).encode("utf-8").decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == expected + [n.to_dict() for n in hostile.notices]
    assert '"path": "d/\\udcff\\u001b[31m\u202egpj.md"' in lines[0]  # JSON's escapes; other text as is
    run = json.loads(sarif.render(hostile, kb).encode("utf-8"))["runs"][0]
    locations = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    assert {loc["artifactLocation"]["uri"] for loc in locations} == {"d/%FF%1B%5B31m%E2%80%AEgpj.md"}
    assert [loc["region"]["snippet"]["text"] for loc in locations[:len(expected)]] == \
        [f.sentence for f in hostile.findings]
    assert all(r["partialFingerprints"]["exocheck/v1"] for r in run["results"][:len(expected)])


def test_junit_and_html_show_names_escaped(hostile: Report, kb) -> None:
    root = ET.fromstring(junit.render(hostile, kb).encode("utf-8"))
    assert {s.get("name") for s in root.iter("testsuite")} == {SHOWN_PATH}
    assert any(SHOWN_SENTENCE in f.text for f in root.iter("failure"))
    page = html_report.render(hostile, kb, {HOSTILE_PATH: HOSTILE_COPY})
    page.encode("utf-8")
    assert f'<h2 id="file-1-name">{SHOWN_PATH}</h2>' in page
    assert "[bold]now[/bold]" in page


def test_csv_neutralises_every_cell_that_starts_like_a_formula(hostile: Report, kb) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_format.render(hostile, kb).encode("utf-8").decode("utf-8"))))
    assert [r["sentence"] for r in rows[:3]] == [hostile.findings[0].sentence,
                                                 "'" + hostile.findings[1].sentence,
                                                 "'" + hostile.findings[2].sentence]
    assert {r["path"] for r in rows} == {"d/\\xff\x1b[31m\u202egpj.md"}  # data: only the byte is escaped
    for start in "=+-@\t\r":
        finding = dataclasses.replace(hostile.findings[0], path=start + "cmd.md", sentence=start + "1+1 cure")
        row = next(csv.DictReader(io.StringIO(csv_format.render(Report(findings=[finding]), kb))))
        assert (row["path"], row["sentence"]) == ("'" + start + "cmd.md", "'" + start + "1+1 cure")
        assert row["claim_id"] == "hair-loss-treatment" and row["line"] == "1"  # the rest as it was


def test_csv_keeps_a_row_whole_when_a_cell_holds_a_carriage_return(kb: KnowledgeBase) -> None:
    report = exocheck.check("Our exosome serum regrows\rhair.\rExosomes cure hair loss.", kb=kb, path="a\rb.txt")
    assert "\r" in report.findings[0].sentence
    rows = list(csv.DictReader(io.StringIO(csv_format.render(report, kb), newline="")))
    assert [(r["path"], r["sentence"], r["line"]) for r in rows] == [
        ("a\rb.txt", "Our exosome serum regrows\rhair.", "1"), ("a\rb.txt", "Exosomes cure hair loss.", "3")]


def test_survey_formats_escape_names(hostile: Report) -> None:
    result = survey([hostile], [HOSTILE_PATH, "=x.md"])
    assert f"{SHOWN_PATH}: 3 findings" in render_text(result)
    assert "  =x.md" in render_text(result)
    assert not RAW_CONTROL.search(render_text(result))
    cells = list(csv.reader(io.StringIO(render_csv(result))))
    assert {row[0] for row in cells[1:]} == {"d/\\xff\x1b[31m\u202egpj.md", "'=x.md"}
    document = json.loads(render_json(result).encode("utf-8"))
    assert [f["path"] for f in document["files"]] == sorted([HOSTILE_PATH, "=x.md"])


# --- the command, on real files -----------------------------------------------------------------------

NAMES = {  # file name bytes -> as people-facing formats show them
    b"\xff\xfe.md": "\\xff\\xfe.md",
    b"a\x1b[2Jb.md": "a\\x1b[2Jb.md",
    "\u202egpj.md".encode(): "\\u202egpj.md",
    b"new\nline\t.md": "new\\nline\\t.md",
    "caf\u00e9 ok.md".encode(): "caf\u00e9 ok.md",
}
COPY = ("\x1b]0;pwned\x07 Exosomes cure hair loss [bold]now[/bold] [link=https://evil.example]x[/link] "
        "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \u202e.\n")
STRICT = {"PYTHONIOENCODING": "utf-8:strict"}  # no surrogateescape to hide a name that was not escaped


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    for name in NAMES:
        _write(folder, name, COPY.encode("utf-8"))
    return folder


def _write(folder: Path, name: bytes, data: bytes) -> None:
    with open(os.path.join(os.fsencode(folder), name), "wb") as file:
        file.write(data)


def _shown(folder: Path, name: str) -> str:
    return escape(str(folder)) + "/" + name


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "junit", "html", "json", "jsonl", "sarif", "csv"])
def test_cli_reports_names_that_are_not_utf8_or_hold_controls_in_every_format(site: Path, fmt: str) -> None:
    result = run_cli("lint", str(site), "--format", fmt, env=STRICT)
    assert (result.returncode, result.stderr) == (1, b"")
    output = result.stdout.decode("utf-8")  # strict: valid UTF-8 whatever the names
    paths = {os.fsdecode(os.path.join(os.fsencode(site), name)) for name in NAMES}
    if fmt in ("text", "concise"):
        assert not RAW_CONTROL.search(output)
        assert all(_shown(site, shown) + ":1:1: " in output for shown in NAMES.values())
    elif fmt == "github":  # the line break is GitHub's own escaping's to carry (%0A); the tab is escaped
        assert not RAW_CONTROL.search(output)
        names = [*(name for name in NAMES.values() if "\\n" not in name), "new%0Aline\\t.md"]
        assert all(f"file={_shown(site, name)},line=1," in output for name in names)
    elif fmt in ("json", "jsonl", "sarif"):
        assert reported_paths(fmt, output) == paths  # read back, every name is the file's own
    elif fmt == "junit":
        assert {s.get("name") for s in ET.fromstring(result.stdout).iter("testsuite")} == \
            {_shown(site, shown) for shown in NAMES.values()}
    elif fmt == "csv":
        assert {row["path"] for row in csv.DictReader(io.StringIO(output))} == \
            {escape_surrogates(path) for path in paths}
    else:
        assert all(f">{_shown(site, shown)}</h2>" in output for shown in NAMES.values())


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "csv", "html", "junit"])
def test_cli_writes_output_files_with_names_that_are_not_utf8(site: Path, tmp_path: Path, fmt: str) -> None:
    target = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"report\xff\x1b[2J." + fmt.encode()))
    result = run_cli("lint", str(site), "--format", fmt, "-o", target, env=STRICT)
    assert (result.returncode, result.stdout, result.stderr) == (1, b"", b"")
    written = Path(target).read_bytes().decode("utf-8")
    if fmt in ("json", "sarif"):
        json.loads(written)
    assert "\udcff" not in written


def test_cli_error_and_warning_lines_show_names_escaped(site: Path, tmp_path: Path) -> None:
    _write(site, b"latin\x1b]0;x\x07\xe9.txt", b"caf\xe9 exosomes cure hair loss.")
    missing = os.fsdecode(b"gone\xff\x1b[2J\n.md")
    unwritable = os.fsdecode(os.fsencode(tmp_path) + b"/no\x1b[1m/dir\xff/out.json")
    result = run_cli("lint", str(site), missing, "--format", "json", env=STRICT)
    lines = result.stderr.decode("utf-8").splitlines()
    assert result.returncode == 2
    assert "exocheck: error: gone\\xff\\x1b[2J\\n.md: no such file or directory" in lines
    assert any(line.startswith("exocheck: warning: ") and "latin\\x1b]0;x\\x07\\xe9.txt: not valid UTF-8" in line
               for line in lines)
    assert not RAW_CONTROL.search("\n".join(lines))
    result = run_cli("lint", str(site), "-o", unwritable, env=STRICT)
    assert result.returncode == 2
    assert result.stderr.decode("utf-8") == \
        f"exocheck: error: {escape(unwritable)}: cannot write (No such file or directory)\n"


def test_cli_text_argument_that_is_not_utf8(tmp_path: Path) -> None:
    argument = os.fsdecode(b"exosomes cure hair loss \xff\x1b[2J")
    shown = run_cli(argument, env=STRICT)
    assert shown.returncode == 1
    assert "  > exosomes cure hair loss \\xff\\x1b[2J\n" in shown.stdout.decode("utf-8")
    data = run_cli(argument, "--format", "json", env=STRICT)
    assert json.loads(data.stdout)["findings"][0]["sentence"] == argument  # exact, as the API returns it
    page = run_cli(argument, "--format", "html", env=STRICT).stdout.decode("utf-8")
    assert page.count("hair loss \\xff\\x1b[2J</a>") == 1 and "\x1b" not in page


def test_cli_colour_prints_markup_and_links_from_copy_literally(site: Path) -> None:
    output = run_cli("lint", str(site), "--color", env={"COLUMNS": "1000"}).stdout.decode("utf-8")
    assert "\x1b]" not in output  # no window title, no OSC 8 hyperlink
    plain = SGR.sub("", output)
    assert not RAW_CONTROL.search(plain)
    assert "[bold]now[/bold] [link=https://evil.example]x[/link] \\x1b]8;;https://evil.example\\x1b\\link" in plain


def test_cli_csv_neutralises_names_and_copy_that_start_like_formulas(tmp_path: Path) -> None:
    for name in ("=cmd.md", "+cmd.md", "@cmd.md"):
        (tmp_path / name).write_text('=HYPERLINK("http://x") exosomes cure hair loss.\n', encoding="utf-8")
    result = run_cli("lint", "=cmd.md", "+cmd.md", "@cmd.md", "--format", "csv", cwd=tmp_path)
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"))))
    assert [r["path"] for r in rows] == ["'+cmd.md", "'=cmd.md", "'@cmd.md"]
    assert {r["sentence"] for r in rows} == {'\'=HYPERLINK("http://x") exosomes cure hair loss.'}
    survey_rows = list(csv.reader(io.StringIO(
        run_cli("survey", "=cmd.md", "+cmd.md", "@cmd.md", "--format", "csv", cwd=tmp_path).stdout.decode("utf-8"))))
    assert [row[0] for row in survey_rows[1:]] == ["'+cmd.md", "'=cmd.md", "'@cmd.md"]


def test_cli_baseline_with_a_name_that_is_not_utf8(site: Path, tmp_path: Path) -> None:
    baseline = str(tmp_path / "baseline.json")
    written = run_cli("lint", str(site), "--write-baseline", baseline, "--format", "concise", env=STRICT)
    assert written.returncode == 0 and b"wrote 5 finding(s)" in written.stderr
    assert '\\udcff\\udcfe.md"' in Path(baseline).read_text(encoding="utf-8")
    again = run_cli("lint", str(site), "--baseline", baseline, "--format", "concise", env=STRICT)
    assert (again.returncode, again.stdout) == (0, b"")  # every finding matched its recorded name
