"""Copy and files written to get past the checker or to leak through it, through the real command.

Each test is a row of the matrix in docs/robustness.md: invisible characters that split a claim's words,
Markdown nested deeper than markdown-it reads, and configuration or knowledge-base files that are not
what they claim to be (their text must never reach the terminal, and their size and depth are bounded).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_cli

PLAIN = "exosomes cure hair loss"
LEAD = "Welcome to our clinic.\n"


def findings(result: subprocess.CompletedProcess) -> list[dict]:
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout.decode("utf-8"))["findings"]


def _tagged(text: str) -> str:
    """Every letter followed by an invisible tag character (U+E0041, TAG LATIN CAPITAL LETTER A)."""
    return "".join(char + "\U000e0041" if char.isalpha() else char for char in text)


@pytest.mark.parametrize("laced", [
    "exo\u202esomes cure hair loss",  # RIGHT-TO-LEFT OVERRIDE inside a word
    "\u2066exosomes cure hair\u2069 loss",  # an isolate around words
    "\u061cexo\u200esomes cu\u200fre hair loss",  # Arabic letter mark, left-to-right and right-to-left marks
    "exosomes\ufe0f cu\ufe0ere hair \U000e0100loss",  # variation selectors, the supplementary one too
    _tagged(PLAIN),  # tag characters after every letter
])
def test_invisible_characters_do_not_hide_a_claim(laced: str) -> None:
    """Laced copy gives the plain copy's finding, and its positions point into the laced text itself."""
    expected = [(f["claim_id"], f["verdict"]) for f in findings(run_cli(PLAIN, "--format", "json"))]
    assert expected == [("hair-loss-treatment", "unsupported")]
    text = LEAD + laced
    found = findings(run_cli("-", "--format", "json", stdin=text))
    assert [(f["claim_id"], f["verdict"]) for f in found] == expected
    finding = found[0]
    assert finding["sentence"] == text[finding["start"]:finding["end"]]
    assert finding["start"] == len(LEAD) and finding["end"] == len(text)
    assert (finding["line"], finding["column"]) == (2, 1)
    assert (finding["end_line"], finding["end_column"]) == (2, len(laced) + 1)


# --- configuration and knowledge-base files that are not what they should be -----------------------------

SECRET = "hunter2"
# Files a --kb, --base-kb or config could point at by mistake, each reaching a different parser error that
# used to quote the file (a tag, a key), crash on a value (a date, a number: "internal error" quoting it),
# or print two lines (a control character).
SECRET_FILES = {
    "env": f"API_KEY={SECRET}\nDB_PASSWORD={SECRET}\n",
    "yaml-tag": f"password: !{SECRET} value\n",
    "yaml-int": f"token: !!int {SECRET}\n",
    "yaml-date": f"created: 2024-13-45\npassword: {SECRET}\n",
    "yaml-control": f'password: "{SECRET}\a"\n',
    "toml-table-twice": f"[{SECRET}]\na = 1\n[{SECRET}]\nb = 2\n",
    "toml-inline-key-twice": f"x = {{{SECRET} = 1, {SECRET} = 2}}\n",
}


def _no_secret(result: subprocess.CompletedProcess) -> str:
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode == 2, output
    assert SECRET not in output, output
    return output


def _one_error(result: subprocess.CompletedProcess, name: str) -> str:
    lines = result.stderr.decode("utf-8", "replace").splitlines()
    assert len(lines) == 1 and lines[0].startswith("exocheck: error: ") and name in lines[0], lines
    assert result.stdout == b""
    return lines[0]


