"""Copy and files written to get past the checker or to leak through it, through the real command.

Each test is a row of the matrix in docs/robustness.md: invisible characters that split a claim's words,
Markdown nested deeper than markdown-it reads, and configuration or knowledge-base files that are not
what they claim to be (their text must never reach the terminal, and their size and depth are bounded).
"""

from __future__ import annotations

import json
import subprocess

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
