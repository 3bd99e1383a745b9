"""Surveys: how many claims of each topic and verdict a set of pages makes, per page, per domain and overall.

A researcher comparing hundreds of clinic sites needs counts, not findings. Every finding counts once
under its (topic, verdict), accurate ones too: the verdict keeps them apart, and a page's accurate
statements are part of what is being studied. No printing here; `render_*` return text (or write Parquet).

Rates need denominators, so every surveyed page is a row even without findings: how many sentences were
checked and whether the page names an exosome product at all (a strong term such as "exosome" or a brand,
in its visible text), which tells a page that says nothing about exosomes from one that names them and
makes no claim. A page named by a URL (a WARC record) has a domain: its host name without "www.".

Tables (`TABLES`, each as CSV with `render_csv` or Parquet with `write_parquet`):
- `cells`: `path,topic,verdict,count`, one row per page x topic x verdict with a count above zero, sorted
  by path, topic and verdict as plain strings; a page without findings has one row with empty topic and
  verdict and count 0. There are no total rows: they would be counted twice by anyone summing the column.
- `pages`: one row per page, `PAGE_COLUMNS`; `claim_ids` and `topics` are the distinct ids, sorted
  (space-separated in CSV, lists in Parquet).
- `domains`: one row per domain, `DOMAIN_COLUMNS`, sums over its pages ("" for paths that are not URLs).
- `claims`: one row per claim id and verdict, `CLAIM_COLUMNS`, most findings first.
File names are shown as in every report (`formats.safe`): escaped in text, formula-proof in CSV.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .formats.common import plural
from .formats.safe import csv_text, escape, json_text
from .kb import VERDICTS
from .model import Finding, Report

CSV_COLUMNS = ("path", "topic", "verdict", "count")
PAGE_COLUMNS = ("path", "domain", "sentences", "names_product", "findings", *VERDICTS, "claim_ids", "topics")
DOMAIN_COLUMNS = ("domain", "pages", "pages_naming_product", "pages_with_findings", "pages_with_violations",
                  "sentences", "findings", *VERDICTS)
CLAIM_COLUMNS = ("claim_id", "verdict", "findings", "pages")
TABLES = {"cells": CSV_COLUMNS, "pages": PAGE_COLUMNS, "domains": DOMAIN_COLUMNS, "claims": CLAIM_COLUMNS}
VIOLATIONS = ("unsupported", "misleading")  # the verdicts that count a page in `pages_with_violations`
TOP_CLAIMS = 10  # claims listed by render_text; the JSON lists them all
PARQUET_MISSING = "writing Parquet needs pyarrow: pip install 'exocheck[parquet]'"

Cell = tuple[str, str]  # (topic, verdict)


@dataclass(frozen=True)
class Page:
    """A surveyed page's denominators and the distinct claim ids it makes."""

    sentences: int = 0
    names_product: bool = False
    claim_ids: tuple[str, ...] = ()


def domain_of(path: str) -> str:
    """The host a URL names, lower case and without "www." ("" for a path that is not a URL)."""
    if "://" not in path:
        return ""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(path).hostname or ""
    except ValueError:  # a malformed address, e.g. an unclosed IPv6 bracket
        return ""
    return host.removeprefix("www.")


def page_row(path: str, page: Page, counts: dict[Cell, int]) -> dict[str, object]:
    """One row of the `pages` table: what the Spark job writes for a page, too (spark_job.py)."""
    verdicts = by_verdict(counts)
    return {"path": path, "domain": domain_of(path), "sentences": page.sentences,
            "names_product": page.names_product, "findings": sum(counts.values()),
            **{verdict: verdicts.get(verdict, 0) for verdict in VERDICTS},
            "claim_ids": list(page.claim_ids), "topics": sorted({topic for topic, _ in counts})}


def page_of(report: Report) -> tuple[Page, dict[Cell, int]]:
    """A one-page report's denominators and counts, as `survey` counts a page whole."""
    return (Page(report.sentences, bool(report.named), tuple(sorted({f.claim_id for f in report.findings}))),
            dict(sorted(Counter(_cell(f) for f in report.findings).items())))


