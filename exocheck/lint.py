"""Linting files: read, unmask markup, check, apply suppressions and disabled ids — for one file or many,
in one process or several, always with the same result in the same order. No printing here."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from . import langid, suppress
from .checker import Checker, Scan
from .config import Settings
from .document import (
    HTML,
    MARKDOWN,
    MARKDOWN_KINDS,
    MDX,
    TEXT,
    StreamedFile,
    file_size,
    is_warc,
    kind_for_path,
    read_file,
)
from .errors import ExocheckError, InputError
from .model import Hidden, Notice, Report
from .normalize import fold
from .patterns import LazyPattern
from .record import Record

if TYPE_CHECKING:  # multiprocessing is imported only when a run uses worker processes
    from multiprocessing.connection import Connection

# Below this many files a process pool costs more than it saves.
PARALLEL_THRESHOLD = 8
# Files at least this large are read and checked a piece at a time, so memory stays flat however large
# they are; each piece holds at least PIECE_CHARS characters and ends at a paragraph break.
STREAM_FROM = 8 * 1024 * 1024
PIECE_CHARS = 1024 * 1024
# For a program that lints: a check allocates millions of short-lived objects and makes almost no
# reference cycles, and at the default thresholds (a collection every 700 allocations) the cycle
# collector took a quarter of a corpus run. mypy raises its thresholds the same way.
GC_THRESHOLDS = (200_000, 30, 30)


class FileResult(Record):
    __slots__ = ("path", "report", "warnings", "error")  # noqa: RUF023  # the fields in order, as repr and == take them

    path: str
    report: Report | None
    warnings: list[str]
    error: str | None

    def __init__(self, path: str, report: Report | None = None, warnings: list[str] | None = None,
                 error: str | None = None) -> None:
        self.path = path
        self.report = report
        self.warnings = [] if warnings is None else warnings
        self.error = error


def lint_text(checker: Checker, text: str, path: str, kind: str, disabled: set[str]) -> Report:
    """Check one document's text: Markdown and HTML are masked so markup is never reported."""
    visible = suppress.without_directives(text) if kind == TEXT else _mask(text, kind)
    report = checker.check(visible, path=path, original=text)
    report.findings, notices = suppress.apply(report.findings, text, kind, path, checker.claim_ids,
                                                    report.hidden)
    if notices:  # after the check's own (a page not in English)
        report.notices = sorted([*report.notices, *notices], key=lambda n: (n.line, n.column, n.code))
    if disabled:
        without_disabled(report, disabled)
    return report


def without_disabled(report: Report, disabled: set[str]) -> None:
    """The findings of a disabled claim id taken out of `report`, and kept in its audit trail (`hidden`, which
    the HTML page lists) as suppressed and baselined ones are."""
    kept = []
    for finding in report.findings:
        if finding.claim_id in disabled:
            report.hidden.append(Hidden(finding, "disabled", f"--disable or the configuration's disable names "
                                                             f"{finding.claim_id}"))
        else:
            kept.append(finding)
    report.findings = kept


def lint_file(checker: Checker, path: Path, settings: Settings) -> Iterator[FileResult]:
    """The results of one file in order: one for most files, one per piece for a large one (see `lint_large`)."""
    name = str(path)
    if is_warc(name):
        yield from lint_warc(checker, name, settings)
        return
    try:
        large = file_size(path) >= STREAM_FROM and kind_for_path(name) != HTML
        if large:
            parts = lint_large(checker, path, settings)
            if parts is not None:
                yield from parts
                return
        decoded = read_file(path)
    except ExocheckError as exc:
        yield FileResult(name, error=str(exc))
        return
    report = lint_text(checker, decoded.text, name, kind_for_path(name), settings.disabled_for(name))
    yield FileResult(name, report, decoded.warnings)


def lint_warc(checker: Checker, name: str, settings: Settings, stream: BinaryIO | None = None) -> Iterator[FileResult]:
    """One result per page of the WARC file `name` (see warc.py), or of its bytes in `stream`, each checked as
    the file it would be; a record that cannot be read is a notice, carried by a result of no file."""
    from .warc import pages, read

    try:
        for page in read(name) if stream is None else pages(stream, name):
            if isinstance(page, Notice):
                report = checker.empty_report(files=0)
                report.notices.append(page)
                yield FileResult(page.path, report)
                continue
            report = lint_text(checker, page.text, page.uri, page.kind, settings.disabled_for(page.uri))
            report.notices.extend(page.notices)
            yield FileResult(page.uri, report, page.warnings)
    except ExocheckError as exc:
        yield FileResult(name, error=str(exc))


