"""Compiled checkers kept in the user's cache directory, so a single check skips parsing the YAML.

Parsing and validating the KB and compiling its lexicon cost more than the rest of a one-sentence check.
An entry is keyed on the exocheck version, the matcher's code, the bytes of every KB file and of the
language file, so an edited KB or word list or an upgrade is never served stale. The cache only ever
speeds things up (see diskcache.py, which also says how to turn it off or move it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from . import __version__, checker_for, language
from .checker import Checker
from .diskcache import cache_dir, code_stamp, read_entry, write_entry
from .kb import build_kb, read_kb_files

# The modules whose classes a cached checker is made of: a change to any of them is a new key.
_CODE = ("checker.py", "claims.py", "hits.py", "kb.py", "language.py", "lexicon.py", "modality.py", "model.py",
         "normalize.py", "segment.py", "subject.py")
_MAGIC = b"exocheck-checker-cache\n"


def _key(kb_sha256: str) -> str:
    code = hashlib.sha256(__version__.encode())
    code.update(code_stamp(_CODE))
    code.update(kb_sha256.encode())
    code.update(language.LANGUAGE.sha256.encode())  # the word lists the checker's lexicon was compiled with
    return code.hexdigest()[:32]


def compiled_checker(path: str | Path | None = None, overlays: Sequence[str | Path] = ()) -> Checker:
    """The checker for a KB (the built-in one by default) and its overlays: from memory, then from the
    disk cache, else compiled (and stored for the next run)."""
    files = read_kb_files(path, overlays)
    directory = cache_dir()
    if directory is None:
        return checker_for(build_kb(files))
    language.keep_in_cache()
    try:
        entry = directory / f"checker-{_key(files.sha256)}.pickle"
    except OSError:
        return checker_for(build_kb(files))
    checker = _load(entry, files.sha256)
    if checker is None:
        checker = checker_for(build_kb(files))  # raises KnowledgeBaseError for a bad KB: never cached
        write_entry(entry, _MAGIC, checker)
    return checker


def _load(entry: Path, kb_sha256: str) -> Checker | None:
    checker = read_entry(entry, _MAGIC)
    if not isinstance(checker, Checker) or checker.kb.sha256 != kb_sha256:
        return None
    return checker
