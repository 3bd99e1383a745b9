"""`concise`: one grep-able line per finding, in the `path:line:col:` shape editors and CI logs understand.

Each line is escaped whole (`safe.escape`), so nothing in a file name or a notice can split it or reach
the terminal."""

from __future__ import annotations

from ..kb import KnowledgeBase
from ..model import Report
from .common import Writer as _Writer, short_message
from .safe import escape


class Writer(_Writer):
    def part(self, report: Report) -> str:
        if not report.findings:
            return ""
        kb = self.kb
        assert kb is not None, "concise needs the knowledge base that made the report"
        return "".join(
            escape(f"{f.path}:{f.line}:{f.column}: {f.severity} [{f.claim_id}] {short_message(f, kb)}")
            + "\n" for f in report.findings
        )

    def tail(self, report: Report) -> str:
        return "".join(escape(f"{n.path}:{n.line}:{n.column}: {n.severity} [{n.code}] {n.message}") + "\n"
                       for n in report.notices)


def render(report: Report, kb: KnowledgeBase) -> str:
    return Writer(kb).render(report)
