"""Project settings: `[tool.exocheck]` in pyproject.toml or a `.exocheck.toml`, found by walking up.

Every effective setting remembers where it came from (a file, a flag or the default) so `exocheck config`
can show it; command-line flags always win over files.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import ExocheckError, unquoted
from .formats import registry
from .model import FAIL_ON
from .patterns import LazyPattern
from .record import FrozenRecord, Record

CONFIG_FILES = (".exocheck.toml", "pyproject.toml")
DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.mdx", "*.html", "*.htm", "*.txt", "*.text", "*.warc", "*.warc.gz")
FORMATS = registry.NAMES
KEYS = ("fail-on", "format", "show-accurate", "include", "exclude", "disable", "kb", "overrides")
OVERRIDE_KEYS = ("paths", "disable", "fail-on")
MAX_CONFIG_BYTES = 1024 * 1024  # a pyproject.toml is a few KiB


class ConfigError(ExocheckError):
    """A configuration file is unreadable or has a wrong value; the message names the file."""


class Override(FrozenRecord):
    """Settings for paths matching `paths` (globs relative to the config file's directory)."""

    __slots__ = ("paths", "disable", "fail_on")  # noqa: RUF023  # the fields in order, as repr and == take them

    paths: tuple[str, ...]
    disable: tuple[str, ...]
    fail_on: str | None

    def __init__(self, paths: tuple[str, ...], disable: tuple[str, ...] = (), fail_on: str | None = None) -> None:
        self._fill(paths, disable, fail_on)


class Settings(Record):
    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "fail_on", "format", "show_accurate", "include", "exclude", "disable", "kb", "overrides", "root", "file",
        "origins",
    )

    fail_on: str
    format: str
    show_accurate: bool | None  # None: as the format does (see formats.registry)
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    disable: tuple[str, ...]
    kb: tuple[str, ...]
    overrides: tuple[Override, ...]
    root: Path  # globs are relative to this directory
    file: Path | None
    origins: dict[str, str]

    def __init__(self, fail_on: str = "error", format: str = "text", show_accurate: bool | None = None,
                 include: tuple[str, ...] = DEFAULT_INCLUDE, exclude: tuple[str, ...] = (),
                 disable: tuple[str, ...] = (), kb: tuple[str, ...] = (), overrides: tuple[Override, ...] = (),
                 root: Path | None = None, file: Path | None = None, origins: dict[str, str] | None = None) -> None:
        self.fail_on = fail_on
        self.format = format
        self.show_accurate = show_accurate
        self.include = include
        self.exclude = exclude
        self.disable = disable
        self.kb = kb
        self.overrides = overrides
        self.root = Path.cwd() if root is None else root
        self.file = file
        self.origins = {} if origins is None else origins

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")

    def shows_accurate(self) -> bool:
        """Whether accurate findings are reported: as set, else as the format does (the CI formats do not)."""
        if self.show_accurate is not None:
            return self.show_accurate
        return registry.FORMATS[self.format].shows_accurate

    def disabled_for(self, path: str) -> set[str]:
        disabled = set(self.disable)
        for override in self.overrides:
            if self.matches(path, override.paths):
                disabled.update(override.disable)
        return disabled

    def fail_on_for(self, path: str) -> str:
        threshold = self.fail_on
        for override in self.overrides:
            if override.fail_on and self.matches(path, override.paths):
                threshold = override.fail_on
        return threshold

    def matches(self, path: str, patterns: tuple[str, ...]) -> bool:
        """Whether `path` (as given on the command line) matches a glob relative to the config root."""
        if not patterns:  # no resolve(): it costs a system call per directory level of `path`
            return False
        try:
            relative = PurePosixPath(Path(path).resolve().relative_to(self.root.resolve()).as_posix())
        except ValueError:
            relative = PurePosixPath(Path(path).as_posix())
        return any(glob_match(relative, pattern) for pattern in patterns)


