"""`sarif`: SARIF 2.1.0 for code-scanning dashboards (GitHub, GitLab, Azure DevOps) that track results."""

from __future__ import annotations

import json

from ..kb import Claim, KnowledgeBase
from ..model import Finding, Notice, Report, fingerprint
from ..version import __version__
from .common import JsonArray, Writer as _Writer, link, short_message
from .safe import json_text

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
    """A relative URI reference for the path as given, which is what code-scanning uploads expect; a name
    that is not UTF-8 is percent-encoded byte for byte (b"\\xff" is %FF), as URIs carry bytes. Only the
    system's own separator becomes "/": on POSIX a backslash is part of a name (%5C)."""
    import os
    from urllib.parse import quote

    name = path.replace(os.sep, "/")
    try:
        data = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that is no byte of a name (only made-up paths have one)
        data = name.encode("utf-8", "surrogatepass")
    return quote(data, safe="/:")


# Problems with the input itself rather than claims (see suppress.py and langid.py).
NOTICE_RULES = {
    "unused-suppression": "An exocheck-disable comment that suppressed nothing.",
    "suppression-without-reason": "An exocheck-disable comment without a reason after '--'; it was ignored.",
    "unknown-claim-id": "An exocheck-disable comment naming a claim id the knowledge base does not have.",
    "non-english": "Text that is not in English, which exocheck cannot check for claims (see langid.py).",
}
NOTICE_LEVELS = {"non-english": "note"}  # the rest are warnings


def _notice_result(notice: Notice, rule_index: int) -> dict:
    return {
        "ruleId": notice.code, "ruleIndex": rule_index, "level": LEVEL[notice.severity],
        "message": {"text": notice.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(notice.path)},
                                            "region": {"startLine": notice.line, "startColumn": notice.column}}}],
    }


class Writer(_Writer):
    """SARIF written as findings arrive: one result a line, then the rules they used, in order of first use.

    A run lists its results before its tool (JSON objects have no order), so the rules, which are known
    only once every result is, come last and nothing has to be held.
    """

    def __init__(self, kb: KnowledgeBase | None, ascii_only: bool = False) -> None:
        super().__init__(kb, ascii_only)
        self._rules: dict[str, int] = {}  # rule id -> ruleIndex
        self._results = JsonArray("        ")
        self._path: str | None = None
        self._seen: dict[str, int] = {}  # fingerprints given so far in the current file

    def _kb(self) -> KnowledgeBase:
        if self.kb is None:
            raise ValueError("SARIF needs the knowledge base that made the report")
        return self.kb

    def _index(self, rule_id: str) -> int:
        return self._rules.setdefault(rule_id, len(self._rules))

    def _line(self, result: dict) -> str:
        """A result (a finding's path and sentence come from the copy: `safe.json_text` keeps it UTF-8)."""
        return self._results.item(json_text(json.dumps(result, ensure_ascii=self.ascii_only)))

    def head(self, report: Report) -> str:
        kb = {"kb": {"version": report.kb_version, "sha256": report.kb_sha256}}
        # Columns and offsets count characters (code points), as in the JSON contract, not UTF-16 units.
        return ('{\n  "$schema": "' + SCHEMA + '",\n  "version": "2.1.0",\n  "runs": [\n    {\n'
                '      "columnKind": "unicodeCodePoints",\n      "properties": ' + json.dumps(kb) + ',\n'
                '      "results": ')

    def part(self, report: Report) -> str:
        kb = self._kb()
        out = []
        for finding in report.findings:
            if finding.path != self._path:
                self._path, self._seen = finding.path, {}
            out.append(self._line(_result(finding, self._index(finding.claim_id), kb,
                                          fingerprint(finding, self._seen))))
        return "".join(out)

    def tail(self, report: Report) -> str:
        kb = self._kb()
        notices = "".join(self._line(_notice_result(n, self._index(n.code))) for n in report.notices)
        rules = [json.dumps(_rule(rule_id, kb) if rule_id in kb.claims else _notice_rule(rule_id),
                            ensure_ascii=self.ascii_only) for rule_id in self._rules]
        return (notices + self._results.close("      ")
                + ',\n      "tool": {\n        "driver": {\n          "name": "exocheck",\n'
                + '          "version": ' + json.dumps(__version__) + ',\n          "rules": '
                + JsonArray("            ").whole(rules, "          ")
                + "\n        }\n      }\n    }\n  ]\n}\n")


def _notice_rule(code: str) -> dict:
    return {"id": code, "shortDescription": {"text": NOTICE_RULES[code]},
            "defaultConfiguration": {"level": NOTICE_LEVELS.get(code, "warning")}}


def render(report: Report, kb: KnowledgeBase) -> str:
    return Writer(kb).render(report)
