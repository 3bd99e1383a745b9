"""Compiled checkers kept in the user's cache directory, so a single check skips parsing the YAML.

Parsing and validating the KB and compiling its lexicon cost more than the rest of a one-sentence check.
An entry is keyed on the exocheck version, the matcher's code and the bytes of every KB file, so an edited
KB or an upgrade is never served stale. The cache only ever speeds things up: a missing, corrupt, foreign
or unwritable cache falls back to compiling, silently. `EXOCHECK_NO_CACHE=1` turns it off;
`EXOCHECK_CACHE_DIR` moves it (default: `$XDG_CACHE_HOME/exocheck`, else `~/.cache/exocheck`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path
from typing import Sequence

from . import __version__, checker_for
from .checker import Checker
from .kb import build_kb, read_kb_files

# The modules whose classes a cached checker is made of: a change to any of them is a new key.
_CODE = ("checker.py", "kb.py", "lexicon.py", "modality.py", "model.py", "normalize.py", "segment.py")
_MAGIC = b"exocheck-checker-cache\n"


def cache_dir() -> Path | None:
    """Where compiled checkers are kept, or None when caching is off."""
    if os.environ.get("EXOCHECK_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("EXOCHECK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "exocheck"


def _key(kb_sha256: str) -> str:
    here = Path(__file__).parent
    code = hashlib.sha256(__version__.encode())
    for name in _CODE:
        info = (here / name).stat()
        code.update(f"{name}:{info.st_size}:{info.st_mtime_ns};".encode())
    code.update(kb_sha256.encode())
    return code.hexdigest()[:32]


def compiled_checker(path: str | Path | None = None, overlays: Sequence[str | Path] = ()) -> Checker:
    """The checker for a KB (the built-in one by default) and its overlays: from memory, then from the
    disk cache, else compiled (and stored for the next run)."""
    files = read_kb_files(path, overlays)
    directory = cache_dir()
    if directory is None:
        return checker_for(build_kb(files))
    try:
        entry = directory / f"checker-{_key(files.sha256)}.pickle"
    except OSError:
        return checker_for(build_kb(files))
    checker = _load(entry, files.sha256)
    if checker is None:
        checker = checker_for(build_kb(files))  # raises KnowledgeBaseError for a bad KB: never cached
        _store(entry, checker)
    return checker


def _load(entry: Path, kb_sha256: str) -> Checker | None:
    try:
        raw = entry.read_bytes()
    except OSError:
        return None
    if not raw.startswith(_MAGIC):
        return None
    try:
        checker = pickle.loads(raw[len(_MAGIC):])
    except Exception:  # noqa: BLE001 - a truncated or foreign file is only a cache miss
        return None
    if not isinstance(checker, Checker) or checker.kb.sha256 != kb_sha256:
        return None
    return checker


def _store(entry: Path, checker: Checker) -> None:
    """Write atomically (a temporary file renamed into place), readable by the user only."""
    temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(_MAGIC)
            pickle.dump(checker, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, entry)
    except (OSError, pickle.PicklingError, RecursionError):
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