def glob_match(path: PurePosixPath, pattern: str) -> bool:
    """Whether a config or --exclude glob matches `path`, with git's wildmatch rules (see `git_pattern`):
    `*`, `?` and `[...]` within a name, `**` as a whole name across directories, `\\` escaping the next
    character; a pattern without `/` (but a trailing one) matches a name at any depth, one with `/` is
    anchored at the base directory. A match on a directory covers everything below it, and a trailing `/`
    is accepted (these globs name paths on the command line, which may not exist).

    Patterns come from config files, flags and .gitignore files, so they are matched in time linear in
    the path whatever they hold (see `_glob_accepts`), never by a backtracking regular expression."""
    compiled = git_pattern(pattern.strip())
    parts = path.parts
    if compiled is None or not parts:
        return False
    ends, end = set(), -1
    for part in parts:
        end += len(part) + 1
        ends.add(end)  # where each leading directory ("a", "a/b", ...) ends in the joined path
    return _glob_accepts(compiled[0], "/".join(parts), ends)


def git_match(relative: str, pattern: tuple[tuple[object, ...], bool], is_dir: bool) -> bool:
    """Whether a compiled .gitignore pattern matches the whole of `relative` (a path below the .gitignore's
    directory, "/"-separated); a pattern ending in `/` matches only a directory."""
    tokens, dir_only = pattern
    return (is_dir or not dir_only) and _glob_accepts(tokens, relative, {len(relative)})


_SKIP_DIRS = "(**/)"  # the start of "**/", which is "**" then "/", or nothing at all
_POSIX_CLASSES = {"alnum": str.isalnum, "alpha": str.isalpha, "blank": lambda c: c in " \t",
                  "cntrl": lambda c: ord(c) < 32 or ord(c) == 127, "digit": lambda c: "0" <= c <= "9",
                  "graph": lambda c: c.isprintable() and not c.isspace(), "lower": str.islower,
                  "print": lambda c: c.isprintable(), "punct": lambda c: c.isascii() and c.isprintable()
                  and not c.isalnum() and not c.isspace(), "space": str.isspace, "upper": str.isupper,
                  "xdigit": lambda c: c in "0123456789abcdefABCDEF"}


class _CharClass(FrozenRecord):
    """A bracket expression: `[abc]`, `[a-z]`, `[!x]` or `[^x]`, `[[:digit:]]`; it never matches "/"."""

    __slots__ = ("negated", "ranges", "named")  # noqa: RUF023  # the fields in order, as repr and == take them

    negated: bool
    ranges: tuple[tuple[str, str], ...]
    named: tuple[str, ...]

    def __init__(self, negated: bool, ranges: tuple[tuple[str, str], ...], named: tuple[str, ...]) -> None:
        self._fill(negated, ranges, named)

    def accepts(self, char: str) -> bool:
        if char == "/":
            return False
        hit = any(low <= char <= high for low, high in self.ranges) \
            or any(_POSIX_CLASSES[name](char) for name in self.named)
        return hit != self.negated


def _char_class(pattern: str, index: int) -> tuple[_CharClass, int] | None:
    """The bracket expression opening at pattern[index] and the index after it, or None if it is not closed
    (the "[" is then a literal character)."""
    index += 1
    negated = index < len(pattern) and pattern[index] in "!^"
    index += negated
    ranges: list[tuple[str, str]] = []
    named: list[str] = []
    first = True
    while index < len(pattern):
        char = pattern[index]
        if char == "]" and not first:
            return _CharClass(negated, tuple(ranges), tuple(named)), index + 1
        first = False
        if char == "[" and pattern.startswith("[:", index):
            close = pattern.find(":]", index + 2)
            name = pattern[index + 2:close] if close >= 0 else ""
            if name not in _POSIX_CLASSES:
                return None  # git refuses an unknown class: the pattern matches nothing, like an unclosed one
            named.append(name)
            index = close + 2
            continue
        if char == "\\":
            index += 1
            if index == len(pattern):
                return None
            char = pattern[index]
        low = char
        index += 1
        if index + 1 < len(pattern) and pattern[index] == "-" and pattern[index + 1] != "]":
            index += 1
            high = pattern[index]
            if high == "\\" and index + 1 < len(pattern):
                index += 1
                high = pattern[index]
            index += 1
            ranges.append((low, high))
        else:
            ranges.append((low, low))
    return None


