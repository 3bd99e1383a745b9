"""exocheck: check marketing copy about exosome therapies against a curated, cited knowledge base.

    >>> import exocheck
    >>> report = exocheck.check("Exosomes cure hair loss.")
    >>> report.findings[0].verdict
    'unsupported'

The library never prints, exits or touches the terminal; the `exocheck` command sits on top of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .checker import Checker, checker_for
from .errors import ExocheckError, InputError, KnowledgeBaseError
from .kb import KnowledgeBase, load_kb
from .model import Citation, Finding, Report, Severity, Verdict
from .version import __version__

__all__ = [
    "Checker", "Citation", "ExocheckError", "Finding", "InputError", "KnowledgeBase", "KnowledgeBaseError",
    "Report", "Severity", "Verdict", "__version__", "check", "check_file", "checker_for", "load_kb",
]


def check(text: str, *, kb: KnowledgeBase | None = None, path: str = "<text>") -> Report:
    """Check `text` and return every claim found, with verdicts and citations."""
    return checker_for(kb).check(text, path=path)


def check_file(path: str | Path, *, kb: KnowledgeBase | None = None, disable: Iterable[str] = ()) -> Report:
    """Check a file exactly as `exocheck lint` does (Markdown and HTML read by their kind, suppression
    comments honoured, exact positions), without reading any configuration file; `disable` lists claim ids
    not to report. Raises InputError if the file is missing, unreadable or binary."""
    from .config import Settings
    from .lint import check_path

    return check_path(checker_for(kb), path, Settings(disable=tuple(disable)))
