"""`--format text`: findings for a person to read, in colour on a terminal and plain everywhere else.

Each finding is built once as lines of (text, style) segments; the plain renderer drops the styles and
the rich renderer (imported only when colour is wanted) applies them, so both always say the same thing.
"""

from __future__ import annotations

from typing import TextIO

from ..kb import KnowledgeBase
from ..model import Finding, Report
from .common import Writer as _Writer, link, numbered

Segment = tuple[str, str]
VERDICT_STYLE = {
    "unsupported": "bold red", "misleading": "bold dark_orange", "accurate": "bold green",
    "unverified": "bold magenta",
}
SEVERITY_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}


def _citation(number: int, finding: Finding, index: int) -> str:
    c = finding.citations[index]
    parts = [c.title.rstrip(".") + "."]
    details = ", ".join(p for p in (c.publisher, c.date) if p)
    if details:  # a source may have neither (a record whose journal is not known)
        parts.append(details + ".")
    address = link(c.url, c.doi)
    if address:
        parts.append(address)
    return f"[{number}] " + " ".join(parts)


def finding_lines(finding: Finding) -> list[list[Segment]]:
    """The lines describing one finding: location and verdict, the sentence, why, FDA status, sources."""
    lines: list[list[Segment]] = [[
        (f"{finding.path}:{finding.line}:{finding.column}", "bold"), (": ", ""),
        (finding.verdict, VERDICT_STYLE.get(finding.verdict, "bold")), (" ", ""),
        (f"({finding.severity})", SEVERITY_STYLE.get(finding.severity, "")), (" ", ""),
        (f"[{finding.claim_id}]", "dim"), (f"  topic: {finding.topic}  score: {finding.score:.2f}", "dim"),
    ]]
    lines.append([("  > ", "dim"), (" ".join(finding.sentence.split()), "italic")])
    ids = [c.id for c in finding.citations]
    lines.append([("  Why: ", "bold"), (numbered(finding.explanation, ids), "")])
    lines.append([("  FDA status: ", "bold"), (numbered(finding.fda_status, ids), "")])
    lines.append([("  Evidence: ", "bold"), (finding.evidence_level, "")])
    if finding.cues:
        lines.append([("  Matched: ", "bold"), (", ".join(finding.cues), "dim")])
    if finding.citations:
        lines.append([("  Sources:", "bold")])
        for i in range(len(finding.citations)):
            lines.append([("    " + _citation(i + 1, finding, i), "")])
    if finding.suggestion and finding.verdict != "accurate":
        lines.append([("  Instead, say: ", "bold green"), (finding.suggestion, "")])
    return lines


def summary_segments(report: Report) -> list[Segment]:
    sentences = f"{report.sentences} sentence{'s' if report.sentences != 1 else ''}"
    files = f" in {report.files} files" if report.files > 1 else ""
    count = report.finding_count()
    if not count:
        return [(f"No checkable claims found in {sentences}{files}.", "bold")]
    segments: list[Segment] = [(f"{count} finding{'s' if count != 1 else ''} in {sentences}{files}: ", "bold")]
    for i, (verdict, n) in enumerate(report.by_verdict().items()):
        if i:
            segments.append((", ", ""))
        segments.append((f"{n} {verdict}", VERDICT_STYLE.get(verdict, "")))
    return segments


def _part_lines(report: Report) -> list[list[Segment]]:
    lines: list[list[Segment]] = []
    for finding in report.findings:
        lines.extend(finding_lines(finding))
        lines.append([])
    return lines


def _tail_lines(report: Report) -> list[list[Segment]]:
    """Every notice, then the summary: after the findings, where a reader of a long report looks last."""
    lines: list[list[Segment]] = []
    for notice in report.notices:
        lines.append([(f"{notice.path}:{notice.line}:{notice.column}", "bold"), (": ", ""),
                      (f"{notice.severity} [{notice.code}] ", SEVERITY_STYLE.get(notice.severity, "")),
                      (notice.message, "")])
    if report.notices:
        lines.append([])
    lines.append(summary_segments(report))
    return lines


def _plain(lines: list[list[Segment]]) -> str:
    return "".join("".join(text for text, _ in line) + "\n" for line in lines)


class Writer(_Writer):
    def part(self, report: Report) -> str:
        return _plain(_part_lines(report))

    def tail(self, report: Report) -> str:
        return _plain(_tail_lines(report))


class ColorWriter(_Writer):
    """Prints with colours through rich as it goes (every method returns ""); rich is imported here so
    plain output never pays for it."""

    def __init__(self, kb: KnowledgeBase | None, stream: TextIO) -> None:
        super().__init__(kb)
        from rich.console import Console

        # The caller decided colour is wanted (a terminal, or --color), so rich must not second-guess it.
        self._console = Console(file=stream, highlight=False, soft_wrap=False, force_terminal=True, no_color=False)

    def _print(self, lines: list[list[Segment]]) -> str:
        from rich.text import Text

        for line in lines:
            self._console.print(Text.assemble(*line) if line else "")
        return ""

    def part(self, report: Report) -> str:
        return self._print(_part_lines(report))

    def tail(self, report: Report) -> str:
        return self._print(_tail_lines(report))


def render_plain(report: Report) -> str:
    return Writer(None).render(report)
