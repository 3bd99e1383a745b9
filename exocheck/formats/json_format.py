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
    """The document with one finding (or notice) per line.

    Indenting every field would make `json.dumps` fall back from its C encoder to pure Python, which on a
    large lint took longer than the checking itself; a line per finding stays readable and diffable.
    """
    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=ascii_only)

    fields = []
    for key, value in document(report).items():
        if isinstance(value, list) and value:
            value_text = "[\n" + ",\n".join("    " + dump(item) for item in value) + "\n  ]"
        else:
            value_text = dump(value)
        fields.append(f"  {dump(key)}: {value_text}")
    return "{\n" + ",\n".join(fields) + "\n}\n"
