"""The values the library returns: findings and reports. Plain data, no behaviour beyond serialising."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum


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
        data = asdict(self)
        data["cues"] = list(self.cues)
        data["citations"] = [asdict(c) for c in self.citations]
        return data


@dataclass
class Report:
    """What one check produced: findings sorted by (path, start), plus counts for the summary."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    sentences: int = 0
    kb_version: str = ""
    kb_sha256: str = ""

    def extend(self, other: Report) -> None:
        self.findings.extend(other.findings)
        self.files += other.files
        self.sentences += other.sentences

    def by_verdict(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.findings:
            counts[finding.verdict] = counts.get(finding.verdict, 0) + 1
        return dict(sorted(counts.items()))

    def worst(self) -> int:
        """Rank of the most severe finding (-1 when there is none), for exit codes."""
        return max((SEVERITY_RANK[f.severity] for f in self.findings), default=-1)
