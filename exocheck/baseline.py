"""Baselines: record today's findings so a team adopting exocheck fails only on new ones.

Findings are keyed by `model.fingerprints` (path, claim id and sentence, not the line number), so
editing other parts of a page does not resurrect baselined findings. Notices (a suppression without a
reason, a page not in English) are recorded too, keyed by path, code and message, so adopting a baseline
gives a green run; a baseline written before notices were recorded simply has none.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from .errors import InputError
from .formats.safe import json_text
from .model import Hidden, Notice, Report, fingerprints

FORMAT_VERSION = 1


def render(report: Report) -> str:
    """The baseline file's text; the command writes it like a report (see output.Replacement)."""
    entries = [
        {"fingerprint": print_, "path": f.path, "claim_id": f.claim_id, "line": f.line, "sentence": f.sentence}
        for f, print_ in zip(report.findings, fingerprints(report.findings))
    ]
    notices = [{"fingerprint": print_, "path": n.path, "code": n.code, "line": n.line, "message": n.message}
               for n, print_ in zip(report.notices, notice_fingerprints(report.notices))]
    document = {"exocheck_baseline": FORMAT_VERSION, "kb": {"version": report.kb_version, "sha256": report.kb_sha256},
                "findings": entries, "notices": notices}
    # json_text: a file name that is not UTF-8 is written as \udcNN escapes, which load() reads back.
    return json_text(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


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
    entries = [*document.get("findings", []), *document.get("notices", [])]
    return Counter(entry["fingerprint"] for entry in entries if isinstance(entry, dict))


def notice_fingerprints(notices: list[Notice]) -> list[str]:
    """A stable id per notice, as `model.fingerprints` gives findings: its path, code and message (which
    hold no line number), plus an occurrence number."""
    seen: dict[str, int] = {}
    prints = []
    for notice in notices:
        key = f"notice\0{notice.path}\0{notice.code}\0{notice.message}"
        digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
        seen[digest] = seen.get(digest, 0) + 1
        prints.append(f"{digest}:{seen[digest]}")
    return prints


def subtract(report: Report, known: Counter, name: str = "the baseline") -> int:
    """Remove baselined findings and notices from `report` in place, keeping them in `report.hidden` (with
    `name`, the baseline's, as the reason) for the HTML page's audit trail; return how many were removed."""
    remaining = Counter(known)

    def new(prints: list[str]) -> list[bool]:
        kept = []
        for print_ in prints:
            kept.append(remaining[print_] <= 0)
            remaining[print_] -= 1
        return kept

    kept_findings = new(fingerprints(report.findings))
    kept_notices = new(notice_fingerprints(report.notices))
    removed = [Hidden(item, "baselined", name) for item, keep in zip(report.findings, kept_findings) if not keep]
    removed += [Hidden(item, "baselined", name) for item, keep in zip(report.notices, kept_notices) if not keep]
    report.findings = [f for f, keep in zip(report.findings, kept_findings) if keep]
    report.notices = [n for n, keep in zip(report.notices, kept_notices) if keep]
    report.hidden.extend(removed)
    return len(removed)
