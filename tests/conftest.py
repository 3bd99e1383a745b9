"""Shared helpers: the mini knowledge base and a runner for the real `exocheck` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
MINI_KB = HERE / "fixtures" / "mini_kb.yaml"


@pytest.fixture(scope="session")
def mini_kb():
    import exocheck

    return exocheck.load_kb(MINI_KB)


def writer_for(fmt, kb, texts: dict[str, str]):
    """A format's Writer; the HTML one reads each file's text from `texts`."""
    from exocheck.formats import html_report

    return fmt.Writer(kb, texts.__getitem__) if fmt is html_report else fmt.Writer(kb)


def as_whole_tree(xml: str) -> str:
    """JUnit XML parsed and written back as ElementTree writes a whole tree indented at once: the layout
    the streamed JUnit writer must reproduce. (XML reads a "\r" in text as "\n", so `xml` must have none.)"""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(xml.encode("utf-8"))
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, "unicode") + "\n"


def reported_paths(fmt: str, output: str) -> set[str]:
    """The file names a json, jsonl or sarif report names, read back exactly (SARIF's uris percent-decoded
    to the name's bytes)."""
    import json
    from urllib.parse import unquote_to_bytes

    if fmt == "json":
        return {f["path"] for f in json.loads(output)["findings"]}
    if fmt == "jsonl":
        return {json.loads(line)["path"] for line in output.splitlines()}
    return {os.fsdecode(unquote_to_bytes(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]))
            for r in json.loads(output)["runs"][0]["results"]}


def run_cli(*args: str, stdin: str | bytes | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m exocheck ARGS` as a user would, capturing bytes-decoded output."""
    # The source tree under test, also when the command runs from another directory.
    pythonpath = os.pathsep.join(p for p in (str(HERE.parent), os.environ.get("PYTHONPATH", "")) if p)
    full_env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": pythonpath, **(env or {})}
    full_env.pop("EXOCHECK_DEBUG", None)
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "exocheck", *args], input=data if data is not None else b"",
        capture_output=True, cwd=cwd, env=full_env, timeout=60,
    )


# A small site for the report tests: two claims in one sentence (one highlight), a claim over a line break,
# a suppression without a reason (a notice), HTML with an entity, a <script> in the copy that must stay
# text, and a file without findings.
CORPUS = {
    "clinic/hair.md": (
        "# Exosome hair restoration\n\n"
        "Our exosome facial is FDA approved and has no side effects. Exosomes cure hair loss in\n"
        "just three sessions!\n\n"
        "<!-- exocheck-disable-next-line -->\n"
        "Exosome IV therapy treats long COVID and Parkinson's disease.\n\n"
        "There are no FDA-approved exosome products. <script>alert('x')</script>\n"
    ),
    "spa/facial.html": (
        "<html><head><title>Glow facial</title></head><body>"
        "<p>Our exosome serum may help with knee pain &amp; reverses aging.</p>"
        "<p>We also sell gift cards.</p></body></html>\n"
    ),
    "notes.txt": "We sell shoes.\n",
}


@pytest.fixture(scope="session")
def corpus():
    """(report, kb, sources) for CORPUS, each file checked and the reports combined as `exocheck lint` does."""
    import exocheck
    from exocheck.document import kind_for_path
    from exocheck.lint import lint_text
    from exocheck.model import Report

    checker = exocheck.checker_for()
    report = Report(kb_version=checker.kb.version, kb_sha256=checker.kb.sha256)
    for path, text in CORPUS.items():
        report.extend(lint_text(checker, text, path, kind_for_path(path), set()))
    report.findings.sort(key=lambda f: (f.path, f.start, f.claim_id, f.topic))
    return report, checker.kb, dict(CORPUS)
