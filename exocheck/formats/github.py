"""`github`: GitHub Actions workflow commands, which become annotations on the pull request's changed lines.

GitHub shows only the first ten annotations of each type per step, so every finding also gets a plain log
line (the `concise` line), and `step_summary` gives a Markdown table for the job's summary page
(`$GITHUB_STEP_SUMMARY`, which the command appends it to): nothing is invisible on a pull request with
many findings."""

from __future__ import annotations

from ..kb import KnowledgeBase
from ..model import Finding, Notice, Report
from .common import Writer as _Writer, link, plural, short_message
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


def _log_line(path: str, line: int, column: int, rest: str) -> str:
    """A plain `path:line:col: ...` line, escaped whole; one that GitHub would read as a workflow command
    (a file name starting with "::") gets "./" in front, which names the same file."""
    text = escape(f"{path}:{line}:{column}: {rest}")
    return ("./" + text if text.lstrip().startswith("::") else text) + "\n"


# The summary lists at most this many findings: GitHub refuses a step summary over 1 MiB.
SUMMARY_ROWS = 500


class Writer(_Writer):
    def __init__(self, kb: KnowledgeBase | None, ascii_only: bool = False) -> None:
        super().__init__(kb, ascii_only)
        self._rows: list[str] = []  # the summary table's first SUMMARY_ROWS rows
        self._counts: dict[tuple[str, str], int] = {}  # findings by (verdict, severity)

    def part(self, report: Report) -> str:
        kb = self.kb
        assert kb is not None
        out = []
        for f in report.findings:
            message = short_message(f, kb)
            out.append(_command(f, kb) + "\n"
                       + _log_line(f.path, f.line, f.column, f"{f.severity} [{f.claim_id}] {message}"))
            self._counts[f.verdict, f.severity] = self._counts.get((f.verdict, f.severity), 0) + 1
            if len(self._rows) < SUMMARY_ROWS:
                self._rows.append(_row(f"{f.path}:{f.line}:{f.column}", f.severity, f.claim_id, message))
        return "".join(out)

    def tail(self, report: Report) -> str:
        return "".join(_notice_command(n) + "\n"
                       + _log_line(n.path, n.line, n.column, f"{n.severity} [{n.code}] {n.message}")
                       for n in report.notices)

    def step_summary(self, report: Report) -> str:
        """The Markdown for `$GITHUB_STEP_SUMMARY`: counts by verdict and severity, then a table of the
        findings (the first SUMMARY_ROWS) and the notices."""
        total = sum(self._counts.values())
        lines = [f"## exocheck: {plural(total, 'finding')} in {plural(report.files, 'file')}", ""]
        if self._counts:
            lines += ["| verdict | severity | findings |", "|---|---|---:|"]
            lines += [f"| {verdict} | {severity} | {n} |" for (verdict, severity), n in sorted(self._counts.items())]
            lines += ["", "| where | severity | claim | message |", "|---|---|---|---|", *self._rows]
            if total > len(self._rows):
                lines.append(f"\n{total - len(self._rows)} more findings are in the log.")
        if report.notices:
            lines += ["", "| where | severity | notice | message |", "|---|---|---|---|"]
            lines += [_row(f"{n.path}:{n.line}:{n.column}", n.severity, n.code, n.message) for n in report.notices]
        return "\n".join(lines) + "\n\n"


# What Markdown or HTML would act on in a table cell, backslash-escaped or written as an entity.
_CELL = str.maketrans({"\\": "\\\\", "|": "\\|", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[",
                       "&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _row(*cells: str) -> str:
    """A Markdown table row whose cells stay cells and show as text (controls escaped by `safe.escape`)."""
    return "| " + " | ".join(escape(c).translate(_CELL) for c in cells) + " |"


def render(report: Report, kb: KnowledgeBase) -> str:
    return Writer(kb).render(report)
