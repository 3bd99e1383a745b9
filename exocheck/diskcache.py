"""Pickled entries in the user's cache directory, for the compiled checkers (cache.py) and the language lists
(language.py). Only the standard library here: language.py uses it while the package is still importing.

A cache only ever speeds things up: a missing, corrupt, foreign or unwritable entry is a miss, silently.
`EXOCHECK_NO_CACHE=1` turns it off; `EXOCHECK_CACHE_DIR` moves it (default: `$XDG_CACHE_HOME/exocheck`,
else `~/.cache/exocheck`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
from pathlib import Path


def cache_dir() -> Path | None:
    """Where cached entries are kept, or None when caching is off."""
    if os.environ.get("EXOCHECK_NO_CACHE", "") not in ("", "0"):
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


def read_entry(entry: Path, magic: bytes) -> object | None:
    """The object pickled in `entry` after `magic`, or None for a missing, foreign or broken entry."""
    try:
        raw = entry.read_bytes()
    except OSError:
        return None
    if not raw.startswith(magic):
        return None
    try:
        return pickle.loads(raw[len(magic):])
    except Exception:  # noqa: BLE001 - a truncated or foreign file is only a cache miss
        return None


def write_entry(entry: Path, magic: bytes, value: object) -> None:
    """Write atomically (a temporary file renamed into place), readable by the user only."""
    temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(magic)
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except (OSError, pickle.PicklingError, RecursionError):
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
