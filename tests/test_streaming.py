"""Large inputs without holding them whole: a file checked in pieces gets the findings it gets checked whole,
a file read in pieces decodes as it does read at once, and a report written as it comes is the report."""

from __future__ import annotations

import codecs
import io
import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from exocheck import document, lint, load_kb
from exocheck.checker import Checker
from exocheck.config import Settings
from exocheck.formats import concise, csv_format, github, html_report, json_format, jsonl, junit, sarif, text
from exocheck.model import Report

from conftest import as_whole_tree, run_cli, writer_for

# Each block is separated from the next by a blank line, so every one of them can end a piece; some of them
# must not be cut (a fence, a comment, a <pre> with blank lines inside) and some carry meaning to the next
# (a subject, a question, a topic heading).
BLOCKS = [
    "# Exosome therapy for knee pain",
    "Our exosome serum regrows hair in four weeks. It is also FDA approved.",
    "It cures arthritis too.",
    "Do exosomes reverse aging?",
    "Yes, in just one session.",
    "```\ncode that says exosomes cure cancer\n\nand more code: exosomes cure COVID-19\n```",
    "<!-- a comment\n\nexosomes cure autism\n-->",
    "<pre>\nexosomes heal tendons\n\nexosomes cure lupus\n</pre>",
    "| Condition | Effect |\n|---|---|\n| hair loss | regrows it |",
    "- **Risk-free**: our exosome facial heals acne scars.\n- No downtime.",
    "Exosomes do not cure Parkinson's disease; no exosome product is FDA-approved.",
    "Our EVs treat diabetes.",
    "We also sell gift cards. Call us today.",
]


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_kb())


def _page(blocks: list[str], repeat: int, newline: str = "\n") -> str:
    body = "\n\n".join(blocks * repeat) + "\n"
    return body.replace("\n", newline)


def _lint(checker: Checker, path: Path, monkeypatch: pytest.MonkeyPatch, *, pieces: bool,
          settings: Settings | None = None) -> list:
    monkeypatch.setattr(lint, "STREAM_FROM", 0 if pieces else 1 << 40)
    monkeypatch.setattr(lint, "PIECE_CHARS", 700)  # many pieces from a small file
    monkeypatch.setattr(document, "PIECE_BYTES", 300)
    return list(lint.lint_file(checker, path, settings or Settings()))


def _combined(results: list) -> Report:
    report = Report()
    for result in results:
        assert result.error is None
        report.extend(result.report)
    return report


@pytest.mark.parametrize("suffix,newline", [(".md", "\n"), (".md", "\r\n"), (".txt", "\n")])
def test_a_file_checked_in_pieces_gets_the_findings_it_gets_checked_whole(checker, tmp_path, monkeypatch,
                                                                          suffix, newline):
    path = tmp_path / f"page{suffix}"
    path.write_bytes(("---\ntitle: Exosomes\n\nlayout: page\n---\n\n" if suffix == ".md" else "").encode()
                     + _page(BLOCKS, 20, newline).encode())
    whole = _lint(checker, path, monkeypatch, pieces=False)
    parts = _lint(checker, path, monkeypatch, pieces=True)
    assert len(whole) == 1 and len(parts) > 10
    combined = _combined(parts)
    assert combined.findings == whole[0].report.findings
    assert (combined.files, combined.sentences) == (1, whole[0].report.sentences)
    # and the checks that ride on document-wide facts did fire: the answered question, "EVs", the heading
    claims = {f.claim_id for f in combined.findings}
    assert {"regeneration-claim", "fda-approved", "diabetes-treatment"} <= claims
    assert any(f.sentence.startswith("Do exosomes reverse aging?") and f.sentence.endswith("session.")
               for f in combined.findings)
    if suffix == ".md":
        assert not any("cancer" in f.sentence or "autism" in f.sentence or "lupus" in f.sentence
                       for f in combined.findings)
    text_ = path.read_bytes().decode("utf-8")
    for finding in combined.findings:  # positions index the whole file
        assert text_[finding.start:finding.end] == finding.sentence


