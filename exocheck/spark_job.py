"""A survey of WARC files on Apache Spark, for crawls larger than one machine checks in good time.

    python -m exocheck.spark_job OUT 'WARC_GLOB'...            # local mode (all cores), or --master URL
    spark-submit [options] LAUNCHER.py OUT --path-list warc.paths.gz --prefix s3://commoncrawl/

(LAUNCHER.py: `import sys; from exocheck.spark_job import main; sys.exit(main())`; see the README for a
cluster's options.)

Each WARC file is read by one task: its pages are checked in `mapPartitions` by exactly the function the
CLI uses (`lint.lint_warc`: the same reader, the same masking, the same checker), with the knowledge base
compiled once per Python worker, so the tables equal `exocheck survey` on the same files. Written as Parquet
under OUT:

- `pages/`: a row per page: the survey's `pages` table (survey.PAGE_COLUMNS: URL, domain, sentences
  checked, whether it names an exosome product, counts by verdict, claim ids, topics), the WARC file, and
  `claims`, its findings (claim id, verdict, topic, severity and positions);
- `findings/`: a row per finding: the JSON contract's fields less the KB prose (which `exocheck explain
  CLAIM_ID` and `jsonl-compact` give), plus the domain;
- `topics/` (topic x verdict counts), `domains/` (the survey's `domains` table: domain x verdict and the
  page denominators), `claims/` (the survey's `claims` table);
- `notices/`: records that could not be read, truncated records, pages not in English, and what the CLI
  prints as warnings (undecodable bytes, unknown charsets).

A URL captured twice is two rows of `pages/` here and one page (its counts summed) in `exocheck survey`;
`domains/` counts distinct URLs, as the CLI does.

pyspark is the optional extra `exocheck[spark]`; nothing else in exocheck imports it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any

from .config import Settings
from .kb import VERDICTS
from .lint import FileResult, lint_warc
from .survey import (
    CLAIM_COLUMNS,
    DOMAIN_COLUMNS,
    PAGE_COLUMNS,
    VIOLATIONS,
    page_of,
    page_row,
)

FINDING_COLUMNS = ("path", "domain", "start", "end", "line", "column", "end_line", "end_column", "sentence",
                   "verdict", "severity", "kind", "topic", "claim_id", "score", "cues")
_POSITIONS = ("start", "end", "line", "column")
_NUMBERS = ("sentences", "findings", "start", "end", "line", "column", "end_line", "end_column")
_checker: Any = None  # compiled once per Python worker, on its first task, and kept for the next tasks


def _worker_checker() -> Any:
    global _checker
    if _checker is None:
        import gc

        from .cache import compiled_checker
        from .lint import GC_THRESHOLDS

        gc.set_threshold(*GC_THRESHOLDS)  # as the CLI does: at the default thresholds collection is a large share
        _checker = compiled_checker()
    return _checker


def _rows(name: str, results: Iterable[FileResult]) -> Iterator[tuple]:
    """A row of `RECORD_COLUMNS` for each result of one WARC file: a page with its findings and notices, or
    (`is_page` false) a record that could not be read, with its notice."""
    for result in results:
        if result.error is not None:
            yield (*_page_values(name), name, False, [], [(name, "unreadable", result.error, "error")])
            continue
        report = result.report
        assert report is not None
        notices = [(result.path, "decoding", warning, "warning") for warning in result.warnings]  # the CLI's stderr
        notices += [(n.path, n.code, n.message, n.severity) for n in report.notices]
        if not report.files:  # a record that could not be read: its notice is all there is
            yield (*_page_values(result.path), name, False, [], notices)
            continue
        row = page_row(result.path, *page_of(report))
        found = [(f.start, f.end, f.line, f.column, f.end_line, f.end_column, f.sentence, f.verdict, f.severity,
                  f.kind, f.topic, f.claim_id, f.score, list(f.cues)) for f in report.findings]
        yield (*(row[c] for c in PAGE_COLUMNS), name, True, found, notices)


def _page_values(path: str) -> tuple:
    """The page columns of a row that is not a page: its path, and zeros or empty lists."""
    return (path, "", *(False if c == "names_product" else [] if c in ("claim_ids", "topics") else 0
                        for c in PAGE_COLUMNS[2:]))


def check_files(files: Iterable[tuple[str, bytes]], disable: tuple[str, ...] = ()) -> Iterator[tuple]:
    """mapPartitions over (path, bytes) of WARC files, as `SparkContext.binaryFiles` gives them."""
    from io import BytesIO

    checker, settings = _worker_checker(), Settings(disable=disable)
    for name, data in files:
        yield from _rows(name, lint_warc(checker, name, settings, BytesIO(data)))


def check_locations(locations: Iterable[str], disable: tuple[str, ...] = ()) -> Iterator[tuple]:
    """mapPartitions over WARC locations (a local path, an http(s):// URL or s3://bucket/key), each streamed
    rather than held in memory: the way to read Common Crawl's warc.paths lists."""
    checker, settings = _worker_checker(), Settings(disable=disable)
    for location in locations:
        try:
            with _open(location) as stream:
                yield from _rows(location, lint_warc(checker, location, settings, stream))
        except OSError as exc:
            yield (*_page_values(location), location, False, [],
                   [(location, "unreadable", f"{location}: cannot read ({exc})", "error")])


def _open(location: str) -> Any:
    """A binary stream of a WARC location; S3 needs boto3 (credentials from the usual places)."""
    if location.startswith(("http://", "https://")):
        import urllib.request

        return urllib.request.urlopen(location, timeout=120)
    if location.startswith(("s3://", "s3a://")):
        import boto3  # type: ignore[import-not-found]

        bucket, _, key = location.split("://", 1)[1].partition("/")
        return boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"]
    return open(location.removeprefix("file://"), "rb")


def _listed(sc: Any, path_list: str) -> list[str]:
    """The lines of a list of locations: a file beside the driver (as `--files` puts it there), else one
    Spark can read (hdfs://, s3a://); gzipped either way when its name ends in .gz."""
    import gzip
    import os

    if not os.path.isfile(path_list):
        return sc.textFile(path_list).collect()
    with (gzip.open if path_list.endswith(".gz") else open)(path_list, "rt", encoding="utf-8") as lines:
        return list(lines)


def _file_groups(sc: Any, inputs: list[str], partitions: int | None) -> list[list[str]]:
    """The files of `inputs` (globs of any file system Hadoop reads), dealt into groups of about equal bytes,
    largest first: `partitions` groups, or by default one a file up to four a core (so that a core that
    finishes early takes the next file, as the CLI's worker pool does)."""
    jvm, conf = sc._jvm, sc._jsc.hadoopConfiguration()
    files: dict[str, int] = {}
    for pattern in inputs:
        path = jvm.org.apache.hadoop.fs.Path(pattern)
        statuses = path.getFileSystem(conf).globStatus(path) or []
        for status in statuses:
            if status.isDirectory():  # a directory is its files, as binaryFiles reads it
                statuses_in = status.getPath().getFileSystem(conf).listStatus(status.getPath())
                files.update((s.getPath().toString(), s.getLen()) for s in statuses_in if s.isFile())
            elif status.isFile():
                files[status.getPath().toString()] = status.getLen()
    if not files:
        raise FileNotFoundError(f"no WARC files match {', '.join(inputs)}")
    return deal(files, partitions or 4 * sc.defaultParallelism)


def deal(files: dict[str, int], tasks: int) -> list[list[str]]:
    """Files (name: bytes) dealt into at most `tasks` groups of about equal bytes: largest first, each to
    the group with the fewest bytes so far. No group is empty."""
    count = max(1, min(len(files), tasks))
    groups: list[list[str]] = [[] for _ in range(count)]
    sizes = [0] * count
    for name, size in sorted(files.items(), key=lambda item: (-item[1], item[0])):
        smallest = sizes.index(min(sizes))
        groups[smallest].append(name)
        sizes[smallest] += size
    return groups


def _schema() -> Any:
    """The schema of `_rows`' rows: a page's columns, its WARC file, and its findings and notices nested."""
    from pyspark.sql import types as T

    def field(name: str) -> Any:
        kind = {"names_product": T.BooleanType(), "is_page": T.BooleanType(), "score": T.DoubleType(),
                "claim_ids": T.ArrayType(T.StringType()), "topics": T.ArrayType(T.StringType()),
                "cues": T.ArrayType(T.StringType())}.get(name)
        if kind is None:
            kind = T.LongType() if name in _NUMBERS or name in VERDICTS else T.StringType()
        return T.StructField(name, kind)

    finding = T.StructType([field(c) for c in FINDING_COLUMNS[2:]])
    notice = T.StructType([field(c) for c in ("path", "code", "message", "severity")])
    return T.StructType([field(c) for c in (*PAGE_COLUMNS, "warc", "is_page")]
                        + [T.StructField("found", T.ArrayType(finding)), T.StructField("notices", T.ArrayType(notice))])


def run(spark: Any, output: str, inputs: list[str] = (), path_list: str | None = None, prefix: str = "",  # type: ignore[assignment]
        partitions: int | None = None, disable: tuple[str, ...] = (), mode: str = "errorifexists") -> dict[str, int]:
    """Check the WARC files of `inputs` (globs Spark reads: local, hdfs://, s3a://) and of `path_list` (a
    file of locations, one a line, `prefix` put before each), and write the tables under `output`.
    Returns the counts of pages, findings and notices."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    sc = spark.sparkContext
    checked = sc.emptyRDD()
    if inputs:
        groups = _file_groups(sc, inputs, partitions)
        # One RDD a group of files, so one task a group: binaryFiles alone packs small files into as few splits
        # as its open cost allows (all 8 files of 1.8 MiB in one task on 2 cores), and a Python RDD's
        # repartition cannot deal them out again (it moves pickled batches of up to 10 files, not files).
        files = sc.union([sc.binaryFiles(",".join(group)) for group in groups])
        checked = checked.union(files.mapPartitions(lambda part: check_files(part, disable)))
    if path_list:
        locations = [prefix + line.strip() for line in _listed(sc, path_list) if line.strip()]
        if locations:
            listed = sc.parallelize(locations, min(len(locations), partitions or len(locations)))
            checked = checked.union(listed.mapPartitions(lambda part: check_locations(part, disable)))
    # Python's rows cross to the JVM once (their types are the tests' to check, not each row's), and are kept
    # there, columnar, for every table.
    records = spark.createDataFrame(checked, _schema(), verifySchema=False).persist(StorageLevel.MEMORY_AND_DISK)
    pages = records.filter("is_page").select(
        *PAGE_COLUMNS, "warc", F.transform("found", lambda f: F.struct(*(f[c] for c in ("claim_id", "verdict", "topic",
                                                                                       "severity", *_POSITIONS))))
        .alias("claims"))
    findings = records.select("path", "domain", F.explode("found").alias("f")) \
        .select("path", "domain", *(F.col("f")[c].alias(c) for c in FINDING_COLUMNS[2:]))
    notices = records.select("warc", F.explode("notices").alias("n")) \
        .select("warc", *(F.col("n")[c].alias(c) for c in ("path", "code", "message", "severity")))
    violations = sum((F.col(v) for v in VIOLATIONS), F.lit(0))
    tables = {
        "pages": pages, "findings": findings, "notices": notices,
        "topics": findings.groupBy("topic", "verdict").count(),
        "domains": pages.groupBy("domain").agg(
            F.countDistinct("path").alias("pages"),
            F.countDistinct(F.when(F.col("names_product"), F.col("path"))).alias("pages_naming_product"),
            F.countDistinct(F.when(F.col("findings") > 0, F.col("path"))).alias("pages_with_findings"),
            F.countDistinct(F.when(violations > 0, F.col("path"))).alias("pages_with_violations"),
            *(F.sum(c).alias(c) for c in ("sentences", "findings", *VERDICTS)),
        ).select(*DOMAIN_COLUMNS),
        "claims": findings.groupBy("claim_id", "verdict").agg(F.count("*").alias("findings"),
                                                              F.countDistinct("path").alias("pages"))
        .select(*CLAIM_COLUMNS),
    }
    # The summaries are one file each, sorted within it: no range-partitioning job (a sample of the data
    # and a shuffle) for tables this small.
    order = {"topics": ("topic", "verdict"), "domains": ("domain",),
             "claims": (F.desc("findings"), "claim_id", "verdict")}
    output = output.rstrip("/")
    for name, frame in tables.items():
        if name in order:
            frame = frame.coalesce(1).sortWithinPartitions(*order[name])
        elif name == "notices":
            frame = frame.coalesce(1)
        frame.write.mode(mode).parquet(f"{output}/{name}")
    totals = records.agg(F.sum(F.col("is_page").cast("long")), F.sum(F.size("found")), F.sum(F.size("notices"))).first()
    counts = {"pages": totals[0] or 0, "findings": totals[1] or 0, "notices": totals[2] or 0}
    records.unpersist()
    return counts


# The JVM's optimising compiler (C2) is most of the JVM's CPU time in a local run: 14 of its 28 s of CPU on
# 54 MiB of crawl-like pages, against 6 s for the work itself (conversion of the rows, the columnar cache,
# Parquet), as the JVM's own work is a small share of the job (the checking is Python's). The quick
# compiler alone (C1) costs 2 s and the work runs no slower there (benchmarks/spark_bench.py, docs/benchmarks.md).
LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"


def local_settings(master: str | None, settings: dict[str, str]) -> dict[str, str]:
    """Spark settings for a local run started here (python -m, whose JVM this process launches): the JVM's
    quick compiler only, unless `settings` give the driver's Java options. None under spark-submit or for a
    cluster, whose JVMs run long enough for the optimising compiler to pay."""
    import os

    if "PYSPARK_GATEWAY_PORT" in os.environ or not (master or "local[*]").startswith("local"):
        return {}
    if "spark.driver.extraJavaOptions" in settings:
        return {}
    return {"spark.driver.extraJavaOptions": LOCAL_JAVA_OPTIONS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exocheck.spark_job", description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="Directory for the Parquet tables (local, hdfs://, s3a://).")
    parser.add_argument("inputs", nargs="*", help="WARC files or globs, read with Spark's binaryFiles.")
    parser.add_argument("--path-list", help="A text file (may be .gz) of WARC locations, one a line: local "
                        "paths, http(s):// URLs or s3:// keys, each streamed by a task (e.g. Common Crawl's warc.paths.gz).")
    parser.add_argument("--prefix", default="", help="Put before each location of --path-list "
                        "(e.g. https://data.commoncrawl.org/ or s3://commoncrawl/).")
    parser.add_argument("--partitions", type=int, help="Tasks to split the input into, whole WARC files "
                        "dealt out by size (default: one a file, for globs at most four a core).")
    parser.add_argument("--disable", action="append", default=[], help="Do not report this claim id (repeatable).")
    parser.add_argument("--overwrite", action="store_true", help="Replace tables already under OUTPUT.")
    parser.add_argument("--master", help="Spark master when run with python -m (default: local[*]; "
                        "spark-submit sets its own). In local mode the JVM runs with "
                        f"{LOCAL_JAVA_OPTIONS} unless --conf spark.driver.extraJavaOptions=... is given.")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE", help="A Spark setting (repeatable).")
    args = parser.parse_args(argv)
    if not args.inputs and not args.path_list:
        parser.error("give WARC files or globs, or --path-list")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        print("exocheck: error: the Spark job needs pyspark: pip install 'exocheck[spark]'", file=sys.stderr)
        return 2
    started = time.perf_counter()
    builder = SparkSession.builder.appName("exocheck-survey")
    if args.master:
        builder = builder.master(args.master)
    settings = dict(setting.partition("=")[::2] for setting in args.conf)
    for key, value in {**local_settings(args.master, settings), **settings}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    ready = time.perf_counter()
    try:
        counts = run(spark, args.output, args.inputs, args.path_list, args.prefix, args.partitions,
                     tuple(args.disable), "overwrite" if args.overwrite else "errorifexists")
    except FileNotFoundError as exc:
        print(f"exocheck: error: {exc}", file=sys.stderr)
        return 2
    finally:
        spark.stop()
    print(f"exocheck: {counts['pages']} pages, {counts['findings']} findings, {counts['notices']} notices; "
          f"Spark started in {ready - started:.1f} s, checked and wrote in {time.perf_counter() - ready:.1f} s; "
          f"tables in {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