@lru_cache(maxsize=1024)
def git_pattern(pattern: str) -> tuple[tuple[object, ...], bool] | None:
    """A glob compiled as git's wildmatch reads it: the tokens (literal characters, "?", "*" within a name,
    "**" across names, _SKIP_DIRS for "**/" as any leading directories or none, _CharClass) and whether it
    names only directories (a trailing "/"). None for an empty pattern or a trailing lone backslash, which
    git never matches. A pattern with no "/" but a trailing one matches a name at any depth; any other is
    anchored at the base (a leading "/" only anchors). Two stars that are not a whole name are one star."""
    dir_only = pattern.endswith("/") and not pattern.endswith("\\/")
    pattern = pattern.rstrip("/") if dir_only else pattern
    if not pattern:
        return None
    unescaped = re.sub(r"\\.", "", pattern)
    tokens: list[object] = []
    if "/" not in unescaped:
        tokens.extend((_SKIP_DIRS, "**", "/"))
    elif pattern.startswith("/"):
        pattern = pattern[1:]
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "*":
            stop = index
            while stop < len(pattern) and pattern[stop] == "*":
                stop += 1
            whole = (index == 0 or pattern[index - 1] == "/") and (stop == len(pattern) or pattern[stop] == "/")
            if whole and stop - index >= 2 and stop < len(pattern):
                tokens.extend((_SKIP_DIRS, "**", "/"))
                stop += 1
            else:
                tokens.append("**" if whole and stop - index >= 2 else "*")
            index = stop
        elif char == "[":
            parsed = _char_class(pattern, index)
            if parsed is None:
                tokens.append(char)
                index += 1
            else:
                tokens.append(parsed[0])
                index = parsed[1]
        elif char == "\\":
            if index + 1 == len(pattern):
                return None
            escaped = pattern[index + 1]  # an escaped "*" or "?" is a one-character class, not a wildcard
            tokens.append(_CharClass(False, ((escaped, escaped),), ()) if escaped in "*?" else escaped)
            index += 2
        else:
            tokens.append(char)
            index += 1
    return tuple(tokens), dir_only


def _glob_accepts(tokens: tuple[object, ...], text: str, ends: set[int]) -> bool:
    """Whether `tokens` match text[:end] for some end in `ends`: the glob run as a set of states (how many
    tokens are matched) over the characters, so at most len(tokens) + 1 states per character. A regular
    expression such as "a[^/]*a[^/]*a[^/]*b" backtracks for hours on a long name of "a"s."""
    final = len(tokens)

    def closure(states: set[int]) -> set[int]:
        """Add the states reached without reading a character: past a "*" or "**" that matches nothing,
        into a "**/" or past all of it."""
        out, todo = set(), list(states)
        while todo:
            state = todo.pop()
            if state not in out:
                out.add(state)
                if state < final and tokens[state] in ("**", "*"):
                    todo.append(state + 1)
                elif state < final and tokens[state] == _SKIP_DIRS:
                    todo.extend((state + 1, state + 3))
        return out

    states = closure({0})
    for index, char in enumerate(text):
        if index in ends and final in states:
            return True
        step = set()
        for state in states - {final}:
            token = tokens[state]
            if token == "**" or (token == "*" and char != "/"):
                step.add(state)
            elif (token == "?" and char != "/") or token == char \
                    or (isinstance(token, _CharClass) and token.accepts(char)):
                step.add(state + 1)
        if not step:
            return False
        states = closure(step)
    return len(text) in ends and final in states