def lint_large(checker: Checker, path: Path, settings: Settings) -> Iterator[FileResult] | None:
    """A large Markdown or text file checked a piece at a time, with the findings it gets checked whole.

    A first pass over the file decides what depends on all of it: whether its visible text can name an
    exosome product at all (if not, nothing is checked), whether it does by a strong term (so "EVs"
    count), and whether it has suppression directives, whose regions can span pieces, or link reference
    definitions (see _NOT_PIECEWISE): then None, and it is checked whole. The first pass masks pieces
    only until it finds a strong term. Pieces end at paragraph breaks outside fenced code and raw HTML,
    where Markdown starts afresh.
    """
    name, kind = str(path), kind_for_path(str(path))
    streamed = StreamedFile(path)
    mentions = strong = False
    tail = ""
    for chunk in _paragraph_pieces(streamed, kind):
        if "exocheck-" in chunk or _NOT_PIECEWISE[kind].search(chunk):
            return None
        if not strong:  # looked for in the visible text, as a whole check does ("exo<b>some</b>s" counts)
            masked = _mask(chunk, kind)
            loose, strong = checker.mentions(fold(tail + masked))  # with the end of the last piece
            mentions = mentions or loose
            tail = masked[-256:]
    warnings = list(streamed.warnings)  # known only once the whole file has been decoded
    disabled = settings.disabled_for(name)

    def parts() -> Iterator[FileResult]:
        scan = Scan(checker, name, strong)
        offset, line = 0, 1
        foreign = None  # the first piece found not to be English (one notice a file, as for a file read whole)
        for chunk in _paragraph_pieces(streamed, kind):
            masked = _mask(chunk, kind)
            if mentions:
                report = scan.feed(masked, chunk, offset, line)
            else:
                report = checker.empty_report(checker.sentences_in(masked), files=1 if offset == 0 else 0)
                report.path = name
            report.named = int(strong and offset == 0)
            if foreign is None:
                foreign = langid.guess(masked)
                if foreign is not None:
                    report.notices.append(langid.notice(foreign, name, masked, line))
            if disabled:
                without_disabled(report, disabled)
            yield FileResult(name, report, warnings if offset == 0 else [])
            offset += len(chunk)
            line += chunk.count("\n") + chunk.count("\r") - chunk.count("\r\n")
    return parts()


def _mask(text: str, kind: str) -> str:
    """Markdown or HTML masked so markup is never reported; text as it is (a large file read in pieces has
    no directives to blank)."""
    if kind == TEXT:
        return text
    from .markup import mask  # the Markdown and HTML readers are only imported when needed

    return mask(text, kind)


# What makes a file depend on itself across paragraphs, beyond what a Scan carries: Markdown link reference
# definitions (a "[text][ref]" is a link only where "[ref]: url" is defined, anywhere in the file), and line
# breaks that are a lone "\r" (the fence and break patterns read lines by "\n").
_NOT_PIECEWISE = {
    MARKDOWN: re.compile(r"^[ \t>]*\[[^\r\n]*\]:|\r(?!\n)", re.MULTILINE),
    TEXT: re.compile(r"\r(?!\n)"),
}
_NOT_PIECEWISE[MDX] = _NOT_PIECEWISE[MARKDOWN]
_LINE_BREAK = r"(?:\r\n|\r(?!\n)|\n)"  # "\r\n" is one break, never a "\r" and then a "\n"


_paragraph_break = LazyPattern(_LINE_BREAK + r"[ \t]*" + _LINE_BREAK + r"(?=\S)")

# Where Markdown does not start afresh after a blank line: fenced code, comments, <pre>/<script>/<style>.
_fence = LazyPattern(r"^[ \t]{0,3}(`{3,}|~{3,})([^\r\n]*)", re.MULTILINE)

_raw_open = LazyPattern(r"<!--|<(?:pre|script|style|textarea)\b", re.IGNORECASE)

_comment_close = LazyPattern(r"-->")

_raw_tag_close = LazyPattern(r"</(?:pre|script|style|textarea)\s*>", re.IGNORECASE)


