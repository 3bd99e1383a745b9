"""`github`: GitHub Actions workflow commands, which become annotations on the pull request's changed lines."""

from __future__ import annotations

from ..kb import KnowledgeBase
from ..model import Finding, Notice, Report
from .common import Writer as _Writer, link, short_message
from .safe import escape

COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
# GitHub's escaping (actions/toolkit, core/src/command.ts); '%' first so escapes are not escaped again.
_DATA_ESCAPES = (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"))
_PROPERTY_ESCAPES = _DATA_ESCAPES + ((":", "%3A"), (",", "%2C"))


def _escape(value: str, escapes: tuple[tuple[str, str], ...]) -> str:
    """`value` as a workflow command carries it: controls and bidirectional marks from copy or a file name
    shown as escapes (`safe.escape`; line breaks are the protocol's to encode), then GitHub's escaping."""
    value = escape(value, keep="\r\n")
    for char, replacement in escapes:
        value = value.replace(char, replacement)
    return value


def _command(finding: Finding, kb: KnowledgeBase) -> str:
    properties: dict[str, object] = {"file": finding.path, "line": finding.line}
    # GitHub accepts columns only for a single-line range, so a sentence spanning lines is annotated by lines.
    if finding.end_line == finding.line:
        properties.update(col=finding.column, endLine=finding.end_line, endColumn=finding.end_column)
    else:
        properties["endLine"] = finding.end_line
    properties["title"] = f"exocheck: {finding.claim_id} ({finding.verdict})"
    message = f"{short_message(finding, kb)} {finding.explanation}"
    if finding.citations:
        message += " " + link(finding.citations[0].url, finding.citations[0].doi)
    props = ",".join(f"{key}={_escape(str(value), _PROPERTY_ESCAPES)}" for key, value in properties.items())
    return f"::{COMMAND[finding.severity]} {props}::{_escape(message, _DATA_ESCAPES)}"


def _notice_command(notice: Notice) -> str:
    props = ",".join(f"{key}={_escape(str(value), _PROPERTY_ESCAPES)}" for key, value in
                     (("file", notice.path), ("line", notice.line), ("col", notice.column),
                      ("title", f"exocheck: {notice.code}")))
    return f"::{COMMAND[notice.severity]} {props}::{_escape(notice.message, _DATA_ESCAPES)}"


class Writer(_Writer):
    def part(self, report: Report) -> str:
        return "".join(_command(f, self.kb) + "\n" for f in report.findings)

    def tail(self, report: Report) -> str:
        return "".join(_notice_command(n) + "\n" for n in report.notices)


def render(report: Report, kb: KnowledgeBase) -> str:
    return Writer(kb).render(report)
