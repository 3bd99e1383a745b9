"""The extra output formats (concise, jsonl, sarif, github, junit, csv) on real findings from the real KB."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import urllib.parse
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

import exocheck
from exocheck import record
from exocheck.formats import concise, csv_format, github, json_format, jsonl, junit, sarif
from exocheck.formats.common import link, numbered, short_message
from exocheck.kb import marker_ids
from exocheck.model import Report

FORMATS = [concise, jsonl, sarif, github, junit, csv_format]
SARIF_SCHEMA = Path(__file__).resolve().parent / "schemas" / "sarif-schema-2.1.0.json"  # vendored: schemas/README.md

MARKETING = "Our exosome facial is FDA approved and has no side effects.\nExosomes cure hair loss."
# A sentence broken over two lines; commas, colons, percent signs and quotes; Cyrillic look-alike letters;
# markup characters; a hedged claim (warning) and an accurate statement (info).
TRICKY = (
    'Our exosome serum, with 100% pure "growth factors": regrows\nhair in weeks.\n'
    "Cyrillic FDA-аpprоvеd exosomes <b>&</b> 'no risk'.\n"
    "Exosomes may help with knee pain.\n"
    "There are no FDA-approved exosome products.\n"
)
TRICKY_PATH = "site, v2: 100%.txt"


@pytest.fixture(scope="module")
def kb():
    return exocheck.load_kb()


@pytest.fixture(scope="module")
def marketing():
    return exocheck.check(MARKETING)


@pytest.fixture(scope="module")
def tricky():
    report = exocheck.check(TRICKY, path=TRICKY_PATH)
    # The cases the formats must cope with are really there.
    assert {f.severity for f in report.findings} == {"error", "warning", "info"}
    assert any(f.end_line > f.line for f in report.findings)
    return report


def test_short_message_is_verdict_and_kb_claim_statement(kb):
    finding = exocheck.check("Exosomes cure hair loss.").findings[0]
    assert short_message(finding, kb) == "unsupported: An exosome product treats hair loss or regrows hair."


# --- concise ---------------------------------------------------------------------------------------

CONCISE_LINE = re.compile(r"^(.+):(\d+):(\d+): (error|warning|info) \[([a-z0-9-]+)\] ([a-z]+): (.+)$")


def test_concise_one_line_per_finding_with_the_right_fields(marketing, tricky, kb):
    for report in (marketing, tricky):
        lines = concise.render(report, kb).splitlines()
        assert len(lines) == len(report.findings)
        for line, finding in zip(lines, report.findings):
            match = CONCISE_LINE.match(line)
            assert match, line
            assert match.groups() == (
                finding.path, str(finding.line), str(finding.column), finding.severity, finding.claim_id,
                finding.verdict, kb.claims[finding.claim_id].claim,
            )
    assert concise.render(marketing, kb).splitlines()[-1] == (
        "<text>:2:1: error [hair-loss-treatment] unsupported: An exosome product treats hair loss or regrows hair."
    )


def test_concise_escapes_newlines_and_tabs_in_every_field(kb):
    report = exocheck.check("Exosomes cure hair loss.", path="dir\tone/a\r\nb.txt")
    assert concise.render(report, kb) == (
        "dir\\tone/a\\r\\nb.txt:1:1: error [hair-loss-treatment] unsupported: "
        "An exosome product treats hair loss or regrows hair.\n"
    )


# --- jsonl -----------------------------------------------------------------------------------------


def test_jsonl_lines_are_the_json_contract_findings(tricky, kb):
    text = jsonl.render(tricky, kb)
    lines = text.splitlines()
    assert text.endswith("\n") and len(lines) == len(tricky.findings)
    assert [json.loads(line) for line in lines] == json_format.document(tricky)["findings"]
    assert "FDA-аpprоvеd" in text  # ensure_ascii=False: the copy's own letters, not \u escapes


# --- sarif -----------------------------------------------------------------------------------------


def _sarif(report, kb) -> dict:
    return json.loads(sarif.render(report, kb))


@pytest.mark.parametrize("text", [MARKETING, TRICKY, ""])
def test_sarif_validates_against_the_schema(text, kb):
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    validator(schema).validate(_sarif(exocheck.check(text, path=TRICKY_PATH), kb))


def test_sarif_results_carry_each_findings_position_and_facts(tricky, kb):
    doc = _sarif(tricky, kb)
    assert doc["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json" and doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    assert run["tool"]["driver"]["name"] == "exocheck"
    assert run["tool"]["driver"]["version"] == exocheck.__version__
    assert "informationUri" not in run["tool"]["driver"]
    assert run["properties"]["kb"] == {"version": kb.version, "sha256": kb.sha256}
    rules = run["tool"]["driver"]["rules"]
    # every rule used, once, in the order of first use (the rules follow the results, which are streamed)
    assert [r["id"] for r in rules] == list(dict.fromkeys(f.claim_id for f in tricky.findings))
    assert len(run["results"]) == len(tricky.findings)
    for result, finding in zip(run["results"], tricky.findings):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.claim_id
        assert result["level"] == {"error": "error", "warning": "warning", "info": "note"}[finding.severity]
        assert result["message"]["text"] == short_message(finding, kb)
        location = result["locations"][0]["physicalLocation"]
        # a relative URI reference: percent-encoded, decoding back to the path as given
        uri = location["artifactLocation"]["uri"]
        assert " " not in uri and "," not in uri and urllib.parse.unquote(uri) == TRICKY_PATH
        region = location["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            finding.line, finding.column, finding.end_line, finding.end_column)
        assert TRICKY[region["charOffset"]:region["charOffset"] + region["charLength"]] == finding.sentence
        assert region["snippet"]["text"] == finding.sentence
        props = result["properties"]
        assert props["verdict"] == finding.verdict and props["score"] == finding.score
        assert props["cues"] == list(finding.cues) and props["suggestion"] == finding.suggestion
        assert props["citations"] == [{"id": c.id, "title": c.title, "url": c.url, "doi": c.doi}
                                      for c in finding.citations]


def test_sarif_rules_describe_the_kb_claims(tricky, kb):
    doc = _sarif(tricky, kb)
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]:
        claim = kb.claims[rule["id"]]
        first = kb.citations(claim)[0]
        assert rule["shortDescription"]["text"] == claim.claim
        assert rule["fullDescription"]["text"] == claim.explanation
        assert rule["helpUri"] == link(first.url, first.doi)
        assert rule["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[
            claim.severity]
        assert rule["properties"]["verdict"] == claim.verdict
        assert rule["properties"]["evidence_level"] == claim.evidence_level
    names = {r["id"]: r["name"] for r in doc["runs"][0]["tool"]["driver"]["rules"]}
    assert names["hair-loss-treatment"] == "HairLossTreatment"


def test_sarif_help_uri_falls_back_to_the_doi(kb):
    first_id = kb.claims["hair-loss-treatment"].sources[0]
    doi_only = record.replace(kb.sources[first_id], url="", doi="10.1000/xyz")
    other_kb = record.replace(kb, sources={**kb.sources, first_id: doi_only})
    (rule,) = _sarif(exocheck.check("Exosomes cure hair loss."), other_kb)["runs"][0]["tool"]["driver"]["rules"]
    assert rule["helpUri"] == "https://doi.org/10.1000/xyz"


def _fingerprints(text: str, kb) -> list[str]:
    results = _sarif(exocheck.check(text, path="page.txt"), kb)["runs"][0]["results"]
    return [r["partialFingerprints"]["exocheck/v1"] for r in results]


def test_sarif_fingerprints_survive_line_shifts_and_tell_duplicates_apart(kb):
    (before,) = _fingerprints("Exosomes cure hair loss.", kb)
    (after,) = _fingerprints("Welcome to our clinic.\n\nExosomes   cure hair loss.", kb)
    assert before == after
    (other,) = _fingerprints("Exosomes cure knee pain.", kb)
    assert other != before
    twice = _fingerprints("Exosomes cure hair loss.\nExosomes cure hair loss.", kb)
    assert twice[0] == before and len(set(twice)) == 2


# --- github ----------------------------------------------------------------------------------------


def _annotations(rendered: str) -> list[str]:
    """The workflow commands of github output, without the plain log line after each."""
    return [line for line in rendered.splitlines() if line.startswith("::")]


def test_github_command_per_finding(marketing, kb):
    rendered = github.render(marketing, kb)
    lines = _annotations(rendered)
    assert len(lines) == len(marketing.findings) == len(rendered.splitlines()) / 2
    finding = marketing.findings[-1]
    assert lines[-1] == (
        "::error file=<text>,line=2,col=1,endLine=2,endColumn=25,"
        "title=exocheck%3A hair-loss-treatment (unsupported)::"
        f"unsupported: An exosome product treats hair loss or regrows hair. {finding.explanation} "
        f"{finding.citations[0].url}"
    )


def test_github_escapes_properties_and_message(kb):
    report = exocheck.check("Exosomes may help with knee pain.", path="dir, v2:\n100%.txt")
    finding = dataclasses.replace(report.findings[0], explanation="Two lines,\r\nfirst: 100% sure.")
    rendered = github.render(Report(findings=[finding]), kb)
    assert rendered.count("\n") == 2 and "\r" not in rendered
    (line,) = _annotations(rendered)
    assert line.startswith("::warning file=dir%2C v2%3A%0A100%25.txt,line=1,col=1,endLine=1,endColumn=34,"
                           "title=exocheck%3A joint-pain-treatment (unsupported)::")
    message = line.rstrip("\n").split("::", 2)[2]
    assert "Two lines,%0D%0Afirst: 100%25 sure." in message  # data keeps ',' and ':' as they are


def test_github_severity_commands_and_multi_line_range(tricky, kb):
    lines = _annotations(github.render(tricky, kb))
    assert [line.split(" ", 1)[0] for line in lines] == [
        {"error": "::error", "warning": "::warning", "info": "::notice"}[f.severity] for f in tricky.findings]
    # A sentence over two lines: GitHub takes columns only within one line, so the range is by lines.
    assert lines[0].startswith("::error file=site%2C v2%3A 100%25.txt,line=1,endLine=2,title=")


# --- junit -----------------------------------------------------------------------------------------


def test_junit_suites_per_path_with_counts(marketing, kb):
    report = exocheck.check("Exosomes may help with knee pain. There are no FDA-approved exosome products.",
                            path="b.txt")
    report.extend(exocheck.check(MARKETING, path="a <&> b.txt"))
    root = ET.fromstring(junit.render(report, kb))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("5", "4")
    suites = root.findall("testsuite")
    assert [s.find("testcase").get("classname") for s in suites] == ["a <&> b.txt", "b.txt"]
    assert [(s.get("name"), s.get("tests"), s.get("failures"), s.get("errors")) for s in suites] == [
        ("a <&> b.txt", "3", "3", "0"), ("b.txt", "2", "1", "0")]  # a suite per file, named after it
    cases = suites[0].findall("testcase")
    assert [c.get("name") for c in cases] == ["fda-approved at 1:1", "no-side-effects at 1:1",
                                             "hair-loss-treatment at 2:1"]
    failure = cases[2].find("failure")
    assert failure.get("type") == "unsupported"
    assert failure.get("message") == "unsupported: An exosome product treats hair loss or regrows hair."
    assert "Exosomes cure hair loss." in failure.text
    # the citation markers are numbered as the sources listed after them
    assert "[1] Public Safety Notification on Exosome Products" in failure.text
    assert numbered(kb.claims["hair-loss-treatment"].explanation, kb.claims["hair-loss-treatment"].sources) in failure.text
    info = suites[1].findall("testcase")[1]
    assert info.find("failure") is None and "accurate: " in info.find("system-out").text


def test_junit_escapes_markup_and_shows_characters_xml_cannot_hold_as_escapes(tricky, kb):
    root = ET.fromstring(junit.render(tricky, kb))
    texts = [f.text for f in root.iter("failure")]
    assert any("Cyrillic FDA-аpprоvеd exosomes <b>&</b> 'no risk'." in t for t in texts)
    assert any('100% pure "growth factors": regrows\nhair' in t for t in texts)
    report = exocheck.check("Exosomes cure alopecia\x0c.", path="form\x0cfeed.txt")
    assert report.findings and "\x0c" in report.findings[0].sentence
    case = ET.fromstring(junit.render(report, kb)).find("testsuite/testcase")
    assert case.get("classname") == "form\\x0cfeed.txt"  # as the text formats show it (formats/safe.py)
    assert "Exosomes cure alopecia\\x0c." in case.find("failure").text


# --- csv -------------------------------------------------------------------------------------------


def test_csv_reads_back_into_the_same_values(tricky, kb):
    text = csv_format.render(tricky, kb)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    assert tuple(reader.fieldnames) == csv_format.COLUMNS
    assert len(rows) == len(tricky.findings)
    for row, finding in zip(rows, tricky.findings):
        data = finding.to_dict()
        for name in ("path", "sentence", "severity", "verdict", "kind", "topic", "claim_id", "explanation",
                     "fda_status", "evidence_level"):
            assert row[name] == data[name], name
        for name in ("line", "column", "end_line", "end_column", "start", "end"):
            assert int(row[name]) == data[name], name
        assert float(row["score"]) == finding.score
        assert row["suggestion"] == (finding.suggestion or "")
        assert row["cues"].split(" | ") == list(finding.cues)
        assert row["citation_ids"].split(" | ") == [c.id for c in finding.citations]
        assert row["citation_urls"].split(" | ") == [link(c.url, c.doi) for c in finding.citations]


# --- every format ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_empty_report(fmt, kb):
    out = fmt.render(Report(), kb)
    if fmt in (concise, jsonl, github):
        assert out == ""
    elif fmt is csv_format:
        assert out == ",".join(csv_format.COLUMNS) + "\n"
    elif fmt is junit:
        root = ET.fromstring(out)
        assert (root.tag, root.attrib, list(root)) == ("testsuites", {"tests": "0", "failures": "0"}, [])
    else:
        run = json.loads(out)["runs"][0]
        assert run["results"] == [] and run["tool"]["driver"]["rules"] == []


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_deterministic(fmt, kb):
    first = fmt.render(exocheck.check(TRICKY, path=TRICKY_PATH), kb)
    second = fmt.render(exocheck.check(TRICKY, path=TRICKY_PATH), kb)
    assert first == second and first.endswith("\n")


def test_a_source_links_to_its_doi_before_any_copy_of_the_article():
    assert link("https://booksci.cn/literature/141968388.htm", "10.1002/der2.242") == "https://doi.org/10.1002/der2.242"
    assert link("https://www.fda.gov/x", "") == "https://www.fda.gov/x"
    assert link("", "10.1/y") == "https://doi.org/10.1/y"
    assert link("", "") == ""


# --- citation markers ---------------------------------------------------------------------------------


def test_markers_are_numbered_as_the_source_list_in_text_and_kept_as_ids_in_json(marketing):
    from exocheck.formats.text import render_plain

    finding = next(f for f in marketing.findings if f.claim_id == "hair-loss-treatment")
    assert [c.id for c in finding.citations] == ["FDA-2019-PSN", "QUEEN-2025-DS", "GUPTA-2023-JCD"]
    text = render_plain(marketing)
    assert "  FDA status: No exosome product is FDA-approved for hair loss or any other use [1].\n" in text
    assert "well-designed trials [2, 3]. At least ten" in text and "[QUEEN-2025-DS]" not in text
    data = json.loads(json_format.render(marketing))
    [entry] = [f for f in data["findings"] if f["claim_id"] == "hair-loss-treatment"]
    assert entry["fda_status"].endswith("or any other use [FDA-2019-PSN].")
    assert "trials [QUEEN-2025-DS, GUPTA-2023-JCD]." in entry["explanation"]
    assert set(marker_ids(entry["explanation"])) <= {c["id"] for c in entry["citations"]}


def test_numbered_keeps_what_is_not_a_listed_source():
    assert numbered("Approved by none [A]. See [B, A]. Odd [C].", ["A", "B"]) == "Approved by none [1]. See [1, 2]. Odd [C]."
    assert numbered("No markers here.", []) == "No markers here."