def _paragraph_pieces(pieces: Iterable[str], kind: str) -> Iterator[str]:
    """The text of `pieces` again, in pieces of at least PIECE_CHARS characters that end at a paragraph break
    where a Markdown reader starts afresh (every piece but the last ends just before a line's first character)."""
    buffer = ""
    first = True
    wanted = PIECE_CHARS  # the length at which to look for a cut
    for piece in pieces:
        buffer += piece
        if len(buffer) < wanted:
            continue
        cut = _last_break(buffer, kind, first)
        if cut:
            yield buffer[:cut]
            buffer, first, wanted = buffer[cut:], False, PIECE_CHARS
        else:  # no safe cut yet (a fence still open, say): look again once the buffer has doubled, so the
            wanted = 2 * len(buffer)  # rescans add up to linear time, not quadratic
    if buffer or first:
        yield buffer


def _last_break(text: str, kind: str, first: bool) -> int:
    """The offset just after the last paragraph break of `text` that is safe to cut at, or 0 for none."""
    closed = [(0, 0)]  # spans a cut must not fall inside
    if kind in MARKDOWN_KINDS:
        if first:
            from .markup import front_matter_end

            end = front_matter_end(text)
            if end is None:
                return 0  # it may close further on
            closed.append((0, end))
        closed.extend(_fenced_spans(text))
        closed.extend(_raw_spans(text))
    breaks = [m.end() for m in _paragraph_break().finditer(text)]
    for cut in reversed(breaks):
        if not any(start < cut <= end for start, end in closed):
            return cut
    return 0


def _fenced_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each fenced code block; an unclosed one runs to the end of the text."""
    opening: re.Match[str] | None = None
    for match in _fence().finditer(text):
        fence = match.group(1)
        if opening is None:
            if not (fence[0] == "`" and "`" in match.group(2)):
                opening = match
        elif fence[0] == opening.group(1)[0] and len(fence) >= len(opening.group(1)) and not match.group(2).strip():
            yield opening.start(), match.end()
            opening = None
    if opening is not None:
        yield opening.start(), len(text)


def _raw_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each HTML comment and <pre>, <script>, <style> or <textarea> element."""
    position = 0
    while True:
        match = _raw_open().search(text, position)
        if match is None:
            return
        closing = (_comment_close() if match.group() == "<!--" else _raw_tag_close()).search(text, match.end())
        end = closing.end() if closing else len(text)
        yield match.start(), end
        position = end


def _work(connection: Connection, parent: int, base: str | None, overlays: Sequence[str],
          settings: Settings) -> None:
    """A worker process: check the files it is sent, one at a time, until it is sent None.

    Signals are the main process's to act on: a Ctrl-C, SIGTERM or SIGHUP sent to the whole process group
    is ignored here, and the main process, which turns it into an exception, kills its workers (see
    `_pooled`). Any error goes back to the main process, to be raised there.
    """
    import gc
    import signal

    from .cache import compiled_checker

    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    _die_with(parent)
    gc.set_threshold(*GC_THRESHOLDS)  # inherited when the pool forks, not when it spawns
    try:
        checker = compiled_checker(base, overlays)
        while (task := connection.recv()) is not None:
            index, path = task
            connection.send((index, _lint_whole(checker, path, settings)))
    except EOFError:  # the main process is gone
        return
    except Exception as exc:  # noqa: BLE001 - a bug: reported by the main process, as in one process
        connection.send((None, exc))


