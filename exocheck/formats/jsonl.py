"""`jsonl`: the JSON contract's finding objects, one per line, for streaming tools and `jq -c`.

Suppression notices follow the findings, one per line too; they are told apart by their `code` field
(findings have none): `{"path", "line", "column", "code", "message", "severity"}`.
"""

from __future__ import annotations

import json

from ..kb import KnowledgeBase
from ..model import Report


def render(report: Report, kb: KnowledgeBase) -> str:
    """`kb` is unused: each line is exactly a contract finding, which already carries its KB facts."""
    items = [f.to_dict() for f in report.findings] + [n.to_dict() for n in report.notices]
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
