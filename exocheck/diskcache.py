"""Data-only entries in the user's cache directory, for the compiled checkers (cache.py) and the language lists
(language.py). Only the standard library here: language.py uses it while the package is still importing.

An entry is JSON, never a pickle: reading one cannot run code, whoever wrote it. Even so, a directory is used
only if nobody else can write it (it is opened without following a symbolic link, and must be owned by the
user and not group- or world-writable), because a planted entry could still change verdicts. Entries are
regular files opened without following links, at most MAX_ENTRY_BYTES, written under an unpredictable
temporary name and renamed into place, and only the newest MAX_ENTRIES are kept.

A cache only ever speeds things up: a missing, corrupt, foreign, oversized or unusable entry or directory
is a miss, silently. `EXOCHECK_NO_CACHE=1` (the command's `--no-cache`) turns it off; `EXOCHECK_CACHE_DIR`
(`--cache-dir`) moves it (default: `$XDG_CACHE_HOME/exocheck`, else `~/.cache/exocheck`). Where the system
cannot open files relative to a directory without following links, there is no cache.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

MAX_ENTRY_BYTES = 16 * 1024 * 1024  # the built-in KB's entry is about 0.4 MiB; a 4 MiB overlay's fits too
MAX_ENTRIES = 16  # every exocheck version, KB and overlay edit makes a new entry; the oldest go
# What this module writes (and so may evict): entries, a crashed writer's temporaries, and the pickles
# earlier versions wrote, which are never read.
_OURS = re.compile(r"[a-z]+-[0-9a-f]{32}\.(?:json|pickle)|\..+\.tmp")


def _sha256() -> Any:
    """hashlib.sha256, from the interpreter's own module where it has one (`_sha2` from Python 3.12, `_sha256`
    before): importing hashlib loads OpenSSL, which took 3 ms of a 75 ms single check. Same digests."""
    import importlib

    for name in ("_sha2", "_sha256"):
        try:
            return importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256


sha256 = _sha256()
_SUPPORTED = (
    hasattr(os, "O_NOFOLLOW") and hasattr(os, "O_DIRECTORY") and hasattr(os, "geteuid")
    and {os.open, os.rename, os.unlink} <= os.supports_dir_fd and os.scandir in os.supports_fd
)


def cache_dir() -> Path | None:
    """Where cached entries are kept, or None when caching is off."""
    if os.environ.get("EXOCHECK_NO_CACHE", "") not in ("", "0") or not _SUPPORTED:
        return None
    explicit = os.environ.get("EXOCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.path.expanduser("~")
        if not os.path.isdir(home):  # a missing HOME is not ours to create (as root, we could): no cache
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "exocheck"


def code_stamp(names: tuple[str, ...]) -> bytes:
    """Size and modification time of these modules of the package: part of a key, so edited code is a new key."""
    here = Path(__file__).parent
    stamp = []
    for name in names:
        info = (here / name).stat()
        stamp.append(f"{name}:{info.st_size}:{info.st_mtime_ns};")
    return "".join(stamp).encode()


def read_entry(directory: Path, name: str, magic: bytes) -> Any:
    """The JSON value stored in the entry `name` after `magic`, or None for a missing, foreign, oversized or
    broken entry, or a directory that someone else could write."""
    folder = _open_directory(directory)
    if folder is None:
        return None
    try:
        # O_NONBLOCK: a FIFO planted under an entry's name must not block the open; files ignore it
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        with os.fdopen(os.open(name, flags, dir_fd=folder), "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_size > MAX_ENTRY_BYTES:
                return None
            raw = stream.read(MAX_ENTRY_BYTES + 1)
        if len(raw) > MAX_ENTRY_BYTES or not raw.startswith(magic):
            return None
        return json.loads(raw[len(magic):])
    except (OSError, ValueError, RecursionError):  # missing, unreadable, not JSON (or too deeply nested)
        return None
    finally:
        os.close(folder)


def write_entry(directory: Path, name: str, magic: bytes, value: Any) -> None:
    """Store `value` as JSON: written to a temporary file that nobody can guess or have planted, readable by
    the user only, then renamed into place, so a reader never sees half an entry. Failure is silent."""
    try:
        data = magic + json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except (TypeError, ValueError, RecursionError):
        return
    if len(data) > MAX_ENTRY_BYTES:
        return
    folder = _open_directory(directory, create=True)
    if folder is None:
        return
    temporary = f".{name}.{os.urandom(8).hex()}.tmp"
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        with os.fdopen(os.open(temporary, flags, 0o600, dir_fd=folder), "wb") as stream:
            stream.write(data)
        os.rename(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)  # POSIX only: replaces atomically
        _evict(folder)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary, dir_fd=folder)
    finally:
        os.close(folder)


def _open_directory(directory: Path, create: bool = False) -> int | None:
    """A descriptor of the cache directory (created 0700 if asked), or None unless it is a real directory,
    not a symbolic link, owned by this user and writable by nobody else."""
    try:
        if create:
            directory.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):
                directory.mkdir(mode=0o700)
        folder = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        info = os.fstat(folder)
    except OSError:
        info = None
    if info is None or info.st_uid != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        os.close(folder)
        return None
    return folder


def _evict(folder: int) -> None:
    """Delete all but the newest MAX_ENTRIES files this module wrote, so the directory does not grow."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if _OURS.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    found.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.name))
    for _, name in sorted(found, reverse=True)[MAX_ENTRIES:]:
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=folder)
