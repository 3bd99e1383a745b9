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
