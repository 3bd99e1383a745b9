"""Project settings: `[tool.exocheck]` in pyproject.toml or a `.exocheck.toml`, found by walking up.

Every effective setting remembers where it came from (a file, a flag or the default) so `exocheck config`
can show it; command-line flags always win over files.
"""

from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import ExocheckError

CONFIG_FILES = (".exocheck.toml", "pyproject.toml")
DEFAULT_INCLUDE = ("*.md", "*.markdown", "*.html", "*.htm", "*.txt", "*.text")
FAIL_ON = ("error", "warning", "info", "never")
FORMATS = ("text", "html", "concise", "json", "jsonl", "sarif", "github", "junit", "csv")
KEYS = ("fail-on", "format", "include", "exclude", "disable", "kb", "overrides")
OVERRIDE_KEYS = ("paths", "disable", "fail-on")


class ConfigError(ExocheckError):
    """A configuration file is unreadable or has a wrong value; the message names the file."""


@dataclass(frozen=True)
class Override:
    """Settings for paths matching `paths` (globs relative to the config file's directory)."""

    paths: tuple[str, ...]
    disable: tuple[str, ...] = ()
    fail_on: str | None = None


@dataclass
class Settings:
    fail_on: str = "error"
    format: str = "text"
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    kb: tuple[str, ...] = ()
    overrides: tuple[Override, ...] = ()
    root: Path = field(default_factory=Path.cwd)  # globs are relative to this directory
    file: Path | None = None
    origins: dict[str, str] = field(default_factory=dict)

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")

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
        try:
            relative = PurePosixPath(Path(path).resolve().relative_to(self.root.resolve()).as_posix())
        except ValueError:
            relative = PurePosixPath(Path(path).as_posix())
        return any(glob_match(relative, pattern) for pattern in patterns)


def glob_match(path: PurePosixPath, pattern: str) -> bool:
    """Gitignore-like globbing: `*` within a name, `**` across directories; a pattern without `/` matches a
    name at any depth, one with `/` is anchored at the base directory; a match on a directory covers
    everything below it (a trailing `/` is accepted and ignored)."""
    pattern = pattern.strip().strip("/")
    if not pattern:
        return False
    parts = path.parts
    if "/" not in pattern:
        return any(fnmatch.fnmatchcase(name, pattern) for name in parts)
    regex = _glob_regex(pattern)
    return any(regex.fullmatch("/".join(parts[:i])) for i in range(1, len(parts) + 1))


def _glob_regex(pattern: str) -> Any:
    import re

    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append(r"(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(r".*")
            i += 2
        elif pattern[i] == "*":
            out.append(r"[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append(r"[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def _toml_load(path: Path) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def find_config(start: Path) -> tuple[Path, dict] | None:
    """The nearest `.exocheck.toml`, or pyproject.toml with a [tool.exocheck] table, at or above `start`."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory.resolve(), *directory.resolve().parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            data = _toml_load(candidate)
            if name == "pyproject.toml":
                table = data.get("tool", {}).get("exocheck")
                if table is None:
                    continue
                return candidate, table
            return candidate, data.get("tool", {}).get("exocheck", data)
    return None


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


def load_settings(start: Path) -> Settings:
    """Settings from the config file found from `start` (a linted path or the current directory)."""
    found = find_config(start)
    if found is None:
        return Settings()
    path, table = found
    where = f"{path} [tool.exocheck]" if path.name == "pyproject.toml" else str(path)
    settings = Settings(root=path.parent, file=path)
    for key, value in table.items():
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown setting {key!r}; known: {', '.join(KEYS)}")
        label = f"{where}: {key}"
        if key == "fail-on":
            settings.fail_on = _choice(value, FAIL_ON, label)
        elif key == "format":
            settings.format = _choice(value, FORMATS, label)
        elif key == "include":
            settings.include = _strings(value, label)
        elif key == "exclude":
            settings.exclude = _strings(value, label)
        elif key == "disable":
            settings.disable = _strings(value, label)
        elif key == "kb":
            settings.kb = tuple(str((path.parent / p)) for p in _strings(value, label))
        elif key == "overrides":
            settings.overrides = _overrides(value, label)
        settings.origins[key] = where
    return settings


def _overrides(value: Any, where: str) -> tuple[Override, ...]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ConfigError(f"{where} must be an array of tables ([[tool.exocheck.overrides]])")
    out = []
    for index, table in enumerate(value, 1):
        label = f"{where}[{index}]"
        unknown = set(table) - set(OVERRIDE_KEYS)
        if unknown:
            raise ConfigError(f"{label}: unknown setting {sorted(unknown)[0]!r}; known: {', '.join(OVERRIDE_KEYS)}")
        if "paths" not in table:
            raise ConfigError(f"{label}: 'paths' is required")
        out.append(Override(
            paths=_strings(table["paths"], f"{label}.paths"),
            disable=_strings(table.get("disable", []), f"{label}.disable"),
            fail_on=_choice(table["fail-on"], FAIL_ON, f"{label}.fail-on") if "fail-on" in table else None,
        ))
    return tuple(out)


def describe(settings: Settings) -> str:
    """The effective settings as TOML-like lines, each with where it came from."""
    def show(value: Any) -> str:
        if isinstance(value, tuple):
            return "[" + ", ".join(f'"{v}"' for v in value) + "]"
        return f'"{value}"'

    lines = [f"# config file: {settings.file or 'none found'}"]
    for key, value in (("fail-on", settings.fail_on), ("format", settings.format), ("include", settings.include),
                       ("exclude", settings.exclude), ("disable", settings.disable), ("kb", settings.kb)):
        lines.append(f"{key} = {show(value)}  # {settings.origin(key)}")
    for override in settings.overrides:
        lines.append(f"[[overrides]] paths = {show(override.paths)} disable = {show(override.disable)}"
                     + (f" fail-on = {show(override.fail_on)}" if override.fail_on else "")
                     + f"  # {settings.origin('overrides')}")
    return "\n".join(lines) + "\n"
