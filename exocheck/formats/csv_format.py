"""`csv`: one row per finding for spreadsheets and reviewers who triage claims in a table."""

from __future__ import annotations

from ..kb import KnowledgeBase
from ..model import Finding, Report
from .common import link

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


def render(report: Report, kb: KnowledgeBase) -> str:
    """`kb` is unused: every column is a fact the finding already carries."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_row(f) for f in report.findings)
    return out.getvalue()
