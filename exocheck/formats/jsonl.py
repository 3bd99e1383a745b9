"""`jsonl`: the JSON contract's finding objects, one per line, for streaming tools and `jq -c`.

Notices (suppression problems, text not in English) follow the findings, one per line too; they are told apart by their `code` field
(findings have none): `{"path", "line", "column", "code", "message", "severity"}`.
"""

from __future__ import annotations

import json

from ..kb import KnowledgeBase
from ..model import Report
from .common import Writer as _Writer
from .json_format import finding_json
from .safe import json_text


class Writer(_Writer):
    """Each line is exactly a contract finding, which already carries its KB facts."""

    def part(self, report: Report) -> str:
        return "".join(finding_json(f, self.ascii_only) + "\n" for f in report.findings)

    def tail(self, report: Report) -> str:
        return "".join(json_text(json.dumps(n.to_dict(), ensure_ascii=self.ascii_only)) + "\n" for n in report.notices)


def render(report: Report, kb: KnowledgeBase) -> str:
    return Writer(kb).render(report)
