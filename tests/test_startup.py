"""`exocheck "TEXT"` runs without typer (exocheck/entry.py): it imports only what a check needs, and says
and exits exactly what the typer command `exocheck check TEXT` says and exits."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import HERE, run_cli

# What a plain single check must not import: the CLI framework, the colour library on a pipe, YAML with a
# warm cache, the readers of other kinds of file, worker processes, the other report formats.
NOT_NEEDED = ("typer", "click", "rich", "yaml", "markdown_it", "multiprocessing", "exocheck.cli",
              "exocheck.markup", "exocheck.output", "exocheck.formats.json_format", "exocheck.formats.html_report",
              "hashlib", "difflib")  # hashlib loads OpenSSL (3 ms); the digests come from the built-in module

_PROBE = """
import sys
from exocheck.entry import main
try:
    main(sys.argv[1:])
finally:
    sys.stderr.write("\\nMODULES " + " ".join(sorted(sys.modules)) + "\\n")
"""


def _imported(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, set[str]]:
    full_env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(HERE.parent), **env}
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, cwd=cwd, env=full_env,
                          timeout=60)
    line = done.stderr.decode().rsplit("MODULES ", 1)[1]
    return done.returncode, set(line.split())


def test_a_single_check_imports_only_what_it_needs(tmp_path: Path) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    _imported(["warm the cache"], tmp_path, env)
    code, modules = _imported(["exosomes cure hair loss"], tmp_path, env)
    assert code == 1
    unwanted = sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in NOT_NEEDED))
    assert unwanted == []
    assert "exocheck.checker" in modules  # the probe did check


def test_other_command_lines_still_use_the_typer_app(tmp_path: Path) -> None:
    code, modules = _imported(["--fail-on", "never", "exosomes cure hair loss"], tmp_path,
                              {"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert code == 0
    assert "typer" in modules and "exocheck.cli" in modules


@pytest.mark.parametrize("text", [
    "exosomes cure hair loss",
    "There are no FDA-approved exosome products.",
    "Hola, este es un texto en español sobre la piel, el cabello y las cremas que vendemos en nuestra tienda "
    "de Madrid desde hace muchos años con mucho cariño.",
    "",
    "nothing to see here",
    "Our exosome facial is FDA аpprоvеd and has no side effects. <!-- exocheck-disable -->",
])
def test_the_fast_path_says_what_the_typer_command_says(text: str) -> None:
    fast, full = run_cli(text), run_cli("check", text)
    assert (fast.returncode, fast.stdout, fast.stderr) == (full.returncode, full.stdout, full.stderr)


def test_a_file_name_given_as_text_gets_the_same_note(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("Exosomes regrow hair.\n", encoding="utf-8")
    fast, full = run_cli("page.md", cwd=tmp_path), run_cli("check", "page.md", cwd=tmp_path)
    assert b"is a file" in fast.stderr
    assert (fast.returncode, fast.stdout, fast.stderr) == (full.returncode, full.stdout, full.stderr)


@pytest.mark.parametrize("config", [
    '[tool.exocheck]\nformat = "json"\n',  # another format: handed to the typer command
    '[tool.exocheck]\nfail-on = "never"\ndisable = ["hair-loss-treatment"]\n',
    '[tool.exocheck]\nformat = "nonsense"\n',  # a bad configuration: the same error and exit code 2
])
def test_a_configuration_is_followed_as_by_the_typer_command(tmp_path: Path, config: str) -> None:
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    fast = run_cli("exosomes cure hair loss", cwd=tmp_path)
    full = run_cli("check", "exosomes cure hair loss", cwd=tmp_path)
    assert (fast.returncode, fast.stdout, fast.stderr) == (full.returncode, full.stdout, full.stderr)
    if "json" in config:
        assert json.loads(fast.stdout)["findings"]


def test_the_digests_are_hashlibs() -> None:
    """KB, language and cache-key digests come from the interpreter's built-in SHA-256 (not hashlib's OpenSSL,
    slow to import): the same digests."""
    import hashlib

    from exocheck.diskcache import sha256

    for data in (b"", b"abc", bytes(range(256)) * 1000):
        assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    digest = sha256(b"a")
    digest.update(b"bc")
    assert digest.hexdigest() == hashlib.sha256(b"abc").hexdigest()


_LAZY_PROBE = """
import sys
from exocheck.entry import main
try:
    main(sys.argv[1:])
finally:
    from exocheck import checker, config, errors, kb, lint, modality, segment, suppress
    from exocheck.formats import safe
    from exocheck.patterns import LazyPattern
    modules = [checker, config, errors, kb, lint, modality, segment, suppress, safe]
    lazy = [(name, value) for module in modules for name, value in vars(module).items() if isinstance(value, LazyPattern)]
    assert len(lazy) >= 21, sorted(name for name, _ in lazy)
    sys.stderr.write("\\nCOMPILED " + " ".join(name for name, pattern in lazy if pattern.compiled) + "\\n")
"""


def _compiled(text: str, tmp_path: Path) -> list[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(HERE.parent), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", _LAZY_PROBE, text], capture_output=True, cwd=tmp_path, env=env,
                          timeout=60)
    return done.stderr.decode().rsplit("COMPILED ", 1)[1].split()


def test_a_plain_check_compiles_no_pattern_it_does_not_use(tmp_path: Path) -> None:
    """The patterns compiled on first use (patterns.LazyPattern) stay uncompiled in a plain check, and are
    compiled when the text needs them. (A cold cache builds the checker from the YAML, which needs more.)"""
    _compiled("warm the cache", tmp_path)
    assert _compiled("exosomes cure hair loss", tmp_path) == []
    assert _compiled("Exosomes regrow hair, see www.example.com", tmp_path) == ["_url"]
