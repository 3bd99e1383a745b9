"""Compiled checkers kept in the user's cache directory, so a single check skips parsing the YAML.

Parsing and validating the KB and compiling its lexicon cost more than the rest of a one-sentence check.
An entry holds them as plain JSON data (see diskcache.py: nothing read from the cache can run code),
rebuilt into the checker's objects without parsing or validating again. It is keyed on the exocheck
version, the matcher's code, the bytes of every KB file and of the language file, so an edited KB or word
list or an upgrade is never served stale. The cache only ever speeds things up.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import language
from .checker import Checker, checker_for
from .diskcache import cache_dir, code_stamp, read_entry, sha256, write_entry
from .kb import (
    Claim,
    CueFamily,
    KbFiles,
    KnowledgeBase,
    Predicates,
    Source,
    Subjects,
    Topic,
    build_kb,
    read_kb_files,
)
from .lexicon import Lexicon
from .record import as_dict
from .version import __version__

# The modules whose data a cached checker is made of: a change to any of them is a new key.
_CODE = ("cache.py", "checker.py", "claims.py", "hits.py", "kb.py", "language.py", "lexicon.py", "modality.py",
         "model.py", "normalize.py", "segment.py", "subject.py")
_MAGIC = b"exocheck-checker-cache 2\n"


def _key(kb_sha256: str) -> str:
    code = sha256(__version__.encode())
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
        name = f"checker-{_key(files.sha256)}.json"
    except OSError:
        return checker_for(build_kb(files))
    checker = _load(read_entry(directory, name, _MAGIC), files)
    if checker is None:
        checker = checker_for(build_kb(files))  # raises KnowledgeBaseError for a bad KB: never cached
        write_entry(directory, name, _MAGIC, _as_data(checker))
    return checker


def _as_data(checker: Checker) -> dict[str, Any]:
    """What is expensive to build, as plain data: the validated KB and the compiled lexicon."""
    return {"kb": as_dict(checker.kb), "lexicon": checker.lexicon.as_data()}


def _load(data: Any, files: KbFiles) -> Checker | None:
    """The checker stored by `_as_data` for these KB files, or None for a damaged or foreign entry."""
    try:
        kb = _knowledge_base(data["kb"], files)
        lexicon = Lexicon.from_data(data["lexicon"])
    except (TypeError, KeyError, ValueError, AttributeError, RecursionError):
        return None
    if kb.sha256 != files.sha256:
        return None
    return Checker(kb, lexicon)


def _knowledge_base(data: dict[str, Any], files: KbFiles) -> KnowledgeBase:
    """The KB from `as_dict`'s output, lists back to tuples; its files named as given this time."""
    claims = {}
    for claim_id, claim in data["claims"].items():
        families = tuple(CueFamily(**_tuples(family)) for family in claim["families"])
        claims[claim_id] = Claim(**{**_tuples(claim), "families": families})
    return KnowledgeBase(
        version=data["version"], sha256=data["sha256"], path=files.names[0],
        sources={key: Source(**value) for key, value in data["sources"].items()},
        subjects=Subjects(**_tuples(data["subjects"])), predicates=Predicates(**_tuples(data["predicates"])),
        topics={key: Topic(**_tuples(value)) for key, value in data["topics"].items()}, claims=claims,
        overlays=files.names[1:],
    )


def _tuples(fields: dict[str, Any]) -> dict[str, Any]:
    """A dataclass's fields with JSON's lists made tuples again, nested ones too."""
    return {key: _tuple(value) for key, value in fields.items()}


def _tuple(value: Any) -> Any:
    return tuple(_tuple(item) for item in value) if isinstance(value, list) else value
