"""The `exocheck` entry point: the process set-up every run shares, and a fast path for `exocheck "TEXT"`.

Importing typer and building the app cost about 40 ms, a third of a single check, so the plainest
invocation (one argument, the text, no options) is run here without them, by the same library calls
`cli.check_command` makes with no options given; anything else, and a configuration that picks a format
other than text, goes to the typer app in `cli.py`. Output and exit codes are the same either way
(tests/test_startup.py compares them).
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import signal
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from .errors import ExocheckError

if TYPE_CHECKING:
    from .config import Settings
    from .model import Finding, Notice, Report

COMMANDS = ("check", "lint", "survey", "explain", "kb", "config")


def warn(message: str) -> None:
    """One line on stderr; file names and text in it are escaped as in the reports (`formats.safe`), so a
    name can neither reach the terminal as a control nor split the line."""
    from .formats.safe import escape

    try:
        print(f"exocheck: {escape(message)}", file=sys.stderr)
    except OSError:  # stderr on a full disk: the exit code is all that can still tell
        pass


def stdout_is_unicode() -> bool:
    return (sys.stdout.encoding or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def wants_color(color: bool | None) -> bool:
    """--color/--no-color; else FORCE_COLOR (set, not empty and not "0"), which CI services whose logs show
    colour set: it wins over NO_COLOR, as in Node, being the more specific request; else colour on a
    terminal unless NO_COLOR is set."""
    if color is not None:
        return color
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def exit_code(report: Report, settings: Settings, exit_zero: bool) -> int:
    """1 if any finding or notice fails the fail-on threshold of its file's settings (`model.fails`:
    accurate findings never do), else 0."""
    from .model import fails

    if exit_zero:
        return 0
    items: list[Finding | Notice] = [*report.findings, *report.notices]
    return int(any(fails(item, settings.fail_on_for(item.path)) for item in items))


def shown(report: Report, settings: Settings) -> Report:
    """`report` without its accurate findings when they are not to be shown (`Settings.shows_accurate`)."""
    if not settings.shows_accurate():
        report.findings = [f for f in report.findings if f.verdict != "accurate"]
    return report


def refuse_typo(word: str) -> None:
    """`exocheck survy` is a mistyped command, not copy to check: a single word within a typo of a
    command is a usage error (exit 2) that names the command, as git and ruff do."""
    if not word.isascii() or not word.replace("-", "").isalpha():
        return
    import difflib

    close = difflib.get_close_matches(word.lower(), COMMANDS, n=1, cutoff=0.75)
    if close:
        warn(f"error: unknown command '{word}'; did you mean '{close[0]}'? "
             f'(to check the word as text: exocheck check "{word}")')
        sys.exit(2)


class Stopped(BaseException):
    """SIGTERM or SIGHUP, raised in the main process: it unwinds like Ctrl-C, so the process pool is ended
    and an unfinished report removed, and the exit code is 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stop_on_signals() -> None:
    """Turn SIGTERM and SIGHUP into Stopped (unless they were ignored when we started, as under nohup)."""
    owner = os.getpid()

    def stop(signum: int, frame: object) -> None:
        if os.getpid() != owner:  # a pool worker, signalled before its initializer reset this: die as asked
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise Stopped(signum)

    for signum in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, stop)


