"""Which files `exocheck lint` reads: directories walked in a stable order, include and exclude globs,
and .gitignore files respected, as users of ruff or markdownlint expect."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .config import Settings, git_match, git_pattern, glob_match


@dataclass(frozen=True)
class _IgnoreRule:
    base: Path  # the directory of the .gitignore that holds the rule (the repository's, for info/exclude)
    pattern: tuple[tuple[object, ...], bool]  # compiled by git_pattern
    negated: bool


def _read_gitignore(directory: Path, name: str = ".gitignore") -> list[_IgnoreRule]:
    """The rules of directory/name, read as git reads them: "#" starts a comment, "!" negates, "\\#" and
    "\\!" are literal, trailing spaces are dropped unless escaped ("\\ ")."""
    try:
        lines = (directory / name).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    rules = []
    for line in lines:
        stripped = line.rstrip(" ")
        if stripped.endswith("\\") and len(stripped) < len(line):
            stripped += " "  # "\\ " keeps one space
        if not stripped or stripped.startswith("#"):
            continue
        negated = stripped.startswith("!")
        compiled = git_pattern(stripped[1:] if negated else stripped)
        if compiled is not None:
            rules.append(_IgnoreRule(directory, compiled, negated))
    return rules


def _ignored(path: Path, is_dir: bool, rules: list[_IgnoreRule]) -> bool:
    """Git's rule: the last pattern that matches the whole path (relative to its .gitignore) decides, and
    `!` re-includes. A path below an ignored directory is never reached: the walk does not enter it."""
    ignored = False
    for rule in rules:
        try:
            relative = path.relative_to(rule.base).as_posix()
        except ValueError:
            continue
        if relative != "." and git_match(relative, rule.pattern, is_dir):
            ignored = not rule.negated
    return ignored


def _enclosing_rules(directory: Path) -> tuple[list[_IgnoreRule], bool]:
    """.git/info/exclude and the .gitignore rules from the directories above `directory`, up to the
    repository root, and whether `directory` or a directory between it and the root is ignored (git does
    not look inside an ignored directory, so nothing in it is listed)."""
    chain = []
    for folder in (directory, *directory.parents):
        chain.append(folder)
        if _exists(folder / ".git"):
            break
    else:
        return [], False
    root = chain[-1]
    rules = [_IgnoreRule(root, rule.pattern, rule.negated) for rule in _read_gitignore(root / ".git", "info/exclude")]
    inside_ignored = False
    for folder in reversed(chain[1:]):
        rules.extend(_read_gitignore(folder))
        inside_ignored = inside_ignored or _ignored(chain[chain.index(folder) - 1], True, rules)
    return rules, inside_ignored


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
        try:
            is_dir, present = given.is_dir(), given.exists() or given.is_symlink()
        except OSError:  # e.g. inside a directory we may not search: read_file reports why
            is_dir, present = False, True
        if is_dir:
            for file in _walk(given, settings):
                add(file)
        elif present:
            add(given)
        else:
            missing.append(str(given))
    return files, missing


def _walk(top: Path, settings: Settings) -> list[Path]:
    """Files under `top`, depth first with names sorted (a directory's files before its subdirectories').

    Iterative, so a deeply nested tree cannot exhaust the recursion limit (os.walk recurses before Python
    3.12), and without resolving each path again (that costs one system call per level, quadratic in the
    depth). Regular files and symbolic links that are not to directories are kept, so a broken link or a
    link loop is reported when it is read; pipes, sockets and devices are not text and are skipped. A
    directory that cannot be listed is returned as it is, and reading it reports why.
    """
    found: list[Path] = []
    included = _name_test(settings.include)
    real_top = top.resolve()
    enclosing, inside_ignored = _enclosing_rules(real_top)
    if inside_ignored:
        return found
    stack: list[tuple[Path, Path, list[_IgnoreRule]]] = [(top, real_top, enclosing)]
    while stack:
        here, real, inherited = stack.pop()
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            found.append(here)
            continue
        rules = inherited + _read_gitignore(real)
        subdirectories = []
        for entry in entries:
            name, path = entry.name, here / entry.name
            if name.startswith("."):
                continue
            if _is_directory(entry):
                if not entry.is_symlink() and not settings.matches(str(path), settings.exclude) \
                        and not _ignored(real / name, True, rules):
                    subdirectories.append((path, real / name, rules))
            elif (entry.is_symlink() or _is_regular(entry)) and included(name) \
                    and not (rules and _ignored(real / name, False, rules)):
                found.append(path)
        stack.extend(reversed(subdirectories))
    return found


def _name_test(include: tuple[str, ...]) -> Callable[[str], bool]:
    """Whether a file's name matches one of the `include` globs. Globs that are a "*" and a plain ending (all the
    default ones: "*.md", "*.html") match a name, which has no "/", exactly when it ends so: tested with
    endswith instead of the glob matcher, which reads a name a character at a time."""
    if all(_plain_ending(pattern) for pattern in include):
        endings = tuple(pattern[1:] for pattern in include)
        return lambda name: name.endswith(endings)
    return lambda name: any(glob_match(PurePosixPath(name), pattern) for pattern in include)


def _plain_ending(pattern: str) -> bool:
    """Whether a glob is "*" and then characters that stand for themselves (see config.git_pattern)."""
    return pattern.startswith("*") and len(pattern) > 1 and pattern == pattern.strip() \
        and not any(char in pattern[1:] for char in "*?[\\/")


def _exists(path: Path) -> bool:
    """Path.exists(), False inside a directory we may not search (where it raises PermissionError)."""
    try:
        return path.exists()
    except OSError:
        return False


def _is_directory(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_regular(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return False
