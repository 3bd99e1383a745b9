"""Start-up cost of a single check: CPU time (user + sys) and wall time of `exocheck "CLAIM"`, median of N.

    python benchmarks/startup.py                       # the installed exocheck, 20 runs
    python benchmarks/startup.py --runs 30 CMD1 -- CMD2  # compare commands, runs interleaved

CPU time is the measure (the machine is shared, so wall time wanders with the neighbours' load); each
run's user and sys time come from wait4's rusage of that child alone. Commands given are compared run by
run in turn, so a burst of load falls on all of them alike. The byte-code should be compiled first
(`python -m compileall exocheck`) and PYTHONDONTWRITEBYTECODE unset, or every run compiles it again.
The JSON cache is warmed by one run that is not counted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

CLAIM = "exosomes cure hair loss"


def one_run(command: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of `command`, output discarded."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"command failed: {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime, wall


def compare(commands: list[list[str]], runs: int) -> list[tuple[float, float]]:
    """Median (CPU ms, wall ms) of each command, their runs interleaved."""
    for command in commands:
        one_run(command)  # warm the file cache and exocheck's KB cache
    samples: list[list[tuple[float, float]]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            samples[index].append(one_run(command))
    return [(statistics.median(c for c, _ in s) * 1000, statistics.median(w for _, w in s) * 1000) for s in samples]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("commands", nargs=argparse.REMAINDER, help="commands separated by '--' (default: the installed exocheck)")
    args = parser.parse_args()
    found = shutil.which("exocheck")
    default = [found] if found else [sys.executable, "-m", "exocheck"]
    commands: list[list[str]] = [[]]
    for word in args.commands:
        if word == "--":
            commands.append([])
        else:
            commands[-1].append(word)
    commands = [c for c in commands if c] or [[*default, CLAIM], [sys.executable, "-c", "pass"]]
    for command, (cpu, wall) in zip(commands, compare(commands, args.runs)):
        print(f"{cpu:6.1f} ms CPU  {wall:6.1f} ms wall  {' '.join(command)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