def _cell(finding: Finding) -> Cell:
    return finding.topic, finding.verdict


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
    pages: dict[str, Page] = field(default_factory=dict)  # per path, in the order of `files`

    @property
    def sentences(self) -> int:
        return sum(page.sentences for page in self.pages.values())

    @property
    def files_naming_product(self) -> int:
        return sum(page.names_product for page in self.pages.values())

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
    denominators: dict[str, list[int]] = {}  # path -> [sentences, names a product], from one-page reports
    kb_version = kb_sha256 = ""
    for report in parts:
        kb_version, kb_sha256 = report.kb_version or kb_version, report.kb_sha256 or kb_sha256
        if report.path:  # a page's report, or a piece of one: a combined report cannot say whose sentences
            counted = denominators.setdefault(report.path, [0, 0])
            counted[0] += report.sentences
            counted[1] |= bool(report.named)
            files.setdefault(report.path, Counter())
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
    claim_ids: dict[str, set[str]] = {}
    for (claim_id, _), paths_of_claim in claim_files.items():
        for path in paths_of_claim:
            claim_ids.setdefault(path, set()).add(claim_id)
    ordered = sorted(files)
    pages = {}
    for path in ordered:
        sentences, named = denominators.get(path, (0, 0))
        pages[path] = Page(sentences, bool(named), tuple(sorted(claim_ids.get(path, ()))))
    return Survey(
        files={path: dict(sorted(files[path].items())) for path in ordered},
        overall=dict(sorted(overall.items())),
        claims=tuple(ClaimCount(claim_id, verdict, n, len(claim_files[(claim_id, verdict)]))
                     for (claim_id, verdict), n in claims),
        kb_version=kb_version, kb_sha256=kb_sha256, pages=pages,
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


def rows(result: Survey, table: str) -> list[dict[str, object]]:
    """The rows of one of `TABLES`, each a dict of its columns."""
    if table == "cells":
        return [{"path": path, "topic": topic, "verdict": verdict, "count": n}
                for path, counts in result.files.items()
                for (topic, verdict), n in (counts.items() or [(("", ""), 0)])]
    pages = [page_row(path, result.pages.get(path, Page()), counts) for path, counts in result.files.items()]
    if table == "pages":
        return pages
    if table == "domains":
        return domain_rows(pages)
    return [{"claim_id": c.claim_id, "verdict": c.verdict, "findings": c.findings, "pages": c.files}
            for c in result.claims]


def domain_rows(pages: Iterable[dict[str, object]]) -> list[dict[str, object]]:
    """The `domains` table from rows of the `pages` table: sums over each domain's pages, sorted by domain."""
    domains: dict[str, dict[str, int]] = {}
    for page in pages:
        row = domains.setdefault(str(page["domain"]), dict.fromkeys(DOMAIN_COLUMNS[1:], 0))
        findings = int(page["findings"])  # type: ignore[call-overload]
        row["pages"] += 1
        row["pages_naming_product"] += bool(page["names_product"])
        row["pages_with_findings"] += findings > 0
        row["pages_with_violations"] += any(page[verdict] for verdict in VIOLATIONS)
        for column in ("sentences", "findings", *VERDICTS):
            row[column] += int(page[column])  # type: ignore[call-overload]
    return [{"domain": domain, **domains[domain]} for domain in sorted(domains)]


def render_csv(result: Survey, table: str = "cells") -> str:
    """One table as CSV (lists as space-separated ids), every text cell formula-proof (`formats.safe`)."""
    body = [tuple(" ".join(v) if isinstance(v, list) else v for v in row.values()) for row in rows(result, table)]
    return csv_text([TABLES[table], *body])


def write_parquet(result: Survey, table: str, path: Path) -> None:
    """One table as a Parquet file, with the column types a reader expects (lists stay lists)."""
    try:
        import pyarrow as pa  # type: ignore[import-untyped]
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError:
        from .errors import ExocheckError

        raise ExocheckError(PARQUET_MISSING) from None
    types = {"count": pa.int64(), "sentences": pa.int64(), "findings": pa.int64(), "pages": pa.int64(),
             "names_product": pa.bool_(), "claim_ids": pa.list_(pa.string()), "topics": pa.list_(pa.string())}
    schema = pa.schema([(c, types.get(c, pa.int64() if c in VERDICTS or c.startswith("pages") else pa.string()))
                        for c in TABLES[table]])
    pq.write_table(pa.Table.from_pylist(rows(result, table), schema), str(path))


def _cells(counts: dict[Cell, int]) -> list[dict[str, object]]:
    return [{"topic": topic, "verdict": verdict, "count": n} for (topic, verdict), n in counts.items()]


def render_json(result: Survey) -> str:
    import json

    from .version import __version__

    files = len(result.files)
    pages = {str(row["path"]): row for row in rows(result, "pages")}
    document = {
        "exocheck": {"version": __version__, "kb": {"version": result.kb_version, "sha256": result.kb_sha256}},
        "summary": {
            "files": files, "files_with_findings": files - len(result.files_without_findings),
            "files_naming_product": result.files_naming_product, "sentences": result.sentences,
            "findings": result.findings, "by_verdict": by_verdict(result.overall),
            "by_topic": by_topic(result.overall),
        },
        "overall": _cells(result.overall),
        "files": [{"path": path, "domain": pages[path]["domain"], "sentences": pages[path]["sentences"],
                   "names_product": pages[path]["names_product"], "findings": sum(counts.values()),
                   "by_verdict": by_verdict(counts), "claim_ids": pages[path]["claim_ids"],
                   "counts": _cells(counts)} for path, counts in result.files.items()],
        "domains": domain_rows(pages.values()),
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
    lines = [(f"Survey of {plural(len(result.files), 'file')}: {plural(result.findings, 'finding')} in "
              f"{plural(len(result.files) - len(clean), 'file')}, {len(clean)} without findings."),
             (f"{plural(result.sentences, 'sentence')} checked; {result.files_naming_product} of the files name "
              "an exosome product."), ""]
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