def test_a_weak_term_counts_in_every_piece_when_the_file_names_the_product_once_at_its_end(checker, tmp_path, monkeypatch):
    path = tmp_path / "page.md"
    path.write_text(_page(["We are open on Sundays.", "Our EVs treat diabetes."], 80)
                    + "\n" + _page(["Our exosome serum is made in Utah."], 1))
    parts = _lint(checker, path, monkeypatch, pieces=True)
    assert len(parts) > 3
    assert _combined(parts).findings == _lint(checker, path, monkeypatch, pieces=False)[0].report.findings
    assert parts[0].report.findings  # far from the one strong term, at the end


def test_pieces_end_at_paragraph_breaks_outside_code_and_comments(monkeypatch):
    monkeypatch.setattr(lint, "PIECE_CHARS", 100)
    page = _page(BLOCKS, 3)
    lint_pieces = list(lint._paragraph_pieces([page[i:i + 50] for i in range(0, len(page), 50)], "markdown"))
    assert "".join(lint_pieces) == page and len(lint_pieces) > 10
    for piece in lint_pieces[:-1]:
        assert piece.endswith("\n\n") and piece.count("```") % 2 == 0
        assert piece.count("<!--") == piece.count("-->") and piece.count("<pre>") == piece.count("</pre>")


def test_a_fence_that_stays_open_is_rescanned_a_logarithmic_number_of_times(monkeypatch):
    """Where no cut is safe the buffer grows; looking again only once it has doubled keeps the scans linear."""
    monkeypatch.setattr(lint, "PIECE_CHARS", 100)
    looks: list[int] = []
    real = lint._last_break
    monkeypatch.setattr(lint, "_last_break", lambda text, *rest: looks.append(len(text)) or real(text, *rest))
    code = ["~~~~\n"] + ["Exosomes cure hair loss.\n\n"] * 4000  # 104 kB, never closed
    pieces = list(lint._paragraph_pieces(iter(code), "markdown"))
    assert pieces == ["".join(code)]
    assert len(looks) <= 12  # 100, 200, 400, ... characters: not one look per line
    closed = ["~~~~\n", "code\n", "~~~~\n\n"] + ["Exosomes cure hair loss.\n\n"] * 4000
    assert len(list(lint._paragraph_pieces(iter(closed), "markdown"))) > 100  # once it closes, cuts resume


def test_a_large_file_naming_no_exosome_product_is_counted_not_checked(checker, tmp_path, monkeypatch):
    path = tmp_path / "shoes.md"
    path.write_text(_page(["We sell shoes. They cure nothing.", "Our boots treat cold feet."], 40))
    parts = _lint(checker, path, monkeypatch, pieces=True)
    whole = _lint(checker, path, monkeypatch, pieces=False)
    combined = _combined(parts)
    assert combined.findings == [] and combined.sentences == whole[0].report.sentences == 120


def test_a_large_file_with_suppressions_is_checked_whole_so_regions_hold(checker, tmp_path, monkeypatch):
    path = tmp_path / "page.md"
    region = ["<!-- exocheck-disable fda-approved -- reviewed page -->"] + BLOCKS * 3 + ["<!-- exocheck-enable -->"]
    path.write_text(_page(region + BLOCKS, 1))
    parts = _lint(checker, path, monkeypatch, pieces=True)
    assert len(parts) == 1
    fda = [f for f in parts[0].report.findings if f.claim_id == "fda-approved"]
    assert fda and all(f.line > len(_page(region, 1).splitlines()) for f in fda)


def test_disabled_ids_apply_to_every_piece(checker, tmp_path, monkeypatch):
    path = tmp_path / "page.md"
    path.write_text(_page(BLOCKS, 4))
    settings = Settings(disable=("fda-approved",))
    combined = _combined(_lint(checker, path, monkeypatch, pieces=True, settings=settings))
    assert combined.findings and not any(f.claim_id == "fda-approved" for f in combined.findings)


