"""`csv`: one row per finding for spreadsheets and reviewers who triage claims in a table; suppression
notices follow as rows of kind "notice".

Rows are written by `safe.csv_text`: a sentence or file name that starts like a formula ("=", "+", "-",
"@", tab, CR) gets a leading "'" so no spreadsheet runs it (OWASP's advice for CSV injection).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..kb import KnowledgeBase
from ..model import Finding, Notice, Report
from .common import Writer as _Writer, link
from .safe import csv_text

COLUMNS = (
    "path", "line", "column", "end_line", "end_column", "start", "end", "severity", "verdict", "kind", "topic",
    "claim_id", "score", "sentence", "explanation", "fda_status", "evidence_level", "citation_ids",
    "citation_urls", "suggestion", "cues",
)
LIST_SEPARATOR = " | "


def _row(finding: Finding) -> dict[str, object]:
    row = {name: getattr(finding, name) for name in COLUMNS if hasattr(finding, name)}
    row["citation_ids"] = LIST_SEPARATOR.join(c.id for c in finding.citations)
    row["citation_urls"] = LIST_SEPARATOR.join(link(c.url, c.doi) for c in finding.citations)
    row["cues"] = LIST_SEPARATOR.join(finding.cues)
    return row


def _notice_row(notice: Notice) -> dict[str, object]:
    """A notice (a suppression problem, text not in English) as a row of its own: kind "notice", its code as
    the claim id."""
    return {"path": notice.path, "line": notice.line, "column": notice.column, "severity": notice.severity,
            "kind": "notice", "claim_id": notice.code, "explanation": notice.message}


class Writer(_Writer):
    """Every column is a fact the finding already carries."""

    def head(self, report: Report) -> str:
        return ",".join(COLUMNS) + "\n"

    def part(self, report: Report) -> str:
        return _rows(_row(f) for f in report.findings)

    def tail(self, report: Report) -> str:
        return _rows(_notice_row(n) for n in report.notices)


def _rows(rows: Iterable[dict[str, object]]) -> str:
    return csv_text([row.get(name, "") for name in COLUMNS] for row in rows)


def render(report: Report, kb: KnowledgeBase) -> str:
    return Writer(kb).render(report)
