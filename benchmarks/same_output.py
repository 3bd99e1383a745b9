"""Check that a change left the output alone: `lint --format json` and `survey --format json` of a base
checkout and of this one must be byte-identical on tests/corpus, the crawl-like corpus and the dense corpus.

    python benchmarks/same_output.py BASE_DIR [--work DIR]

BASE_DIR holds the base version's package (`git archive BASE | tar -x -C BASE_DIR`); both run as
`python -m exocheck` with PYTHONPATH set to their tree, each with a cache directory of its own. The corpora
are generated into --work (kept between runs) unless they are there already.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


def corpora(work: Path) -> dict[str, Path]:
    dense, crawl = work / "dense", work / "crawl"
    if not dense.is_dir():
        subprocess.run([sys.executable, str(GENERATOR), str(dense), str(5 * 1024 * 1024)], check=True,
                       stdout=subprocess.DEVNULL)
    if not crawl.is_dir():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "crawl_corpus.py"), str(dense), str(crawl)],
                       check=True, stdout=subprocess.DEVNULL)
    return {"tests/corpus": ROOT / "tests" / "corpus", "crawl": crawl, "dense": dense}


def output(tree: Path, cache: Path, arguments: list[str]) -> bytes:
    env = dict(os.environ, PYTHONPATH=str(tree), XDG_CACHE_HOME=str(cache), NO_COLOR="1")
    done = subprocess.run([sys.executable, "-m", "exocheck", *arguments], check=False, capture_output=True, env=env, cwd="/")
    if done.returncode not in (0, 1):
        raise SystemExit(f"{tree}: exocheck {' '.join(arguments)} exited {done.returncode}: {done.stderr.decode()}")
    return done.stdout + b"\n--- stderr ---\n" + done.stderr + f"\n--- exit {done.returncode}".encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("--work", type=Path, default=Path("/tmp/exocheck-same-output"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    different = 0
    for name, corpus in corpora(args.work).items():
        for command in ("lint", "survey"):
            arguments = [command, str(corpus), "--format", "json", "--jobs", "1"]
            base = output(args.base.resolve(), args.work / "cache-base", arguments)
            new = output(ROOT, args.work / "cache-new", arguments)
            same = base == new
            different += not same
            print(f"{name:13} {command:7} {'identical' if same else 'DIFFERENT'}  {len(new):>10} bytes  "
                  f"sha256 {hashlib.sha256(new).hexdigest()[:16]}" + ("" if same else
                  f" (base {hashlib.sha256(base).hexdigest()[:16]})"))
            if not same:
                (args.work / f"{name.replace('/', '_')}-{command}.base").write_bytes(base)
                (args.work / f"{name.replace('/', '_')}-{command}.new").write_bytes(new)
    raise SystemExit(1 if different else 0)


if __name__ == "__main__":
    main()