def _die_with(parent: int) -> None:
    """On Linux, have the kernel kill this worker when the main process dies, even by SIGKILL, which gives
    it no chance to end its workers."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux
        return
    if os.getppid() != parent:  # it died before the request was in place
        os._exit(1)


def _lint_whole(checker: Checker, path: Path, settings: Settings) -> list[FileResult]:
    """One file's results, the parts of each path as one: a worker's result travels to the main process
    whole anyway. (A WARC file's results are of many paths, its pages.)"""
    results: list[FileResult] = []
    for part in lint_file(checker, path, settings):
        whole = results[-1] if results and results[-1].path == part.path else None
        if whole is None:
            results.append(part)
            continue
        if whole.report is not None and part.report is not None:
            whole.report.extend(part.report)
        whole.error = whole.error or part.error
    return results


def check_path(checker: Checker, path: str | Path, settings: Settings | None = None) -> Report:
    """One file checked exactly as `exocheck lint` checks it (its reader by kind, masking, suppressions,
    pieces for a large file), as one report: the library's `check_file` is this, so the two never differ.
    A WARC file's pages come back as one report. Raises InputError for a missing, unreadable or binary file."""
    results = _lint_whole(checker, Path(path), settings or Settings())
    for result in results:
        if result.error is not None or result.report is None:
            raise InputError(result.error or f"{path}: not checked")
    reports = [result.report for result in results if result.report is not None]
    if len(reports) == 1:
        return reports[0]
    report = checker.empty_report(files=0)
    for page in reports:
        report.extend(page)
    return report


def usable_cores() -> int:
    """The cores this process may run on (its affinity, e.g. under taskset or a container's cpuset)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


# Files a worker holds at once: one being checked, one waiting, so it never idles on the main process.
_IN_FLIGHT = 2


def _pooled(files: list[Path], jobs: int,
            work: tuple[str | None, Sequence[str], Settings]) -> Generator[list[FileResult], None, None]:
    """`files` checked by `jobs` worker processes, each file's results (one, or a WARC file's pages) in the
    files' order.

    Not multiprocessing.Pool: its workers share one queue lock, so a worker killed while holding it (a
    SIGTERM to the process group) left Pool.terminate() waiting forever. Here each worker has a pipe of
    its own; when the run ends, finished or interrupted, the workers are killed at once (SIGKILL: a worker
    has nothing to save), and a worker that dies has its files reported as not checked.
    """
    import multiprocessing
    from multiprocessing.connection import Connection, wait

    tasks = iter(enumerate(files))
    held: dict[Connection, list[int]] = {}  # what each live worker was sent and has not answered
    processes: list[multiprocessing.process.BaseProcess] = []
    done: dict[int, list[FileResult]] = {}  # a file's results: one, or a WARC file's pages
    following = 0  # the next result to yield

    def send(connection: Connection) -> None:
        task = next(tasks, None)
        if task is not None:
            held[connection].append(task[0])
            connection.send(task)

    try:
        for _ in range(jobs):
            mine, theirs = multiprocessing.Pipe()
            process = multiprocessing.Process(target=_work, args=(theirs, os.getpid(), *work), daemon=True)
            process.start()
            theirs.close()
            processes.append(process)
            held[mine] = []
            for _ in range(_IN_FLIGHT):
                send(mine)
        while following < len(files):
            for connection in wait([c for c, indices in held.items() if indices]):
                assert isinstance(connection, Connection)
                try:
                    index, result = connection.recv()
                except (EOFError, OSError):  # it died (killed, out of memory), maybe mid-message
                    connection.close()
                    for lost in held.pop(connection):
                        done[lost] = [FileResult(str(files[lost]), error=f"{files[lost]}: not checked "
                                                 "(the process checking it died)")]
                    if not held:  # no worker left to send the rest to
                        for lost, path in tasks:
                            done[lost] = [FileResult(str(path), error=f"{path}: not checked (no worker process left)")]
                    continue
                if isinstance(result, BaseException):
                    raise result
                held[connection].remove(index)
                done[index] = result
                send(connection)
            while following in done:
                yield done.pop(following)
                following += 1
    finally:
        for worker in processes:
            if worker.is_alive():
                worker.kill()
        for worker in processes:
            worker.join()
        for connection in held:
            connection.close()


def lint_files(
    files: list[Path], checker: Checker, settings: Settings, *, jobs: int = 1,
    kb_files: tuple[str | None, Sequence[str]] = (None, ()), on_done: Callable[[], None] | None = None,
) -> Generator[FileResult, None, None]:
    """Results for `files` in their order (a large file's in several parts). With `jobs` > 1 the files are
    checked by worker processes (each loads the same KB from `kb_files`), and the output is identical to a
    single process. There are no more workers than files or usable cores: more would only cost memory
    and start-up time."""
    jobs = min(jobs, len(files), usable_cores())
    if jobs <= 1 or len(files) < PARALLEL_THRESHOLD:
        for file in files:
            yield from lint_file(checker, file, settings)
            if on_done:
                on_done()
        return
    import contextlib

    base, overlays = kb_files
    with contextlib.closing(_pooled(files, jobs, (base, tuple(overlays), settings))) as results:
        for file_results in results:  # closing: the workers are killed as soon as this generator is closed
            yield from file_results
            if on_done:
                on_done()
