"""`jsonl-compact`: JSON Lines for large runs, whose size grows with the findings, not with their prose.

A finding in `json` or `jsonl` repeats its knowledge-base facts (explanation, FDA status, citations,
rewording): about 2 KB a finding, so a crawl's report was many times the size of the crawl. Here a finding
names its entry by (claim_id, topic), and each entry and each source is written once, on the line before
the first finding that needs it. Every line is an object with a "type":

- `header`: `{"type": "header", "format": "exocheck-jsonl-compact", "schema": 1, "exocheck": VERSION,
  "kb": {"version", "sha256"}}`, the first line;
- `source`: `{"type": "source", "id", "title", "publisher", "date", "url", "doi"}`;
- `entry`: `{"type": "entry", "claim_id", "topic", "verdict", "kind", "explanation", "fda_status",
  "evidence_level", "citations": [source ids], "suggestion"}`;
- `page`: `{"type": "page", "path"}`, before the first finding of each path: the findings after it are its;
- `finding`: `{"type": "finding", "span": [start, end, line, column, end_line, end_column], "sentence",
  "severity", "claim_id", "topic", "score", "cues"}` (the positions as in the JSON contract);
- `notice`: `{"type": "notice", "path", "line", "column", "code", "message", "severity"}`, after the findings;
- `summary`: `{"type": "summary", "files", "sentences", "findings", "by_verdict"}`, the last line.

`expand` turns the lines back into the `jsonl` format's objects: a finding with its entry's fields is
exactly the JSON contract's finding.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from ..model import Finding, Report
from ..version import __version__
from .common import Writer as _Writer

SCHEMA = 1
_ENTRY_FIELDS = ("verdict", "kind", "explanation", "fda_status", "evidence_level")
_SPAN = ("start", "end", "line", "column", "end_line", "end_column")


class Writer(_Writer):
    """Remembers which entries and sources it has written, so each is written once per report, and the path of
    the last finding, so a path is written once for its findings."""

    def __init__(self, kb: object = None, ascii_only: bool = False) -> None:
        super().__init__(None, ascii_only)
        self._entries: set[tuple[str, str]] = set()
        self._sources: set[str] = set()
        self._path: str | None = None

    def _line(self, record: dict[str, object]) -> str:
        return json.dumps(record, ensure_ascii=self.ascii_only, separators=(",", ":")) + "\n"

    def head(self, report: Report) -> str:
        return self._line({"type": "header", "format": "exocheck-jsonl-compact", "schema": SCHEMA,
                           "exocheck": __version__, "kb": {"version": report.kb_version, "sha256": report.kb_sha256}})

    def part(self, report: Report) -> str:
        return "".join(self._finding(f) for f in report.findings)

    def _finding(self, f: Finding) -> str:
        lines = []
        key = (f.claim_id, f.topic)
        if key not in self._entries:
            self._entries.add(key)
            for c in f.citations:
                if c.id not in self._sources:
                    self._sources.add(c.id)
                    lines.append(self._line({"type": "source", "id": c.id, "title": c.title, "publisher": c.publisher,
                                             "date": c.date, "url": c.url, "doi": c.doi}))
            lines.append(self._line({"type": "entry", "claim_id": f.claim_id, "topic": f.topic,
                                     **{name: getattr(f, name) for name in _ENTRY_FIELDS},
                                     "citations": [c.id for c in f.citations], "suggestion": f.suggestion}))
        if f.path != self._path:
            self._path = f.path
            lines.append(self._line({"type": "page", "path": f.path}))
        lines.append(self._line({
            "type": "finding", "span": [f.start, f.end, f.line, f.column, f.end_line, f.end_column],
            "sentence": f.sentence, "severity": f.severity, "claim_id": f.claim_id, "topic": f.topic,
            "score": f.score, "cues": list(f.cues)}))
        return "".join(lines)

    def tail(self, report: Report) -> str:
        notices = "".join(self._line({"type": "notice", **n.to_dict()}) for n in report.notices)
        return notices + self._line({"type": "summary", "files": report.files, "sentences": report.sentences,
                                     "findings": report.finding_count(), "by_verdict": report.by_verdict()})


def expand(lines: Iterable[str]) -> Iterator[dict]:
    """The findings and notices of a compact report as the `jsonl` format writes them (findings as the JSON
    contract's finding objects, notices with their `code`), in order; header and summary are left out."""
    sources: dict[str, dict] = {}
    entries: dict[tuple[str, str], dict] = {}
    path = ""
    for line in lines:
        record = json.loads(line)
        kind = record.pop("type")
        if kind == "page":
            path = record["path"]
        elif kind == "source":
            sources[record["id"]] = record
        elif kind == "entry":
            entries[(record["claim_id"], record["topic"])] = record
        elif kind == "notice":
            yield record
        elif kind == "finding":
            entry = entries[(record["claim_id"], record["topic"])]
            yield {
                "path": path, **dict(zip(_SPAN, record["span"])), "sentence": record["sentence"],
                "verdict": entry["verdict"], "severity": record["severity"], "kind": entry["kind"],
                "topic": record["topic"], "claim_id": record["claim_id"], "score": record["score"],
                "cues": record["cues"], "explanation": entry["explanation"], "fda_status": entry["fda_status"],
                "evidence_level": entry["evidence_level"],
                "citations": [sources[i] for i in entry["citations"]], "suggestion": entry["suggestion"],
            }


def render(report: Report) -> str:
    return Writer().render(report)