def _toml_load(path: Path) -> dict:
    """A config file parsed. Its errors give the place and kind, never the file's text: the file found or
    named may not be a config at all (a secrets file, say), and tomllib quotes keys and characters."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    text = _read_config(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {unquoted(str(exc))}") from None
    except RecursionError:  # tomllib parses nested arrays and inline tables recursively
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None


def _read_config(path: Path) -> str:
    """A config file's text: a regular file of at most MAX_CONFIG_BYTES, decided from its size before
    reading (and by reading no more, if the size lies), so a mistaken or hostile file costs nothing."""
    too_big = ConfigError(f"{path}: configuration file larger than {MAX_CONFIG_BYTES // 1024 // 1024} MiB; not read")
    try:
        # O_NONBLOCK: a FIFO swapped in for the file must not block the open
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)), "rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ConfigError(f"{path}: not a regular file")
            if info.st_size > MAX_CONFIG_BYTES:
                raise too_big
            raw = stream.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise too_big
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 (first bad byte at offset {exc.start})") from None


def _stat_is(path: Path, test: Callable[[Path], bool]) -> bool:
    """Path.is_dir() or is_file(), False inside a directory we may not search (where they raise)."""
    try:
        return test(path)
    except OSError:
        return False


def find_config(start: Path) -> tuple[Path, dict] | None:
    """The nearest `.exocheck.toml`, or pyproject.toml with a [tool.exocheck] table, at or above `start`;
    in one directory `.exocheck.toml` wins, as ruff's own file wins over pyproject.toml."""
    directory = start if _stat_is(start, Path.is_dir) else start.parent
    for folder in (directory.resolve(), *directory.resolve().parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not _stat_is(candidate, Path.is_file):
                continue
            data = _toml_load(candidate)
            if name == "pyproject.toml":
                table = data.get("tool", {}).get("exocheck")
                if table is None:
                    continue
                return candidate, table
            return candidate, data.get("tool", {}).get("exocheck", data)
    return None


def named_config(path: Path) -> tuple[Path, dict]:
    """The file given with --config, read as if it had been found: a pyproject.toml must have a
    [tool.exocheck] table (naming one without it is a mistake, not an empty configuration)."""
    data = _toml_load(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("exocheck")
        if table is None:
            raise ConfigError(f"{path}: no [tool.exocheck] table")
        return path, table
    return path, data.get("tool", {}).get("exocheck", data)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ConfigError(f"{where} must be a string or a list of strings")


def _choice(value: Any, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        raise ConfigError(f"{where} is {value!r}; expected one of: {', '.join(choices)}")
    return value


def load_settings(start: Path, config: Path | None = None) -> Settings:
    """Settings from the file `config` (--config) or else the one found from `start` (a linted path or the
    current directory)."""
    found = named_config(config) if config is not None else find_config(start)
    if found is None:
        return Settings()
    path, table = found
    where = f"{path} [tool.exocheck]" if path.name == "pyproject.toml" else str(path)
    section = "[tool.exocheck] " if path.name == "pyproject.toml" else ""
    settings = Settings(root=path.parent, file=path)
    for key, value in table.items():
        place = f"{_place(path, _MAIN_TABLES, key)}: {section}"
        if key not in KEYS:
            raise ConfigError(f"{place}unknown setting {key!r}; known: {', '.join(KEYS)}")
        label = f"{place}{key}"
        if key == "fail-on":
            settings.fail_on = _choice(value, FAIL_ON, label)
        elif key == "format":
            settings.format = _choice(value, FORMATS, label)
        elif key == "show-accurate":
            if not isinstance(value, bool):
                raise ConfigError(f"{label} is {value!r}; expected true or false")
            settings.show_accurate = value
        elif key == "include":
            settings.include = _strings(value, label)
        elif key == "exclude":
            settings.exclude = _strings(value, label)
        elif key == "disable":
            settings.disable = _strings(value, label)
        elif key == "kb":
            settings.kb = tuple(str(path.parent / p) for p in _strings(value, label))
        elif key == "overrides":
            settings.overrides = _overrides(value, path, section, label)
        settings.origins[key] = where
    return settings


def _overrides(value: Any, path: Path, section: str, where: str) -> tuple[Override, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where} must be an array of tables ([[tool.exocheck.overrides]])")
    out = []
    for index, table in enumerate(value, 1):
        def label(key: str) -> str:
            return f"{_place(path, _OVERRIDE_TABLES, key, index)}: {section}overrides[{index}].{key}"  # noqa: B023 - called only in this iteration

        unknown = sorted(set(table) - set(OVERRIDE_KEYS))
        if unknown:
            raise ConfigError(f"{label(unknown[0])} is not a setting; known: {', '.join(OVERRIDE_KEYS)}")
        if "paths" not in table:
            raise ConfigError(f"{_place(path, _OVERRIDE_TABLES, '', index)}: {section}overrides[{index}]: "
                              "'paths' is required")
        out.append(Override(
            paths=_strings(table["paths"], label("paths")),
            disable=_strings(table.get("disable", []), label("disable")),
            fail_on=_choice(table["fail-on"], FAIL_ON, label("fail-on")) if "fail-on" in table else None,
        ))
    return tuple(out)


_MAIN_TABLES = ("tool.exocheck", "")  # "" is the top level of an .exocheck.toml
_OVERRIDE_TABLES = ("tool.exocheck.overrides", "overrides")


_table_header = LazyPattern(r"\s*\[\[?([^\[\]]+)\]\]?\s*(?:#.*)?$")


def _place(path: Path, tables: tuple[str, ...], key: str, index: int = 1) -> str:
    """`path:line` of `key` in the `index`-th of `tables` (or of that table's header when `key` is ""),
    or just `path`. tomllib reports no positions for values, so a bad value is found by a plain scan of
    the lines; keys written as dotted keys or in inline tables are not found, and then no line is given.
    """
    try:
        lines = _read_config(path).splitlines()
    except ConfigError:
        return str(path)
    assignment = re.compile(rf"""\s*["']?{re.escape(key)}["']?\s*=""")
    current, seen = "", {"": 1}
    for number, line in enumerate(lines, 1):
        header = _table_header().match(line)
        if header:
            current = ".".join(part.strip().strip("\"'") for part in header.group(1).split("."))
            seen[current] = seen.get(current, 0) + 1
            if not key and current in tables and seen[current] == index:
                return f"{path}:{number}"
        elif key and current in tables and seen[current] == index and assignment.match(line):
            return f"{path}:{number}"
    return str(path)


def check_claim_ids(settings: Settings, known: frozenset[str], flagged: Sequence[str] = ()) -> None:
    """Refuse a claim id the knowledge base (with its overlays) does not have, as ruff refuses unknown
    codes: a typo in `disable` would otherwise disable nothing, silently. `flagged` are the --disable ids."""
    section = "[tool.exocheck] " if settings.file is not None and settings.file.name == "pyproject.toml" else ""
    named = [("--disable", claim_id) for claim_id in flagged]
    if settings.file is not None:
        place = f"{_place(settings.file, _MAIN_TABLES, 'disable')}: {section}disable"
        named += [(place, claim_id) for claim_id in settings.disable if claim_id not in flagged]
        for index, override in enumerate(settings.overrides, 1):
            place = f"{_place(settings.file, _OVERRIDE_TABLES, 'disable', index)}: {section}overrides[{index}].disable"
            named += [(place, claim_id) for claim_id in override.disable]
    for place, claim_id in named:
        if claim_id not in known:
            import difflib  # only for an unknown id: 1 ms of start-up

            close = difflib.get_close_matches(claim_id, sorted(known), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ConfigError(f"{place}: unknown claim id '{claim_id}'{hint} (`exocheck kb list` shows the ids)")


def describe(settings: Settings, path: Path | None = None) -> str:
    """The effective settings as TOML-like lines, each with where it came from; for a file `path`, with
    the overrides that match it applied, as a lint of that file would use them."""
    def show(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, tuple):
            return "[" + ", ".join(f'"{v}"' for v in value) + "]"
        return f'"{value}"'

    lines = [f"# config file: {settings.file or 'none found'}"]
    fail_on, disable = settings.fail_on, settings.disable
    origins = {key: settings.origin(key) for key in ("fail-on", "disable")}
    applied = []
    if path is not None:
        name = str(path)
        lines.append(f"# settings for {name}" + (" (excluded: not checked)"
                                                 if settings.matches(name, settings.exclude) else ""))
        applied = [i for i, o in enumerate(settings.overrides, 1) if settings.matches(name, o.paths)]
        for index in applied:
            override = settings.overrides[index - 1]
            if override.disable:
                origins["disable"] = f"{origins['disable']} + overrides[{index}]" if disable else f"overrides[{index}]"
                disable = tuple(dict.fromkeys((*disable, *override.disable)))
            fail_on, origins["fail-on"] = ((override.fail_on, f"overrides[{index}]") if override.fail_on
                                           else (fail_on, origins["fail-on"]))
    for key, value in (("fail-on", fail_on), ("format", settings.format),
                       ("show-accurate", settings.shows_accurate()), ("include", settings.include),
                       ("exclude", settings.exclude), ("disable", disable), ("kb", settings.kb)):
        lines.append(f"{key} = {show(value)}  # {origins.get(key, settings.origin(key))}")
    for index, override in enumerate(settings.overrides, 1):
        status = "" if path is None else ", applies" if index in applied else ", does not apply"
        lines.append(f"[[overrides]] paths = {show(override.paths)} disable = {show(override.disable)}"
                     + (f" fail-on = {show(override.fail_on)}" if override.fail_on else "")
                     + f"  # overrides[{index}], {settings.origin('overrides')}{status}")
    return "\n".join(lines) + "\n"
