"""`concise`: one grep-able line per finding, in the `path:line:col:` shape editors and CI logs understand."""

from __future__ import annotations

from ..kb import KnowledgeBase
from ..model import Report
from .common import short_message

# Escaped so that text from the checked copy can never split a finding over two lines.
_ESCAPES = str.maketrans({"\n": "\\n", "\r": "\\r", "\t": "\\t"})


def render(report: Report, kb: KnowledgeBase) -> str:
    lines = [
        f"{f.path}:{f.line}:{f.column}: {f.severity} [{f.claim_id}] {short_message(f, kb)}".translate(_ESCAPES)
        for f in report.findings
    ]
    lines += [f"{n.path}:{n.line}:{n.column}: {n.severity} [{n.code}] {n.message}".translate(_ESCAPES)
              for n in report.notices]
    return "".join(line + "\n" for line in lines)
