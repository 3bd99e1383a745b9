"""The values the library returns: findings and reports. Plain data, no behaviour beyond serialising."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import Enum

from .diskcache import sha256


class Verdict(str, Enum):
    UNSUPPORTED = "unsupported"
    MISLEADING = "misleading"
    ACCURATE = "accurate"
    UNVERIFIED = "unverified"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
SEVERITIES = ("error", "warning", "info")  # most severe first
FAIL_ON = (*SEVERITIES, "never")  # the thresholds of --fail-on and the `fail-on` setting


def fails(item: Finding | Notice, threshold: str) -> bool:
    """Whether a finding or notice makes a run with this --fail-on threshold fail. An accurate finding
    never does, whatever its severity: a correct statement is not a reason to stop a build."""
    if threshold == "never" or getattr(item, "verdict", None) == "accurate":
        return False
    return SEVERITY_RANK[item.severity] >= SEVERITY_RANK[threshold]


@dataclass(frozen=True)
class Citation:
    id: str
    title: str
    publisher: str
    date: str
    url: str
    doi: str


@dataclass(frozen=True)
class Finding:
    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    sentence: str
    verdict: str
    severity: str
    kind: str
    topic: str
    claim_id: str
    score: float
    cues: tuple[str, ...]
    explanation: str
    fda_status: str
    evidence_level: str
    citations: tuple[Citation, ...]
    suggestion: str | None

    def to_dict(self) -> dict:
        """The JSON contract's finding object (built by hand: dataclasses.asdict is several times slower)."""
        data = {name: getattr(self, name) for name in _FINDING_FIELDS}
        data["cues"] = list(self.cues)
        data["citations"] = [
            {"id": c.id, "title": c.title, "publisher": c.publisher, "date": c.date, "url": c.url, "doi": c.doi}
            for c in self.citations
        ]
        return data


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


def fingerprints(findings: list[Finding]) -> list[str]:
    """A stable id per finding that survives edits elsewhere in the file: a hash of the path, the claim id
    and the sentence (whitespace and case folded), plus an occurrence number for identical sentences."""
    seen: dict[str, int] = {}
    return [fingerprint(finding, seen) for finding in findings]


def fingerprint(finding: Finding, seen: dict[str, int]) -> str:
    """One finding's id (see `fingerprints`); `seen` counts the ids given so far in its file."""
    key = "\0".join((finding.path, finding.claim_id, " ".join(finding.sentence.split()).casefold()))
    # surrogatepass: a name that is not UTF-8 (lone surrogates) hashes too; every other key as before.
    digest = sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}:{seen[digest]}"


@dataclass(frozen=True)
class Notice:
    """A problem with the input rather than a claim: an unused suppression, one without a reason."""

    path: str
    line: int
    column: int
    code: str  # unused-suppression | suppression-without-reason | unknown-claim-id
    message: str
    severity: str = "warning"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Hidden:
    """A finding or notice left out of a report on purpose, and why: the audit trail a review page lists,
    so a reviewer sees what a suppression or a baseline silenced as well as what is left."""

    item: Finding | Notice
    how: str  # suppressed | baselined | disabled
    reason: str  # the suppression's written reason, the baseline file's name, or which setting disabled it


@dataclass
class Report:
    """What one check produced: findings sorted by (path, start), plus counts for the summary."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    sentences: int = 0
    kb_version: str = ""
    kb_sha256: str = ""
    notices: list[Notice] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=dict)  # findings already written out, by verdict
    # For surveys, whose pages need denominators: the one document a check's report is of ("" for a report
    # of several), and how many documents name an exosome product by a strong term ("exosome", a brand).
    path: str = ""
    named: int = 0
    hidden: list[Hidden] = field(default_factory=list)  # suppressed, baselined, disabled: for the HTML page

    def extend(self, other: Report) -> None:
        self.findings.extend(other.findings)
        self._add_totals(other)

    def count_written(self, part: Report) -> None:
        """Count `part` in, keeping its notices but not its findings, which were written out as they came."""
        for finding in part.findings:
            self.written[finding.verdict] = self.written.get(finding.verdict, 0) + 1
        self._add_totals(part)

    def _add_totals(self, other: Report) -> None:
        self.notices.extend(other.notices)
        self.hidden.extend(other.hidden)
        self.files += other.files
        self.sentences += other.sentences
        self.named += other.named

    def finding_count(self) -> int:
        return len(self.findings) + sum(self.written.values())

    def by_verdict(self) -> dict[str, int]:
        counts = dict(self.written)
        for finding in self.findings:
            counts[finding.verdict] = counts.get(finding.verdict, 0) + 1
        return dict(sorted(counts.items()))

    def identity(self) -> dict:
        """The JSON contract's "exocheck" object: the tool's and the KB's versions."""
        from .version import __version__

        return {"version": __version__, "kb": {"version": self.kb_version, "sha256": self.kb_sha256}}

    def summary(self) -> dict:
        """The JSON contract's "summary" object."""
        return {"files": self.files, "sentences": self.sentences, "findings": self.finding_count(),
                "by_verdict": self.by_verdict()}

    def to_dict(self) -> dict:
        """The JSON contract (`--format json`) as a dict, for library users."""
        return {"exocheck": self.identity(), "findings": [f.to_dict() for f in self.findings],
                "notices": [n.to_dict() for n in self.notices], "summary": self.summary()}

    def to_json(self) -> str:
        """The report exactly as `exocheck --format json` writes it (imported here: the formats build on
        the model, not the other way round)."""
        from .formats.json_format import render

        return render(self)

    def worst(self) -> int:
        """Rank of the most severe finding or notice (-1 when there is none), for exit codes."""
        ranked: list[Finding | Notice] = [*self.findings, *self.notices]
        return max((SEVERITY_RANK[f.severity] for f in ranked), default=-1)