class _ClosedStream(io.TextIOBase):
    """Stands in for a standard stream the shell closed (`<&-`, `>&-`): reading or writing it is an OSError,
    which the command reports in one line, like any other stream that fails."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    @property
    def buffer(self) -> _ClosedStream:  # standard input is read as bytes
        return self

    def read(self, size: int | None = -1) -> str:
        raise OSError(f"{self.name} is closed")

    def write(self, text: str) -> int:
        raise OSError(f"{self.name} is closed")


def standard_streams() -> None:
    """Give a closed standard descriptor /dev/null, so no file opened later takes its number (and gets
    what is written to "standard output" or a worker's stderr), and make its Python stream one that says
    it is closed. A closed stderr just swallows messages: there is nowhere left to tell."""
    for descriptor, attribute, name in ((0, "stdin", "standard input"), (1, "stdout", "standard output"),
                                        (2, "stderr", "")):
        try:
            os.fstat(descriptor)
            continue
        except OSError:
            pass
        null = os.open(os.devnull, os.O_RDWR)
        if null != descriptor:
            os.dup2(null, descriptor)
            os.close(null)
        if getattr(sys, attribute) is None:
            stream = _ClosedStream(name) if name else open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
            setattr(sys, attribute, stream)


def set_up() -> None:
    """What every run does first: closed standard streams replaced, SIGTERM and SIGHUP made catchable, and
    a C-locale terminal given '?' rather than a crash for characters it cannot show."""
    standard_streams()
    stop_on_signals()
    if hasattr(sys.stdout, "reconfigure") and not stdout_is_unicode():
        sys.stdout.reconfigure(errors="replace")


@contextlib.contextmanager
def exit_codes() -> Iterator[None]:
    """The exit codes of what can go wrong outside the check itself, each in one line on stderr."""
    try:
        try:
            yield
        finally:
            sys.stdout.flush()  # so a write error surfaces here, not as noise at interpreter exit
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(1)
    except OSError as exc:  # e.g. a full disk under standard output: a problem with the output, not a bug
        _silence_stdout()
        warn(f"error: cannot write standard output ({exc.strerror or exc})")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except Stopped as exc:
        sys.exit(128 + exc.signum)
    except Exception as exc:  # a bug, not bad input: one line, and the traceback only on request
        if os.environ.get("EXOCHECK_DEBUG"):
            raise
        warn(f"internal error: {type(exc).__name__}: {exc} (set EXOCHECK_DEBUG=1 for details)")
        sys.exit(2)


def _silence_stdout() -> None:
    """After the reader of our output went away, stop Python from failing again when it flushes at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass


def note_if_a_file(text: str) -> None:
    """`exocheck page.md` checks the words "page.md": say how to check the file, in case that was meant."""
    from pathlib import Path

    if len(text) < 4096 and "\n" not in text and Path(text).is_file():
        warn(f"note: '{text}' is a file; to check its contents run: exocheck lint {text}")


def plain_text(args: list[str]) -> str | None:
    """The text of `exocheck "TEXT"` with no options, or None for any other command line."""
    if len(args) != 1 or args[0].startswith("-") or args[0] in COMMANDS:
        return None
    return args[0]


def _check_plain(text: str) -> int | None:
    """`exocheck check TEXT` with every option at its default: the exit code, or None when the configuration
    asks for a format other than text (which the full command handles)."""
    from pathlib import Path

    from .cache import compiled_checker
    from .config import check_claim_ids, load_settings
    from .lint import lint_text

    try:
        settings = load_settings(Path.cwd())
        if settings.format != "text":
            return None
        checker = compiled_checker(None, settings.kb)
        check_claim_ids(settings, checker.claim_ids)
        note_if_a_file(text)
        report = shown(lint_text(checker, text, "<text>", "text", settings.disabled_for("<text>")), settings)
    except ExocheckError as exc:
        warn(f"error: {exc}")
        return 2
    if wants_color(None):
        from .formats.text import ColorWriter

        sys.stdout.write(ColorWriter(checker.kb, sys.stdout).render(report))
    else:
        from .formats.text import Writer

        sys.stdout.write(Writer(checker.kb, ascii_only=False).render(report))
    return exit_code(report, settings, False)


def main(argv: list[str] | None = None) -> None:
    """Entry point: `exocheck "TEXT"` runs here; every other command line goes to the typer app."""
    args = list(sys.argv[1:] if argv is None else argv)
    text = plain_text(args)
    if text is not None:
        # Loading the checker allocates much and frees almost nothing, and a one-argument check is small
        # (an argument is at most 128 KiB on Linux): the cycle collector would only cost time here.
        gc.disable()
        set_up()
        refuse_typo(text)
        with exit_codes():
            code = _check_plain(text)
        if code is not None:
            sys.exit(code)
    from .cli import main as command

    command(args)
