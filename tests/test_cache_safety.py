"""The compiled-KB cache cannot run code or be steered by anyone but the user (issue 15, item 3).

Entries are JSON, read only from a directory nobody else can write, never through a symbolic link, and
bounded in size and number. Each test runs the real command against a cache directory it prepares.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from exocheck import cache, diskcache
from exocheck.kb import read_kb_files

from conftest import run_cli

CLAIM = "Exosomes cure hair loss."
PLANTED = "PLANTED EXPLANATION"


def check(directory: Path, *args: str) -> subprocess.CompletedProcess:
    """One check of CLAIM with the cache in `directory`."""
    return run_cli(CLAIM, "--format", "json", *args, env={"EXOCHECK_CACHE_DIR": str(directory)})


def explanation(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [f["claim_id"] for f in findings] == ["hair-loss-treatment"]
    return findings[0]["explanation"]


def filled(directory: Path) -> list[Path]:
    """The entries a first run writes into a fresh cache `directory`: the checker's and the word lists'."""
    assert explanation(check(directory)) != PLANTED
    entries = sorted(directory.iterdir())
    assert [p.name.split("-")[0] for p in entries] == ["checker", "language"]
    return entries


def planted(entry: Path) -> bytes:
    """The checker entry with the hair-loss claim's explanation replaced: valid, but not what the KB says."""
    magic, _, body = entry.read_bytes().partition(b"\n")
    data = json.loads(body)
    data["kb"]["claims"]["hair-loss-treatment"]["explanation"] = PLANTED
    return magic + b"\n" + json.dumps(data).encode()


