"""`concise`: one grep-able line per finding, in the `path:line:col:` shape editors and CI logs understand."""

from __future__ import annotations

from ..kb import KnowledgeBase
from ..model import Report
from .common import Writer as _Writer, short_message

# Escaped so that text from the checked copy can never split a finding over two lines.
_ESCAPES = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


class Writer(_Writer):
    def part(self, report: Report) -> str:
        return "".join(
            f"{f.path}:{f.line}:{f.column}: {f.severity} [{f.claim_id}] {short_message(f, self.kb)}".translate(_ESCAPES)
            + "\n" for f in report.findings
        )

    def tail(self, report: Report) -> str:
        return "".join(f"{n.path}:{n.line}:{n.column}: {n.severity} [{n.code}] {n.message}".translate(_ESCAPES) + "\n"
                       for n in report.notices)


def render(report: Report, kb: KnowledgeBase) -> str:
    return Writer(kb).render(report)
