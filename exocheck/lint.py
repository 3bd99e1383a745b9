"""Linting files: read, unmask markup, check, apply suppressions and disabled ids — for one file or many,
in one process or several, always with the same result in the same order. No printing here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from .checker import Checker
from .config import Settings
from .document import TEXT, kind_for_path, read_file
from .errors import ExocheckError
from .model import Report
from . import suppress

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 8


@dataclass
class FileResult:
    path: str
    report: Report | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def lint_text(checker: Checker, text: str, path: str, kind: str, disabled: set[str]) -> Report:
    """Check one document's text: Markdown and HTML are masked so markup is never reported."""
    if kind == TEXT:
        report = checker.check(suppress.without_directives(text), path=path, original=text)
    else:
        from .markup import mask  # the Markdown and HTML readers are only imported when needed

        report = checker.check(mask(text, kind), path=path, original=text)
    report.findings, report.notices = suppress.apply(report.findings, text, kind, path, checker.claim_ids)
    if disabled:
        report.findings = [f for f in report.findings if f.claim_id not in disabled]
    return report


def lint_file(checker: Checker, path: Path, settings: Settings) -> FileResult:
    name = str(path)
    try:
        decoded = read_file(path)
    except ExocheckError as exc:
        return FileResult(name, error=str(exc))
    report = lint_text(checker, decoded.text, name, kind_for_path(name), settings.disabled_for(name))
    return FileResult(name, report, decoded.warnings)


_worker: tuple[Checker, Settings] | None = None


def _init_worker(base: str | None, overlays: Sequence[str], settings: Settings) -> None:
    global _worker
    import signal

    from .cache import compiled_checker

    # Ctrl-C reaches the whole process group; only the main process handles it (and ends the pool).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = (compiled_checker(base, overlays), settings)


def _lint_in_worker(path: Path) -> FileResult:
    assert _worker is not None
    return lint_file(_worker[0], path, _worker[1])


def lint_files(
    files: list[Path], checker: Checker, settings: Settings, *, jobs: int = 1,
    kb_files: tuple[str | None, Sequence[str]] = (None, ()), on_done: Callable[[], None] | None = None,
) -> Iterator[FileResult]:
    """Results for `files` in their order. With `jobs` > 1 the files are checked by a process pool
    (each worker loads the same KB from `kb_files`), and the output is identical to a single process."""
    if jobs <= 1 or len(files) < PARALLEL_THRESHOLD:
        for file in files:
            yield lint_file(checker, file, settings)
            if on_done:
                on_done()
        return
    import multiprocessing

    base, overlays = kb_files
    with multiprocessing.Pool(jobs, initializer=_init_worker, initargs=(base, tuple(overlays), settings)) as pool:
        for result in pool.imap(_lint_in_worker, files, chunksize=max(1, len(files) // (jobs * 8))):
            yield result
            if on_done:
                on_done()
