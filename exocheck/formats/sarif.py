"""`sarif`: SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps) that track results."""

from __future__ import annotations

import json

from .. import __version__
from ..kb import Claim, KnowledgeBase
from ..model import Finding, Notice, Report, fingerprints
from .common import link, short_message

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "exocheck/v1"


def _rule(claim_id: str, kb: KnowledgeBase) -> dict:
    claim: Claim = kb.claims[claim_id]
    rule: dict = {
        "id": claim_id, "name": "".join(part.capitalize() for part in claim_id.split("-")),
        "shortDescription": {"text": claim.claim}, "fullDescription": {"text": claim.explanation},
    }
    sources = kb.citations(claim)
    help_uri = link(sources[0].url, sources[0].doi) if sources else ""
    if help_uri:
        rule["helpUri"] = help_uri
    rule["defaultConfiguration"] = {"level": LEVEL[claim.severity]}
    rule["properties"] = {
        "kind": claim.kind, "topic": claim.topic, "verdict": claim.verdict,
        "evidence_level": claim.evidence_level, "tags": list(dict.fromkeys((claim.kind, claim.topic, claim.verdict))),
    }
    return rule


def _result(finding: Finding, rule_index: int, kb: KnowledgeBase, fingerprint: str) -> dict:
    return {
        "ruleId": finding.claim_id,
        "ruleIndex": rule_index,
        "level": LEVEL[finding.severity],
        "message": {"text": short_message(finding, kb)},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": _uri(finding.path)},
            "region": {
                "startLine": finding.line, "startColumn": finding.column,
                "endLine": finding.end_line, "endColumn": finding.end_column,
                "charOffset": finding.start, "charLength": finding.end - finding.start,
                "snippet": {"text": finding.sentence},
            },
        }}],
        "partialFingerprints": {FINGERPRINT: fingerprint},
        "properties": {
            "verdict": finding.verdict, "kind": finding.kind, "topic": finding.topic, "score": finding.score,
            "cues": list(finding.cues), "fda_status": finding.fda_status, "evidence_level": finding.evidence_level,
            "citations": [{"id": c.id, "title": c.title, "url": c.url, "doi": c.doi} for c in finding.citations],
            "suggestion": finding.suggestion,
        },
    }


def _uri(path: str) -> str:
    """A relative URI reference for the path as given, which is what code-scanning uploads expect."""
    from urllib.parse import quote

    return quote(path.replace("\\", "/"), safe="/:")


# Problems with the input itself rather than claims (see suppress.py).
NOTICE_RULES = {
    "unused-suppression": "An exocheck-disable comment that suppressed nothing.",
    "suppression-without-reason": "An exocheck-disable comment without a reason after '--'; it was ignored.",
    "unknown-claim-id": "An exocheck-disable comment naming a claim id the knowledge base does not have.",
}


def _notice_result(notice: Notice, rule_index: int) -> dict:
    return {
        "ruleId": notice.code, "ruleIndex": rule_index, "level": LEVEL[notice.severity],
        "message": {"text": notice.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(notice.path)},
                                            "region": {"startLine": notice.line, "startColumn": notice.column}}}],
    }


def render(report: Report, kb: KnowledgeBase) -> str:
    rule_ids = sorted({f.claim_id for f in report.findings})
    notice_codes = sorted({n.code for n in report.notices})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids + notice_codes)}
    prints = fingerprints(report.findings)
    results = [_result(f, index[f.claim_id], kb, fp) for f, fp in zip(report.findings, prints)]
    results += [_notice_result(n, index[n.code]) for n in report.notices]
    rules = [_rule(r, kb) for r in rule_ids] + [
        {"id": code, "shortDescription": {"text": NOTICE_RULES[code]}, "defaultConfiguration": {"level": "warning"}}
        for code in notice_codes
    ]
    run = {
        "tool": {"driver": {"name": "exocheck", "version": __version__, "rules": rules}},
        # Columns and offsets count characters (code points), as in the JSON contract, not UTF-16 units.
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"kb": {"version": kb.version, "sha256": kb.sha256}},
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
