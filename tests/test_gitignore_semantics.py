"""Git's own .gitignore and glob semantics (issue 14, section 3), which the old matcher got wrong: a leading
"/" anchors, a trailing "/" names only directories, "**" spans directories only as a whole name, "\\"
escapes, bracket expressions, nested .gitignore files are relative to their directory, .git/info/exclude
is read, and escaped trailing spaces are kept. Plus the linear-time guarantee on hostile patterns."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from exocheck.config import Settings, git_match, git_pattern, glob_match
from exocheck.files import discover


@pytest.mark.parametrize("pattern, path, is_dir, expected", [
    ("/foo", "foo", False, True),
    ("/foo", "a/foo", False, False),  # the old matcher stripped the "/" and matched at any depth
    ("foo/", "a/foo", True, True),
    ("foo/", "a/foo", False, False),  # a file named like an ignored directory is not ignored
    ("doc/frotz", "a/doc/frotz", False, False),  # a "/" in the middle anchors
    ("a/**/b", "a/b", False, True),
    ("a/**/b", "a/x/y/b", False, True),
    ("a**b", "a/x/b", False, False),  # "**" that is not a whole name is "*"
    ("a**b", "axxb", False, True),
    ("abc/**", "abc/x/y", False, True),
    ("abc/**", "abc", True, False),
    ("[ab].md", "x/a.md", False, True),
    ("[!ab].md", "a.md", False, False),
    ("[^ab].md", "c.md", False, True),
    ("[a-c]x", "/x", False, False),
    ("[[:digit:]]x", "5x", False, True),
    ("[]]x", "]x", False, True),
    (r"\*.md", "*.md", False, True),
    (r"\*.md", "x.md", False, False),  # an escaped star is literal
    (r"\?", "x", False, False),
    (r"\#a", "#a", False, True),
    ("f[o", "f[o", False, True),  # an unclosed "[" is literal
])
def test_git_wildmatch(pattern: str, path: str, is_dir: bool, expected: bool) -> None:
    compiled = git_pattern(pattern)
    assert compiled is not None and git_match(path, compiled, is_dir) is expected


def test_config_globs_keep_covering_what_is_below() -> None:
    assert glob_match(PurePosixPath("vendor/x/y.md"), "vendor/**")
    assert glob_match(PurePosixPath("a/drafts/p.md"), "drafts/")
    assert not glob_match(PurePosixPath("a/drafts/p.md"), "/drafts")


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x\n", encoding="utf-8")


def _found(root: Path, top: Path | None = None) -> set[str]:
    files, missing = discover([top or root], Settings(root=root))
    assert not missing
    return {f.relative_to(root).as_posix() for f in files}


def test_discovery_follows_git(tmp_path: Path) -> None:
    (tmp_path / ".git" / "info").mkdir(parents=True)
    (tmp_path / ".git" / "info" / "exclude").write_text("secret.md\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text(
        "/top.md\nout/\nout.md/\n\\#hash.md\nspace.md\\ \n[0-9]*.md\n!7keep.md\nlogs/**\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".gitignore").write_text("/local.md\n", encoding="utf-8")
    _tree(tmp_path, ["top.md", "a/top.md", "out/x.md", "a/out.md", "#hash.md", "space.md ", "space.md",
                     "1.md", "7keep.md", "secret.md", "b/secret.md", "logs/x/y.md", "sub/local.md",
                     "sub/deeper/local.md", "local.md", "ok.md"])
    assert _found(tmp_path) == {"a/top.md", "a/out.md", "space.md", "7keep.md", "sub/deeper/local.md",
                                "local.md", "ok.md"}


def test_a_directory_inside_an_ignored_one_is_not_walked(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n!build/keep/\n", encoding="utf-8")
    _tree(tmp_path, ["build/keep/a.md", "ok.md"])
    assert _found(tmp_path) == {"ok.md"}
    assert _found(tmp_path, tmp_path / "build" / "keep") == set()  # git cannot re-include inside it


def test_hostile_glob_matches_a_long_name_quickly() -> None:
    """Without timing in-process: a backtracking engine (pathspec's re: 4 stars took 3.7 s, 5 stars 128 s
    against 200 characters) would blow the generous subprocess timeout with 12 stars."""
    code = ("from exocheck.config import git_pattern, git_match, glob_match\n"
            "from pathlib import PurePosixPath as P\n"
            "pattern = 'd/' + '*a' * 12 + '*b'\n"
            "name = 'd/' + 'a' * 200\n"
            "assert not git_match(name, git_pattern(pattern), False)\n"
            "assert not glob_match(P(name), pattern)\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)
