"""Inline suppressions: a reviewed finding silenced in the file itself, always with a written reason.

    <!-- exocheck-disable-next-line fda-approved -- reviewed by legal, 2026-03 -->
    <!-- exocheck-disable better-than, studies-show -- comparison page, reviewed -->  ...  <!-- exocheck-enable -->

In plain text the same words stand on a line of their own. No claim id means every claim. A suppression
without a reason silences nothing; one that silences nothing is reported, so stale ones do not pile up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Finding, Notice
from .segment import LineIndex

_COMMENT = re.compile(r"<!--\s*exocheck-(?P<verb>disable-next-line|disable|enable)\b(?P<args>.*?)-->", re.S)
_LINE = re.compile(
    r"^[ \t]*(?:#|//|;)?[ \t]*exocheck-(?P<verb>disable-next-line|disable|enable)\b(?P<args>[^\r\n]*)$", re.M
)
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass
class _Directive:
    verb: str
    ids: frozenset[str]  # empty: every claim
    reason: str
    start: int
    end: int
    line: int
    column: int
    used: bool = False


def _parse(match: re.Match, lines: LineIndex) -> _Directive:
    args = match.group("args").strip()
    ids_part, _, reason = args.partition("--")
    ids = frozenset(_ID.findall(ids_part.lower()))
    line, column = lines.position(match.start())
    return _Directive(match.group("verb"), ids, reason.strip(), match.start(), match.end(), line, column)


def directives(text: str, kind: str, lines: LineIndex) -> list[_Directive]:
    """Suppression directives in document order: HTML comments in Markdown/HTML, lines in plain text."""
    pattern = _LINE if kind == "text" else _COMMENT
    return [_parse(m, lines) for m in pattern.finditer(text)]


def apply(findings: list[Finding], text: str, kind: str, path: str) -> tuple[list[Finding], list[Notice]]:
    """Drop suppressed findings; report suppressions without a reason and those that matched nothing."""
    lines = LineIndex(text)
    found = directives(text, kind, lines)
    if not found:
        return findings, []
    notices: list[Notice] = []
    active: list[tuple[_Directive, int]] = []  # (directive, end offset of its region)
    for index, directive in enumerate(found):
        if directive.verb == "enable":
            continue
        if not directive.reason:
            notices.append(Notice(path, directive.line, directive.column, "suppression-without-reason",
                                  f"exocheck-{directive.verb} needs a reason after '--'; it was ignored"))
            continue
        if directive.verb == "disable-next-line":
            target = _next_content_line(text, directive.end, lines)
            active.append((directive, target))
        else:
            closing = next((d.start for d in found[index + 1:] if d.verb == "enable"
                            and (not d.ids or not directive.ids or d.ids & directive.ids)), len(text))
            active.append((directive, -closing - 1))  # negative: an offset region, not a line
    kept = []
    for finding in findings:
        suppressor = next((d for d, scope in active if _covers(d, scope, finding)), None)
        if suppressor is None:
            kept.append(finding)
        else:
            suppressor.used = True
    for directive, _ in active:
        if not directive.used:
            which = ", ".join(sorted(directive.ids)) or "any claim"
            notices.append(Notice(path, directive.line, directive.column, "unused-suppression",
                                  f"exocheck-{directive.verb} for {which} suppressed nothing; remove it"))
    return kept, notices


def _covers(directive: _Directive, scope: int, finding: Finding) -> bool:
    if directive.ids and finding.claim_id not in directive.ids:
        return False
    if scope >= 0:  # the line after a disable-next-line
        return finding.line <= scope <= finding.end_line
    return directive.end <= finding.start < -scope - 1


def _next_content_line(text: str, offset: int, lines: LineIndex) -> int:
    """The first line after `offset`'s line that has something other than whitespace."""
    line, _ = lines.position(offset)
    rest = text[offset:]
    newline = re.search(r"\r\n|\r|\n", rest)
    if newline is None:
        return line + 1
    position = offset + newline.end()
    match = re.compile(r"\S").search(text, position)
    return lines.position(match.start())[0] if match else line + 1
