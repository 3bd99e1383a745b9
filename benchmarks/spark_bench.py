"""The Spark job in local mode against `exocheck survey --jobs N` on the same crawl-like WARC files (issue 17).

    python benchmarks/spark_bench.py [--mib 50] [--files 8] [--cores 2] [--runs 2] [--work /tmp/spark-bench]

Builds (once, kept in --work) at least --mib MiB of crawl-like HTML pages (benchmarks/crawl_corpus.py over
../shared/bench/gen_corpus.py's pages: every tenth names an exosome product), packs them into --files gzipped
WARC files (a text/html response record a page, pages dealt out in turn), then, --runs times, interleaved:

- the CLI: `exocheck survey WARCS --jobs N --format json -o ...`, wall time and CPU time (user + sys of the
  process and the workers it reaped, from `wait4`);
- the Spark job (`exocheck.spark_job.run`) in a fresh interpreter with `local[N]` on loopback, no UI: the
  session's start (the JVM), a trivial job that starts the Python workers, then the survey itself, each
  with its wall time and the CPU time of the whole process tree (driver, JVM, Python daemon and workers,
  read from /proc before and after). Throughput is the input's bytes over the survey's wall time. With
  --warm-up the same survey runs first on 100 of the pages in the same session (the first query's class
  loading, code generation, planning and compiling, the workers loading the checker), timed apart: the
  timed survey is then the steady state. --exocheck OLD_TREE times another tree's job (a before/after).

The counts (pages, pages naming a product, sentences, findings, topic x verdict, the domains table) must
be identical, else the run fails. Throughput counts the bytes of the HTML pages (the WARC records'
payloads), the same for both. The load average is printed: the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
MIB = 1024 * 1024
LOOPBACK = {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1", "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false"}

_LAUNCHER = """
import os, resource, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
print(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status))
"""


def build(work: Path, mib: float, files: int) -> tuple[list[Path], int, int]:
    """The WARC files (built unless already there), the pages' total bytes and their number."""
    marker = work / f"warc-{mib}-{files}.json"
    if marker.is_file():
        made = json.loads(marker.read_text())
        return [Path(p) for p in made["warcs"]], made["bytes"], made["pages"]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from crawl_corpus import crawl_pages

    corpus, html_dir, warc_dir = work / "corpus", work / "html", work / f"warc-{mib}-{files}"
    for directory in (corpus, html_dir, warc_dir):
        shutil.rmtree(directory, ignore_errors=True)
    # The crawl-like pages are about 1.1x the Markdown's size (HTML added, product words removed from 90%).
    subprocess.run([sys.executable, str(GENERATOR), str(corpus), str(int(mib * MIB))], check=True,
                   stdout=subprocess.DEVNULL)
    size = crawl_pages(corpus, html_dir)
    if size < mib * MIB:
        raise SystemExit(f"only {size / MIB:.1f} MiB of pages; raise the generator's target")
    pages = sorted(html_dir.glob("*.html"))
    warc_dir.mkdir(parents=True)
    warcs = [warc_dir / f"crawl-{part:02d}.warc.gz" for part in range(files)]
    for part, warc in enumerate(warcs):
        write_warc(pages[part::files], warc)
    write_warc(pages[:: max(1, len(pages) // 100)], work / "warm.warc.gz")  # for --warm: 100 of the pages
    marker.write_text(json.dumps({"warcs": [str(w) for w in warcs], "bytes": size, "pages": len(pages)}))
    return warcs, size, len(pages)


def write_warc(pages: list[Path], out: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with out.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for page in pages:
            number = int(page.stem.rsplit("-", 1)[-1])
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://site{number % 50}.example/{page.stem}", "response",
                                                          payload=BytesIO(page.read_bytes()), http_headers=headers))


def run_cli(warcs: list[Path], jobs: int, out: Path) -> tuple[float, float, dict]:
    exocheck = shutil.which("exocheck")
    command = [exocheck] if exocheck else [sys.executable, "-m", "exocheck"]
    command += ["survey", *map(str, warcs), "--jobs", str(jobs), "--format", "json", "-o", str(out)]
    measured = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], capture_output=True, text=True, check=True)
    wall, cpu, code = measured.stdout.split()
    if int(code) != 0:
        raise SystemExit(f"exocheck survey failed ({code}): {' '.join(command)}")
    return float(wall), float(cpu), json.loads(out.read_text(encoding="utf-8"))


