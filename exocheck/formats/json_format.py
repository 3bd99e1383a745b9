"""`--format json`: the machine-readable contract every other format carries the facts of."""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring, encode_basestring_ascii
from operator import attrgetter

from ..kb import KnowledgeBase
from ..model import Finding, Report
from .common import JsonArray, Writer as _Writer
from .safe import json_text


def document(report: Report) -> dict:
    """The JSON contract as a dict: tool and KB identity, findings in (path, start) order, summary."""
    return report.to_dict()


# The fields a finding shares with every finding of its KB entry and topic: written once per entry.
_SHARED = ("explanation", "fda_status", "evidence_level", "citations", "suggestion")
_OWN = tuple(name for name in Finding.__dataclass_fields__ if name not in _SHARED)
_shared_fields = attrgetter(*_SHARED)
_shared_json: dict[tuple[int, bool], tuple[tuple[object, ...], str]] = {}


def finding_json(finding: Finding, ascii_only: bool = False) -> str:
    """`json.dumps(finding.to_dict())`, several times faster on a large lint.

    The KB facts at the end of a finding (explanation, FDA status, citations) are the same objects for
    every finding of one entry and topic, so their JSON is made once and reused; the memo is keyed on the
    identity of the citations and checks that all the facts are equal, so a finding with other facts
    never gets stale text. Lone surrogates (a file name that is not UTF-8), NEL and the line and
    paragraph separators are written as `\\u` escapes (`safe.json_text`).
    """
    shared = _shared_fields(finding)
    key = (id(finding.citations), ascii_only)
    cached = _shared_json.get(key)
    if cached is None or cached[0] != shared:  # the same objects, as a rule: compared by identity first
        data = finding.to_dict()
        tail = json.dumps({name: data[name] for name in _SHARED}, ensure_ascii=ascii_only)
        cached = (shared, tail[1:])
        if len(_shared_json) < 4096:
            _shared_json[key] = cached
    own = _own_json(finding, encode_basestring_ascii if ascii_only else encode_basestring)
    return json_text(own[:-1]) + ", " + cached[1]


def _own_json(f: Finding, text: Callable[[str], str]) -> str:
    """`json.dumps` of a finding's own fields (`_OWN`, in order), written out: a third of the time."""
    return (  # noqa: UP031 - %-formatting is the fastest way here (the hot path of every JSON finding)
        '{"path": %s, "start": %r, "end": %r, "line": %r, "column": %r, "end_line": %r, "end_column": %r, '
        '"sentence": %s, "verdict": %s, "severity": %s, "kind": %s, "topic": %s, "claim_id": %s, "score": %r, '
        '"cues": [%s]}'
    ) % (text(f.path), f.start, f.end, f.line, f.column, f.end_line, f.end_column, text(f.sentence),
         text(f.verdict), text(f.severity), text(f.kind), text(f.topic), text(f.claim_id), f.score,
         ", ".join(map(text, f.cues)))


class Writer(_Writer):
    """The document with one finding (or notice) per line.

    Indenting every field would make `json.dumps` fall back from its C encoder to pure Python, which on a
    large lint took longer than the checking itself; a line per finding stays readable and diffable.
    """

    def __init__(self, kb: KnowledgeBase | None = None, ascii_only: bool = False) -> None:
        super().__init__(kb, ascii_only)
        self._findings = JsonArray("    ")

    def _dump(self, value: object) -> str:
        return json_text(json.dumps(value, ensure_ascii=self.ascii_only))

    def head(self, report: Report) -> str:
        return '{\n  "exocheck": ' + self._dump(report.identity()) + ',\n  "findings": '

    def part(self, report: Report) -> str:
        return "".join(self._findings.item(finding_json(finding, self.ascii_only)) for finding in report.findings)

    def tail(self, report: Report) -> str:
        notices = JsonArray("    ").whole([self._dump(n.to_dict()) for n in report.notices], "  ")
        return (self._findings.close("  ") + ',\n  "notices": ' + notices
                + ',\n  "summary": ' + self._dump(report.summary()) + "\n}\n")


def render(report: Report, ascii_only: bool = False) -> str:
    return Writer(None, ascii_only).render(report)