@pytest.mark.parametrize("raw", [
    b"Exosomes cure hair loss. " * 50,
    codecs.BOM_UTF8 + "Exosomes – café. ".encode() * 50,
    "Exosomes 治愈 hair loss. ".encode("utf-16") * 1,
    "Exosomes cure hair loss. ".encode("utf-32") * 1,
    "é".encode() * 200 + b"\xff\xfe bad" + "é".encode() * 200,  # a two-byte character cut at every piece end
    b"ok " * 100 + b"\xc3",  # a character cut off by the end of the file
])
def test_a_file_read_in_pieces_decodes_as_it_does_read_at_once(tmp_path, monkeypatch, raw):
    monkeypatch.setattr(document, "PIECE_BYTES", 7)
    path = tmp_path / "page.txt"
    path.write_bytes(raw)
    streamed = document.StreamedFile(path)
    at_once = document.decode(raw, str(path))
    assert "".join(streamed) == at_once.text
    assert streamed.warnings == at_once.warnings


def test_a_binary_file_read_in_pieces_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"PNG\x00\x01" * 100)
    with pytest.raises(document.InputError, match="binary file"):
        list(document.StreamedFile(path))


# The pages of the `reports` fixture, one report each.
PAGES = {
    **{f"site/page{n}.md": ("markdown", _page(BLOCKS, 1)) for n in range(3)},
    "site/shoes.txt": ("text", "We sell shoes."),
    "site/z.md": ("markdown", "<!-- exocheck-disable-next-line -->\nExosomes cure acne."),
}


@pytest.fixture(scope="module")
def reports(checker) -> list[Report]:
    from exocheck.lint import lint_text

    return [lint_text(checker, text, path, kind, set()) for path, (kind, text) in PAGES.items()]

TEXTS = {path: text for path, (_, text) in PAGES.items()}


@pytest.mark.parametrize("fmt", [concise, csv_format, github, json_format, jsonl, sarif, text, junit, html_report])
def test_a_report_written_as_it_comes_is_the_report_written_whole(reports, fmt):
    kb = load_kb()
    whole = Report()
    for part in reports:
        whole.extend(part)
    assert whole.notices and whole.findings
    writer, totals, stream = writer_for(fmt, kb, TEXTS), Report(), io.StringIO()
    stream.write(writer.head(totals))
    for part in reports:
        stream.write(writer.part(part))
        totals.count_written(part)
    writer.finish(stream, totals)
    streamed = stream.getvalue()
    assert streamed == writer_for(fmt, kb, TEXTS).render(whole)
    if fmt is json_format:
        assert json.loads(streamed) == json_format.document(whole)
    if fmt is junit:  # laid out as the whole tree indented at once, with the counts of every case
        assert streamed == as_whole_tree(streamed)
        root = ElementTree.fromstring(streamed)
        assert root.get("tests") == str(len(whole.findings) + len(whole.notices)) == str(len(root.findall(".//testcase")))
    if fmt is html_report:  # the summary on top counts every file's findings, and links the sections in order
        paths = sorted({f.path for f in whole.findings} | {n.path for n in whole.notices})
        assert f"<title>exocheck report: {len(whole.findings)} findings</title>" in streamed
        assert re.findall(r'<li><a href="#file-\d+">([^<]+)</a>', streamed) == paths
        assert re.findall(r'<h2 id="file-\d+-name">([^<]+)</h2>', streamed) == paths


# A question that ends a piece and its answer that opens the next (the answer is a paragraph longer than a
# piece): the finding they make together starts in one piece and is reported with the next.
ANSWERED_ACROSS_PIECES = ["Our exosome serum heals acne scars.", "Do exosomes regrow hair?",
                          "Yes, in eight weeks. " + "Book a visit today. " * 40]


