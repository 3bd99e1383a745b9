"""`--format json`: the machine-readable contract every other format carries the facts of."""

from __future__ import annotations

import json

from .. import __version__
from ..model import Report


def document(report: Report) -> dict:
    """The JSON contract as a dict: tool and KB identity, findings in (path, start) order, summary."""
    return {
        "exocheck": {"version": __version__, "kb": {"version": report.kb_version, "sha256": report.kb_sha256}},
        "findings": [finding.to_dict() for finding in report.findings],
        "notices": [notice.to_dict() for notice in report.notices],
        "summary": {
            "files": report.files,
            "sentences": report.sentences,
            "findings": len(report.findings),
            "by_verdict": report.by_verdict(),
        },
    }


def render(report: Report, ascii_only: bool = False) -> str:
    return json.dumps(document(report), ensure_ascii=ascii_only, indent=2) + "\n"