@pytest.mark.parametrize("kind", sorted(SECRET_FILES))
def test_a_secrets_file_as_knowledge_base_is_never_printed(tmp_path: Path, kind: str) -> None:
    """--kb, --base-kb (on `exocheck TEXT` and `lint`), `kb validate` and `kb validate --overlay`, and a
    config's `kb` overlay: exit 2, the file's name and the kind of error, never its text."""
    secrets = tmp_path / "secrets.env"
    secrets.write_text(SECRET_FILES[kind], encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    for args in (["Exosomes cure hair loss.", "--kb", str(secrets)], ["Exosomes.", "--base-kb", str(secrets)],
                 ["lint", str(page), "--kb", str(secrets)], ["lint", str(page), "--base-kb", str(secrets)]):
        result = run_cli(*args, cwd=tmp_path)
        _no_secret(result)
        _one_error(result, "secrets.env")
    for args in (["kb", "validate", str(secrets)], ["kb", "validate", "--overlay", str(secrets)]):
        output = _no_secret(run_cli(*args, cwd=tmp_path))
        assert output.startswith(f"{secrets}:"), output
    (tmp_path / ".exocheck.toml").write_text('kb = ["secrets.env"]\n', encoding="utf-8")
    result = run_cli("lint", "page.md", cwd=tmp_path)
    _no_secret(result)
    _one_error(result, "secrets.env")


@pytest.mark.parametrize("kind", sorted(SECRET_FILES))
@pytest.mark.parametrize("name", [".exocheck.toml", "pyproject.toml"])
def test_a_secrets_file_as_configuration_is_never_printed(tmp_path: Path, kind: str, name: str) -> None:
    """Found as .exocheck.toml or pyproject.toml (`exocheck TEXT`, `lint`, `config`): the path, and for a
    TOML syntax error its line and column, never the text."""
    header = "[tool.exocheck]\n" if name == "pyproject.toml" else ""
    (tmp_path / name).write_text(header + SECRET_FILES[kind], encoding="utf-8")
    (tmp_path / "page.md").write_text("Exosomes cure hair loss.\n", encoding="utf-8")
    for args in (["Exosomes cure hair loss."], ["lint", "page.md"], ["config"]):
        result = run_cli(*args, cwd=tmp_path)
        _no_secret(result)
        line = _one_error(result, name)
        assert "invalid TOML" not in line or "(at line " in line, line


def test_a_configuration_file_over_one_mebibyte_is_not_read(tmp_path: Path) -> None:
    """Refused from its size: a comment-only file of 1 MiB + 1 byte."""
    size = 1024 * 1024 + 1
    (tmp_path / ".exocheck.toml").write_text("#" * (size - 1) + "\n", encoding="utf-8")
    line = _one_error(run_cli("Exosomes cure hair loss.", cwd=tmp_path), ".exocheck.toml")
    assert "larger than 1 MiB" in line
    (tmp_path / ".exocheck.toml").write_text("#" * (size - 2) + "\n", encoding="utf-8")
    assert run_cli("Exosomes cure hair loss.", cwd=tmp_path).returncode == 1


@pytest.mark.parametrize("nested", ["a = " + "[" * 10_000 + "]" * 10_000, "a = " + "{b = " * 10_000 + "1" + "}" * 10_000])
def test_deeply_nested_toml_is_one_line(tmp_path: Path, nested: str) -> None:
    """tomllib recurses once per level: 10,000 levels were a RecursionError ("internal error")."""
    (tmp_path / "pyproject.toml").write_text(f"[tool.exocheck]\n{nested}\n", encoding="utf-8")
    line = _one_error(run_cli("Exosomes cure hair loss.", cwd=tmp_path), "pyproject.toml")
    assert "nested too deeply" in line


PURE_PYTHON_YAML = ("import sys, yaml\n"
                    "del yaml.CSafeLoader  # as where PyYAML was built without libyaml\n"
                    "from exocheck.cli import main\n"
                    "main(sys.argv[1:])\n")


@pytest.mark.parametrize("nested", ["a: " + "[" * 10_000 + "]" * 10_000, "- " * 3_000 + "x"])
@pytest.mark.parametrize("libyaml", [True, False])
def test_deeply_nested_yaml_is_one_line(tmp_path: Path, nested: str, libyaml: bool) -> None:
    """With or without libyaml (PyYAML's own composer recursed into a RecursionError)."""
    kb = tmp_path / "deep.yaml"
    kb.write_text(nested + "\n", encoding="utf-8")
    if libyaml:
        result = run_cli("Exosomes cure hair loss.", "--kb", str(kb))
    else:
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent), "EXOCHECK_NO_CACHE": "1"}
        result = subprocess.run([sys.executable, "-c", PURE_PYTHON_YAML, "Exosomes cure hair loss.", "--kb", str(kb)],
                                capture_output=True, env=env, timeout=60, check=False)
    line = _one_error(result, "deep.yaml")
    assert "nest" in line, line


