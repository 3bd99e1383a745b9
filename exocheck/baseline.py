"""Baselines: record today's findings so a team adopting exocheck fails only on new ones.

Findings are keyed by `model.fingerprints` (path, claim id and sentence, not the line number), so
editing other parts of a page does not resurrect baselined findings.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .errors import InputError
from .model import Report, fingerprints

FORMAT_VERSION = 1


def render(report: Report) -> str:
    """The baseline file's text; the command writes it like a report (see output.Replacement)."""
    entries = [
        {"fingerprint": print_, "path": f.path, "claim_id": f.claim_id, "line": f.line, "sentence": f.sentence}
        for f, print_ in zip(report.findings, fingerprints(report.findings))
    ]
    document = {"exocheck_baseline": FORMAT_VERSION, "kb": {"version": report.kb_version, "sha256": report.kb_sha256},
                "findings": entries}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def load(path: Path) -> Counter:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: baseline file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read baseline ({exc})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}: baseline is not valid JSON ({exc.msg})") from None
    if not isinstance(document, dict) or document.get("exocheck_baseline") != FORMAT_VERSION:
        raise InputError(f"{path}: not an exocheck baseline (written by --write-baseline)")
    return Counter(entry["fingerprint"] for entry in document.get("findings", []) if isinstance(entry, dict))


def subtract(report: Report, known: Counter) -> int:
    """Remove baselined findings from `report` in place; return how many were removed."""
    remaining = Counter(known)
    kept = []
    for finding, print_ in zip(report.findings, fingerprints(report.findings)):
        if remaining[print_] > 0:
            remaining[print_] -= 1
        else:
            kept.append(finding)
    removed = len(report.findings) - len(kept)
    report.findings = kept
    return removed
