"""exocheck: check marketing copy about exosome therapies against a curated, cited knowledge base.

    >>> import exocheck
    >>> report = exocheck.check("Exosomes cure hair loss.")
    >>> report.findings[0].verdict
    'unsupported'

The library never prints, exits or touches the terminal; the `exocheck` command sits on top of it.

The names below are imported when first used (PEP 562), so that importing a submodule, as the command's
entry point does, does not load the whole checker first.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:
    from .checker import Checker, checker_for
    from .errors import ExocheckError, InputError, KnowledgeBaseError
    from .kb import KnowledgeBase, load_kb
    from .model import Citation, Finding, Report, Severity, Verdict

__all__ = [
    "Checker", "Citation", "ExocheckError", "Finding", "InputError", "KnowledgeBase", "KnowledgeBaseError",
    "Report", "Severity", "Verdict", "__version__", "check", "check_file", "checker_for", "load_kb",
]

_MODULES = {
    "Checker": "checker", "checker_for": "checker", "read_file": "document", "ExocheckError": "errors",
    "InputError": "errors", "KnowledgeBaseError": "errors", "KnowledgeBase": "kb", "load_kb": "kb",
    "Citation": "model", "Finding": "model", "Report": "model", "Severity": "model", "Verdict": "model",
}


def __getattr__(name: str) -> Any:
    """The public name `name`, imported from its module on first use."""
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})


def check(text: str, *, kb: KnowledgeBase | None = None, path: str = "<text>") -> Report:
    """Check `text` and return every claim found, with verdicts and citations."""
    from .checker import checker_for

    return checker_for(kb).check(text, path=path)


def check_file(path: str | Path, *, kb: KnowledgeBase | None = None, disable: Iterable[str] = ()) -> Report:
    """Check a file exactly as `exocheck lint` does (Markdown and HTML read by their kind, suppression
    comments honoured, exact positions), without reading any configuration file; `disable` lists claim ids
    not to report. Raises InputError if the file is missing, unreadable or binary."""
    from .checker import checker_for
    from .config import Settings
    from .lint import check_path

    return check_path(checker_for(kb), path, Settings(disable=tuple(disable)))
