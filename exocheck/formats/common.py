"""Helpers several formats share, so every format words a finding and links a source the same way."""

from __future__ import annotations

from ..kb import KnowledgeBase
from ..model import Finding, Report


class Writer:
    """A format written as findings arrive, so a large lint never holds them all: `head`, then `part` for
    each piece of the report (a file, or a piece of a large one) in order, then `tail` with the totals.
    Written whole, a report gives exactly what it gives written in parts."""

    def __init__(self, kb: KnowledgeBase | None, ascii_only: bool = False) -> None:
        """`kb` is the knowledge base that made the report; the formats whose findings carry all they print
        (text, json, jsonl, csv) take None."""
        self.kb = kb
        self.ascii_only = ascii_only

    def head(self, report: Report) -> str:
        """The start, from the report's KB identity (nothing of its findings is needed yet)."""
        return ""

    def part(self, report: Report) -> str:
        raise NotImplementedError

    def tail(self, report: Report) -> str:
        """The end, from the totals: counts (`Report.finding_count`, `by_verdict`) and every notice (notices
        are few, so every format lists them after all findings)."""
        return ""

    def render(self, report: Report) -> str:
        return self.head(report) + self.part(report) + self.tail(report)


class JsonArray:
    """A JSON array written an element at a time, one element a line at `indent`: what the json and SARIF
    writers stream their findings into."""

    def __init__(self, indent: str) -> None:
        self.indent = indent
        self.count = 0

    def item(self, text: str) -> str:
        self.count += 1
        return ("[\n" if self.count == 1 else ",\n") + self.indent + text

    def close(self, indent: str) -> str:
        """The end of the array, its "]" at `indent` (the indent of the line that opened it)."""
        return "\n" + indent + "]" if self.count else "[]"

    def whole(self, texts: list[str], indent: str) -> str:
        """An array written at once."""
        return "".join(self.item(text) for text in texts) + self.close(indent)


def short_message(finding: Finding, kb: KnowledgeBase) -> str:
    """The line every format leads with, "<verdict>: <KB claim statement>", worded the same everywhere.

    `kb` must be the knowledge base that made the report (a KeyError otherwise, rather than a made-up message).
    """
    return f"{finding.verdict}: {kb.claims[finding.claim_id].claim}"


def link(url: str, doi: str) -> str:
    """A clickable address for a source: its DOI resolver link (the publisher's own, stable page), else its
    URL (which for some articles is only a copy found elsewhere), else ""."""
    return f"https://doi.org/{doi}" if doi else url


def plural(n: int, word: str) -> str:
    """"1 finding", "3 findings": counts in sentences people read."""
    return f"{n} {word}{'' if n == 1 else 's'}"
