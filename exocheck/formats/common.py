"""Helpers several formats share, so every format words a finding and links a source the same way."""

from __future__ import annotations

from ..kb import KnowledgeBase
from ..model import Finding


def short_message(finding: Finding, kb: KnowledgeBase) -> str:
    """The line every format leads with, "<verdict>: <KB claim statement>", worded the same everywhere.

    `kb` must be the knowledge base that made the report (a KeyError otherwise, rather than a made-up message).
    """
    return f"{finding.verdict}: {kb.claims[finding.claim_id].claim}"


def link(url: str, doi: str) -> str:
    """A clickable address for a source: its DOI resolver link (the publisher's own, stable page), else its
    URL (which for some articles is only a copy found elsewhere), else ""."""
    return f"https://doi.org/{doi}" if doi else url


def plural(n: int, word: str) -> str:
    """"1 finding", "3 findings": counts in sentences people read."""
    return f"{n} {word}{'' if n == 1 else 's'}"
