"""Survey tables researchers can use: per-page rows with denominators, per-domain sums, CSV and Parquet."""

from __future__ import annotations

import csv
import io
import json

import pytest

import exocheck
from exocheck.lint import lint_text
from exocheck.model import Report
from exocheck.survey import (
    DOMAIN_COLUMNS,
    PAGE_COLUMNS,
    domain_of,
    render_csv,
    rows,
    survey,
)

from conftest import run_cli

PAGES = {
    "https://www.clinic.example/hair": "Our exosome serum cures hair loss. It is FDA approved. Book now.",
    "https://clinic.example/about": "We are a clinic in Austin. Our exosome facials are popular.",
    "https://news.example/story": "There are no FDA-approved exosome products.",
    "notes.txt": "We sell shoes.",
}


def _survey():
    checker = exocheck.checker_for()
    parts = [lint_text(checker, text, path, "text", set()) for path, text in PAGES.items()]
    return survey([Report(kb_version=checker.kb.version), *parts], PAGES)


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_domain_is_the_host_without_www():
    assert domain_of("https://www.Clinic.example:8080/a?b") == "clinic.example"
    assert domain_of("http://[::1/") == "" and domain_of("site/page.md") == "" and domain_of("<stdin>") == ""


def test_pages_carry_denominators_claim_ids_and_domain():
    table = {r["path"]: r for r in rows(_survey(), "pages")}
    assert list(next(iter(table.values()))) == list(PAGE_COLUMNS)
    hair = table["https://www.clinic.example/hair"]
    assert (hair["domain"], hair["sentences"], hair["names_product"], hair["findings"]) == ("clinic.example", 3, True, 2)
    assert hair["claim_ids"] == ["fda-approved", "hair-loss-treatment"] and hair["unsupported"] == 1
    about = table["https://clinic.example/about"]  # names a product, makes no claim: the denominator that matters
    assert (about["names_product"], about["findings"], about["claim_ids"]) == (True, 0, [])
    assert (table["notes.txt"]["names_product"], table["notes.txt"]["sentences"]) == (False, 1)


def test_domains_sum_their_pages():
    table = {r["domain"]: r for r in rows(_survey(), "domains")}
    assert list(table) == ["", "clinic.example", "news.example"]
    assert list(table["clinic.example"]) == list(DOMAIN_COLUMNS)
    assert table["clinic.example"] == {
        "domain": "clinic.example", "pages": 2, "pages_naming_product": 2, "pages_with_findings": 1,
        "pages_with_violations": 1, "sentences": 5, "findings": 2, "unsupported": 1, "misleading": 1,
        "accurate": 0, "unverified": 0}
    assert table["news.example"]["accurate"] == 1 and table["news.example"]["pages_with_violations"] == 0


def test_csv_tables_join_lists_with_spaces():
    pages = {r["path"]: r for r in _csv(render_csv(_survey(), "pages"))}
    hair = pages["https://www.clinic.example/hair"]
    assert hair["claim_ids"] == "fda-approved hair-loss-treatment" and hair["names_product"] == "True"
    claims = _csv(render_csv(_survey(), "claims"))
    assert claims[0] == {"claim_id": "fda-approved", "verdict": "misleading", "findings": "1", "pages": "1"}


def test_a_large_file_checked_in_pieces_is_one_page(tmp_path, monkeypatch):
    from exocheck import lint

    monkeypatch.setattr(lint, "STREAM_FROM", 1000)
    monkeypatch.setattr(lint, "PIECE_CHARS", 200)
    text = "Our exosome serum is popular.\n\n" + "We sell shoes and socks.\n\n" * 60 + "Exosomes cure acne.\n"
    (tmp_path / "big.txt").write_text(text, encoding="utf-8")
    checker = exocheck.checker_for()
    parts = [r.report for r in lint.lint_file(checker, tmp_path / "big.txt", lint.Settings())]
    assert len(parts) > 1
    page = rows(survey(parts), "pages")[0]
    whole = lint_text(checker, text, "big.txt", "text", set())
    assert (page["sentences"], page["names_product"], page["findings"]) == (whole.sentences, True, 1)


def test_cli_writes_every_table_in_one_run(tmp_path):
    (tmp_path / "a.md").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("We sell shoes.\n", encoding="utf-8")
    result = run_cli("survey", str(tmp_path), "--tables-dir", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["cells.csv", "claims.csv", "domains.csv",
                                                                    "pages.csv"]
    pages = _csv((tmp_path / "out" / "pages.csv").read_text(encoding="utf-8"))
    assert [(r["sentences"], r["names_product"], r["claim_ids"]) for r in pages] == [
        ("1", "True", "hair-loss-treatment"), ("1", "False", "")]
    single = run_cli("survey", str(tmp_path), "--format", "csv", "--table", "domains")
    assert _csv(single.stdout.decode())[0]["pages"] == "2"
    data = json.loads(run_cli("survey", str(tmp_path), "--format", "json").stdout)
    assert data["summary"]["files_naming_product"] == 1 and data["summary"]["sentences"] == 2


def test_cli_parquet(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    (tmp_path / "a.md").write_text("Exosomes cure hair loss. Our exosome facial is FDA approved.\n", encoding="utf-8")
    result = run_cli("survey", str(tmp_path / "a.md"), "--format", "parquet", "--table", "pages",
                     "--output", str(tmp_path / "pages.parquet"))
    assert result.returncode == 0, result.stderr
    [row] = pq.read_table(tmp_path / "pages.parquet").to_pylist()
    assert row["claim_ids"] == ["fda-approved", "hair-loss-treatment"] and row["names_product"] is True
    assert run_cli("survey", str(tmp_path / "a.md"), "--tables-dir", str(tmp_path / "t"), "--format",
                   "parquet").returncode == 0
    assert pq.read_table(tmp_path / "t" / "domains.parquet").column_names == list(DOMAIN_COLUMNS)


def test_cli_usage_errors(tmp_path):
    (tmp_path / "a.md").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    no_file = run_cli("survey", str(tmp_path), "--format", "parquet")
    assert no_file.returncode == 2 and b"--output FILE or --tables-dir" in no_file.stderr
    text_dir = run_cli("survey", str(tmp_path), "--format", "json", "--tables-dir", str(tmp_path / "t"))
    assert text_dir.returncode == 2 and b"csv or parquet" in text_dir.stderr
