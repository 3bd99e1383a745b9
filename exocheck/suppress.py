"""Inline suppressions: a reviewed finding silenced in the file itself, always with a written reason.

    <!-- exocheck-disable-next-line fda-approved -- reviewed by legal, 2026-03 -->
    Our FDA-approved clinic. <!-- exocheck-disable-line fda-approved -- quoting a complaint, reviewed -->
    <!-- exocheck-disable better-than, studies-show -- comparison page, reviewed -->  ...  <!-- exocheck-enable -->
    <!-- exocheck-disable-file studies-show -- a literature review, reviewed -->

In MDX, where an HTML comment is a syntax error, the same words are a JSX comment (an HTML comment works too):

    {/* exocheck-disable-next-line fda-approved -- reviewed by legal, 2026-03 */}

In plain text the same words stand on a line of their own, except `exocheck-disable-line`, which ends the
line it covers. No claim id means every claim. A suppression without a reason silences nothing; one that
silences nothing is reported, so stale ones do not pile up. The verbs are those of markdownlint and eslint.
"""

from __future__ import annotations

import re

from .model import Finding, Hidden, Notice
from .patterns import LazyPattern
from .record import Record
from .segment import LineIndex

# Both patterns are linear: the reason is bounded (an unclosed "<!-- exocheck-disable" would otherwise be
# rescanned to the end of the file once per directive), and the optional comment marker has no blanks of
# its own to trade with the indentation (two adjacent "[ \t]*" backtrack quadratically on a line of tabs).
# Longer verbs first: "\b" also ends "disable" in "disable-line".
_VERBS = r"(?P<verb>disable-next-line|disable-line|disable-file|disable|enable)"


_comment = LazyPattern(rf"<!--\s*exocheck-{_VERBS}\b(?P<args>.{{0,2000}}?)-->", re.DOTALL)

# MDX: a JSX comment, "{/* ... */}", blanks allowed around the braces as MDX allows them.
_jsx_comment = LazyPattern(rf"\{{\s*/\*\s*exocheck-{_VERBS}\b(?P<args>.{{0,2000}}?)\*/\s*\}}", re.DOTALL)


# A line starts after "\n" or a lone "\r" (old Mac files); re.M's "^" knows only "\n".
_LINE = re.compile(
    rf"(?:\A|(?<=[\r\n]))[ \t]*(?:(?:#|//|;)[ \t]*)?exocheck-{_VERBS}\b(?P<args>[^\r\n]*)"
)
# Plain text: a disable-line ends the copy it covers, after a blank (and a comment marker, if any).
_TRAILING = re.compile(r"[ \t](?:(?:#|//|;)[ \t]*)?exocheck-(?P<verb>disable-line)\b(?P<args>[^\r\n]*)")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_CONTENT = re.compile(r"\S")


class _Directive(Record):
    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "verb", "ids", "reason", "start", "end", "line", "column", "used",
    )

    verb: str
    ids: frozenset[str]  # empty: every claim
    reason: str
    start: int
    end: int
    line: int
    column: int
    used: bool

    def __init__(self, verb: str, ids: frozenset[str], reason: str, start: int, end: int, line: int, column: int,
                 used: bool = False) -> None:
        self.verb = verb
        self.ids = ids
        self.reason = reason
        self.start = start
        self.end = end
        self.line = line
        self.column = column
        self.used = used


def _parse(match: re.Match, lines: LineIndex) -> _Directive:
    args = match.group("args").strip()
    ids_part, _, reason = args.partition("--")
    ids = frozenset(_ID.findall(ids_part.lower()))
    line, column = lines.position(match.start())
    return _Directive(match.group("verb"), ids, reason.strip(), match.start(), match.end(), line, column)


def directives(text: str, kind: str, lines: LineIndex) -> list[_Directive]:
    """Suppression directives in document order: HTML comments in Markdown/HTML, and JSX comments too in MDX;
    in plain text, lines of their own and disable-line directives ending a line (unless they are part of a
    line of their own)."""
    if kind == "mdx":
        found = [*_comment().finditer(text), *_jsx_comment().finditer(text)]
        return [_parse(m, lines) for m in sorted(found, key=lambda m: m.start())]
    if kind != "text":
        return [_parse(m, lines) for m in _comment().finditer(text)]
    found = list(_LINE.finditer(text))
    own_lines = {lines.position(m.start())[0] for m in found}
    found += [m for m in _TRAILING.finditer(text) if lines.position(m.start())[0] not in own_lines]
    return [_parse(m, lines) for m in sorted(found, key=lambda m: m.start())]


def without_directives(text: str) -> str:
    """Plain text with its directives blanked (same length): they are instructions, not copy."""
    if "exocheck-" not in text:
        return text
    blank = _LINE.sub(lambda m: " " * len(m.group()), text)
    return _TRAILING.sub(lambda m: " " * len(m.group()), blank)