def cli_counts(report: dict) -> dict:
    summary = report["summary"]
    return {"pages": summary["files"], "pages_naming_product": summary["files_naming_product"],
            "sentences": summary["sentences"], "findings": summary["findings"],
            "topics": sorted((c["topic"], c["verdict"], c["count"]) for c in report["overall"]),
            "domains": sorted(tuple(sorted(d.items())) for d in report["domains"])}


def tree_cpu() -> float:
    """CPU seconds (user + sys, own and reaped children's) of this process and all its descendants."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        times[int(entry)] = sum(int(f) for f in fields[11:15]) / tick
    total, seen, todo = 0.0, set(), [os.getpid()]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += times.get(pid, 0.0)
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


def spark_child(args: argparse.Namespace) -> None:
    """In a fresh interpreter: start Spark, warm it up, run the survey; print the timings as JSON."""
    from pyspark.sql import SparkSession

    from exocheck import spark_job
    from exocheck.spark_job import run

    marks = [(time.perf_counter(), tree_cpu())]
    master = f"local[{args.cores}]"
    builder = SparkSession.builder.appName("exocheck-bench").master(master)
    settings = {**LOOPBACK, **dict(c.split("=", 1) for c in args.conf)}
    # As `python -m exocheck.spark_job` starts its JVM (an older tree has no such defaults)
    defaults = getattr(spark_job, "local_settings", lambda master, settings: {})(master, settings)
    for key, value in {**defaults, **settings}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    marks.append((time.perf_counter(), tree_cpu()))
    # A trivial job on every core: the JVM's first job and the Python workers' start-up, not counted.
    spark.sparkContext.parallelize(range(args.cores), args.cores).map(lambda x: os.getpid()).collect()
    marks.append((time.perf_counter(), tree_cpu()))
    if args.warm:  # the same survey on 100 of the pages first: the JVM compiles the job's code paths (JIT)
        run(spark, args.spark_child + "-warm", [args.warm], mode="overwrite")
    marks.append((time.perf_counter(), tree_cpu()))
    counts = run(spark, args.spark_child, args.warcs, partitions=args.partitions, mode="overwrite")
    marks.append((time.perf_counter(), tree_cpu()))
    from pyspark.sql import functions as F

    pages = spark.read.parquet(f"{args.spark_child}/pages")
    totals = pages.agg(F.count("*"), F.sum(F.col("names_product").cast("long")), F.sum("sentences")).first()
    topics = sorted(tuple(r) for r in spark.read.parquet(f"{args.spark_child}/topics").collect())
    domains = sorted(tuple(sorted(r.asDict().items())) for r in spark.read.parquet(f"{args.spark_child}/domains").collect())
    spark.stop()
    steps = ("session", "warm-up", "warm survey", "survey")
    print(json.dumps({"times": {step: [marks[i + 1][0] - marks[i][0], marks[i + 1][1] - marks[i][1]]
                                for i, step in enumerate(steps)},
                      "counts": {"pages": totals[0], "pages_naming_product": totals[1], "sentences": totals[2],
                                 "findings": counts["findings"], "topics": topics, "domains": domains}}))


def run_spark(args: argparse.Namespace, warcs: list[Path], out: Path) -> dict:
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable,
           "PYSPARK_DRIVER_PYTHON": sys.executable, "PYTHONPATH": str(args.exocheck or ROOT)}
    command = [sys.executable, __file__, "--spark-child", str(out), "--cores", str(args.cores),
               *(["--partitions", str(args.partitions)] if args.partitions else []),
               *(["--warm", str(args.work / "warm.warc.gz")] if args.warm_up else []),
               *(arg for c in args.conf for arg in ("--conf", c)), *map(str, warcs)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the Spark job failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["counts"]["topics"] = sorted(tuple(t) for t in result["counts"]["topics"])
    result["counts"]["domains"] = sorted(tuple(tuple(kv) for kv in d) for d in result["counts"]["domains"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("warcs", nargs="*", help=argparse.SUPPRESS)
    parser.add_argument("--mib", type=float, default=50, help="MiB of crawl-like pages (at least)")
    parser.add_argument("--files", type=int, default=8, help="WARC files to pack them into")
    parser.add_argument("--cores", type=int, default=2, help="--jobs of the CLI, local[N] of Spark")
    parser.add_argument("--partitions", type=int, help="the Spark job's --partitions (default: its own choice)")
    parser.add_argument("--conf", action="append", default=[], help="a Spark setting KEY=VALUE (repeatable)")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--only", choices=("cli", "spark"), help="time only one side")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "spark-bench")
    parser.add_argument("--warm-up", action="store_true", help="before the timed survey, run it on 100 of the "
                        "pages in the same session (JIT compilation of the job's code paths, timed apart)")
    parser.add_argument("--exocheck", type=Path, help="the Spark job of another exocheck tree (its root directory)")
    parser.add_argument("--spark-child", help=argparse.SUPPRESS)
    parser.add_argument("--warm", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.spark_child:
        spark_child(args)
        return
    args.work.mkdir(parents=True, exist_ok=True)
    warcs, size, pages = build(args.work, args.mib, args.files)
    warc_bytes = sum(w.stat().st_size for w in warcs)
    print(f"input: {pages} pages, {size / MIB:.1f} MiB of HTML in {len(warcs)} WARC files "
          f"({warc_bytes / MIB:.1f} MiB gzipped); {os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}")
    cli_rows, spark_rows = [], []
    for number in range(args.runs):
        if args.only != "spark":
            wall, cpu, report = run_cli(warcs, args.cores, args.work / "cli.json")
            cli_rows.append((wall, cpu))
            expected = cli_counts(report)
            print(f"run {number + 1}: CLI --jobs {args.cores}: {wall:.1f} s wall ({size / MIB / wall:.2f} MiB/s), "
                  f"{cpu:.1f} s CPU; load {os.getloadavg()[0]:.2f}", flush=True)
        if args.only != "cli":
            result = run_spark(args, warcs, args.work / "spark-out")
            times = result["times"]
            spark_rows.append(times)
            session, warm, survey = times["session"], times["warm-up"], times["survey"]
            warmed = (f", warm-up survey {times['warm survey'][0]:.1f} s / {times['warm survey'][1]:.1f} s"
                      if args.warm_up else "")
            print(f"run {number + 1}: Spark local[{args.cores}]: session {session[0]:.1f} s wall / {session[1]:.1f} s CPU, "
                  f"warm-up {warm[0]:.1f} s / {warm[1]:.1f} s{warmed}, survey {survey[0]:.1f} s wall "
                  f"({size / MIB / survey[0]:.2f} MiB/s), {survey[1]:.1f} s CPU; load {os.getloadavg()[0]:.2f}",
                  flush=True)
            if args.only != "spark" and result["counts"] != expected:
                differ = [k for k in expected if expected[k] != result["counts"][k]]
                raise SystemExit(f"counts differ in {differ}: CLI {[expected[k] for k in differ][:3]} "
                                 f"Spark {[result['counts'][k] for k in differ][:3]}")
            if args.only != "spark":
                print(f"  counts identical: {expected['pages']} pages, {expected['findings']} findings, "
                      f"{expected['sentences']} sentences")
    if cli_rows and spark_rows:
        cli_wall = statistics.median(w for w, _ in cli_rows)
        spark_wall = statistics.median(t["survey"][0] for t in spark_rows)
        cli_cpu = statistics.median(c for _, c in cli_rows)
        spark_cpu = statistics.median(t["survey"][1] for t in spark_rows)
        print(f"median: CLI {size / MIB / cli_wall:.2f} MiB/s ({cli_wall:.1f} s, {cli_cpu:.1f} s CPU), Spark steady "
              f"state {size / MIB / spark_wall:.2f} MiB/s ({spark_wall:.1f} s, {spark_cpu:.1f} s CPU): "
              f"{cli_wall / spark_wall:.2f}x the CLI's throughput, {cli_cpu / spark_cpu:.2f}x its CPU efficiency")


if __name__ == "__main__":
    main()
