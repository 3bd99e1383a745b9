"""The Spark job's per-partition functions are plain Python: tested here without Spark or Java."""

from __future__ import annotations

import gzip

import pytest

from warcs import Record, write_warc

pytest.importorskip("warcio")

from exocheck.spark_job import _listed, check_files, check_locations, deal
from exocheck.survey import PAGE_COLUMNS


def test_locations_are_streamed_and_give_the_rows_of_bytes(tmp_path):
    path = write_warc(tmp_path / "a.warc.gz", [
        Record("https://a.example/", "<p>Our exosome serum cures hair loss.</p>"),
        Record("https://a.example/bin", b"\x00\x01", content_type="text/plain"),
    ])
    streamed = list(check_locations([str(path), str(tmp_path / "missing.warc.gz")]))
    given = list(check_files([(str(path), path.read_bytes())]))
    assert streamed[:-1] == given

    assert [(row[-3], len(row[-2]), len(row[-1])) for row in given] == [(True, 1, 0), (False, 0, 1)]
    page = dict(zip(PAGE_COLUMNS, given[0]))
    assert (page["path"], page["domain"], page["claim_ids"]) == ("https://a.example/", "a.example", ["hair-loss-treatment"])
    assert streamed[-1][-1][0][1] == "unreadable" and streamed[-1][-3] is False


def test_disabled_ids_are_not_reported(tmp_path):
    path = write_warc(tmp_path / "a.warc", [Record("https://a.example/", "<p>Our exosome serum cures hair loss.</p>")])
    [row] = check_locations([str(path)], ("hair-loss-treatment",))
    assert row[-2] == [] and row[-3] is True


def test_a_path_list_beside_the_driver_may_be_gzipped(tmp_path):
    listed = tmp_path / "warc.paths.gz"
    with gzip.open(listed, "wt", encoding="utf-8") as out:
        out.write("crawl-data/a.warc.gz\ncrawl-data/b.warc.gz\n")
    assert [line.strip() for line in _listed(None, str(listed))] == ["crawl-data/a.warc.gz", "crawl-data/b.warc.gz"]


def test_files_are_dealt_into_tasks_of_about_equal_bytes():
    files = {"a": 10, "b": 9, "c": 5, "d": 4, "e": 1}
    assert deal(files, 8) == [["a"], ["b"], ["c"], ["d"], ["e"]]  # never more tasks than files
    assert deal(files, 2) == [["a", "d", "e"], ["b", "c"]]  # 15 and 14 bytes
    assert deal(files, 0) == [["a", "b", "c", "d", "e"]]
    assert sorted(name for group in deal({f"f{i}": i % 7 for i in range(100)}, 8) for name in group) == sorted(
        f"f{i}" for i in range(100))