class Payload:
    """Unpickling this creates the file `marker`: what a planted pickle could do instead."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return (os.mkdir, (str(self.marker),))


def test_a_planted_entry_is_used_in_a_directory_of_ones_own(tmp_path: Path) -> None:
    """The other tests' control: the same planted entry is read from a directory only the user can write
    (so where it is not read, the directory or the link is why)."""
    directory = tmp_path / "cache"
    checker_entry = filled(directory)[0]
    checker_entry.write_bytes(planted(checker_entry))
    assert explanation(check(directory)) == PLANTED


def test_a_planted_pickle_never_runs(tmp_path: Path) -> None:
    """Whatever an entry holds is read as JSON: a pickle in place of every entry (behind each entry's own
    first line, and under the names earlier versions used) does not run, and is rebuilt."""
    directory = tmp_path / "cache"
    marker = tmp_path / "pwned"
    payload = pickle.dumps(Payload(marker))
    for entry in filled(directory):
        magic = entry.read_bytes().partition(b"\n")[0]
        entry.write_bytes(magic + b"\n" + payload)
        entry.with_suffix(".pickle").write_bytes(b"exocheck-checker-cache\n" + payload)
    assert explanation(check(directory)) != PLANTED
    assert not marker.exists()
    assert all(json.loads(p.read_bytes().partition(b"\n")[2]) for p in directory.glob("*.json"))


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o702])
def test_a_directory_others_can_write_is_not_used(tmp_path: Path, mode: int) -> None:
    """Group- or world-writable: its entries are not read, and nothing is written into it."""
    directory = tmp_path / "cache"
    checker_entry = filled(directory)[0]
    checker_entry.write_bytes(planted(checker_entry))
    directory.chmod(mode)
    names = sorted(os.listdir(directory))
    assert explanation(check(directory)) != PLANTED
    checker_entry.unlink()
    assert explanation(check(directory)) != PLANTED
    assert sorted(os.listdir(directory)) == [n for n in names if n != checker_entry.name]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can give a directory away")
def test_a_directory_another_user_owns_is_not_used(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    checker_entry = filled(directory)[0]
    checker_entry.write_bytes(planted(checker_entry))
    os.chown(directory, 12345, 12345)
    assert explanation(check(directory)) != PLANTED
    os.chown(directory, os.geteuid(), os.getegid())
    os.chown(checker_entry, 12345, 12345)  # an entry someone else owns, in the user's own directory
    assert explanation(check(directory)) != PLANTED


def test_symbolic_links_are_not_followed(tmp_path: Path) -> None:
    """Neither an entry nor the cache directory itself is read through a link."""
    directory = tmp_path / "cache"
    checker_entry = filled(directory)[0]
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(planted(checker_entry))
    checker_entry.unlink()
    checker_entry.symlink_to(elsewhere)
    assert explanation(check(directory)) != PLANTED

    real = tmp_path / "real"
    real_entry = filled(real)[0]
    real_entry.write_bytes(planted(real_entry))
    linked = tmp_path / "linked"
    linked.symlink_to(real)
    assert explanation(check(linked)) != PLANTED


def test_a_fifo_under_an_entrys_name_does_not_block(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    checker_entry = filled(directory)[0]
    checker_entry.unlink()
    os.mkfifo(checker_entry)
    assert explanation(check(directory)) != PLANTED  # run_cli times out after 60 s


def test_an_oversized_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = tmp_path / "cache"
    checker_entry = filled(directory)[0]
    magic = checker_entry.read_bytes().partition(b"\n")[0] + b"\n"
    assert diskcache.read_entry(directory, checker_entry.name, magic) is not None
    monkeypatch.setattr(diskcache, "MAX_ENTRY_BYTES", checker_entry.stat().st_size - 1)
    assert diskcache.read_entry(directory, checker_entry.name, magic) is None
    diskcache.write_entry(directory, "checker-" + "0" * 32 + ".json", magic, {"big": "x" * 10})
    assert (directory / ("checker-" + "0" * 32 + ".json")).exists()
    diskcache.write_entry(directory, "checker-" + "1" * 32 + ".json", magic, {"big": "x" * (2 << 20)})
    assert not (directory / ("checker-" + "1" * 32 + ".json")).exists()


def test_eviction_keeps_the_newest_entries(tmp_path: Path) -> None:
    """Old entries (of other versions or KBs) go when a new one is written; files it did not write stay."""
    directory = tmp_path / "cache"
    directory.mkdir(mode=0o700)
    old = time.time() - 3600
    for number in range(40):
        stale = directory / f"checker-{number:032x}.json"
        stale.write_text("{}")
        os.utime(stale, (old + number, old + number))
    (directory / "notes.txt").write_text("mine")
    assert explanation(check(directory)) != PLANTED
    names = os.listdir(directory)
    ours = [n for n in names if n != "notes.txt"]
    assert len(ours) == diskcache.MAX_ENTRIES and "notes.txt" in names
    assert sum(n.startswith("language-") for n in ours) == 1
    kept_stale = sorted(n for n in ours if n.startswith("checker-0000"))
    assert kept_stale == [f"checker-{number:032x}.json" for number in range(40 - diskcache.MAX_ENTRIES + 2, 40)]


def test_new_directories_are_private(tmp_path: Path) -> None:
    directory = tmp_path / "a" / "cache"
    filled(directory)
    assert directory.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in directory.iterdir())
    assert not [p for p in directory.iterdir() if p.name.endswith(".tmp")]


def test_the_flags_move_the_cache_or_turn_it_off(tmp_path: Path) -> None:
    """--cache-dir and --no-cache win over the environment, on `exocheck TEXT`, `lint` and `survey`."""
    default = tmp_path / "default"
    env = {"XDG_CACHE_HOME": str(default)}
    page = tmp_path / "page.md"
    page.write_text(CLAIM, encoding="utf-8")
    assert run_cli(CLAIM, "--no-cache", env=env).returncode == 1
    assert run_cli("lint", str(page), "--no-cache", env=env).returncode == 1
    assert run_cli("survey", str(page), "--no-cache", env=env).returncode == 0
    assert not default.exists()
    moved = tmp_path / "moved"
    assert run_cli(CLAIM, "--cache-dir", str(moved), env=env).returncode == 1
    assert sorted(p.name.split("-")[0] for p in moved.iterdir()) == ["checker", "language"]
    assert run_cli("lint", str(page), "--jobs", "2", "--cache-dir", str(tmp_path / "other"), env=env).returncode == 1
    assert run_cli("lint", str(page), "--cache-dir", str(moved), "--no-cache", env=env).returncode == 1
    assert not default.exists()


def test_a_cached_checker_is_the_compiled_one() -> None:
    """Rebuilt from its JSON, the checker has the same KB and lexicon, and finds the same claims."""
    from exocheck import checker_for

    files = read_kb_files()
    compiled = checker_for()
    rebuilt = cache._load(json.loads(json.dumps(cache._as_data(compiled))), files)
    assert rebuilt is not None and rebuilt.kb == compiled.kb
    assert vars(rebuilt.lexicon) == vars(compiled.lexicon)
    corpus = Path(__file__).parent / "corpus"
    texts = [item["text"] for name in ("sentences.yaml", "passages.yaml")
             for item in yaml.safe_load((corpus / name).read_text(encoding="utf-8"))]
    assert len(texts) > 500
    for text in texts:
        assert rebuilt.check(text).findings == compiled.check(text).findings
