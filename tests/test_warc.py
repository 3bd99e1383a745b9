"""WARC input: every HTML or text response record is a page named by its URI, read by its content type's
reader with its charset, and checked exactly as the same page would be as a file; bad records are notices."""

from __future__ import annotations

import json
import sys
from io import BytesIO
from pathlib import Path

import pytest

pytest.importorskip("warcio")

import exocheck
from exocheck import warc
from exocheck.config import Settings
from exocheck.lint import lint_file, lint_text

from conftest import run_cli
from warcs import Record, warc_bytes, write_warc

HAIR = "<html><head><title>Hair</title></head><body><p>Our exosome serum cures hair loss.</p></body></html>"
PAGES = [
    Record("http://clinic.example/hair", HAIR),
    Record("http://clinic.example/logo.png", b"\x89PNG\r\n\x1a\n", content_type="image/png"),
    Record("http://clinic.example/old", "<p>Exosomes cure autism.</p>", status="301 Moved Permanently"),
    Record("https://www.spa.example/facial", "Café: our exosome facial is FDA approved.".encode("latin-1"),
           content_type="text/plain; charset=ISO-8859-1"),
    Record("https://www.spa.example/meta",
           b'<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 exosomes regrow hair.</p></body></html>',
           content_type="text/html"),
    Record("https://www.spa.example/notes.md", "# Exosomes\n\n`exosomes are FDA approved` Exosomes cure hair loss.\n",
           content_type="text/markdown"),
    Record("https://shop.example/shoes", "We sell shoes.", content_type="text/plain"),
]


def _pages(data: bytes) -> list:
    return list(warc.pages(BytesIO(data), "test.warc"))


@pytest.mark.parametrize("gzip", [True, False])
def test_pages_are_html_and_text_responses_named_by_uri(gzip):
    found = _pages(warc_bytes(PAGES, gzip=gzip))
    assert [(p.uri, p.kind) for p in found] == [
        ("http://clinic.example/hair", "html"), ("https://www.spa.example/facial", "text"),
        ("https://www.spa.example/meta", "html"), ("https://www.spa.example/notes.md", "markdown"),
        ("https://shop.example/shoes", "text"),
    ]  # not the image, not the redirect
    assert found[0].text == HAIR
    assert found[1].text.startswith("Café") and found[2].text.count("Café") == 1  # charset from header, <meta>
    assert all(not p.warnings and not p.notices for p in found)


