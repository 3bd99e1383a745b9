"""Helpers several formats share, so every format words a finding and links a source the same way."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import IO, TextIO

from ..kb import MARKER, KnowledgeBase
from ..model import Finding, Notice, Report


class Writer:
    """A format written as findings arrive, so a large lint never holds them all: `head`, then `part` for
    each piece of the report (a file, or a piece of a large one) in order, then `tail` with the totals.
    Written whole, a report gives exactly what it gives written in parts."""

    every_file = False  # whether `part` takes `also`, the files of the part, to list those without findings

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

    def finish(self, stream: TextIO, report: Report) -> None:
        """Write the end to `stream` (what a format whose start waits for the totals overrides)."""
        stream.write(self.tail(report))

    def render(self, report: Report) -> str:
        return self.head(report) + self.part(report) + self.tail(report)


class SpooledWriter(Writer):
    """A format whose start sums up every file (JUnit's counts, the HTML page's summary), written as parts
    arrive all the same: each file's section is written once its last part is in, to a spool (see `spool`),
    and the spool is copied out after the start in `finish`. At most one file's findings are held, so memory
    stays flat however many files a lint reads.

    Parts must come in path order, as a lint makes them; a file's sections are numbered from 1 in that order.
    """

    def __init__(self, kb: KnowledgeBase | None, ascii_only: bool = False) -> None:
        super().__init__(kb, ascii_only)
        self.sections = 0
        self._body: IO[str] | None = None
        self._path: str | None = None

    def part(self, report: Report, also: Iterable[str] = ()) -> str:
        """Take in `report`'s findings and notices, and a section for each path of `also` even without any."""
        by_path: dict[str, tuple[list[Finding], list[Notice]]] = {path: ([], []) for path in also}
        for finding in report.findings:
            by_path.setdefault(finding.path, ([], []))[0].append(finding)
        for notice in report.notices:
            by_path.setdefault(notice.path, ([], []))[1].append(notice)
        for path in sorted(by_path):
            self.add(path, *by_path[path])
        return ""

    def add(self, path: str, findings: list[Finding], notices: list[Notice]) -> None:
        if path != self._path:
            self._end_file()
            self._path = path
            self.sections += 1
        self.take(path, findings, notices)

    def finish(self, stream: TextIO, report: Report) -> None:
        self._end_file()
        stream.write(self.start())
        if self._body is not None:
            copy_out(self._body, stream)
            self._body = None
        stream.write(self.end())

    def render(self, report: Report, also: Iterable[str] = ()) -> str:
        import io

        buffer = io.StringIO()
        self.part(report, also)
        self.finish(buffer, report)
        return buffer.getvalue()

    def take(self, path: str, findings: list[Finding], notices: list[Notice]) -> None:
        """The next findings and notices of the file being read (each part's findings are in order, and come
        after the findings of the parts before)."""
        raise NotImplementedError

    def write_section(self, body: IO[str], number: int, path: str) -> None:
        """Write the section of the file whose findings were taken, `number` in the report."""
        raise NotImplementedError

    def start(self) -> str:
        """What comes before the sections, from what the sections counted."""
        raise NotImplementedError

    def end(self) -> str:
        return ""

    def _end_file(self) -> None:
        if self._path is not None:
            if self._body is None:
                self._body = spool()
            self.write_section(self._body, self.sections, self._path)
            self._path = None


def spool() -> IO[str]:
    """A temporary text file kept in memory up to 8 M characters; it carries text as decoded (line ends,
    lone surrogates) to be copied out unchanged."""
    import tempfile

    return tempfile.SpooledTemporaryFile(8 * 1024 * 1024, mode="w+", encoding="utf-8", errors="surrogatepass",
                                         newline="")


def copy_out(spooled: IO[str], stream: IO[str]) -> None:
    """Write all of a spool to `stream`, and close it."""
    import shutil

    spooled.seek(0)
    shutil.copyfileobj(spooled, stream, 1 << 20)
    spooled.close()


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


def numbered(text: str, source_ids: Sequence[str]) -> str:
    """`text` (an explanation or FDA status) with each citation marker's source ids replaced by their numbers
    in the numbered source list printed with it: "[FDA-2019-PSN, QUEEN-2025-DS]" -> "[1, 2]". The formats for
    people (text, HTML, JUnit, the KB views) print numbers; the ones for machines keep the ids. A marker that
    names a source not in the list is left as written rather than given a wrong number."""
    numbers = {source_id: str(i) for i, source_id in enumerate(source_ids, 1)}

    def number(marker: re.Match[str]) -> str:
        ids = [i.strip() for i in marker.group(1).split(",")]
        if not all(i in numbers for i in ids):
            return marker.group(0)
        return f"[{', '.join(sorted({numbers[i] for i in ids}, key=int))}]"

    return MARKER.sub(number, text)


def link(url: str, doi: str) -> str:
    """A clickable address for a source: its DOI resolver link (the publisher's own, stable page), else its
    URL (which for some articles is only a copy found elsewhere), else ""."""
    return f"https://doi.org/{doi}" if doi else url


def plural(n: int, word: str) -> str:
    """"1 finding", "3 findings": counts in sentences people read."""
    return f"{n} {word}{'' if n == 1 else 's'}"
