"""Which files `exocheck lint` reads: directories walked in a stable order, include and exclude globs,
and .gitignore files respected, as users of ruff or markdownlint expect."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .config import Settings, glob_match


@dataclass(frozen=True)
class _IgnoreRule:
    base: Path  # the directory of the .gitignore that holds the rule
    pattern: str
    negated: bool


def _read_gitignore(directory: Path) -> list[_IgnoreRule]:
    try:
        lines = (directory / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    rules = []
    for line in lines:
        line = line.rstrip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        rules.append(_IgnoreRule(directory, line[1:] if negated else line, negated))
    return rules


def _ignored(path: Path, rules: list[_IgnoreRule]) -> bool:
    """Git's rule: the last matching pattern decides, and `!` re-includes."""
    ignored = False
    for rule in rules:
        try:
            relative = PurePosixPath(path.relative_to(rule.base).as_posix())
        except ValueError:
            continue
        if glob_match(relative, rule.pattern):
            ignored = not rule.negated
    return ignored


def _enclosing_rules(directory: Path) -> list[_IgnoreRule]:
    """.gitignore rules from the directories above `directory`, up to the repository root."""
    rules: list[_IgnoreRule] = []
    chain = []
    for folder in (directory, *directory.parents):
        chain.append(folder)
        if (folder / ".git").exists():
            break
    else:
        return []
    for folder in reversed(chain[1:]):
        rules.extend(_read_gitignore(folder))
    return rules


def discover(paths: list[Path], settings: Settings) -> tuple[list[Path], list[str]]:
    """Files to lint, in a stable order without repeats, and the paths that do not exist.

    A file named explicitly is always read (unless excluded); directories are walked for files matching
    `include`, skipping hidden directories, `exclude` globs and .gitignore'd paths. Symbolic links to
    directories are not followed, so a link loop cannot hang the walk.
    """
    files: list[Path] = []
    missing: list[str] = []
    seen: set[str] = set()

    def add(file: Path) -> None:
        key = os.path.normcase(os.path.abspath(file))
        if key not in seen and not settings.matches(str(file), settings.exclude):
            seen.add(key)
            files.append(file)

    for given in paths:
        if given.is_dir():
            for file in _walk(given, settings):
                add(file)
        elif given.exists() or given.is_symlink():
            add(given)
        else:
            missing.append(str(given))
    return files, missing


def _walk(top: Path, settings: Settings) -> list[Path]:
    found: list[Path] = []
    base_rules = _enclosing_rules(top.resolve())
    rules_by_dir: dict[str, list[_IgnoreRule]] = {}
    for root, dirs, names in os.walk(top):
        here = Path(root)
        inherited = rules_by_dir.get(root, base_rules)
        rules = inherited + _read_gitignore(here.resolve())
        kept_dirs = []
        for name in sorted(dirs):
            child = here / name
            if name.startswith(".") or settings.matches(str(child), settings.exclude):
                continue
            if _ignored(child.resolve(), rules):
                continue
            rules_by_dir[str(child)] = rules
            kept_dirs.append(name)
        dirs[:] = kept_dirs
        for name in sorted(names):
            file = here / name
            if name.startswith(".") or not any(glob_match(PurePosixPath(name), p) for p in settings.include):
                continue
            if _ignored(file.resolve(), rules):
                continue
            found.append(file)
    return found
