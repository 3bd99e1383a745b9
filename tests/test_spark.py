"""The Spark job in local mode, on loopback only, gives the tables `exocheck survey` and `exocheck lint` give
on the same WARC files: the same checker, the same reader. Skipped where pyspark or Java is missing; CI
installs both (.ci/run, the test extra)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import HERE, run_cli
from warcs import Record, write_warc

pytestmark = pytest.mark.slow  # starts a Spark session: about a minute

pytest.importorskip("pyspark")
pq = pytest.importorskip("pyarrow.parquet")
pytest.importorskip("warcio")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java (CI installs it: .ci/run)", allow_module_level=True)

from exocheck.spark_job import FINDING_COLUMNS
from exocheck.survey import CLAIM_COLUMNS, DOMAIN_COLUMNS, PAGE_COLUMNS, domain_of

# Spark's driver and executors talk over loopback only; no UI server.
LOOPBACK = {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1", "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": "2"}


def _crawl(directory: Path) -> None:
    clinics = [Record(f"https://www.clinic{i % 3}.example/page{i}", f"<html><head><title>Exosome therapy {i}</title>"
                      f"</head><body><h1>Exosome therapy</h1><p>Our exosome injections cure knee pain and regrow hair. "
                      f"They are FDA approved with no side effects.</p><p>Call {i}.</p></body></html>")
               for i in range(12)]
    others = [
        Record("https://news.example/fda", "<p>There are no FDA-approved exosome products.</p>"),
        Record("https://shoes.example/", "<p>We sell shoes and socks. Free shipping.</p>"),
        Record("https://shoes.example/about", "We are a family business.", content_type="text/plain"),
        Record("https://clinic0.example/es", "<p>Los exosomas son una terapia nueva que se ofrece en muchas "
               "clínicas de la ciudad. Nuestro equipo le explica todo lo que necesita saber sobre el tratamiento, "
               "y también por qué no hay ningún producto aprobado por la FDA para esta enfermedad.</p>"),
        Record("https://clinic1.example/notes.md", "# Exosomes\n\nExosomes cure hair loss.\n", content_type="text/markdown"),
        Record("https://clinic2.example/latin", "Exosomes cure acne. Café.".encode("latin-1"),
               content_type="text/plain; charset=iso-8859-1"),
        Record("https://clinic2.example/bin", b"\x00\x01\x02", content_type="text/plain"),
        Record("https://clinic2.example/img.png", b"\x89PNG", content_type="image/png"),
    ]
    write_warc(directory / "a.warc.gz", clinics[:6] + others[:4])
    write_warc(directory / "b.warc", clinics[6:] + others[4:])


def test_spark_job_equals_the_cli(tmp_path):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    _crawl(crawl)
    out = tmp_path / "spark"
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYTHONPATH": str(HERE.parent), "NO_COLOR": "1",
           "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    confs = [arg for key, value in LOOPBACK.items() for arg in ("--conf", f"{key}={value}")]
    started = time.perf_counter()
    job = subprocess.run([sys.executable, "-m", "exocheck.spark_job", str(out), str(crawl / "*.warc*"),
                          "--master", "local[2]", *confs], capture_output=True, text=True, env=env, timeout=600,
                         check=False)
    print(f"spark job: {time.perf_counter() - started:.1f} s; {job.stderr.splitlines()[-1:]}")
    assert job.returncode == 0, job.stderr[-3000:]

    cli = run_cli("survey", str(crawl), "--tables-dir", str(tmp_path / "cli"), "--format", "parquet")
    assert cli.returncode == 0, cli.stderr

    def table(directory: Path, columns, key) -> list[dict]:
        return sorted(pq.read_table(directory).select(list(columns)).to_pylist(), key=key)

    def by_path(row: dict) -> str:
        return row["path"]

    pages = table(out / "pages", PAGE_COLUMNS, by_path)
    assert pages == table(tmp_path / "cli" / "pages.parquet", PAGE_COLUMNS, by_path)
    assert len(pages) == 18 and [p["path"] for p in pages if not p["names_product"]] == [
        "https://shoes.example/", "https://shoes.example/about"]
    assert table(out / "domains", DOMAIN_COLUMNS, str) == table(tmp_path / "cli" / "domains.parquet", DOMAIN_COLUMNS, str)
    claims = table(out / "claims", CLAIM_COLUMNS, str)
    assert claims == table(tmp_path / "cli" / "claims.parquet", CLAIM_COLUMNS, str) and claims

    survey = json.loads(run_cli("survey", str(crawl), "--format", "json").stdout)
    assert table(out / "topics", ("topic", "verdict", "count"), str) == sorted(survey["overall"], key=str)

    lint = run_cli("lint", str(crawl), "--format", "json", "--exit-zero")
    report = json.loads(lint.stdout)
    expected = [{**{c: f.get(c) for c in FINDING_COLUMNS}, "domain": domain_of(f["path"])} for f in report["findings"]]

    def place(row: dict) -> tuple:
        return row["path"], row["start"], row["claim_id"], row["topic"]

    assert table(out / "findings", FINDING_COLUMNS, place) == sorted(expected, key=place)
    spark_pages = {p["path"]: p for p in pq.read_table(out / "pages").to_pylist()}
    hair = spark_pages["https://clinic1.example/notes.md"]
    assert [(c["claim_id"], c["line"], c["column"]) for c in hair["claims"]] == [("hair-loss-treatment", 3, 1)]
    assert hair["warc"].endswith("b.warc")

    notices = {(n["path"], n["code"]) for n in pq.read_table(out / "notices").to_pylist()}
    assert {(n["path"], n["code"]) for n in report["notices"]} <= notices
    assert ("https://clinic2.example/bin", "warc-record") in notices
    assert ("https://clinic0.example/es", "non-english") in notices


def test_spark_job_reads_a_directory_in_one_task_and_refuses_a_glob_matching_nothing(tmp_path):
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    _crawl(crawl)
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYTHONPATH": str(HERE.parent), "NO_COLOR": "1",
           "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    confs = [arg for key, value in LOOPBACK.items() for arg in ("--conf", f"{key}={value}")]

    def job(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "exocheck.spark_job", *args, "--master", "local[2]", *confs],
                              capture_output=True, text=True, env=env, timeout=600, check=False)

    done = job(str(tmp_path / "out"), str(crawl), "--partitions", "1")  # a directory is its files
    assert done.returncode == 0, done.stderr[-3000:]
    assert "18 pages" in done.stderr.splitlines()[-1]
    assert sorted({p["warc"].rsplit("/", 1)[-1] for p in pq.read_table(tmp_path / "out" / "pages").to_pylist()}) == [
        "a.warc.gz", "b.warc"]

    missing = job(str(tmp_path / "none"), str(tmp_path / "nowhere" / "*.warc.gz"))
    assert missing.returncode == 2 and "no WARC files match" in missing.stderr
