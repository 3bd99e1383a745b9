"""Benchmark exocheck on this machine and write the results table to docs/benchmarks.md.

    python benchmarks/run.py            # the standard run (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # smaller inputs, for a smoke test

Measures the single-claim command against `python -c pass`, throughput on the deterministic 5 MiB /
514-file Markdown corpus (../shared/bench/gen_corpus.py) in one process and with --jobs, scaling with
input size and with knowledge-base size, the time and memory of the report formats, peak memory on a
large single file, and a floor: one pass of a plain phrase matcher over the same text doing nothing else.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
REPORT = ROOT / "docs" / "benchmarks.md"
CLAIM = "exosomes cure hair loss"
MIB = 1024 * 1024


def exocheck_command() -> list[str]:
    found = shutil.which("exocheck")
    return [found] if found else [sys.executable, "-m", "exocheck"]


# Runs a command and prints its wall time, peak RSS and exit code. It is a fresh interpreter so that the
# peak is the command's own: a child's peak RSS starts from the size of the process it was forked from
# (Linux keeps the peak across exec), and this benchmark grows as it measures in-process.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one run of `command` (its output is discarded)."""
    measured = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], capture_output=True, text=True, check=True)
    seconds, peak, code = measured.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"benchmark command failed: {' '.join(command)}")
    return float(seconds), int(peak)


def median_ms(command: list[str], runs: int) -> float:
    timed(command)  # warm the file cache and the KB cache
    return statistics.median(timed(command)[0] for _ in range(runs)) * 1000


def generate_corpus(directory: Path, size: int) -> Path:
    if not GENERATOR.is_file():
        raise SystemExit(f"{GENERATOR} not found: the benchmark corpus comes from ../shared/bench/gen_corpus.py")
    corpus = directory / "corpus"
    subprocess.run([sys.executable, str(GENERATOR), str(corpus), str(size)], check=True, stdout=subprocess.DEVNULL)
    return corpus


def corpus_bytes(corpus: Path) -> int:
    return sum(p.stat().st_size for p in corpus.glob("*.md"))


def throughput(command: list[str], size: int) -> tuple[float, float]:
    seconds, _ = timed(command)
    return seconds, size / MIB / seconds


