"""Property-based tests: whatever text, Markdown or HTML comes in, exocheck does not crash, and every
finding points exactly at its sentence, the same way every time.

CI runs a short, reproducible pass (the "ci" profile: about 100 examples per property, a fixed seed).
For a long campaign set EXOCHECK_FUZZ_EXAMPLES, e.g.

    EXOCHECK_FUZZ_EXAMPLES=15000 python -m pytest tests/test_properties.py --hypothesis-show-statistics

which runs that many random examples per property (the --jobs property, which starts a process pool per
example, runs half of them) with a fresh seed. See docs/robustness.md for the last campaign.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

import exocheck
from exocheck.checker import Checker
from exocheck.config import Settings
from exocheck.document import decode
from exocheck.errors import InputError
from exocheck.formats.safe import json_text
from exocheck.lint import PARALLEL_THRESHOLD, lint_files, lint_text
from exocheck.markup import mask
from exocheck.model import Report

from conftest import as_whole_tree, writer_for

_FUZZ_EXAMPLES = int(os.environ.get("EXOCHECK_FUZZ_EXAMPLES", "0"))
settings.register_profile(
    "ci", max_examples=100, deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "campaign", max_examples=max(_FUZZ_EXAMPLES, 1), deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("campaign" if _FUZZ_EXAMPLES else "ci")
# Each example of the --jobs property starts a process pool (~0.07 s); it runs half as many examples.
_POOL_EXAMPLES = max(10, (_FUZZ_EXAMPLES or 100) // 2)

KINDS = ("text", "markdown", "html")
SUFFIX = {"text": ".txt", "markdown": ".md", "html": ".html"}

# --- what copy looks like ------------------------------------------------------------------------------

CLAIMS = [
    "Exosomes cure hair loss.", "Our exosome facial is FDA approved.", "It has no side effects!",
    "Exosome therapy does not cure hair loss.", "There are no FDA-approved exosome products.",
    "Our exosome serum may help regrow hair", "Clinics claim exosomes treat COVID-19.",
    "EXOSOMES REVERSE AGING", "Exosomes regrow hair.Book now", "Is exosome therapy FDA approved?",
    "PRP treats hair loss, while exosomes are new.", "Exosome IV therapy treats long COVID and Parkinson's.",
    "Studies show exosomes heal knee pain", "“FDA-аpprоvеd” exosomes — guaranteed results…",
    "No downtime, no side effects, no risk.", "Hair loss? Our exosome serum fixes it.",
]
WORDS = ["exosome", "exosomes", "cure", "hair", "loss", "FDA", "approved", "not", "no", "may", "e.g.", "Dr.",
         "it", "treats", "knee", "pain", "PRP", "EVs", "the", "our", "clinic", "…", "—", "ﬁ", "İ", "ß", "中文",
         "😀", "\u200b", "\u00ad", "\ufeff", "\u2028", "\x85", "\x0b", "\x0c", "\x00", "\t"]
LINE_BREAKS = ["\n", "\r\n", "\r"]

words = st.sampled_from(WORDS)
claim = st.sampled_from(CLAIMS)
scraps = st.text(min_size=0, max_size=8)  # anything Unicode, surrogates excluded (decoded text has none)
phrase = st.lists(st.one_of(claim, words, scraps), min_size=0, max_size=8).map(" ".join)
any_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(claim, words, scraps, st.sampled_from(LINE_BREAKS + [" ", ". ", "\n\n"])),
             max_size=40).map("".join),
)


@st.composite
def with_line_breaks(draw: st.DrawFn, lines: list[str]) -> str:
    """Lines joined by one kind of line break, or by a random mixture."""
    if draw(st.booleans()):
        return draw(st.sampled_from(LINE_BREAKS)).join(lines)
    return "".join(line + draw(st.sampled_from(LINE_BREAKS)) for line in lines)


def _inline_markdown() -> st.SearchStrategy[str]:
    piece = st.one_of(
        phrase, claim,
        phrase.map(lambda p: f"**{p}**"), phrase.map(lambda p: f"_{p}_"), phrase.map(lambda p: f"`{p}`"),
        phrase.map(lambda p: f"[{p}](https://example.com/{p.replace(' ', '-')[:20]})"),
        phrase.map(lambda p: f"![{p}](img.png \"title\")"), phrase.map(lambda p: f"[{p}][ref]"),
        st.sampled_from(["<https://example.com/exosomes-cure-hair-loss>", "&amp;", "&#x41;", "&nbsp;", "&bogus;",
                         "<b>", "</b>", "<!-- exosomes cure hair loss -->", "\\*", "\\", "~~x~~", "*", "_", "`",
                         "[", "]", "(", ")", "|", "<", ">", "&"]),
    )
    return st.lists(piece, min_size=1, max_size=6).map(lambda parts: " ".join(parts))


def _markdown_block() -> st.SearchStrategy[list[str]]:
    inline = _inline_markdown()
    return st.one_of(
        inline.map(lambda t: [t]),
        st.tuples(st.integers(1, 6), inline).map(lambda h: ["#" * h[0] + " " + h[1]]),
        inline.map(lambda t: [t, "===="]),
        st.lists(st.tuples(st.sampled_from(["- ", "* ", "+ ", "1. ", "2) ", "  - ", "• "]), inline),
                 min_size=1, max_size=4).map(lambda items: [m + t for m, t in items]),
        st.lists(inline, min_size=1, max_size=3).map(lambda lines: ["> " + line for line in lines]),
        phrase.map(lambda t: ["```", t, "```"]), phrase.map(lambda t: ["    " + t]),
        inline.map(lambda t: ["<div>", t, "</div>"]),
        st.tuples(inline, inline).map(lambda c: ["| a | b |", "|---|---|", f"| {c[0]} | {c[1]} |"]),
        st.tuples(st.sampled_from(["exocheck-disable-next-line", "exocheck-disable", "exocheck-enable"]),
                  st.sampled_from(["", "hair-loss-treatment", "fda-approved, no-side-effects"]),
                  st.sampled_from(["", " -- reviewed", "--"])).map(lambda d: [f"<!-- {d[0]} {d[1]}{d[2]} -->"]),
        st.just(["[ref]: https://example.com 'Exosomes cure hair loss'"]), st.just(["---"]), st.just([""]),
    )


@st.composite
def markdown_documents(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(_markdown_block(), max_size=8))
    lines = [line for block in blocks for line in block + [""]]
    if draw(st.booleans()):
        lines = ["---", "title: Exosomes cure hair loss", "---"] + lines
    return draw(with_line_breaks(lines))


def _html_node() -> st.SearchStrategy[str]:
    text = st.one_of(phrase, claim, st.sampled_from(["&amp;", "&lt;", "&#8212;", "&#x1F600;", "&nbsp", "&",
                                                      "<", ">", "\n", "\r\n", "\r"]))
    leaf = st.one_of(
        text,
        st.sampled_from(["<br>", "<br/>", "<hr>", "<!-- x -->", "<!--", "-->", "<!DOCTYPE html>", "<![CDATA[x]]>",
                         "<?php echo 1 ?>", "</p>", "</div>", "<p", "<a href='", "</>", "<img src=x.png>",
                         "<meta charset=utf-8>"]),
        phrase.map(lambda p: f'<img src="a.png" alt="{p}">'),
        phrase.map(lambda p: f"<meta name=description content='{p}'>"),
        phrase.map(lambda p: f"<script>var s = '{p}';</script>"), phrase.map(lambda p: f"<style>/* {p} */</style>"),
        st.tuples(st.sampled_from(["exocheck-disable-next-line", "exocheck-disable", "exocheck-enable"]),
                  st.sampled_from(["", " -- reviewed"])).map(lambda d: f"<!-- {d[0]}{d[1]} -->"),
    )
    tags = st.sampled_from(["p", "div", "h1", "h3", "li", "ul", "b", "i", "span", "a", "title", "head", "body",
                            "td", "pre", "code", "noscript", "template", "svg", "section", "blockquote"])
    return st.recursive(
        leaf,
        lambda inner: st.tuples(tags, st.lists(inner, max_size=4), st.booleans()).map(
            lambda t: f"<{t[0]}>{''.join(t[1])}" + (f"</{t[0]}>" if t[2] else "")),
        max_leaves=20,
    )


html_documents = st.lists(_html_node(), max_size=8).map("".join)
documents = st.one_of(
    st.tuples(st.just("markdown"), markdown_documents()),
    st.tuples(st.just("html"), html_documents),
    st.tuples(st.sampled_from(KINDS), any_text),
)

# --- checking helpers ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def checker() -> Checker:
    return exocheck.checker_for()


def _position(text: str, offset: int) -> tuple[int, int]:
    """Line and column of `offset` computed independently of exocheck: "\\r\\n", "\\r" and "\\n" end a
    line, columns count characters, both 1-based."""
    line, line_start, index = 1, 0, 0
    while index < offset:
        char = text[index]
        if char == "\r" and text[index + 1 : index + 2] == "\n" and index + 1 < offset:
            index += 1
        if char in "\r\n":
            line, line_start = line + 1, index + 1
        index += 1
    return line, offset - line_start + 1


def assert_well_formed(report: Report, text: str) -> None:
    """Every finding lies inside the text, its sentence is the text at its offsets, and its line and column
    agree with those offsets; notices point inside the text."""
    for finding in report.findings:
        assert 0 <= finding.start < finding.end <= len(text), finding
        assert finding.sentence == text[finding.start:finding.end]
        assert (finding.line, finding.column) == _position(text, finding.start)
        assert (finding.end_line, finding.end_column) == _position(text, finding.end)
    lines = 1 + len(re.findall(r"\r\n|\r|\n", text))
    for notice in report.notices:
        assert 1 <= notice.line <= lines, notice


def _snapshot(report: Report) -> list[dict]:
    return [f.to_dict() for f in report.findings] + [n.to_dict() for n in report.notices]


# --- properties ----------------------------------------------------------------------------------------


@given(text=any_text, kind=st.sampled_from(KINDS))
def test_random_text_never_crashes_and_findings_point_at_their_sentence(checker: Checker, text: str,
                                                                        kind: str) -> None:
    assert_well_formed(lint_text(checker, text, "page" + SUFFIX[kind], kind, set()), text)


@given(text=markdown_documents())
def test_random_markdown_never_crashes_and_findings_point_at_their_sentence(checker: Checker, text: str) -> None:
    assert_well_formed(lint_text(checker, text, "page.md", "markdown", set()), text)


@given(text=html_documents)
def test_random_html_never_crashes_and_findings_point_at_their_sentence(checker: Checker, text: str) -> None:
    assert_well_formed(lint_text(checker, text, "page.html", "html", set()), text)


@given(document=documents)
def test_masking_keeps_every_offset_and_line_break(document: tuple[str, str]) -> None:
    """The masked text the checker reads has the original's length and all its line breaks in place
    (markers may add line breaks where markup was), which is what keeps positions exact."""
    kind, text = document
    masked = mask(text, kind)
    assert len(masked) == len(text)
    assert all(masked[i] == char for i, char in enumerate(text) if char in "\r\n")
    if kind == "text":
        assert masked == text


@given(document=documents)
def test_checking_twice_and_with_a_fresh_checker_gives_the_same_result(checker: Checker,
                                                                       document: tuple[str, str]) -> None:
    kind, text = document
    first = _snapshot(lint_text(checker, text, "p", kind, set()))
    assert _snapshot(lint_text(checker, text, "p", kind, set())) == first
    assert _snapshot(lint_text(Checker(checker.kb), text, "p", kind, set())) == first


@given(document=documents)
def test_line_endings_do_not_change_what_is_found_or_where(checker: Checker, document: tuple[str, str]) -> None:
    """The same copy with "\\n", "\\r\\n" or "\\r" line breaks gives the same findings at the same lines and
    columns (only character offsets differ)."""
    kind, text = document
    unix = text.replace("\r\n", "\n").replace("\r", "\n")

    def seen(variant: str) -> list[tuple]:
        report = lint_text(checker, variant, "p", kind, set())
        return [(f.line, f.column, f.end_line, f.end_column, f.claim_id, f.verdict, f.severity, f.topic)
                for f in report.findings] + [(n.line, n.column, n.code) for n in report.notices]

    expected = seen(unix)
    for newline in ("\r\n", "\r"):
        assert seen(unix.replace("\n", newline)) == expected, newline


@given(document=documents)
def test_every_format_renders_deterministically_and_parses(checker: Checker, document: tuple[str, str]) -> None:
    from exocheck.formats import concise, csv_format, github, json_format, jsonl, junit, sarif, text

    kind, text_ = document
    report = lint_text(checker, text_, "dir/page" + SUFFIX[kind], kind, set())
    kb = checker.kb
    renderers = {
        "text": lambda: text.render_plain(report), "concise": lambda: concise.render(report, kb),
        "json": lambda: json_format.render(report), "json-ascii": lambda: json_format.render(report, ascii_only=True),
        "jsonl": lambda: jsonl.render(report, kb), "sarif": lambda: sarif.render(report, kb),
        "github": lambda: github.render(report, kb), "junit": lambda: junit.render(report, kb),
        "csv": lambda: csv_format.render(report, kb),
    }
    for name, render in renderers.items():
        output = render()
        assert render() == output, name
    assert json.loads(renderers["json"]())["summary"]["findings"] == len(report.findings)
    assert json.loads(renderers["json-ascii"]()) == json.loads(renderers["json"]())
    for finding in report.findings:  # written out by hand for speed, so compared with json's own, byte for byte
        for ascii_only in (False, True):  # (json_text: the \u2028 or NEL of the copy as JSON escapes)
            assert json_format.finding_json(finding, ascii_only) == \
                json_text(json.dumps(finding.to_dict(), ensure_ascii=ascii_only))
    sarif_results = json.loads(renderers["sarif"]())["runs"][0]["results"]
    assert len(sarif_results) == len(report.findings) + len(report.notices)
    assert [json.loads(line) for line in renderers["jsonl"]().split("\n") if line] == \
        [f.to_dict() for f in report.findings] + [n.to_dict() for n in report.notices]
    ElementTree.fromstring(renderers["junit"]().encode("utf-8"))
    assert len(renderers["concise"]().splitlines()) == len(report.findings) + len(report.notices)


@pytest.mark.slow
@given(pages=st.lists(documents, min_size=1, max_size=4), data=st.data())
def test_junit_and_html_written_in_any_parts_are_the_report_written_whole(checker: Checker,
                                                                          pages: list[tuple[str, str]],
                                                                          data: st.DataObject) -> None:
    """The formats that hold a file's findings until its section is made: however a lint splits each file's
    report into parts (a large file is read in pieces), the output is that of the whole report."""
    from exocheck.formats import html_report, junit

    texts = {f"page{n}{SUFFIX[kind]}": text for n, (kind, text) in enumerate(pages)}
    reports = [lint_text(checker, text, path, kind, set()) for (kind, _), (path, text) in zip(pages, texts.items())]
    whole = Report()
    parts = []
    for report in reports:
        whole.extend(report)
        cuts = sorted(data.draw(st.lists(st.integers(0, len(report.findings)), max_size=3)))
        bounds = [0, *cuts, len(report.findings)]
        parts += [Report(findings=report.findings[a:b]) for a, b in itertools.pairwise(bounds)]
        parts[-1].notices, parts[-1].hidden = report.notices, report.hidden
    for fmt in (junit, html_report):
        writer = writer_for(fmt, checker.kb, texts)
        for part in parts:
            writer.part(part)
        streamed = io.StringIO()
        writer.finish(streamed, whole)
        # a file with no finding, notice or hidden (suppressed) finding has no section
        shown = {r.path for r in [*whole.findings, *whole.notices, *(h.item for h in whole.hidden)]}
        expected = html_report.render(whole, checker.kb, {p: t for p, t in texts.items() if p in shown}) \
            if fmt is html_report else junit.render(whole, checker.kb)
        assert streamed.getvalue() == expected
        if fmt is junit and "\r" not in expected:
            assert expected == as_whole_tree(expected)


@pytest.mark.slow
@settings(max_examples=_POOL_EXAMPLES)
@given(pages=st.lists(documents, min_size=PARALLEL_THRESHOLD, max_size=PARALLEL_THRESHOLD + 4))
def test_output_is_the_same_with_any_number_of_jobs(checker: Checker, pages: list[tuple[str, str]]) -> None:
    from exocheck.formats import json_format

    with tempfile.TemporaryDirectory() as folder:
        files = []
        for number, (kind, text) in enumerate(pages):
            files.append(Path(folder) / f"page{number:02d}{SUFFIX[kind]}")
            files[-1].write_bytes(text.encode("utf-8"))

        def run(jobs: int) -> tuple[list, str]:
            report = Report(kb_version=checker.kb.version, kb_sha256=checker.kb.sha256)
            results = []
            for result in lint_files(files, checker, Settings(), jobs=jobs):
                results.append((result.path, result.error, result.warnings,
                                _snapshot(result.report) if result.report else None))
                if result.report:
                    report.extend(result.report)
            report.findings.sort(key=lambda f: (f.path, f.start, f.claim_id, f.topic))
            return results, json_format.render(report)

        assert run(2) == run(1)


@given(raw=st.one_of(
    st.binary(max_size=200),
    st.text(max_size=100).map(lambda t: t.encode("utf-8")),
    st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b""]),
              st.binary(max_size=100)).map(b"".join),
))
def test_decoding_any_bytes_gives_text_or_one_clear_error(raw: bytes) -> None:
    try:
        decoded = decode(raw, "page.txt")
    except InputError as exc:
        assert str(exc).startswith("page.txt: binary file") and b"\x00" in raw
        return
    assert isinstance(decoded.text, str)
    try:
        exact = raw.decode("utf-8")
    except UnicodeDecodeError:
        exact = None
    if exact is not None and not raw.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        assert decoded.text == exact and not decoded.warnings
    if "\ufffd" in decoded.text and (exact is None or "\ufffd" not in exact):
        assert decoded.warnings  # replaced bytes are never silent


@given(text=st.text(max_size=200))
def test_text_survives_every_encoding_round_trip(text: str) -> None:
    with_bom = [b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-32")]
    if not text.startswith("\x00"):  # FF FE 00 00 is the UTF-32 byte-order mark: read as UTF-32, by design
        with_bom.append(text.encode("utf-16"))
    for raw in with_bom:
        assert decode(raw, "p").text == text
    if "\x00" in text:  # NUL without a byte-order mark means a binary file, by design
        with pytest.raises(InputError):
            decode(text.encode("utf-8"), "p")
    else:
        assert decode(text.encode("utf-8"), "p").text == text


@pytest.mark.slow
@given(document=st.one_of(st.tuples(st.just("markdown"), markdown_documents()),
                          st.tuples(st.just("text"), any_text)))
def test_a_file_checked_in_pieces_gets_the_findings_it_gets_checked_whole(checker: Checker,
                                                                          document: tuple[str, str]) -> None:
    """Cut at every paragraph break the piece reader allows (or checked whole where it must be)."""
    import exocheck.document as documents_module
    from exocheck import lint

    kind, text = document
    assume("\x00" not in text and not text.startswith("\ufeff"))  # a file would be refused, or lose its BOM
    saved = lint.STREAM_FROM, lint.PIECE_CHARS, documents_module.PIECE_BYTES
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / ("page.md" if kind == "markdown" else "page.txt")
        path.write_bytes(text.encode("utf-8"))
        try:
            lint.STREAM_FROM, lint.PIECE_CHARS, documents_module.PIECE_BYTES = 0, 1, 5
            parts = list(lint.lint_file(checker, path, Settings()))
        finally:
            lint.STREAM_FROM, lint.PIECE_CHARS, documents_module.PIECE_BYTES = saved
    whole = lint_text(checker, text, str(path), kind, set())
    combined = Report()
    for part in parts:
        combined.extend(part.report)
    assert _snapshot(combined) == _snapshot(whole)
    assert (combined.files, combined.sentences) == (1, whole.sentences)
