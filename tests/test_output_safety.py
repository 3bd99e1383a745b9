"""What exocheck writes, and what stops it, through the real command (issue 15, items 1, 8, 9 and 10).

A report never replaces an input; --output and --write-baseline replace their file whole or not at all
(interrupted, failed or concurrent runs included); closed or full standard streams and a missing HOME are
one-line errors or harmless; --jobs is capped; SIGINT, SIGTERM and SIGHUP stop every worker at once.
Rows of docs/robustness.md name these tests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import HERE, run_cli

CLAIM = "Exosomes cure hair loss.\n"
LINUX = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see the workers")


def environment(**changes: str | None) -> dict[str, str]:
    """The command's environment (the source tree under test, no colour), with variables set or removed."""
    pythonpath = os.pathsep.join(p for p in (str(HERE.parent), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": pythonpath}
    env.pop("EXOCHECK_DEBUG", None)
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def one_error(result: subprocess.CompletedProcess, *fragments: str) -> str:
    lines = result.stderr.decode("utf-8", "replace").splitlines()
    assert result.returncode == 2, (result.returncode, lines)
    assert len(lines) == 1 and lines[0].startswith("exocheck: error: "), lines
    assert all(fragment in lines[0] for fragment in fragments), lines
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    """Temporary report files left behind (they are hidden: .NAME.XXXXXXXX.tmp)."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def shell(command: str, cwd: Path, **changes: str | None) -> subprocess.CompletedProcess:
    """`exocheck` run by sh, for redirections such as `<&-` that only a shell writes naturally."""
    return subprocess.run(["sh", "-c", command.replace("exocheck", f"'{sys.executable}' -m exocheck", 1)],
                          capture_output=True, cwd=cwd, env=environment(**changes), check=False, timeout=60)


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.md"
    path.write_text(CLAIM, encoding="utf-8")
    return path


# --- 1. no report ever overwrites an input ----------------------------------------------------------------


@pytest.mark.parametrize("how", ["same path", "other spelling", "symlink", "hard link", "in a directory",
                                 "standard input", "write-baseline", "the baseline"])
def test_a_report_that_would_replace_an_input_is_refused_before_anything_is_read(page: Path, how: str) -> None:
    """Refused with one line and exit 2, the page byte for byte as it was, nothing else read: the run also
    names a missing path and a baseline that is not JSON, and neither is reported."""
    folder = page.parent
    (folder / "broken.json").write_text("{ not json", encoding="utf-8")
    target, args = "page.md", ["lint", "missing.md", "page.md"]
    if how == "other spelling":
        target = str(page)
    elif how == "symlink":
        (folder / "link.txt").symlink_to("page.md")
        target = "link.txt"
    elif how == "hard link":
        os.link(page, folder / "hard.txt")
        target = "hard.txt"
    elif how == "in a directory":
        args = ["lint", "missing.md", "."]
    elif how == "standard input":  # `exocheck lint - -o page.md < page.md`
        args = ["lint", "-", "--stdin-filename", "copy.md"]
    option = "--write-baseline" if how == "write-baseline" else "--output"
    if how == "the baseline":
        target = "broken.json"
        args = ["lint", "missing.md", "page.md", "--baseline", "broken.json"]
    else:
        args += ["--baseline", "broken.json"] if how != "write-baseline" else []
    with page.open("rb") as stdin:
        result = subprocess.run([sys.executable, "-m", "exocheck", *args, option, target], stdin=stdin,
                                capture_output=True, cwd=folder, env=environment(), check=False, timeout=60)
    one_error(result, f"{target}: {option} would replace", "which this run reads")
    assert result.stdout == b""
    assert page.read_text(encoding="utf-8") == CLAIM and leftovers(folder) == []
    assert (folder / "broken.json").read_text(encoding="utf-8") == "{ not json"


def test_an_html_report_of_its_own_in_the_linted_folder_is_rewritten_not_read(page: Path) -> None:
    """`exocheck lint . -o review.html` run twice: the second run replaces its own report (marked as one in
    its head) instead of refusing it or reading it as a page; an HTML page of the user's is still refused."""
    folder = page.parent
    first = run_cli("lint", ".", "-f", "html", "-o", "review.html", cwd=folder)
    assert first.returncode == 1
    again = run_cli("lint", ".", "-f", "html", "-o", "review.html", cwd=folder)
    assert again.returncode == 1 and again.stderr == b""
    report = (folder / "review.html").read_text(encoding="utf-8")
    assert "1 file" in report and "review.html" not in report.split("<main>")[1]
    (folder / "index.html").write_text("<p>Exosomes regrow hair.</p>", encoding="utf-8")
    refused = run_cli("lint", ".", "-f", "html", "-o", "index.html", cwd=folder)
    one_error(refused, "index.html: --output would replace", "which this run reads")
    assert (folder / "index.html").read_text(encoding="utf-8") == "<p>Exosomes regrow hair.</p>"


def test_output_and_write_baseline_may_not_name_one_file(page: Path) -> None:
    result = run_cli("lint", "page.md", "-o", "same.json", "--write-baseline", "./same.json", cwd=page.parent)
    one_error(result, "same.json: --output and --write-baseline name the same file")
    assert not (page.parent / "same.json").exists()


def test_a_baseline_can_be_refreshed_in_place(page: Path) -> None:
    folder = page.parent
    assert run_cli("lint", "page.md", "--write-baseline", "base.json", cwd=folder).returncode == 0
    result = run_cli("lint", "page.md", "--baseline", "base.json", "--write-baseline", "base.json", cwd=folder)
    assert result.returncode == 0 and '"hair-loss-treatment"' in (folder / "base.json").read_text()


def test_a_failed_run_leaves_the_previous_report_and_baseline_intact(page: Path) -> None:
    """A knowledge base that does not load fails the run after the report files were opened: both keep
    their old content and no temporary file is left."""
    folder = page.parent
    for name in ("report.json", "base.json"):
        (folder / name).write_text("previous\n", encoding="utf-8")
    (folder / "bad.yaml").write_text("claims: [\n", encoding="utf-8")
    result = run_cli("lint", "page.md", "-o", "report.json", "--write-baseline", "base.json", "--kb", "bad.yaml",
                     cwd=folder)
    one_error(result, "bad.yaml")
    assert (folder / "report.json").read_text() == (folder / "base.json").read_text() == "previous\n"
    assert leftovers(folder) == []


def test_report_files_keep_sensible_modes_and_links(page: Path) -> None:
    """A new report gets the umask's mode (not mkstemp's 0600), a replaced one keeps its mode, and a
    report reached through a symbolic link is written where the link points, the link kept."""
    folder = page.parent
    result = subprocess.run([sys.executable, "-m", "exocheck", "lint", "page.md", "-o", "new.txt"], cwd=folder,
                            env=environment(), capture_output=True, check=False, timeout=60,
                            preexec_fn=lambda: os.umask(0o027))
    assert result.returncode == 1 and (folder / "new.txt").stat().st_mode & 0o777 == 0o640
    kept = folder / "kept.txt"
    kept.write_text("previous\n")
    kept.chmod(0o604)
    assert run_cli("lint", "page.md", "-o", "kept.txt", cwd=folder).returncode == 1
    assert kept.stat().st_mode & 0o777 == 0o604 and "hair-loss-treatment" in kept.read_text()
    (folder / "reports").mkdir()
    (folder / "latest.txt").symlink_to("reports/r.txt")
    assert run_cli("lint", "page.md", "-o", "latest.txt", cwd=folder).returncode == 1
    assert (folder / "latest.txt").is_symlink() and "hair-loss-treatment" in (folder / "reports/r.txt").read_text()
    assert leftovers(folder) == leftovers(folder / "reports") == []


def test_standard_output_named_as_the_output_is_appended_to_not_truncated(page: Path) -> None:
    """`-o /dev/stdout >> log`: /dev/stdout leads to the log, which must not be replaced or cut short."""
    log = page.parent / "log.txt"
    log.write_text("earlier lines\n")
    result = shell("exocheck lint page.md --format concise -o /dev/stdout >> log.txt", cwd=page.parent)
    assert result.returncode == 1, result.stderr
    assert log.read_text().startswith("earlier lines\npage.md:1:1: error [hair-loss-treatment]")


# --- 8. resource limits: --jobs, closed and full streams, a missing HOME ---------------------------------


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 pages of 1,500 different sentences each (different, so the checker's memo does not make it
    instant): a run of several seconds, long enough to signal it part-way."""
    site = tmp_path_factory.mktemp("busy_site")
    for number in range(40):
        text = "".join(f"Our exosome serum {number}x{i} regrows hair in {i} weeks. Book now.\n\n" for i in range(1500))
        (site / f"page{number:02d}.md").write_text(text, encoding="utf-8")
    return site


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    """Running, not merely a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
@LINUX
def test_jobs_is_capped_by_the_cores_and_the_files(busy_site: Path) -> None:
    """--jobs 64 on this machine starts no more workers than it has usable cores (and never more than files)."""
    cores = len(os.sched_getaffinity(0))
    process = subprocess.Popen([sys.executable, "-m", "exocheck", "lint", ".", "--jobs", "64", "-o", os.devnull],
                               cwd=busy_site, env=environment(), stderr=subprocess.PIPE)
    most = 0
    while process.poll() is None:
        most = max(most, len(_children(process.pid)))
        time.sleep(0.01)
    assert process.returncode == 1, process.stderr.read() if process.stderr else b""
    assert 1 <= most <= min(cores, 40), most


def test_closed_standard_input_is_one_error(tmp_path: Path) -> None:
    one_error(shell("exocheck lint - <&-", cwd=tmp_path), "<stdin>: cannot read (standard input is closed)")
    one_error(shell("exocheck <&-", cwd=tmp_path), "<stdin>: cannot read (standard input is closed)")
    assert shell(f"exocheck '{CLAIM.strip()}' <&-", cwd=tmp_path).returncode == 1  # stdin not needed: fine


def test_closed_standard_output_is_one_error_unless_the_report_goes_to_a_file(page: Path) -> None:
    for command in ("exocheck lint page.md >&-", f"exocheck '{CLAIM.strip()}' >&-", "exocheck kb stats >&-"):
        one_error(shell(command, cwd=page.parent), "cannot write standard output (standard output is closed)")
    result = shell("exocheck lint page.md -o report.txt --jobs 2 >&-", cwd=page.parent)
    assert result.returncode == 1 and result.stderr == b""
    assert "hair-loss-treatment" in (page.parent / "report.txt").read_text()


def test_closed_standard_error_keeps_messages_off_standard_output(page: Path) -> None:
    result = shell("exocheck lint missing.md page.md --format concise 2>&-", cwd=page.parent)
    assert result.returncode == 2
    assert result.stdout.decode().startswith("page.md:1:1: error") and b"exocheck:" not in result.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_under_any_output_is_one_error_naming_it(page: Path) -> None:
    folder = page.parent
    one_error(run_cli("lint", "page.md", "-o", "/dev/full", cwd=folder), "/dev/full: cannot write (No space left")
    one_error(run_cli("lint", "page.md", "--write-baseline", "/dev/full", cwd=folder),
              "/dev/full: cannot write (No space left")
    one_error(run_cli(CLAIM, "-o", "/dev/full"), "/dev/full: cannot write (No space left")
    # stderr full: nothing can be said, but the exit code still tells, and stdout has the report
    result = shell("exocheck lint missing.md page.md --format concise 2>/dev/full", cwd=folder)
    assert result.returncode == 2 and result.stdout.decode().startswith("page.md:1:1: error")


def test_a_missing_home_is_neither_an_error_nor_created(tmp_path: Path) -> None:
    """HOME names no directory and no cache directory is set: the check runs (without a cache), nothing is
    printed, and nothing is created anywhere under the test's directory (as root, the cache used to
    create HOME itself)."""
    (tmp_path / "site").mkdir()
    for number in range(9):
        (tmp_path / "site" / f"p{number}.md").write_text(CLAIM, encoding="utf-8")
    before = set(tmp_path.rglob("*"))
    env = environment(HOME=str(tmp_path / "nohome"), XDG_CACHE_HOME=None, EXOCHECK_CACHE_DIR=None,
                      TMPDIR=str(tmp_path))
    for args in ([CLAIM], ["lint", ".", "--jobs", "2", "--format", "junit"]):
        result = subprocess.run([sys.executable, "-m", "exocheck", *args], cwd=tmp_path / "site", env=env,
                                capture_output=True, check=False, timeout=60)
        assert result.returncode == 1 and result.stderr == b"", result.stderr
    assert set(tmp_path.rglob("*")) == before


# --- 9. interrupted runs --------------------------------------------------------------------------------


def _start(args: list[str], cwd: Path) -> subprocess.Popen:
    """The command in a session of its own, so a signal can go to its whole process group as a terminal's."""
    return subprocess.Popen([sys.executable, "-m", "exocheck", *args], cwd=cwd, env=environment(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _signal_mid_run(process: subprocess.Popen, signum: int, *, group: bool,
                    ready: Callable[[list[bytes]], bool]) -> tuple[int, bytes, bytes, list[int], float]:
    """Send `signum` once `ready()` says the run is under way (both workers up, the report being written),
    reading its output all the while; returns the exit code, stdout, stderr, the workers and the seconds
    from the signal to the exit."""
    chunks: dict[str, list[bytes]] = {"out": [], "err": []}

    def read(name: str, stream) -> None:
        for chunk in iter(lambda: stream.read1(65536), b""):
            chunks[name].append(chunk)

    readers = [threading.Thread(target=read, args=(name, stream))
               for name, stream in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    workers: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (len(workers) >= 2 and ready(chunks["out"])):
        workers = _children(process.pid) or workers
        time.sleep(0.01)
    assert process.poll() is None, "the run ended before it could be interrupted"
    sent = time.monotonic()
    (os.killpg if group else os.kill)(process.pid, signum)
    try:
        code = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise AssertionError("hung after the signal") from None
    took = time.monotonic() - sent
    for reader in readers:
        reader.join()
    return code, b"".join(chunks["out"]), b"".join(chunks["err"]), workers, took


SIGNALS = [("SIGINT", 130), ("SIGTERM", 143), ("SIGHUP", 129)]


@LINUX
@pytest.mark.parametrize("group", [False, True], ids=["process", "group"])
@pytest.mark.parametrize(("name", "code"), SIGNALS)
def test_a_signal_stops_the_run_at_once_and_leaves_the_old_report(busy_site: Path, tmp_path: Path, name: str,
                                                                    code: int, group: bool) -> None:
    """Sent to the command alone or to its process group (a terminal's Ctrl-C, a closed terminal's SIGHUP,
    `kill -TERM -PGID`): the exit code is 128 + the signal, nothing on stderr, no worker outlives the
    command, the report from before is intact and no temporary file is left beside it."""
    report = tmp_path / "report.json"
    report.write_text("previous\n")
    process = _start(["lint", ".", "--jobs", "2", "--format", "json", "-o", str(report)], busy_site)
    exit_code, out, err, workers, took = _signal_mid_run(
        process, getattr(signal, name), group=group, ready=lambda _out: bool(leftovers(tmp_path)))
    assert (exit_code, err, out) == (code, b"", b""), err.decode("utf-8", "replace")
    assert workers and not any(_alive(pid) for pid in workers), workers
    assert took < 10, took
    assert report.read_text() == "previous\n" and leftovers(tmp_path) == []


@pytest.mark.slow
@LINUX
@pytest.mark.parametrize(("name", "code"), SIGNALS)
def test_an_interrupted_stream_on_stdout_is_a_prefix_of_the_report(busy_site: Path, name: str, code: int) -> None:
    """What standard output holds when a streamed lint is stopped: the report as far as it got, every byte
    as the whole run writes it (the last line may be cut)."""
    whole = subprocess.run([sys.executable, "-m", "exocheck", "lint", ".", "--format", "concise", "--jobs", "2"],
                           cwd=busy_site, env=environment(), capture_output=True, check=False, timeout=300).stdout
    process = _start(["lint", ".", "--jobs", "2", "--format", "concise"], busy_site)
    exit_code, out, err, workers, _ = _signal_mid_run(
        process, getattr(signal, name), group=True, ready=lambda out: len(out) > 2)
    assert (exit_code, err) == (code, b""), err.decode("utf-8", "replace")
    assert out and len(out) < len(whole) and whole.startswith(out)
    assert not any(_alive(pid) for pid in workers)


@LINUX
def test_workers_die_with_a_killed_command(busy_site: Path, tmp_path: Path) -> None:
    """SIGKILL gives the command no chance to end its workers: the kernel does (PR_SET_PDEATHSIG), so none
    is left running; the report from before is intact (only a hidden temporary file can remain)."""
    report = tmp_path / "report.json"
    report.write_text("previous\n")
    process = _start(["lint", ".", "--jobs", "2", "--format", "json", "-o", str(report)], busy_site)
    _, _, _, workers, _ = _signal_mid_run(process, signal.SIGKILL, group=False,
                                          ready=lambda _out: bool(leftovers(tmp_path)))
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers and not any(_alive(pid) for pid in workers)
    assert report.read_text() == "previous\n"


# --- 10. concurrent runs --------------------------------------------------------------------------------


@pytest.mark.slow
def test_concurrent_runs_writing_one_report_never_mix(tmp_path: Path) -> None:
    """Two runs with different reports (megabytes each, so their writes overlap) write one --output at
    the same time, three times over: the file is always exactly one of the two reports."""
    expected = {}
    for name, sentence in (("a", "Our exosome serum regrows hair."), ("b", "Exosome IV drips treat long COVID.")):
        site = tmp_path / name
        site.mkdir()
        for number in range(10):
            text = "".join(f"{sentence} Batch {number}-{i}.\n\n" for i in range(400))
            (site / f"p{number}.md").write_text(text, encoding="utf-8")
        expected[name] = run_cli("lint", str(site), "--format", "json", "--jobs", "2").stdout
    assert expected["a"] != expected["b"] and min(map(len, expected.values())) > 1_000_000
    target = tmp_path / "report.json"
    for _ in range(3):
        runs = [subprocess.Popen([sys.executable, "-m", "exocheck", "lint", str(tmp_path / name), "--format", "json",
                                  "--jobs", "2", "-o", str(target)], env=environment(), stderr=subprocess.PIPE)
                for name in ("a", "b")]
        assert [run.wait(timeout=300) for run in runs] == [1, 1]
        assert target.read_bytes() in (expected["a"], expected["b"])
        assert leftovers(tmp_path) == []


@pytest.mark.slow
@LINUX
def test_a_worker_that_dies_has_its_files_reported_not_a_hang(busy_site: Path, tmp_path: Path) -> None:
    """A worker killed from outside (the OOM killer, say): the files it held are errors, every other file is
    still checked and reported, and the run ends with exit 2 instead of waiting for it forever."""
    report = tmp_path / "report.txt"
    process = _start(["lint", ".", "--jobs", "2", "--format", "concise", "-o", str(report)], busy_site)
    deadline = time.monotonic() + 60
    while len(_children(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.5)
    os.kill(_children(process.pid)[0], signal.SIGKILL)
    out, err = process.communicate(timeout=120)
    lost = [line for line in err.decode().splitlines() if "not checked (the process checking it died)" in line]
    assert process.returncode == 2 and out == b"" and 1 <= len(lost) <= 2, err.decode()
    assert all(line.startswith("exocheck: error: page") for line in err.decode().splitlines())
    checked = {line.split(":", 1)[0] for line in report.read_text().splitlines()}
    assert len(checked) == 40 - len(lost)