def html_pages(directory: Path, corpus: Path) -> Path:
    """Each corpus page rendered to HTML in a page with a head, navigation and a script, as crawled."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    pages = directory / "html"
    pages.mkdir()
    for page in sorted(corpus.glob("*.md")):
        body = renderer.render(page.read_text(encoding="utf-8"))
        (pages / (page.stem + ".html")).write_text(
            f'<!DOCTYPE html>\n<html><head><title>{page.stem}</title>'
            '<meta name="description" content="Exosome therapy"></head>\n<body>\n'
            '<nav><a href="/">Home</a> <a href="/book">Book now</a></nav>\n<main>\n'
            f"{body}</main>\n<script>var claim = 'exosomes cure everything';</script>\n</body></html>\n",
            encoding="utf-8")
    return pages


def synthetic_kb(directory: Path, factor: int) -> Path:
    """The real KB plus (factor - 1) renamed copies of every topic and claim, with made-up terms and cues,
    so the lexicon is `factor` times larger while the real text matches the same real entries."""
    import yaml

    from exocheck.kb import default_kb_path

    data = yaml.safe_load(default_kb_path().read_text(encoding="utf-8"))
    topics, claims = list(data["topics"]), list(data["claims"])
    for copy in range(1, factor):
        for topic in topics:
            data["topics"].append({**topic, "id": f"{topic['id']}-x{copy}",
                                   "terms": [f"zq{copy} {t}" for t in topic["terms"]],
                                   "benefit_terms": [f"zq{copy} {t}" for t in topic.get("benefit_terms", [])]})
        for claim in claims:
            topic = claim["topic"] if claim["topic"] in ("general", "other") else f"{claim['topic']}-x{copy}"
            clone = {**claim, "id": f"{claim['id']}-x{copy}", "topic": topic,
                     "cues": [f"zq{copy} {c}" for c in claim.get("cues", [])], "examples": []}
            clone.pop("negated", None)
            data["claims"].append(clone)
    path = directory / f"kb-x{factor}.yaml"
    class WrittenOut(yaml.SafeDumper):  # a KB may not use YAML aliases, so shared lists are repeated
        def ignore_aliases(self, data: object) -> bool:
            return True

    path.write_text(yaml.dump(data, Dumper=WrittenOut, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def kb_phrases() -> set[str]:
    """Every phrase of the built-in KB, folded as the checker folds text."""
    from exocheck import load_kb
    from exocheck.normalize import fold

    kb = load_kb()
    phrases = {fold(p) for p in (*kb.subjects.terms, *kb.subjects.products, *kb.predicates.strong,
                                 *kb.predicates.weak)}
    for topic in kb.topics.values():
        phrases.update(fold(p) for p in (*topic.terms, *topic.benefit_terms))
    for claim in kb.claims.values():
        phrases.update(fold(p) for p in claim.cues)
    return phrases


def regex_floor(text: str) -> float:
    """MiB/s of one pass of a single compiled alternation of every KB phrase over the folded text."""
    from exocheck.normalize import fold

    phrases = kb_phrases()
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True)) + r")")
    folded = fold(text)
    start = time.perf_counter()
    sum(1 for _ in pattern.finditer(folded))
    return len(text.encode("utf-8")) / MIB / (time.perf_counter() - start)


def aho_corasick_floor(text: str) -> float | None:
    """MiB/s of one Aho-Corasick pass (pyahocorasick, the fastest matcher measured in
    ../shared/research/libs.md) of every KB phrase over the folded text, keeping only hits at word
    boundaries: the matching any check has to do, with no segmentation, modality or reporting.
    None when pyahocorasick is not installed (`pip install ".[bench]"`)."""
    try:
        import ahocorasick
    except ImportError:
        return None
    from exocheck.normalize import fold

    automaton = ahocorasick.Automaton()
    for phrase in kb_phrases():
        automaton.add_word(phrase, len(phrase))
    automaton.make_automaton()
    folded = fold(text)
    start = time.perf_counter()
    hits = 0
    size = len(folded)
    for end, length in automaton.iter(folded):
        first, after = end - length + 1, end + 1
        if (first == 0 or not folded[first - 1].isalnum()) and (after == size or not folded[after].isalnum()):
            hits += 1
    return len(text.encode("utf-8")) / MIB / (time.perf_counter() - start)


def time_split(corpus: Path) -> str:
    """Where a one-process lint of the corpus spends its time, measured in this process with the library
    (the command does the same steps): reading and masking Markdown, checking (segmenting, matching,
    deciding, making findings), and writing JSON."""
    import gc

    from exocheck import load_kb
    from exocheck.checker import Checker
    from exocheck.formats.json_format import Writer
    from exocheck.lint import GC_THRESHOLDS
    from exocheck.markup import mask

    gc.set_threshold(*GC_THRESHOLDS)
    checker = Checker(load_kb())
    pages = sorted(corpus.glob("*.md"))
    start = time.perf_counter()
    texts = [page.read_text(encoding="utf-8") for page in pages]
    masked = [mask(text, "markdown") for text in texts]
    masking = time.perf_counter() - start
    start = time.perf_counter()
    reports = [checker.check(m, path=str(page), original=text) for m, page, text in zip(masked, pages, texts)]
    checking = time.perf_counter() - start
    start = time.perf_counter()
    writer = Writer(None)
    written = sum(len(writer.part(report)) for report in reports)
    writing = time.perf_counter() - start
    findings = sum(len(report.findings) for report in reports)
    return (f"read and mask {masking:.2f} s, check {checking:.2f} s, JSON {writing:.2f} s "
            f"({findings} findings, {written / MIB:.0f} MiB of JSON)")


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / MIB:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){memory}, "
            f"Python {platform.python_version()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller inputs and fewer runs")
    parser.add_argument("--output", type=Path, default=REPORT, help="where to write the Markdown table")
    args = parser.parse_args()
    exo = exocheck_command()
    runs = 5 if args.quick else 15
    size = MIB if args.quick else 5 * MIB
    rows: list[tuple[str, str, str]] = []

    def row(what: str, value: str, target: str = "") -> None:
        rows.append((what, value, target))
        print(f"{what}: {value}" + (f"  (target {target})" if target else ""), flush=True)

    with tempfile.TemporaryDirectory(prefix="exocheck-bench-") as tmp:
        work = Path(tmp)
        floor_ms = median_ms([sys.executable, "-c", "pass"], runs)
        claim_ms = median_ms([*exo, CLAIM], runs)
        row("one claim: `exocheck \"exosomes cure hair loss\"`, median", f"{claim_ms:.0f} ms", "<= 150 ms")
        row("`python -c pass`, median (the floor for any Python command)", f"{floor_ms:.0f} ms")

        corpus = generate_corpus(work, size)
        total = corpus_bytes(corpus)
        files = len(list(corpus.glob("*.md")))
        seconds, rate = throughput([*exo, "lint", str(corpus), "--format", "json", "--jobs", "1"], total)
        row(f"corpus: {total / MIB:.1f} MiB in {files} Markdown files, one process",
            f"{rate:.2f} MiB/s ({seconds:.1f} s)", ">= 3 MiB/s")
        seconds, rate = throughput([*exo, "lint", str(corpus), "--format", "json", "--jobs", "2"], total)
        row("corpus, `--jobs 2`", f"{rate:.2f} MiB/s ({seconds:.1f} s)", ">= 5 MiB/s")
        row("where the one-process time goes (in-process, the same steps)", time_split(corpus))
        costs = []
        for fmt in ("json", "sarif", "junit", "html"):
            seconds, peak = timed([*exo, "lint", str(corpus), "--format", fmt, "--jobs", "1"])
            costs.append(f"{fmt} {seconds:.1f} s / {peak / 1024:.0f} MB")
        row("the corpus in each report format, one process (time / peak memory)", ", ".join(costs))

        # Pages of a crawl that do not name an exosome product: the same copy, product words removed.
        other = work / "other"
        other.mkdir()
        for page in corpus.glob("*.md"):
            text = page.read_text(encoding="utf-8")
            for word in ("xosom", "XOSOM", "Xosom", "vesicle", "ExoGlow", "ExoRegen", "MSC", "stem", "secretom",
                         "small", "extracellular", "xoGlo"):
                text = text.replace(word, "")
            (other / page.name).write_text(text, encoding="utf-8")
        other_bytes = corpus_bytes(other)
        seconds, rate = throughput([*exo, "lint", str(other), "--format", "json", "--jobs", "1"], other_bytes)
        row("pages that name no exosome product (the corpus with those words removed), one process",
            f"{rate:.2f} MiB/s ({seconds:.1f} s)")

        pages = html_pages(work, corpus)
        html_bytes = sum(page.stat().st_size for page in pages.glob("*.html"))
        seconds, rate = throughput([*exo, "lint", str(pages), "--format", "json", "--jobs", "1"], html_bytes)
        row(f"the corpus as {files} HTML pages ({html_bytes / MIB:.1f} MiB, as a crawl has them), one process",
            f"{rate:.2f} MiB/s ({seconds:.1f} s)")

        single = (work / "corpus-single.md").read_text(encoding="utf-8")
        base = single[: max(len(single) // 16, 1)]
        times = {}
        for factor in (1, 4, 16):
            path = work / f"scale-{factor}.md"
            path.write_text(base * factor, encoding="utf-8")
            times[factor] = timed([*exo, "lint", str(path), "--format", "json"])[0]
        row(f"input scaling: one file of {len(base.encode()) / MIB:.2f} MiB at 1x / 4x / 16x",
            f"{times[1]:.2f} s / {times[4]:.2f} s / {times[16]:.2f} s (16x = {times[16] / times[1]:.1f}x time)",
            "16x input <= 17x time")

        sample = work / "scale-4.md"
        real = timed([*exo, "lint", str(sample), "--format", "json"])[0]
        big_kb = synthetic_kb(work, 10)
        timed([*exo, "--base-kb", str(big_kb), CLAIM])  # warm
        tenfold = timed([*exo, "lint", str(sample), "--format", "json", "--base-kb", str(big_kb)])[0]
        row("knowledge-base scaling: real KB vs a synthetic 10x KB, same file",
            f"{real:.2f} s vs {tenfold:.2f} s ({tenfold / real:.2f}x)", "<= 1.3x")

        large = work / "large.md"
        large_size = 20 * MIB if args.quick else 100 * MIB
        with large.open("w", encoding="utf-8") as out:
            while out.tell() < large_size:
                out.write(single)
        seconds, peak = timed([*exo, "lint", str(large), "--format", "concise"])
        row(f"peak memory, one {large.stat().st_size / MIB:.0f} MiB file (`--format concise`)",
            f"{peak / 1024:.0f} MB ({seconds:.0f} s)", "<= 200 MB on 100 MiB")

        fastest = aho_corasick_floor(single)
        row("floor: one Aho-Corasick pass (pyahocorasick) of every KB phrase over the corpus text, nothing else",
            f"{fastest:.1f} MiB/s" if fastest is not None else "not measured: `pip install \".[bench]\"`")
        row("floor: one regex pass of every KB phrase over the same text, nothing else",
            f"{regex_floor(single):.2f} MiB/s")

    table = "\n".join(f"| {w} | {v} | {t} |" for w, v, t in rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        "# Benchmarks\n\n"
        f"Generated by `python benchmarks/run.py{' --quick' if args.quick else ''}` on "
        f"{time.strftime('%Y-%m-%d')}.\n\nMachine: {machine()}.\n\n"
        "| measurement | result | target |\n|---|---|---|\n" + table + "\n\n"
        "Wall times of the installed `exocheck` command; throughput counts the bytes of the input files. "
        "The corpus is the deterministic exosome-marketing corpus of `../shared/bench/gen_corpus.py` "
        "(seed 42): nearly every sentence in it is a claim, so it is a worst case for the checker.\n",
        encoding="utf-8",
    )
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
