"""exocheck: check marketing copy about exosome therapies against a curated, cited knowledge base.

    >>> import exocheck
    >>> report = exocheck.check("Exosomes cure hair loss.")
    >>> report.findings[0].verdict
    'unsupported'

The library never prints, exits or touches the terminal; the `exocheck` command sits on top of it.
"""

from __future__ import annotations

from pathlib import Path

from .checker import Checker
from .document import read_file
from .errors import ExocheckError, InputError, KnowledgeBaseError
from .kb import KnowledgeBase, load_kb
from .model import Citation, Finding, Report, Severity, Verdict

__version__ = "0.1.0"
__all__ = [
    "Checker", "Citation", "ExocheckError", "Finding", "InputError", "KnowledgeBase", "KnowledgeBaseError",
    "Report", "Severity", "Verdict", "__version__", "check", "check_file", "checker_for", "load_kb",
]

_checkers: dict[str, Checker] = {}


def checker_for(kb: KnowledgeBase | None = None) -> Checker:
    """The compiled checker for `kb` (the built-in KB by default), built once per process."""
    kb = kb or load_kb()
    checker = _checkers.get(kb.sha256)
    if checker is None:
        checker = _checkers[kb.sha256] = Checker(kb)
    return checker


def check(text: str, *, kb: KnowledgeBase | None = None, path: str = "<text>") -> Report:
    """Check `text` and return every claim found, with verdicts and citations."""
    return checker_for(kb).check(text, path=path)


def check_file(path: str | Path, *, kb: KnowledgeBase | None = None) -> Report:
    """Check a text file; raises InputError if it is missing, unreadable or binary."""
    return check(read_file(path).text, kb=kb, path=str(path))