def apply(findings: list[Finding], text: str, kind: str, path: str,
          known_ids: frozenset[str] | None = None,
          hidden: list[Hidden] | None = None) -> tuple[list[Finding], list[Notice]]:
    """Drop suppressed findings (each added to `hidden`, when given, with its directive's reason); report suppressions without a reason, naming a claim id the knowledge
    base does not have (`known_ids`, when given: a typo would otherwise silence nothing), or matching nothing.

    A finding is silenced by the first directive, in document order, that covers it. Directives are
    indexed (next-line ones by the line they cover, regions by claim id) so a page with thousands of
    them takes linear time, not directives x findings.
    """
    if "exocheck-" not in text:  # in every directive: most pages have none, and need no line index
        return findings, []
    lines = LineIndex(text)
    found = directives(text, kind, lines)
    if not found:
        return findings, []
    notices: list[Notice] = []
    active: list[_Directive] = []
    by_line: dict[int, list[_Directive]] = {}  # disable-next-line and disable-line, by the line they cover
    regions: dict[str, list[tuple[_Directive, int, int]]] = {}  # disable(-file), by claim id ("" for every claim)
    for directive, closing in zip(found, _closings(found, len(text))):
        if directive.verb == "enable":
            continue
        if not directive.reason:
            notices.append(Notice(path, directive.line, directive.column, "suppression-without-reason",
                                  f"exocheck-{directive.verb} needs a reason after '--'; it was ignored"))
            continue
        unknown = sorted(directive.ids - known_ids) if known_ids is not None else []
        if unknown:
            notices.append(Notice(path, directive.line, directive.column, "unknown-claim-id",
                                  f"exocheck-{directive.verb} names unknown claim id(s): {', '.join(unknown)}; "
                                  "`exocheck kb list` shows the ids"))
            if len(unknown) == len(directive.ids):
                continue  # nothing left it could suppress; one notice is enough
        active.append(directive)
        if directive.verb == "disable-next-line":
            by_line.setdefault(_next_content_line(text, directive.end, lines), []).append(directive)
        elif directive.verb == "disable-line":
            by_line.setdefault(directive.line, []).append(directive)
        else:  # a file-wide one covers the whole text, before it too, whatever enables follow
            opening, closing = (0, len(text)) if directive.verb == "disable-file" else (directive.end, closing)
            for claim_id in directive.ids or {""}:
                regions.setdefault(claim_id, []).append((directive, opening, closing))
    kept = []
    for finding in findings:
        covering = [d for line in range(finding.line, finding.end_line + 1) for d in by_line.get(line, ())
                    if not d.ids or finding.claim_id in d.ids]
        covering += [d for claim_id in ("", finding.claim_id) for d, opening, closing in regions.get(claim_id, ())
                     if opening <= finding.start < closing]
        if covering:
            silencer = min(covering, key=lambda d: d.start)
            silencer.used = True
            if hidden is not None:
                hidden.append(Hidden(finding, "suppressed", f"exocheck-{silencer.verb} on line {silencer.line}: "
                                                            f"{silencer.reason}"))
        else:
            kept.append(finding)
    for directive in active:
        if not directive.used:
            which = ", ".join(sorted(directive.ids)) or "any claim"
            notices.append(Notice(path, directive.line, directive.column, "unused-suppression",
                                  f"exocheck-{directive.verb} for {which} suppressed nothing; remove it"))
    return kept, notices


def _closings(found: list[_Directive], size: int) -> list[int]:
    """For each directive, where the region it would open ends: the next enable for any of its ids (or
    for every claim), else the end of the text. One backward pass instead of a scan per directive."""
    closings = [size] * len(found)
    any_enable = size  # the next enable without ids, which closes every region
    by_id: dict[str, int] = {}  # the next enable naming each id
    for index in range(len(found) - 1, -1, -1):
        directive = found[index]
        if directive.ids:
            closings[index] = min([any_enable, *(by_id.get(i, size) for i in directive.ids)])
        else:  # a region for every claim closes at any enable
            closings[index] = min([any_enable, *by_id.values()])
        if directive.verb == "enable":
            if directive.ids:
                by_id.update(dict.fromkeys(directive.ids, directive.start))
            else:
                any_enable = directive.start
    return closings


def _next_content_line(text: str, offset: int, lines: LineIndex) -> int:
    """The first line after `offset`'s line that has something other than whitespace."""
    line, _ = lines.position(offset)
    newline = _NEWLINE.search(text, offset)  # searched in place: a copy of the rest per directive is quadratic
    if newline is None:
        return line + 1
    match = _CONTENT.search(text, newline.end())
    return lines.position(match.start())[0] if match else line + 1
