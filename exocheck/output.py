"""Writing the files a user names (`--output`, `--write-baseline`) without ever losing one.

A report is written to a temporary file beside its target and renamed over it only once the run has
finished, so an interrupted or failed run leaves the previous report as it was, and two runs writing the
same file leave one whole report, never a mix of both. A target that is one of the run's inputs is refused
before anything is read: a slip in `-o` must not replace a page with its own report.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from .errors import ExocheckError


class OutputError(ExocheckError):
    """A file named for output cannot be written, or would replace an input of the run."""


def cannot_write(target: Path, exc: OSError) -> OutputError:
    return OutputError(f"{target}: cannot write ({exc.strerror or exc})")


def _identity(source: Path | int) -> tuple[int, int] | None:
    """(device, inode) of a path (links followed) or an open descriptor; None if there is nothing there."""
    try:
        info = os.fstat(source) if isinstance(source, int) else os.stat(source)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file, existing (device and inode) or not yet (the same resolved path)."""
    identity = _identity(first)
    return os.path.realpath(first) == os.path.realpath(second) or (
        identity is not None and identity == _identity(second))


def refuse_inputs(targets: Sequence[tuple[str, Path]], inputs: Iterable[tuple[str, Path | int]]) -> None:
    """Raise OutputError if a target (option, path) is the same file as an input (label, path or descriptor).

    Compared by device and inode, which sees through symbolic links, hard links and spellings of a path.
    Only targets that exist are looked for, so a run writing a new file stats nothing.
    """
    existing: dict[tuple[int, int], tuple[str, Path]] = {}
    for option, target in targets:
        identity = _identity(target)
        if identity is not None:
            existing.setdefault(identity, (option, target))
    if not existing:
        return
    for label, source in inputs:
        hit = existing.get(_identity(source) or (-1, -1))
        if hit is not None:
            option, target = hit
            raise OutputError(f"{target}: {option} would replace {label}, which this run reads; name another file")


# In the head of every HTML report (formats/html_report.py).
OWN_REPORT_MARK = b'<meta name="generator" content="exocheck report">'


def is_own_report(path: Path) -> bool:
    """Whether an existing file is an HTML report exocheck wrote (its mark is in the first 4 KiB): a run
    writing it again may replace it, and does not read it as a page. Anything else a run reads is refused."""
    with contextlib.suppress(OSError), open(path, "rb") as stream:
        return OWN_REPORT_MARK in stream.read(4096)
    return False


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Replacement:
    """A file on its way to `target`: written to a temporary file in the target's directory (so the rename is
    atomic) that replaces the target on `commit` and is removed otherwise, also when the run is interrupted.

    The report keeps an existing target's mode (and owner, where allowed) and gets the usual umask mode
    when new; a symbolic link keeps pointing at it. A target that is not a regular file (/dev/null, a pipe,
    `>(gzip > r.gz)`, /dev/stdout) has nothing to replace and is written in place, appended to.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        self._temporary: str | None = None
        try:
            try:
                info: os.stat_result | None = os.stat(target)
            except FileNotFoundError:
                info = None
            if info is not None and (not stat.S_ISREG(info.st_mode) or _names_a_stream(target)):
                # appending: /dev/stdout after `>> log` must not cut the log short (a device or pipe has no end)
                self.stream: TextIO = open(target, "a", encoding="utf-8")  # noqa: SIM115 - closed by commit/discard
                return
            self._final = os.path.realpath(target)
            folder, name = os.path.split(self._final)
            descriptor, self._temporary = tempfile.mkstemp(prefix=f".{name[:64]}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise cannot_write(target, exc) from None
        try:
            os.fchmod(descriptor, stat.S_IMODE(info.st_mode) if info else 0o666 & ~_umask())
            if info is not None and (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                with contextlib.suppress(OSError):
                    os.fchown(descriptor, info.st_uid, info.st_gid)
            self.stream = os.fdopen(descriptor, "w", encoding="utf-8")
        except BaseException:
            os.close(descriptor)
            os.unlink(self._temporary)
            raise

    def commit(self) -> None:
        """Make what was written the target's content: on disk first, then renamed over the target at once."""
        try:
            self.stream.flush()
            if self._temporary is not None:
                os.fsync(self.stream.fileno())
            self.stream.close()
            if self._temporary is not None:
                os.replace(self._temporary, self._final)
                self._temporary = None
        except OSError as exc:
            self.discard()
            raise cannot_write(self.target, exc) from None

    def discard(self) -> None:
        """Leave the target as it was: the temporary file is removed (after a commit, nothing is left to do)."""
        with contextlib.suppress(OSError):
            self.stream.close()
        if self._temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._temporary)
            self._temporary = None


def _names_a_stream(target: Path) -> bool:
    """/dev/stdout and /proc/self/fd/N lead to a regular file when the shell redirects to one; replacing that
    file would drop what the shell appended to it (`>> log`), so it is written in place like a device."""
    return os.path.abspath(target).startswith(("/dev/", "/proc/"))
