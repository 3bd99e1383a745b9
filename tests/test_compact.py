"""`--format jsonl-compact`: knowledge-base entries and sources written once, findings referring to them;
it expands to exactly the `jsonl` report, and its size grows with the findings, not with their prose."""

from __future__ import annotations

import json

from exocheck.formats import jsonl, jsonl_compact

from conftest import CORPUS, run_cli


def _site(tmp_path, copies: int = 1):
    for i in range(copies):
        for name, text in CORPUS.items():
            path = tmp_path / f"site{i}" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return tmp_path


def test_expands_to_the_jsonl_report(corpus):
    report, _, _ = corpus
    compact = jsonl_compact.render(report)
    expected = [json.loads(line) for line in jsonl.render(report, None).splitlines()]  # type: ignore[arg-type]
    assert list(jsonl_compact.expand(compact.splitlines())) == expected
    assert any("code" in item for item in expected)  # notices come through too


def test_records_in_order_and_each_entry_once(corpus):
    report, _, _ = corpus
    records = [json.loads(line) for line in jsonl_compact.render(report).splitlines()]
    assert records[0]["type"] == "header" and records[0]["kb"]["sha256"] == report.kb_sha256
    assert records[-1] == {"type": "summary", "files": report.files, "sentences": report.sentences,
                           "findings": len(report.findings), "by_verdict": report.by_verdict()}
    seen_sources, seen_entries, path = set(), set(), None
    for record in records:
        if record["type"] == "source":
            assert record["id"] not in seen_sources
            seen_sources.add(record["id"])
        elif record["type"] == "entry":
            key = (record["claim_id"], record["topic"])
            assert key not in seen_entries and set(record["citations"]) <= seen_sources
            seen_entries.add(key)
        elif record["type"] == "page":
            path = record["path"]
        elif record["type"] == "finding":
            assert path is not None and (record["claim_id"], record["topic"]) in seen_entries
            assert set(record) == {"type", "span", "sentence", "severity", "claim_id", "topic", "score", "cues"}


def test_cli_streams_the_same_report_as_one_written_whole(tmp_path):
    _site(tmp_path)
    streamed = run_cli("lint", str(tmp_path), "--format", "jsonl-compact")
    full = run_cli("lint", str(tmp_path), "--format", "jsonl")
    assert streamed.returncode == full.returncode == 1
    lines = streamed.stdout.decode().splitlines()
    assert list(jsonl_compact.expand(lines)) == [json.loads(line) for line in full.stdout.decode().splitlines()]
    baselined = run_cli("lint", str(tmp_path), "--format", "jsonl-compact", "--write-baseline",
                        str(tmp_path / "b.json"))  # collected whole, then written: the same lines
    assert baselined.stdout == streamed.stdout


def test_size_grows_with_findings_not_with_prose(tmp_path):
    def sizes(copies: int) -> tuple[int, int, int]:
        """Bytes of the compact and full reports of `copies` copies of the site, less notices, and findings."""
        site = _site(tmp_path / str(copies), copies)
        compact = run_cli("lint", str(site), "--format", "jsonl-compact").stdout.splitlines(keepends=True)
        full = run_cli("lint", str(site), "--format", "jsonl").stdout.splitlines(keepends=True)
        findings = [line for line in full if b'"code"' not in line]
        return (sum(len(line) for line in compact if b'"type":"notice"' not in line),
                sum(map(len, findings)), len(findings))

    small, large = sizes(5), sizes(25)
    added = large[2] - small[2]
    assert added >= 100
    assert (large[0] - small[0]) / added < 300
    assert (large[1] - small[1]) / added > 1500  # what the full report spends on each
