"""Bad input, one test per row of the matrix in docs/robustness.md, always through the real command.

What every row checks: exocheck does not crash, hang or pass silently; a problem is one line on stderr
("exocheck: error: ..." and no traceback) with exit code 2; and standard output is either empty or a
complete report that a parser reads (the JSON tests parse it).
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path
from unittest import mock

import pytest

from conftest import HERE, run_cli

CLAIM = "Exosomes cure hair loss."


def errors(result: subprocess.CompletedProcess) -> list[str]:
    return result.stderr.decode("utf-8", "replace").splitlines()


def report(result: subprocess.CompletedProcess) -> dict:
    """The JSON report on stdout; parsing it is the point: it must be complete even when exit code is 2."""
    return json.loads(result.stdout.decode("utf-8"))


def assert_one_error(result: subprocess.CompletedProcess, *fragments: str) -> str:
    """Exit 2 and exactly one line on stderr, an exocheck error containing every fragment."""
    lines = errors(result)
    assert result.returncode == 2, (result.returncode, lines)
    assert len(lines) == 1 and lines[0].startswith("exocheck: error: "), lines
    assert all(fragment in lines[0] for fragment in fragments), lines
    return lines[0]


def where(result: subprocess.CompletedProcess) -> list[tuple[str, int, int, str]]:
    return [(Path(f["path"]).name, f["line"], f["column"], f["claim_id"]) for f in report(result)["findings"]]


def _cli_environment() -> dict[str, str]:
    """The environment run_cli gives the command, for the tests that need a live process (Popen)."""
    pythonpath = os.pathsep.join(p for p in (str(HERE.parent), os.environ.get("PYTHONPATH", "")) if p)
    return {**{k: v for k, v in os.environ.items() if k != "EXOCHECK_DEBUG"}, "NO_COLOR": "1",
            "PYTHONPATH": pythonpath}


def start_cli(*args: str, cwd: Path) -> subprocess.Popen:
    """`python -m exocheck ARGS` running in its own session, so a signal can go to it and its workers."""
    return subprocess.Popen([sys.executable, "-m", "exocheck", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=cwd, env=_cli_environment(), start_new_session=True)


# Starts the command from a small, fresh interpreter and reports its peak memory. Measured from the test
# process itself, a child's peak counts the pages of the test process it was started from (Linux keeps
# the peak across exec), which after a few large tests is hundreds of MB that exocheck never used.
_MEASURE = """
import os, subprocess, sys
process = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(process.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    """Like run_cli, plus the peak memory (MiB) of that one process, from wait4(): the limits below are
    about exocheck's memory, which run_cli cannot report."""
    with tempfile.TemporaryDirectory() as folder:
        peak = Path(folder) / "peak"
        result = subprocess.run([sys.executable, "-c", _MEASURE, str(peak), sys.executable, "-m", "exocheck", *args],
                                capture_output=True, cwd=cwd, env=_cli_environment())
        return result, int(peak.read_text()) / 1024  # Linux reports KiB


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A directory with one page that has one finding."""
    (tmp_path / "good.md").write_text(CLAIM + "\n", encoding="utf-8")
    return tmp_path


# --- paths -----------------------------------------------------------------------------------------------


def test_missing_path_is_one_error_and_the_other_files_are_still_checked(site: Path) -> None:
    result = run_cli("lint", "missing.md", "good.md", "--format", "json", cwd=site)
    assert_one_error(result, "missing.md: no such file or directory")
    assert where(result) == [("good.md", 1, 1, "hair-loss-treatment")]


def test_unreadable_file_is_one_error_even_for_root(site: Path) -> None:
    """/proc/self/mem is a regular file that nobody, root included, can read from its start (EIO)."""
    if not Path("/proc/self/mem").exists():
        pytest.skip("needs Linux /proc")
    result = run_cli("lint", "/proc/self/mem", "good.md", "--format", "json", cwd=site)
    assert_one_error(result, "/proc/self/mem: cannot read (Input/output error)")
    assert where(result) == [("good.md", 1, 1, "hair-loss-treatment")]


_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _PR_CAPBSET_DROP = 1, 2, 24


def _without_read_bypass() -> None:
    """In the child before exec: drop the capabilities that let root read any file (Linux), so permission
    bits apply to root as to anyone else."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture
def unprivileged(tmp_path: Path):
    """run_cli for which permission bits hold: as is for a normal user; as root, with root's read bypass
    dropped. Skipped when running as root where that is not possible (root can read anything)."""
    if os.geteuid() != 0:
        return run_cli
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        readable = subprocess.run([sys.executable, "-c", f"open({str(probe)!r}).read()"],
                                  preexec_fn=_without_read_bypass, capture_output=True).returncode == 0
    except (OSError, subprocess.SubprocessError):
        readable = True
    if readable:
        pytest.skip("running as root, which can read anything, and its capabilities could not be dropped")

    def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess:
        with mock.patch.object(subprocess, "run", partial(subprocess.run, preexec_fn=_without_read_bypass)):
            return run_cli(*args, **kwargs)  # type: ignore[arg-type]

    return run


def test_unreadable_file_and_directory_inside_a_tree_are_reported(site: Path, unprivileged) -> None:
    (site / "locked.md").write_text(CLAIM)
    (site / "locked.md").chmod(0)
    (site / "private").mkdir()
    (site / "private" / "page.md").write_text(CLAIM)
    (site / "private").chmod(0)
    try:
        result = unprivileged("lint", ".", "--format", "json", cwd=site)
    finally:
        (site / "private").chmod(0o755)
    lines = errors(result)
    assert result.returncode == 2
    assert lines == ["exocheck: error: locked.md: permission denied", "exocheck: error: private: permission denied"]
    assert where(result) == [("good.md", 1, 1, "hair-loss-treatment")]


def test_unreadable_file_and_directory_named_on_the_command_line_are_one_line_each(site: Path,
                                                                                    unprivileged) -> None:
    (site / "locked.md").write_text(CLAIM)
    (site / "locked.md").chmod(0)
    (site / "private").mkdir()
    (site / "private").chmod(0)
    try:
        result = unprivileged("lint", "locked.md", "private", "good.md", "--format", "json", cwd=site)
    finally:
        (site / "private").chmod(0o755)
    assert errors(result) == ["exocheck: error: locked.md: permission denied",
                              "exocheck: error: private: permission denied"]
    assert result.returncode == 2 and where(result) == [("good.md", 1, 1, "hair-loss-treatment")]


def test_binary_file_is_refused_in_one_line(site: Path) -> None:
    (site / "logo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run_cli("lint", "logo.txt", "good.md", "--format", "json", cwd=site)
    assert_one_error(result, "logo.txt: binary file (contains NUL bytes); not checked")
    assert where(result) == [("good.md", 1, 1, "hair-loss-treatment")]


def test_pipes_and_devices_are_refused_not_waited_on(site: Path) -> None:
    """A named pipe would block the read forever and /dev/zero never ends; inside a directory a pipe is
    not a page and is skipped."""
    os.mkfifo(site / "pipe.md")
    started = time.monotonic()
    result = run_cli("lint", "pipe.md", "--format", "json", cwd=site)
    assert_one_error(result, "pipe.md: not a regular file")
    assert_one_error(run_cli("lint", "/dev/zero", cwd=site), "/dev/zero: not a regular file")
    walked = run_cli("lint", ".", "--format", "json", cwd=site)
    assert walked.returncode == 1 and errors(walked) == [] and where(walked)[0][0] == "good.md"
    assert time.monotonic() - started < 30


def test_file_larger_than_the_limit_is_refused_at_once(site: Path) -> None:
    from exocheck.document import MAX_INPUT_BYTES

    with open(site / "dump.txt", "wb") as sparse:  # takes no disk space
        sparse.truncate(MAX_INPUT_BYTES + 1)
    started = time.monotonic()
    assert_one_error(run_cli("lint", "dump.txt", cwd=site), "dump.txt: larger than 128 MiB; not checked")
    assert time.monotonic() - started < 10


def test_same_path_given_twice_is_checked_once(site: Path) -> None:
    result = run_cli("lint", "good.md", "good.md", "./good.md", str(site / "good.md"), ".", "--format", "json",
                     cwd=site)
    assert result.returncode == 1 and errors(result) == []
    assert where(result) == [("good.md", 1, 1, "hair-loss-treatment")]
    assert report(result)["summary"]["files"] == 1


@pytest.fixture
def nest(tmp_path: Path):
    """Makes `depth` nested directories `name` in tmp_path (one file descriptor at a time, so deeper than
    PATH_MAX too), with page.md at the bottom; removed with rm -rf, since shutil.rmtree recurses."""
    made: list[Path] = []

    def make(name: str, depth: int, page: str | None = None) -> None:
        folder = os.open(tmp_path, os.O_RDONLY)
        for _ in range(depth):
            os.mkdir(name, dir_fd=folder)
            inner = os.open(name, os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = inner
        if page is not None:
            with open(os.open("page.md", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder), "w") as file:
                file.write(page)
        os.close(folder)
        made.append(tmp_path / name)

    yield make
    for top in made:
        subprocess.run(["rm", "-rf", str(top)], check=False)


def test_deeply_nested_directories_are_walked_without_recursion(tmp_path: Path, nest) -> None:
    """1500 levels: os.walk recursed once per level before Python 3.12, and RecursionError was the result."""
    nest("d", 1500, CLAIM + "\n")
    result = run_cli("lint", ".", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and errors(result) == []
    [finding] = report(result)["findings"]
    assert finding["path"] == "/".join(["d"] * 1500 + ["page.md"])


def test_directories_deeper_than_the_system_allows_are_reported(tmp_path: Path, nest) -> None:
    """Beyond PATH_MAX (4096 bytes on Linux) nothing can be opened by its path: one line, exit 2."""
    nest("dd", 2100, CLAIM + "\n")
    result = run_cli("lint", "dd", "--format", "json", cwd=tmp_path)
    assert_one_error(result, "dd/dd/dd", "cannot read (File name too long)")
    assert report(result)["findings"] == []


def test_symlink_loops_neither_hang_nor_repeat_files(site: Path) -> None:
    (site / "sub").mkdir()
    (site / "sub" / "page.md").write_text(CLAIM)
    (site / "sub" / "up").symlink_to("..")  # a directory loop: links to directories are not followed
    (site / "self").symlink_to(".")
    (site / "a.md").symlink_to("b.md")  # a file loop: reported when read
    (site / "b.md").symlink_to("a.md")
    result = run_cli("lint", ".", "--format", "json", cwd=site)
    assert result.returncode == 2
    assert errors(result) == ["exocheck: error: a.md: cannot read (Too many levels of symbolic links)",
                              "exocheck: error: b.md: cannot read (Too many levels of symbolic links)"]
    assert sorted(f["path"] for f in report(result)["findings"]) == ["good.md", "sub/page.md"]


# --- encodings and line endings --------------------------------------------------------------------------

ENCODED = "Our clinic.\nExosomes cure hair loss."  # the claim: line 2, column 1, offset 12


@pytest.mark.parametrize("encoding, bom", [("utf-8-sig", b""), ("utf-16-le", b"\xff\xfe"),
                                            ("utf-16-be", b"\xfe\xff"), ("utf-16", b"")])
def test_byte_order_marks_are_read_and_not_counted(tmp_path: Path, encoding: str, bom: bytes) -> None:
    (tmp_path / "page.txt").write_bytes(bom + ENCODED.encode(encoding))
    result = run_cli("lint", "page.txt", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and errors(result) == []
    [finding] = report(result)["findings"]
    assert (finding["line"], finding["column"], finding["start"], finding["sentence"]) == (2, 1, 12, CLAIM)


def test_invalid_utf8_is_replaced_with_a_warning_never_a_crash(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_bytes(b"Caf\xe9 \xff\xfe\xfd menu.\nExosomes cure hair loss.\n")
    result = run_cli("lint", "page.txt", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert errors(result) == ["exocheck: warning: page.txt: not valid UTF-8 (first bad byte at offset 3); "
                              "undecodable bytes were replaced with U+FFFD"]
    [finding] = report(result)["findings"]
    assert (finding["line"], finding["column"], finding["start"]) == (2, 1, len("Caf\ufffd \ufffd\ufffd\ufffd menu.\n"))


def test_invalid_utf8_on_stdin_is_replaced_with_a_warning() -> None:
    result = run_cli("--format", "json", stdin=b"\xc3\x28 Exosomes cure hair loss.")
    assert result.returncode == 1 and "not valid UTF-8" in errors(result)[0] and len(errors(result)) == 1
    assert report(result)["findings"][0]["sentence"] == "\ufffd( Exosomes cure hair loss."


LINES = ["# Exosome hair therapy", "", "Our clinic is new. Exosomes cure", "hair loss.", "",
         "<!-- exocheck-disable-next-line fda-approved -- reviewed -->", "Our exosome serum is FDA approved.", ""]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize("suffix", [".md", ".html", ".txt"])
def test_line_endings_keep_positions_right(tmp_path: Path, newline: str, suffix: str) -> None:
    lines = list(LINES)
    if suffix == ".txt":
        lines[5] = "exocheck-disable-next-line fda-approved -- reviewed"
    text = newline.join(lines)
    (tmp_path / f"page{suffix}").write_bytes(text.encode("utf-8"))
    result = run_cli("lint", f"page{suffix}", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and errors(result) == []
    data = report(result)
    [finding] = data["findings"]  # the FDA claim is suppressed on every kind of line ending
    start = text.index("Exosomes cure")
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (3, 20, 4, 11)
    assert (finding["start"], finding["sentence"]) == (start, f"Exosomes cure{newline}hair loss.")
    assert data["notices"] == []


def test_empty_input_and_whitespace_only_stdin_are_quietly_fine(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \r\n\t\n\r\n")
    for result in (run_cli("lint", "empty.md", "blank.txt", "--format", "json", cwd=tmp_path),
                   run_cli("--format", "json", stdin=b""), run_cli("-", "--format", "json", stdin=b"  \n\t\r\n \n")):
        assert result.returncode == 0 and errors(result) == []
        assert report(result)["findings"] == []


# --- big inputs ------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_50_mb_single_line_file(tmp_path: Path) -> None:
    """A 50 MB line of words without a full stop, then a claim: the run-on "sentence" is cut into bounded
    pieces, so time and memory stay linear (as one sentence it took 1.7 GB, and analysis is quadratic)."""
    text = "lorem ipsum dolor sit amet " * (50_000_000 // 27) + "amet. " + CLAIM
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    started = time.monotonic()
    result, memory = run_measured("lint", "page.txt", "--format", "json", cwd=tmp_path)
    assert time.monotonic() - started < 60 and memory < 1000
    assert result.returncode == 1 and errors(result) == []
    [finding] = report(result)["findings"]
    assert (finding["line"], finding["column"], finding["sentence"]) == (1, text.index(CLAIM) + 1, CLAIM)


@pytest.mark.slow
def test_single_line_pages_with_a_huge_inline_image(tmp_path: Path) -> None:
    """Minified pages with a data: URI, 50 MB of HTML and 10 MB of Markdown (whose parser is slower)."""
    pages = {
        "page.html": f'<img alt="" src="data:image/png;base64,{"QUJD" * 12_500_000}"><p>{CLAIM}</p>',
        "page.md": f"![logo](data:image/png;base64,{'QUJD' * 2_500_000}) {CLAIM}",
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result, memory = run_measured("lint", *pages, "--format", "json", "--jobs", "1", cwd=tmp_path)
    assert result.returncode == 1 and errors(result) == [] and memory < 1000
    assert where(result) == [(name, 1, text.index(CLAIM) + 1, "hair-loss-treatment") for name, text in pages.items()]


@pytest.mark.parametrize("fmt", ["junit", "html", "json"])
def test_memory_stays_flat_with_the_number_of_files_in_every_format(tmp_path: Path, fmt: str) -> None:
    """JUnit and HTML sum up every file at their start, yet hold only one file's findings at a time: ten
    times the files must not take more memory to speak of. When these formats collected the whole report,
    the 400 pages took 60-70 MB more than the 40; now they take 2-8 MB more."""
    page = "Our exosome serum regrows hair. It is FDA approved. It also heals acne scars.\n\n" * 12
    for number in range(400):
        (tmp_path / f"p{number:03d}.md").write_text(page, encoding="utf-8")
    few, few_memory = run_measured("lint", *(f"p{n:03d}.md" for n in range(40)), "--format", fmt, "--jobs", "1",
                                   cwd=tmp_path)
    many, many_memory = run_measured("lint", ".", "--format", fmt, "--jobs", "1", cwd=tmp_path)
    assert few.returncode == many.returncode == 1
    assert _mentions(many.stdout) == 10 * _mentions(few.stdout) > 0
    assert many_memory < few_memory + 25


def _mentions(output: bytes) -> int:
    """How often the findings name the claim (the HTML page's claims section names it once, however many).
    A compact HTML page (a large report: 400 pages here, not 40) keeps its findings as data, so they are
    counted from its index, as often as the whole page names them (twice: the id and the link to its block)."""
    index = re.search(rb'<script type="application/json" id="report-data">(.*?)</script>', output)
    if index:
        data = json.loads(index.group(1))
        return 2 * sum(n for counts in data["counts"].values() for claim, _, n in counts
                       if data["claims"][claim][2] == "hair-loss-treatment")
    return output.split(b'<section id="claims"')[0].count(b"hair-loss-treatment")


@pytest.mark.slow
def test_a_million_short_lines(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text("x\n" * 1_000_000 + CLAIM, encoding="utf-8")
    result = run_cli("lint", "page.txt", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1 and errors(result) == []
    assert where(result) == [("page.txt", 1_000_001, 1, "hair-loss-treatment")]


# --- output and signals ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 pages of about 300 kB, full of claims: long enough to interrupt, and megabytes of output."""
    site = tmp_path_factory.mktemp("big_site")
    body = ("Our exosome serum regrows hair. It is FDA approved. Book now. " * 3 + "\n\n") * 1500
    for number in range(40):
        (site / f"page{number:02d}.md").write_text(body, encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def chatty_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """10 short pages with more output than a pipe holds (64 kB), so writing it meets the closed pipe."""
    site = tmp_path_factory.mktemp("chatty_site")
    for number in range(10):
        (site / f"page{number:02d}.md").write_text("Our exosome serum regrows hair. It is FDA approved.\n" * 60)
    return site


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_output_into_a_closed_pipe_is_no_traceback(chatty_site: Path, jobs: str) -> None:
    """`exocheck lint . --format concise | head -1`: the reader goes away after one line."""
    process = start_cli("lint", ".", "--format", "concise", "--jobs", jobs, cwd=chatty_site)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    code = process.wait(timeout=120)
    assert first.startswith(b"page00.md:1:1: ")
    assert stderr == b"", stderr.decode("utf-8", "replace")
    assert code in (0, 1)


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def _interrupt(process: subprocess.Popen, *, group: bool, workers: int = 0) -> tuple[int | None, bytes, bytes]:
    """Ctrl-C while it works: SIGINT to the process or, as a terminal does, to its whole process group.

    Sent once it is checking (its pool workers exist, and it has written its first finding), not while
    Python is still importing, however slow or fast the machine. Its output is read all the while, as a
    terminal would: unread, a full pipe would stop it rather than the signal.
    """
    import threading

    chunks: dict[str, list[bytes]] = {"out": [], "err": []}
    checking = threading.Event()

    def read(name: str, stream) -> None:
        for chunk in iter(lambda: stream.read1(65536), b""):
            chunks[name].append(chunk)
            if name == "out" and b"\n    {" in b"".join(chunks["out"][-2:]):
                checking.set()

    readers = [threading.Thread(target=read, args=(name, stream))
               for name, stream in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and (len(_children(process.pid)) < workers or not checking.is_set()):
        time.sleep(0.02)
    time.sleep(0.2)
    if group:
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        code = None  # hung
    for reader in readers:
        reader.join()
    return code, b"".join(chunks["out"]), b"".join(chunks["err"])


def _whole_lines(out: bytes) -> bool:
    """What a JSON lint interrupted part-way has written: the report streamed so far, in which every line but
    the last (which the interruption may cut, as it does any streaming tool's) is a whole finding."""
    lines = out.splitlines()[:-1]
    if lines and lines[0] != b"{":
        return False
    findings = [line.strip().lstrip(b"[").rstrip(b",") for line in lines if line.startswith(b"    {")]
    try:
        return all("claim_id" in json.loads(line) for line in findings)
    except ValueError:
        return False


def test_ctrl_c_exits_130_without_traceback(big_site: Path) -> None:
    code, out, err = _interrupt(start_cli("lint", ".", "--format", "json", "--jobs", "1", cwd=big_site),
                                group=False)
    assert code == 130 and b"Traceback" not in err and _whole_lines(out), err.decode("utf-8", "replace")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to see the workers")
def test_ctrl_c_with_jobs_exits_130_without_traceback_or_hang(big_site: Path) -> None:
    code, out, err = _interrupt(start_cli("lint", ".", "--format", "json", "--jobs", "2", cwd=big_site),
                                group=True, workers=2)
    assert code == 130 and err == b"" and _whole_lines(out), (code, err.decode("utf-8", "replace"))


def test_output_file_that_cannot_be_written_is_one_error(site: Path) -> None:
    result = run_cli("lint", "good.md", "--output", "no/such/dir/report.json", cwd=site)
    assert_one_error(result, "no/such/dir/report.json: cannot write (No such file or directory)")
    assert result.stdout == b""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_on_standard_output_is_one_clear_error(site: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run([sys.executable, "-m", "exocheck", "lint", "good.md"], stdout=full,
                                stderr=subprocess.PIPE, cwd=site, env=_cli_environment(), timeout=60)
    assert_one_error(result, "No space left on device")
    assert "internal error" not in errors(result)[0]


def test_standard_input_larger_than_the_limit_is_refused() -> None:
    from exocheck.document import MAX_INPUT_BYTES

    result = run_cli("-", stdin=b"\0" * (MAX_INPUT_BYTES + 1))  # refused by size before it is sniffed as binary
    assert_one_error(result, "<stdin>: larger than 128 MiB")


# --- knowledge base and configuration --------------------------------------------------------------------


def test_kb_with_a_yaml_syntax_error_names_file_line_and_column(site: Path) -> None:
    (site / "ours.yaml").write_text("claims:\n  - id: x\n    verdict: [unclosed\n", encoding="utf-8")
    assert_one_error(run_cli("lint", "good.md", "--kb", "ours.yaml", cwd=site),
                     "ours.yaml:4:1: YAML syntax error:")
    validated = run_cli("kb", "validate", "--overlay", "ours.yaml", cwd=site)
    assert validated.returncode == 2 and validated.stdout.decode().startswith("ours.yaml:4:1: YAML syntax error")


def test_kb_with_wrong_types_names_each_field_and_line(site: Path) -> None:
    (site / "ours.yaml").write_text(
        "claims:\n- id: studies-show\n  verdict: 5\n  severity: [error]\n  deprecated: maybe\n", encoding="utf-8")
    line = assert_one_error(run_cli("lint", "good.md", "--kb", "ours.yaml", cwd=site), "(and 2 more problem(s))")
    assert "ours.yaml:3:3: 'verdict' is '5'; expected one of:" in line
    validated = run_cli("kb", "validate", "--overlay", "ours.yaml", cwd=site)
    assert validated.returncode == 2
    assert validated.stdout.decode().splitlines() == [
        "ours.yaml:3:3: 'verdict' is '5'; expected one of: unsupported, misleading, accurate, unverified",
        "ours.yaml:4:3: 'severity' must be text, not a list",
        "ours.yaml:5:3: 'deprecated' must be true or false",
    ]


BOMB = "\n".join(["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"] + [
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi")
] + ["subjects: {terms: *i}", ""])


def test_yaml_alias_bomb_is_refused_quickly_in_bounded_memory(site: Path) -> None:
    (site / "bomb.yaml").write_text(BOMB, encoding="utf-8")  # 9**9 strings if expanded
    started = time.monotonic()
    assert_one_error(run_cli("lint", "good.md", "--kb", "bomb.yaml", cwd=site),
                     "bomb.yaml:1:4: ", "aliases are not allowed")
    assert_one_error(run_cli("lint", "good.md", "--base-kb", "bomb.yaml", cwd=site), "aliases are not allowed")
    assert time.monotonic() - started < 20
    _, memory = run_measured("lint", "good.md", "--base-kb", "bomb.yaml", cwd=site)
    assert memory < 300


def test_deeply_nested_yaml_is_refused_not_a_recursion_error(site: Path) -> None:
    (site / "deep.yaml").write_text("claims: " + "[" * 900 + "]" * 900 + "\n", encoding="utf-8")
    assert_one_error(run_cli("lint", "good.md", "--kb", "deep.yaml", cwd=site), "deep.yaml:1:", "levels deep")


def test_oversized_kb_and_kb_that_is_not_a_file_are_refused_quickly(site: Path) -> None:
    from exocheck.kb import MAX_KB_BYTES

    with open(site / "huge.yaml", "wb") as sparse:
        sparse.truncate(MAX_KB_BYTES + 1)
    os.mkfifo(site / "pipe.yaml")
    started = time.monotonic()
    assert_one_error(run_cli("lint", "good.md", "--kb", "huge.yaml", cwd=site),
                     "huge.yaml: knowledge base larger than 4 MiB")
    for other in ("pipe.yaml", "/dev/zero"):
        assert_one_error(run_cli("lint", "good.md", "--kb", other, cwd=site), "not a regular file")
    assert time.monotonic() - started < 20


def test_kb_with_many_similar_phrases_compiles_in_linear_time(tmp_path: Path) -> None:
    """Timed in the process: through the command this would spend a minute of CI before failing."""
    import exocheck
    from exocheck.checker import Checker

    overlay = tmp_path / "many.yaml"
    overlay.write_text("claims:\n- id: studies-show\n  cues:\n"
                       + "".join(f"    - cure variant{i}\n" for i in range(10_000)), encoding="utf-8")
    kb = exocheck.load_kb(None, [overlay])
    started = time.monotonic()
    Checker(kb)
    assert time.monotonic() - started < 1.0


def test_config_with_a_toml_syntax_error_names_the_line(site: Path) -> None:
    (site / "pyproject.toml").write_text('[tool.exocheck]\nfail-on = "warning\n', encoding="utf-8")
    assert_one_error(run_cli("lint", "good.md", cwd=site), "pyproject.toml: invalid TOML:", "(at line 2, column 19)")


@pytest.mark.parametrize("config, message", [
    ('[project]\nname = "x"\n\n[tool.exocheck]\nformat = "json"\ninclude = 5\n',
     "pyproject.toml:6: [tool.exocheck] include must be a string or a list of strings"),
    ('[tool.exocheck]\nfail-on = "sometimes"\n', "pyproject.toml:2: [tool.exocheck] fail-on is 'sometimes'"),
    ('[tool.exocheck]\n[[tool.exocheck.overrides]]\npaths = ["a"]\n[[tool.exocheck.overrides]]\npaths = ["b"]\n'
     'disable = [1]\n', "pyproject.toml:6: [tool.exocheck] overrides[2].disable must be a string or a list"),
    ('[tool.exocheck]\ncolour = true\n', "pyproject.toml:2: [tool.exocheck] unknown setting 'colour'"),
])
def test_config_with_a_wrong_value_names_the_field_and_line(site: Path, config: str, message: str) -> None:
    (site / "pyproject.toml").write_text(config, encoding="utf-8")
    assert_one_error(run_cli("lint", "good.md", cwd=site), message)


# --- safety ----------------------------------------------------------------------------------------------


def test_hostile_glob_patterns_match_in_linear_time(site: Path) -> None:
    """Globs from config files, --exclude and .gitignore are matched without backtracking regexes."""
    deep = site / "d"
    deep.mkdir()
    (deep / ("a" * 200 + ".md")).write_text(CLAIM)
    (site / ".gitignore").write_text("d/" + "*a" * 12 + "*b\n", encoding="utf-8")
    started = time.monotonic()
    result = run_cli("lint", ".", "--exclude", "d/" + "*a" * 12 + "*c", "--format", "json", cwd=site)
    assert result.returncode == 1 and len(report(result)["findings"]) == 2
    assert time.monotonic() - started < 20


def test_writes_only_the_files_it_is_told_to(tmp_path: Path) -> None:
    """No state besides the caches: after a run, the only new files are --output, --write-baseline and
    entries of the user's cache directory (the compiled checker and the parsed language lists)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "page.md").write_text(CLAIM, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    cache = home / ".cache"

    def snapshot() -> set[Path]:
        return {p for p in tmp_path.rglob("*") if cache not in p.parents and p != cache}

    before = snapshot()
    env = {"HOME": str(home), "XDG_CACHE_HOME": str(cache), "TMPDIR": str(home)}
    result = run_cli("lint", ".", "--output", "report.json", "--write-baseline", "base.json", "--format", "json",
                     cwd=site, env=env)
    assert result.returncode == 0  # writing a baseline adopts the findings
    assert snapshot() - before == {site / "report.json", site / "base.json"}
    assert run_cli("lint", ".", "--baseline", "base.json", cwd=site, env=env).returncode == 0
    assert snapshot() - before == {site / "report.json", site / "base.json"}
    assert sorted(p.name.split("-")[0] for p in (cache / "exocheck").iterdir()) == ["checker", "language"]


def test_cache_is_off_on_request_and_never_served_stale(tmp_path: Path) -> None:
    """EXOCHECK_NO_CACHE writes nothing; an edited overlay or a corrupt entry is recompiled, not trusted."""
    cache = tmp_path / "cache"
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("disable: [hair-loss-treatment]\n", encoding="utf-8")
    env = {"XDG_CACHE_HOME": str(cache)}
    assert run_cli(CLAIM, env={**env, "EXOCHECK_NO_CACHE": "1"}).returncode == 1
    assert not cache.exists()
    assert run_cli(CLAIM, "--kb", str(overlay), env=env).returncode == 0
    overlay.write_text("disable: [better-than]\n", encoding="utf-8")
    assert run_cli(CLAIM, "--kb", str(overlay), env=env).returncode == 1
    for entry in (cache / "exocheck").iterdir():
        entry.write_bytes(b"exocheck-checker-cache\n" + b"\x80 not a pickle")
    result = run_cli(CLAIM, "--format", "json", env=env)
    assert result.returncode == 1 and report(result)["findings"][0]["claim_id"] == "hair-loss-treatment"


def test_web_and_mail_addresses_are_never_checked(tmp_path: Path) -> None:
    """A page's address asserts nothing, whatever words it is made of, in every kind of file."""
    copy = "Visit https://exosomes-cure-hair-loss.example.com or write to regrow-hair@exosomes.example today.\n"
    for name, text in (("a.txt", copy), ("b.md", copy), ("c.html", f"<p>{copy}</p>")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = run_cli("lint", ".", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0 and report(result)["findings"] == []
