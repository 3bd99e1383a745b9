"""`jsonl`: the JSON contract's finding objects, one per line, for streaming tools and `jq -c`."""

from __future__ import annotations

import json

from ..kb import KnowledgeBase
from ..model import Report


def render(report: Report, kb: KnowledgeBase) -> str:
    """`kb` is unused: each line is exactly a contract finding, which already carries its KB facts."""
    return "".join(json.dumps(f.to_dict(), ensure_ascii=False) + "\n" for f in report.findings)
