"""Surveys: how many claims of each topic and verdict a set of pages makes, per file and overall.

A researcher comparing hundreds of clinic sites needs counts, not findings. Every finding counts once
under its (topic, verdict), accurate ones too: the verdict keeps them apart, and a page's accurate
statements are part of what is being studied. No printing here; `render_*` return text.

CSV contract (`render_csv`): the header is `path,topic,verdict,count`, one row per file x topic x verdict
with a count above zero, sorted by path, topic and verdict as plain strings. A file without findings has
one row with empty topic and verdict and count 0, so every surveyed file is there (the denominator).
There are no total rows: they would be counted twice by anyone summing the column; overall counts are
`df.groupby(["topic", "verdict"])["count"].sum()` in pandas, and in the JSON and text renderings.
File names are shown as in every report (`formats.safe`): escaped in text, formula-proof in CSV.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from .formats.common import plural
from .formats.safe import csv_text, escape, json_text
from .kb import VERDICTS
from .model import Report

CSV_COLUMNS = ("path", "topic", "verdict", "count")
TOP_CLAIMS = 10  # claims listed by render_text; the JSON lists them all

Cell = tuple[str, str]  # (topic, verdict)


@dataclass(frozen=True)
class ClaimCount:
    claim_id: str
    verdict: str
    findings: int
    files: int  # how many files make the claim at least once


@dataclass(frozen=True)
class Survey:
    files: dict[str, dict[Cell, int]]  # every surveyed path, sorted; {} for a file without findings
    overall: dict[Cell, int]
    claims: tuple[ClaimCount, ...]  # most findings first, then by claim id
    kb_version: str = ""
    kb_sha256: str = ""

    @property
    def findings(self) -> int:
        return sum(self.overall.values())

    @property
    def files_without_findings(self) -> list[str]:
        return [path for path, counts in self.files.items() if not counts]


def survey(reports: Report | Iterable[Report], paths: Iterable[str] = ()) -> Survey:
    """Count the findings of a report, or of reports as they come (a lint's parts: nothing but counts is
    kept), per file and overall. `paths` names every file that was checked, so files without findings are
    surveyed too; it is read after the reports, so it may be filled while they are made."""
    parts = [reports] if isinstance(reports, Report) else reports
    files: dict[str, Counter[Cell]] = {}
    claim_findings: Counter[tuple[str, str]] = Counter()
    claim_files: dict[tuple[str, str], set[str]] = {}
    kb_version = kb_sha256 = ""
    for report in parts:
        kb_version, kb_sha256 = report.kb_version or kb_version, report.kb_sha256 or kb_sha256
        for finding in report.findings:
            files.setdefault(finding.path, Counter())[(finding.topic, finding.verdict)] += 1
            key = (finding.claim_id, finding.verdict)
            claim_findings[key] += 1
            claim_files.setdefault(key, set()).add(finding.path)
    for path in paths:
        files.setdefault(path, Counter())
    overall: Counter[Cell] = Counter()
    for counts in files.values():
        overall.update(counts)
    claims = sorted(claim_findings.items(), key=lambda item: (-item[1], item[0]))
    return Survey(
        files={path: dict(sorted(files[path].items())) for path in sorted(files)},
        overall=dict(sorted(overall.items())),
        claims=tuple(ClaimCount(claim_id, verdict, n, len(claim_files[(claim_id, verdict)]))
                     for (claim_id, verdict), n in claims),
        kb_version=kb_version, kb_sha256=kb_sha256,
    )


def by_topic(counts: dict[Cell, int]) -> dict[str, int]:
    """Counts summed per topic, topics sorted."""
    summed: Counter[str] = Counter()
    for (topic, _), n in counts.items():
        summed[topic] += n
    return dict(sorted(summed.items()))


def by_verdict(counts: dict[Cell, int]) -> dict[str, int]:
    """Counts summed per verdict, in the knowledge base's order of verdicts, zeros left out."""
    summed: Counter[str] = Counter()
    for (_, verdict), n in counts.items():
        summed[verdict] += n
    return {verdict: summed[verdict] for verdict in VERDICTS if summed[verdict]}


def render_csv(result: Survey) -> str:
    rows: list[tuple[object, ...]] = [CSV_COLUMNS]
    for path, counts in result.files.items():
        rows += [(path, topic, verdict, n) for (topic, verdict), n in counts.items()] or [(path, "", "", 0)]
    return csv_text(rows)


def _cells(counts: dict[Cell, int]) -> list[dict[str, object]]:
    return [{"topic": topic, "verdict": verdict, "count": n} for (topic, verdict), n in counts.items()]


def render_json(result: Survey) -> str:
    import json

    from .version import __version__

    files = len(result.files)
    document = {
        "exocheck": {"version": __version__, "kb": {"version": result.kb_version, "sha256": result.kb_sha256}},
        "summary": {
            "files": files, "files_with_findings": files - len(result.files_without_findings),
            "findings": result.findings, "by_verdict": by_verdict(result.overall),
            "by_topic": by_topic(result.overall),
        },
        "overall": _cells(result.overall),
        "files": [{"path": path, "findings": sum(counts.values()), "by_verdict": by_verdict(counts),
                   "counts": _cells(counts)} for path, counts in result.files.items()],
        "claims": [{"claim_id": c.claim_id, "verdict": c.verdict, "findings": c.findings, "files": c.files}
                   for c in result.claims],
        "files_without_findings": result.files_without_findings,
    }
    return json_text(json.dumps(document, ensure_ascii=False, indent=2)) + "\n"


def _table(counts: dict[Cell, int]) -> list[str]:
    """Topics down, verdicts across, totals on the right and at the bottom."""
    rows = [[topic, *(str(counts.get((topic, v), 0)) for v in VERDICTS), str(n)]
            for topic, n in by_topic(counts).items()]
    verdict_totals = by_verdict(counts)
    rows.append(["total", *(str(verdict_totals.get(v, 0)) for v in VERDICTS), str(sum(counts.values()))])
    header = ["topic", *VERDICTS, "total"]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))
            .rstrip() for row in [header, *rows]]


def render_text(result: Survey) -> str:
    clean = result.files_without_findings
    lines = [f"Survey of {plural(len(result.files), 'file')}: {plural(result.findings, 'finding')} in "
             f"{plural(len(result.files) - len(clean), 'file')}, {len(clean)} without findings.", ""]
    if result.findings:
        lines += ["All files", *_table(result.overall), "", "Most frequent claims"]
        lines += [f"  {c.findings:>5} in {plural(c.files, 'file'):<9} {c.verdict:<11} {c.claim_id}"
                  for c in result.claims[:TOP_CLAIMS]]
        lines.append("")
    for path, counts in result.files.items():
        if counts:
            lines += [f"{escape(path)}: {plural(sum(counts.values()), 'finding')}", *_table(counts), ""]
    if clean:
        lines += ["Files without findings", *(f"  {escape(path)}" for path in clean), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