def test_a_page_gets_the_findings_it_gets_as_a_file(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", PAGES)
    checker = exocheck.checker_for()
    results = list(lint_file(checker, path, Settings()))
    assert [r.path for r in results] == [p.uri for p in _pages(path.read_bytes())]
    for result, page in zip(results, _pages(path.read_bytes())):
        alone = lint_text(checker, page.text, page.uri, page.kind, set())
        assert result.report.findings == alone.findings and result.report.sentences == alone.sentences
    claims = {r.path: [f.claim_id for f in r.report.findings] for r in results}
    assert claims["http://clinic.example/hair"] == ["hair-loss-treatment"]
    assert claims["https://www.spa.example/facial"] == ["fda-approved"]
    assert claims["https://www.spa.example/notes.md"] == ["hair-loss-treatment"]  # the code span is not copy
    assert claims["https://shop.example/shoes"] == []


def test_undecodable_bytes_are_replaced_with_a_warning_and_a_bom_wins():
    found = _pages(warc_bytes([
        Record("http://a.example/", b"<p>Exosomes \xff cure arthritis.</p>", content_type="text/html"),
        Record("http://b.example/", "\ufeffExosomes cure acne.".encode("utf-8"), content_type="text/plain; charset=latin-1"),
        Record("http://c.example/", b"Exosomes cure acne.", content_type="text/plain; charset=no-such-charset"),
        Record("http://d.example/", b"<p>Exosomes \x81 cure acne.</p>", content_type="text/html; charset=shift_jis"),
    ]))
    assert "\ufffd" in found[0].text and "not valid UTF-8" in found[0].warnings[0]
    assert found[1].text == "Exosomes cure acne." and not found[1].warnings
    assert found[2].text == "Exosomes cure acne." and "unknown charset 'no-such-charset'" in found[2].warnings[0]
    assert "not valid shift_jis" in found[3].warnings[0]


def test_wet_conversion_records_are_text_pages():
    found = _pages(warc_bytes([Record("http://a.example/", "Exosomes cure acne.", content_type="text/plain",
                                      rec_type="conversion")]))
    assert [(p.uri, p.kind, p.text) for p in found] == [("http://a.example/", "text", "Exosomes cure acne.")]


def test_truncated_and_binary_records_are_notices():
    data = warc_bytes([
        Record("http://a.example/", "Exosomes cure acne.", content_type="text/plain",
               warc_headers={"WARC-Truncated": "length"}),
        Record("http://b.example/", b"\x00\x01binary", content_type="text/plain"),
        Record("http://c.example/", "Exosomes regrow hair. " * 20, content_type="text/plain"),
    ], gzip=False)
    found = _pages(data)
    assert found[0].notices[0].code == "warc-truncated" and found[0].notices[0].severity == "info"
    assert found[1].code == "warc-record" and "binary" in found[1].message and found[1].path == "http://b.example/"
    cut = _pages(data[:-60])  # the file ends inside the last record
    assert cut[2].uri == "http://c.example/" and cut[2].notices[0].code == "warc-truncated"
    assert "the file ends" in cut[2].notices[0].message


@pytest.mark.parametrize("gzip", [True, False])
def test_a_broken_frame_ends_the_file_with_a_notice(gzip):
    first = warc_bytes(PAGES[:1], gzip=gzip)
    found = _pages(first + b"garbage\r\n" * 5 + warc_bytes(PAGES[3:4], gzip=gzip))
    assert [p.uri for p in found[:-1]] == ["http://clinic.example/hair"]
    assert found[-1].code == "warc-unreadable" and "records before it were checked" in found[-1].message
    assert "\\x" not in found[-1].message or found[-1].message.isprintable()


def test_a_file_that_is_not_a_warc_is_an_input_error():
    with pytest.raises(exocheck.InputError, match="not a readable WARC file"):
        _pages(b"hello, this is not a WARC file at all\n")


def test_lint_and_survey_read_warc_files(tmp_path):
    write_warc(tmp_path / "crawl.warc.gz", PAGES)
    write_warc(tmp_path / "more.warc", [Record("http://x.example/", b"Exosomes cure acne.\x00", content_type="text/plain")])
    lint = run_cli("lint", str(tmp_path), "--format", "json")
    assert lint.returncode == 1, lint.stderr
    data = json.loads(lint.stdout)
    assert [f["path"] for f in data["findings"]][:1] == ["http://clinic.example/hair"]
    assert data["summary"]["files"] == 5
    assert [n["code"] for n in data["notices"]] == ["warc-record"]
    survey = run_cli("survey", str(tmp_path), "--format", "json")
    assert survey.returncode == 0, survey.stderr
    assert json.loads(survey.stdout)["summary"]["files"] == 5


def test_parallel_lint_of_many_warc_files_equals_one_process(tmp_path):
    for i in range(9):
        write_warc(tmp_path / f"c{i}.warc.gz", [Record(f"http://{i}.example/{j}", f"<p>Exosomes cure acne {j}.</p>")
                                                for j in range(3)])
    one = run_cli("lint", str(tmp_path), "--format", "jsonl", "--jobs", "1")
    two = run_cli("lint", str(tmp_path), "--format", "jsonl", "--jobs", "2")
    assert one.stdout == two.stdout and one.stdout.count(b"\n") == 27


def test_without_warcio_a_warc_is_a_one_line_error(tmp_path):
    write_warc(tmp_path / "crawl.warc.gz", PAGES[:1])
    (tmp_path / "page.txt").write_text("Exosomes cure acne.\n", encoding="utf-8")
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "warcio.py").write_text("raise ImportError('blocked for the test')\n", encoding="utf-8")
    result = run_cli("lint", str(tmp_path / "crawl.warc.gz"), str(tmp_path / "page.txt"),
                     env={"PYTHONPATH": f"{blocker}:{Path(__file__).resolve().parents[1]}"})
    assert result.returncode == 2
    errors = [line for line in result.stderr.decode().splitlines() if "error" in line]
    assert errors == [f"exocheck: error: {tmp_path / 'crawl.warc.gz'}: {warc.MISSING}"]
    assert b"page.txt" in result.stdout  # the other files are still checked


def test_a_single_check_imports_no_warc_or_spark_module():
    import subprocess

    code = ("import sys; from exocheck.cli import main\n"
            "try:\n    main(['exosomes cure hair loss'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('warcio', 'pyspark', 'pyarrow')"
            " or m in ('exocheck.warc', 'exocheck.spark_job')), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                            timeout=60, cwd=Path(__file__).resolve().parents[1])
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_the_html_report_says_it_cannot_show_warc_pages(tmp_path):
    write_warc(tmp_path / "crawl.warc.gz", PAGES[:1])
    result = run_cli("lint", str(tmp_path / "crawl.warc.gz"), "--format", "html")
    assert result.returncode == 2
    assert b"the html format shows files, not the pages of WARC files" in result.stderr