@pytest.mark.parametrize("blocks,repeat", [(BLOCKS, 20), (ANSWERED_ACROSS_PIECES, 5)])
@pytest.mark.parametrize("fmt", [junit, html_report])
def test_a_file_read_in_pieces_is_one_section_as_when_read_whole(checker, tmp_path, monkeypatch, fmt, blocks,
                                                                 repeat):
    path = tmp_path / "page.md"
    path.write_text(_page(blocks, repeat))  # (with a suppression comment, a file is checked whole)
    kb, text = load_kb(), path.read_text()
    outputs = []
    for pieces in (False, True):
        writer, stream = writer_for(fmt, kb, {str(path): text}), io.StringIO()
        results = _lint(checker, path, monkeypatch, pieces=pieces)
        for result in results:
            writer.part(result.report)
        writer.finish(stream, Report())
        outputs.append((len(results), stream.getvalue()))
    (whole, page), (parts, streamed) = outputs
    assert whole == 1 and parts > 5
    assert streamed == page and page.count("hair-loss-treatment") >= 5
    assert page.count("<testsuite ") == 1 if fmt is junit else page.count('<section class="file"') == 1


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "html"])
def test_lint_streams_the_same_report_it_would_collect(tmp_path, fmt):
    for n in range(3):
        (tmp_path / f"p{n}.md").write_text(_page(BLOCKS, 2))
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "a.md").write_text("Exosomes cure acne.\n")
    streamed = run_cli("lint", ".", "--format", fmt, "--jobs", "1", cwd=tmp_path)
    # a baseline makes the command collect the report before writing it; an empty one hides nothing
    (tmp_path / "empty.json").write_text('{"exocheck_baseline": 1, "findings": []}')
    collected = run_cli("lint", ".", "--format", fmt, "--jobs", "1", "--baseline", "empty.json", cwd=tmp_path)
    assert streamed.returncode == collected.returncode == 1
    assert streamed.stdout == collected.stdout
    if fmt in ("junit", "html"):
        assert streamed.stdout.count(b"hair-loss-treatment") > 6
        return
    document = json.loads(streamed.stdout)
    if fmt == "sarif":
        paths = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]]
    else:
        paths = [f["path"] for f in document["findings"]]
    assert paths == sorted(paths) and paths[0] == "b/a.md"


def test_a_bad_byte_late_in_a_large_file_is_warned_about_once(checker, tmp_path, monkeypatch):
    path = tmp_path / "page.md"
    path.write_bytes(_page(BLOCKS, 10).encode() + b"Exosomes cure acne \xff.\n")
    whole = _lint(checker, path, monkeypatch, pieces=False)
    monkeypatch.setattr(lint, "STREAM_FROM", 0)
    # as the command does: each part's warnings are printed when the part arrives
    warned = [list(part.warnings) for part in lint.lint_file(checker, path, Settings())]
    assert len(warned) > 1 and whole[0].warnings and "not valid UTF-8" in whole[0].warnings[0]
    assert warned[0] == whole[0].warnings and not any(warned[1:])


@pytest.mark.parametrize("fmt", ["concise", "sarif"])
def test_a_report_in_a_linted_directory_is_refused_unless_excluded(tmp_path, fmt):
    """A report left in the directory being linted is one of the inputs: -o may not replace it (it could as
    well be a page), unless it is excluded, and then it is neither linted nor kept."""
    (tmp_path / "page.md").write_text("Exosomes cure hair loss.\n")
    first = run_cli("lint", ".", "--format", fmt, "-o", "report.txt", cwd=tmp_path)
    report = (tmp_path / "report.txt").read_text()
    second = run_cli("lint", ".", "--format", fmt, "-o", "report.txt", cwd=tmp_path)
    assert first.returncode == 1 and second.returncode == 2
    assert second.stderr.decode().startswith("exocheck: error: report.txt: --output would replace")
    assert "hair-loss-treatment" in report and (tmp_path / "report.txt").read_text() == report
    third = run_cli("lint", ".", "--format", fmt, "-o", "report.txt", "--exclude", "report.txt", cwd=tmp_path)
    assert third.returncode == 1 and (tmp_path / "report.txt").read_text() == report


@pytest.mark.parametrize("blocks", [
    # the only strong term is in code, which is not copy: "EVs" must not count, in pieces or whole
    ["```\nexosome_serum = load()\n```", "We are open on Sundays.", "Our EVs treat diabetes."],
    # the only mention is split by markup, which a reader does not see: it counts, in pieces or whole
    ["We are open on Sundays.", "Our exo<b>some</b>s cure acne scars.", "Call us today."],
])
def test_a_large_file_is_judged_on_its_visible_text_in_pieces_as_whole(checker, tmp_path, monkeypatch, blocks):
    path = tmp_path / "page.md"
    path.write_text(_page(blocks[:1], 1) + "\n" + _page(blocks[1:], 60))
    whole = _lint(checker, path, monkeypatch, pieces=False)
    parts = _lint(checker, path, monkeypatch, pieces=True)
    assert len(parts) > 3
    assert _combined(parts).findings == whole[0].report.findings
    assert bool(whole[0].report.findings) == ("exo<b>" in blocks[1])