# --- markup nested deeper than markdown-it reads -----------------------------------------------------------

CLAIM = "Exosomes cure hair loss."
AFTER = "Our exosome serum regrows hair."


def _lint(tmp_path: Path, name: str, text: str) -> list[tuple[int, int, str]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_cli("lint", name, "--format", "json", cwd=tmp_path)
    return [(f["line"], f["column"], f["sentence"]) for f in findings(result)]


@pytest.mark.parametrize("depth", [19, 20, 21, 50])
def test_a_claim_in_deeply_nested_blockquotes_is_found(tmp_path: Path, depth: int) -> None:
    """markdown-it stops at 20 levels and skipped the rest of the quote: exit 0 with the claim unread."""
    text = f"{'>' * depth} {CLAIM}\n{'>' * depth}\n{'>' * depth} Ask us.\n\n{AFTER}\n"
    assert _lint(tmp_path, "quote.md", text) == [(1, depth + 2, CLAIM), (5, 1, AFTER)]


@pytest.mark.parametrize("depth", [9, 10, 11, 30])
def test_a_claim_in_deeply_nested_lists_is_found(tmp_path: Path, depth: int) -> None:
    """Lists stop at 10 levels (a list and its item are two), and markdown-it then skipped the rest of the
    document, not only of the list: the paragraph after it went unread too."""
    items = "".join(f"{'  ' * level}- Level {level}\n" for level in range(depth))
    text = f"{items}{'  ' * depth}- {CLAIM}\n\n{AFTER}\n"
    assert _lint(tmp_path, "list.md", text) == [(depth + 1, 2 * depth + 3, CLAIM), (depth + 3, 1, AFTER)]


def test_deep_markup_is_read_in_linear_time(tmp_path: Path) -> None:
    """10,000 levels on one line, of quotes, of list markers and of both, and 2,000 lines each a level
    deeper than the last, are each checked in a few seconds (about 0.5 s each here)."""
    for name, text, line, column in (
            ("quotes.md", ">" * 10_000 + f" {CLAIM}\n", 1, 10_002),
            ("items.md", "- " * 10_000 + f"{CLAIM}\n", 1, None),
            ("both.md", "> - " * 5_000 + f"{CLAIM}\n", 1, None),
            ("stairs.md", "".join(f"{'>' * level} Ask us.\n" for level in range(1, 2_000)) + f"{'>' * 2_000} {CLAIM}\n",
             2_000, 2_002)):
        started = time.monotonic()
        found = _lint(tmp_path, name, text)
        assert time.monotonic() - started < 15, name
        assert [(f_line, f_sentence.endswith(CLAIM)) for f_line, _, f_sentence in found] == [(line, True)], name
        assert column is None or found[0][1] == column, (name, found)


@pytest.mark.parametrize("tag", ["div", "blockquote", "ul><li", "b"])
def test_a_claim_in_deeply_nested_html_is_found(tmp_path: Path, tag: str) -> None:
    """HTML has no nesting limit in exocheck's reader: 10,000 levels, closed or not, in a few seconds."""
    opening = f"<{tag}>" * 10_000
    closing = "".join(f"</{name}>" for name in reversed(tag.split("><"))) * 10_000
    started = time.monotonic()
    found = _lint(tmp_path, "page.html", f"{opening}{CLAIM}{closing}\n<p>{AFTER}</p>\n")
    assert time.monotonic() - started < 15
    assert found == [(1, len(opening) + 1, CLAIM), (2, 4, AFTER)]
