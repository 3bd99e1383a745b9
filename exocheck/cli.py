"""The `exocheck` command: the only place that reads argv, prints, and chooses an exit code.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, input, configuration
or knowledge-base errors (one line on stderr each, never a traceback); 130, 143, 129 stopped by SIGINT (Ctrl-C),
SIGTERM or SIGHUP.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Generator, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import typer

from .entry import (
    COMMANDS,
    exit_code as _exit_code,
    exit_codes,
    note_if_a_file,
    refuse_typo as _refuse_typo,
    set_up,
    shown as _shown,
    stdout_is_unicode as _stdout_is_unicode,
    wants_color as _wants_color,
    warn as _warn,
)
from .errors import ExocheckError
from .formats import registry
from .model import FAIL_ON, Report, fails
from .output import OutputError, Replacement, cannot_write
from .version import __version__

if TYPE_CHECKING:
    from .config import Settings
    from .formats.common import Writer

if TYPE_CHECKING:
    from .survey import Survey

# The choices typer offers come from the one table of formats and the one list of thresholds.
OutputFormat = Enum("OutputFormat", [(name, name) for name in registry.NAMES], type=str)  # type: ignore[misc]
FailOn = Enum("FailOn", [(name, name) for name in FAIL_ON], type=str)  # type: ignore[misc]


app = typer.Typer(
    add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
    help="Check marketing copy about exosome therapies against a cited knowledge base.",
    context_settings={"help_option_names": ["-h", "--help"]},
)

@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", "-V", help="Print the versions of exocheck and its knowledge base."),
) -> None:
    """Check marketing copy about exosome therapies against a cited knowledge base."""
    # main() answers --version before the app runs; this callback lists it in --help.


FORMAT_OPTION = typer.Option(None, "--format", "-f", help=registry.help_text())
SHOW_ACCURATE_OPTION = typer.Option(
    None, "--show-accurate/--hide-accurate",
    help="Report accurate findings (default: shown by text, concise, html, json, jsonl and csv; left out of the "
    "CI formats github, sarif and junit). They never fail a run.",
)
FAIL_ON_OPTION = typer.Option(
    None, "--fail-on", help="Exit 1 when a finding has at least this severity; 'never' always exits 0 (default: error)."
)
EXIT_ZERO_OPTION = typer.Option(False, "--exit-zero", help="Exit 0 even when there are findings (errors still exit 2).")
KB_OPTION = typer.Option(
    None, "--kb", readable=False, help="Merge this knowledge-base overlay over the built-in KB (repeatable; see `exocheck kb schema --overlay`)."
)
BASE_KB_OPTION = typer.Option(None, "--base-kb", readable=False, help="Use this complete knowledge-base file instead of the built-in one.")
COLOR_OPTION = typer.Option(
    None, "--color/--no-color",
    help="Force colour on or off (default: on a terminal, unless NO_COLOR is set; always if FORCE_COLOR is set).",
)
OUTPUT_OPTION = typer.Option(None, "--output", "-o", help="Write the report to this file instead of standard output.")
DISABLE_OPTION = typer.Option(None, "--disable", help="Do not report this claim id (repeatable; adds to the config's).")
NO_CONFIG_OPTION = typer.Option(False, "--no-config", help="Ignore pyproject.toml / .exocheck.toml settings.")
CONFIG_OPTION = typer.Option(
    None, "--config", readable=False, help="Read settings from this file (a .exocheck.toml or a pyproject.toml) "
    "instead of searching for one; its globs are relative to its directory."
)
STDIN_FILENAME_OPTION = typer.Option(
    None, "--stdin-filename", help="Name to report for standard input; its extension picks the reader (.md, .html)."
)
NO_CACHE_OPTION = typer.Option(
    False, "--no-cache", help="Do not read or write the compiled knowledge base in the cache directory (also EXOCHECK_NO_CACHE=1)."
)
CACHE_DIR_OPTION = typer.Option(
    None, "--cache-dir", help="Cache directory (also EXOCHECK_CACHE_DIR; default: $XDG_CACHE_HOME/exocheck or ~/.cache/exocheck)."
)


def _fail(message: str) -> typer.Exit:
    _warn(f"error: {message}")
    return typer.Exit(2)


def _settings(start: Path, no_config: bool, config: Path | None, **flags: Any):
    """Config-file settings for `start` (or from the --config file), with every flag given winning over them."""
    from .config import Settings, load_settings

    if no_config and config is not None:
        raise _fail("--config and --no-config exclude each other")
    settings = Settings() if no_config else load_settings(start, config)
    for key, value in flags.items():
        if value in (None, (), []):
            continue
        if key == "disable":
            settings.disable = tuple(dict.fromkeys((*settings.disable, *value)))
        elif key == "exclude":
            settings.exclude = (*settings.exclude, *value)
        elif key == "kb":
            settings.kb = (*settings.kb, *(str(v) for v in value))
        else:
            setattr(settings, key.replace("-", "_"), value.value if isinstance(value, Enum) else value)
        settings.origins[key.replace("_", "-")] = "command line"
    return settings


def _load_checker(settings, base: Path | None, no_cache: bool = False,
                  cache_dir: Path | None = None, disable: Sequence[str] = ()):
    """The compiled checker, once every claim id the settings disable (`disable`: those of --disable) is
    known to it. The cache flags are set as the environment variables they stand for, so the cache and
    the --jobs workers follow them; the word lists' entry was read at import, by the variables."""
    from .cache import compiled_checker
    from .config import check_claim_ids

    if no_cache:
        os.environ["EXOCHECK_NO_CACHE"] = "1"
    if cache_dir is not None:
        os.environ["EXOCHECK_CACHE_DIR"] = str(cache_dir)
    checker = compiled_checker(base, settings.kb)
    check_claim_ids(settings, checker.claim_ids, disable)
    return checker


def _writer(settings: Settings, kb, color: bool, stream,
            texts: dict[str, str] | None = None):
    """The writer of the settings' format; `texts` gives the checked text of paths that are not files on
    disk (for the HTML page, which shows each file's text). JUnit's failed cases are what fails the run."""
    output_format = settings.format
    if output_format == "junit":
        from .formats.junit import Writer as JUnitWriter

        return JUnitWriter(kb, failing=lambda item: fails(item, settings.fail_on_for(item.path)))
    if output_format == "text" and color:
        from .formats.text import ColorWriter

        return ColorWriter(kb, stream)
    if output_format == "html":
        from .formats.html_report import Writer

        known = texts or {}
        return Writer(kb, lambda path: known[path] if path in known else _source_text(path),
                      failing=lambda item: fails(item, settings.fail_on_for(item.path)), fail_on=settings.fail_on)
    # On a non-UTF-8 stdout, \u escapes keep the JSON exact instead of mangling characters.
    return registry.FORMATS[output_format].writer_module().Writer(kb, ascii_only=output_format in ("json", "sarif")
                                                and not _stdout_is_unicode())


def _write(rendered: str, target: Replacement | None) -> None:
    """Print `rendered`, or write it to its file and put that file in place."""
    if target is None:
        sys.stdout.write(rendered)
        return
    try:
        target.stream.write(rendered)
    except OSError as exc:
        raise _fail(str(cannot_write(target.target, exc))) from None
    try:
        target.commit()
    except OutputError as exc:
        raise _fail(str(exc)) from None


def _render(report: Report, settings, kb, color: bool | None, target: Replacement | None,
            texts: dict[str, str] | None = None, checked: Sequence[str] = ()) -> str:
    """A report collected whole, rendered; `texts` gives the checked text of paths that are not files on
    disk, which the HTML page shows even without findings, and JUnit lists with the `checked` files. In
    colour, the report is printed directly."""
    writer = _writer(settings, kb, target is None and _wants_color(color), sys.stdout, texts)
    try:
        if settings.format == "html":
            rendered = writer.render(report, also=texts or {})
        elif writer.every_file:
            rendered = writer.render(report, also=[*checked, *(texts or {})])
        else:
            rendered = writer.render(report)
    except ExocheckError as exc:  # a file the HTML page shows could not be read
        raise _fail(str(exc)) from None
    _append_step_summary(writer, report)
    return rendered


def _append_step_summary(writer: Writer, report: Report) -> None:
    """In a GitHub Actions step (`$GITHUB_STEP_SUMMARY` set), append the github format's Markdown summary
    to the job's summary page, where every finding is listed, not only the first ten annotations."""
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    step_summary = getattr(writer, "step_summary", None)
    if not summary_file or step_summary is None:
        return
    try:
        with open(summary_file, "a", encoding="utf-8", errors="surrogateescape") as stream:
            stream.write(step_summary(report))
    except OSError as exc:
        _warn(f"warning: cannot write the step summary {summary_file} ({exc.strerror or exc})")


def _replacement(stack: contextlib.ExitStack, target: Path | None) -> Replacement | None:
    """The file a report goes to, opened (as a temporary file beside it) before the run, so a target that
    cannot be written fails at once; `stack` removes it unless it was committed."""
    if target is None:
        return None
    try:
        replacement = Replacement(target)
    except OutputError as exc:
        raise _fail(str(exc)) from None
    stack.callback(replacement.discard)
    return replacement


def _refuse_overwrites(settings, base_kb: Path | None, output: Path | None,
                       write_baseline: Path | None = None, files: Sequence[Path] = (),
                       stdin: bool = False, baseline: Path | None = None) -> None:
    """Refuse, before anything is read, a report or baseline that would replace a file this run reads: a
    page, standard input (`< page.md`), the configuration, a knowledge base, or (for --output) the baseline.
    Refreshing a baseline in place (`--baseline b.json --write-baseline b.json`) is allowed."""
    from .output import refuse_inputs, same_file

    if output is not None and write_baseline is not None and same_file(output, write_baseline):
        raise OutputError(f"{output}: --output and --write-baseline name the same file")

    def inputs() -> Iterator[tuple[str, Path | int]]:
        if stdin:
            yield "standard input", 0
        for label, path in (("the configuration", settings.file), ("the knowledge base", base_kb),
                            *(("a knowledge-base overlay", Path(overlay)) for overlay in settings.kb)):
            if path is not None:
                yield f"{label} {path}", path
        yield from ((str(file), file) for file in files)

    targets = [(option, path) for option, path in (("--output", output), ("--write-baseline", write_baseline))
               if path is not None]
    if targets:
        refuse_inputs(targets, inputs())
    if output is not None and baseline is not None:
        refuse_inputs([("--output", output)], [(f"the baseline {baseline}", baseline)])


def _read_stdin(name: str) -> bytes:
    """Standard input, refused beyond the size limit instead of growing until memory runs out."""
    from .document import MAX_INPUT_BYTES
    from .errors import InputError

    try:
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:  # closed (`<&-`), a directory, a read error
        raise InputError(f"{name}: cannot read ({exc.strerror or exc})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; not checked")
    return data


def _lint_stdin(checker, settings, stdin_filename: str | None) -> tuple[Report, dict[str, str]]:
    """Check standard input, read as the file `stdin_filename` would be (its extension picks the reader)."""
    from .document import decode, kind_for_path
    from .lint import lint_text

    path = stdin_filename or "<stdin>"
    decoded = decode(_read_stdin(path), path)
    for warning in decoded.warnings:
        _warn(f"warning: {warning}")
    return lint_text(checker, decoded.text, path, kind_for_path(path), settings.disabled_for(path)), {path: decoded.text}


def _source_text(path: str) -> str:
    """A file's text, decoded exactly as it was checked."""
    from .document import read_file

    if "://" in path:  # a page of a WARC file, whose text is not kept
        raise ExocheckError(f"{path}: the html format shows files, not the pages of WARC files; "
                            "use another --format for WARC input")

    return read_file(path).text


@app.command("check")
def check_command(
    text: str | None = typer.Argument(None, help="Text to check; '-' or nothing reads standard input."),
    output_format: OutputFormat | None = FORMAT_OPTION,
    show_accurate: bool | None = SHOW_ACCURATE_OPTION,
    fail_on: FailOn | None = FAIL_ON_OPTION,
    exit_zero: bool = EXIT_ZERO_OPTION,
    kb: list[Path] | None = KB_OPTION,
    base_kb: Path | None = BASE_KB_OPTION,
    stdin_filename: str | None = STDIN_FILENAME_OPTION,
    disable: list[str] | None = DISABLE_OPTION,
    color: bool | None = COLOR_OPTION,
    output: Path | None = OUTPUT_OPTION,
    no_config: bool = NO_CONFIG_OPTION,
    config: Path | None = CONFIG_OPTION,
    no_cache: bool = NO_CACHE_OPTION,
    cache_dir: Path | None = CACHE_DIR_OPTION,
) -> None:
    """Check one piece of text: `exocheck "exosomes cure hair loss"` or `cat page.md | exocheck --stdin-filename page.md`."""
    from .lint import lint_text

    stdin = text is None or text == "-"
    if text is None and sys.stdin.isatty():
        raise _fail('give the text to check, e.g. exocheck "exosomes cure hair loss", or pipe text in')
    with contextlib.ExitStack() as stack:
        try:
            start = Path(stdin_filename).parent if stdin_filename else Path.cwd()
            settings = _settings(start, no_config, config, fail_on=fail_on, format=output_format, kb=kb, disable=disable,
                                 show_accurate=show_accurate)
            _refuse_overwrites(settings, base_kb, output, stdin=stdin)
            target = _replacement(stack, output)
            checker = _load_checker(settings, base_kb, no_cache, cache_dir, disable or ())
            if text is None or text == "-":
                report, texts = _lint_stdin(checker, settings, stdin_filename)
            else:
                note_if_a_file(text)
                report = lint_text(checker, text, "<text>", "text", settings.disabled_for("<text>"))
                texts = {"<text>": text}
            _shown(report, settings)
        except ExocheckError as exc:
            raise _fail(str(exc)) from None
        _write(_render(report, settings, checker.kb, color, target, texts), target)
    raise typer.Exit(_exit_code(report, settings, exit_zero))


class _Run:
    """What a lint learnt besides findings: the files it checked and whether some path could not be read."""

    def __init__(self) -> None:
        self.checked: list[str] = []
        self.failed = False


def _inputs(paths: Sequence[Path], settings, output: Path | None) -> tuple[list[Path], list[str]]:
    """The files under `paths` in the order they are reported in, and the paths that do not exist. An HTML
    report of exocheck's own that this run rewrites (`-o review.html` in a linted folder) is not a page."""
    from .files import discover
    from .output import is_own_report, same_file

    files, missing = discover(list(paths), settings)
    if output is not None:
        files = [f for f in files if not (same_file(f, output) and is_own_report(f))]
    files.sort(key=str)
    return files, missing


def _no_files(paths: Sequence[Path], settings: Settings, strict: bool) -> None:
    """Say on stderr that the paths given hold no file to check, rather than a silent green "0 sentences";
    under --strict that is an error. Without it the run goes on: pre-commit hands a hook files that the
    configuration may exclude, and such a commit must not fail."""
    names = ", ".join(str(p) for p in paths)
    why = f"include: {', '.join(settings.include)}" + (f"; exclude: {', '.join(settings.exclude)}"
                                                       if settings.exclude else "")
    if strict:
        raise _fail(f"no files to check in {names} ({why})")
    _warn(f"warning: no files to check in {names} ({why})")


def _lint_parts(files: list[Path], missing: list[str], settings, checker, base_kb: Path | None,
                jobs: int | None, run: _Run, progress_bar: bool = True) -> Generator[Report, None, None]:
    """The reports of `files` (a large file's in parts), in (path, offset) order, so they can be written as
    they come; missing and unreadable paths are reported on stderr as they are met and noted in `run`."""
    import gc

    from .lint import GC_THRESHOLDS, lint_files, usable_cores

    gc.set_threshold(*GC_THRESHOLDS)
    run.failed = bool(missing)
    for name in missing:
        _warn(f"error: {name}: no such file or directory")
    progress = _progress(len(files)) if progress_bar else None
    results = lint_files(files, checker, settings, jobs=jobs or usable_cores(),
                         kb_files=(str(base_kb) if base_kb else None, settings.kb),
                         on_done=progress.advance if progress else None)
    try:
        for result in results:
            for warning in result.warnings:
                _warn(f"warning: {warning}")
            if result.error:
                _warn(f"error: {result.error}")
                run.failed = True
            elif result.report:
                # a later piece of a large file, or a WARC record that could not be read, is no new file
                if result.report.files and (not run.checked or run.checked[-1] != result.path):
                    run.checked.append(result.path)
                yield result.report
    finally:
        results.close()  # ends a process pool now, also when the run is interrupted
        if progress:
            progress.close()


def _lint_paths(files: list[Path], missing: list[str], settings, checker, base_kb: Path | None,
                jobs: int | None) -> tuple[Report, _Run]:
    """Lint `files`; returns the combined report and the run: the files checked and whether some path could
    not be read (each already reported on stderr)."""
    run = _Run()
    report = Report(kb_version=checker.kb.version, kb_sha256=checker.kb.sha256)
    with contextlib.closing(_lint_parts(files, missing, settings, checker, base_kb, jobs, run)) as parts:
        for part in parts:
            report.extend(part)
    report.findings.sort(key=lambda f: (f.path, f.start, f.claim_id, f.topic))
    return report, run


def _stream_lint(files: list[Path], missing: list[str], settings, checker, base_kb: Path | None,
                 jobs: int | None, color: bool | None, target: Replacement | None, exit_zero: bool) -> int:
    """Lint and write the report as it comes, holding only one file's findings (or one piece's) at a time:
    the output is the same as the whole report written at once. Returns the exit code."""
    run = _Run()
    totals = Report(kb_version=checker.kb.version, kb_sha256=checker.kb.sha256)
    failing = False
    stream = sys.stdout if target is None else target.stream
    writer = _writer(settings, checker.kb, target is None and _wants_color(color), stream)
    try:
        stream.write(writer.head(totals))
        # A bar would be drawn over findings printed to the same terminal.
        bar = target is not None or not sys.stdout.isatty()
        with contextlib.closing(_lint_parts(files, missing, settings, checker, base_kb, jobs, run, bar)) as parts:
            for part in parts:
                failing = failing or _exit_code(part, settings, exit_zero) == 1
                _shown(part, settings)
                # A format that lists every file (JUnit) is told the file, which may have no findings.
                stream.write(writer.part(part, also=run.checked[-1:]) if writer.every_file else writer.part(part))
                totals.count_written(part)
        writer.finish(stream, totals)
        if target is not None:
            target.commit()
        _append_step_summary(writer, totals)
    except ExocheckError as exc:  # a file the HTML page shows could no longer be read, or the report not put in place
        raise _fail(str(exc)) from None
    except OSError as exc:
        if target is None:
            raise
        raise _fail(str(cannot_write(target.target, exc))) from None
    return 2 if run.failed else int(failing)


JOBS_OPTION = typer.Option(None, "--jobs", "-j", min=1, help="Processes to use (default: the number of cores).")
EXCLUDE_OPTION = typer.Option(None, "--exclude", help="Skip paths matching this glob (repeatable).")
# readable=False: exocheck's own reader reports an unreadable path in one line and goes on with the rest.
PATHS_ARGUMENT = typer.Argument(..., readable=False, help="Files and directories (searched recursively for .md, .html and .txt files); '-' reads standard input.")


@app.command("lint")
def lint_command(
    paths: list[Path] = PATHS_ARGUMENT,
    output_format: OutputFormat | None = FORMAT_OPTION,
    show_accurate: bool | None = SHOW_ACCURATE_OPTION,
    fail_on: FailOn | None = FAIL_ON_OPTION,
    exit_zero: bool = EXIT_ZERO_OPTION,
    kb: list[Path] | None = KB_OPTION,
    base_kb: Path | None = BASE_KB_OPTION,
    exclude: list[str] | None = EXCLUDE_OPTION,
    disable: list[str] | None = DISABLE_OPTION,
    baseline: Path | None = typer.Option(None, "--baseline", readable=False, help="Report only findings not recorded in this baseline file."),
    write_baseline: Path | None = typer.Option(None, "--write-baseline", help="Record today's findings in this file."),
    jobs: int | None = JOBS_OPTION,
    stdin_filename: str | None = STDIN_FILENAME_OPTION,
    color: bool | None = COLOR_OPTION,
    output: Path | None = OUTPUT_OPTION,
    no_config: bool = NO_CONFIG_OPTION,
    config: Path | None = CONFIG_OPTION,
    no_cache: bool = NO_CACHE_OPTION,
    cache_dir: Path | None = CACHE_DIR_OPTION,
    strict: bool = typer.Option(False, "--strict", help="Exit 2 when no file matched the paths given."),
) -> None:
    """Check files and directories; every unreadable path is reported, and then the exit code is 2."""
    from . import baseline as baselines

    stdin = Path("-") in paths
    if stdin and sys.stdin.isatty():
        raise _fail("'-' reads standard input, but nothing is piped in")
    with contextlib.ExitStack() as stack:
        try:
            named = [p for p in paths if p != Path("-")]
            start = named[0] if named else Path(stdin_filename).parent if stdin_filename else Path.cwd()
            settings = _settings(start, no_config, config, fail_on=fail_on, format=output_format, kb=kb, disable=disable,
                                 exclude=exclude, show_accurate=show_accurate)
            files, missing = _inputs(named, settings, output)
            if named and not files and not missing:
                _no_files(named, settings, strict)
            _refuse_overwrites(settings, base_kb, output, write_baseline, files, stdin, baseline)
            target = _replacement(stack, output)
            recorded = _replacement(stack, write_baseline)
            checker = _load_checker(settings, base_kb, no_cache, cache_dir, disable or ())
            known = baselines.load(baseline) if baseline else None
            piped, texts = _lint_stdin(checker, settings, stdin_filename) if stdin else (None, {})
        except ExocheckError as exc:
            raise _fail(str(exc)) from None
        if piped is None and not (baseline or write_baseline):
            raise typer.Exit(_stream_lint(files, missing, settings, checker, base_kb, jobs, color, target, exit_zero))
        report, run = _lint_paths(files, missing, settings, checker, base_kb, jobs)
        if piped is not None:
            report.extend(piped)
            report.findings.sort(key=lambda f: (f.path, f.start, f.claim_id, f.topic))
            report.notices.sort(key=lambda n: (n.path, n.line, n.column, n.code))
        _shown(report, settings)
        recording = baselines.render(report) if recorded is not None else ""  # before the baseline hides any
        if known is not None:
            hidden = baselines.subtract(report, known, str(baseline))
            if hidden:
                _warn(f"note: {hidden} finding(s) or notice(s) recorded in {baseline} not shown")
        rendered = _render(report, settings, checker.kb, color, target, texts, run.checked)
        if recorded is not None:  # put in place only once the report is rendered too
            _write(recording, recorded)
            _warn(f"wrote {len(report.findings)} finding(s) and {len(report.notices)} notice(s) to the baseline "
                  f"{write_baseline}; lint with --baseline {write_baseline} to report only new ones")
        _write(rendered, target)
    # Writing a baseline adopts today's findings: the run is green unless a path could not be read.
    exit_zero = exit_zero or write_baseline is not None
    raise typer.Exit(2 if run.failed else _exit_code(report, settings, exit_zero))


class SurveyFormat(str, Enum):
    text = "text"
    csv = "csv"
    json = "json"
    parquet = "parquet"


class SurveyTable(str, Enum):
    cells = "cells"
    pages = "pages"
    domains = "domains"
    claims = "claims"


SURVEY_FORMAT_OPTION = typer.Option(None, "--format", "-f", help="Output format (default: text; csv with --tables-dir).")
SURVEY_TABLE_OPTION = typer.Option(SurveyTable.cells, "--table", help="The table csv and parquet write.")
TABLES_DIR_OPTION = typer.Option(None, "--tables-dir", help="Write every table (cells, pages, domains, claims) into "
                                 "this directory, as csv or parquet files, in one run.")


@app.command("survey")
def survey_command(
    paths: list[Path] = PATHS_ARGUMENT,
    output_format: SurveyFormat | None = SURVEY_FORMAT_OPTION,
    table: SurveyTable = SURVEY_TABLE_OPTION,
    tables_dir: Path | None = TABLES_DIR_OPTION,
    kb: list[Path] | None = KB_OPTION,
    base_kb: Path | None = BASE_KB_OPTION,
    exclude: list[str] | None = EXCLUDE_OPTION,
    disable: list[str] | None = DISABLE_OPTION,
    jobs: int | None = JOBS_OPTION,
    output: Path | None = OUTPUT_OPTION,
    no_config: bool = NO_CONFIG_OPTION,
    config: Path | None = CONFIG_OPTION,
    no_cache: bool = NO_CACHE_OPTION,
    cache_dir: Path | None = CACHE_DIR_OPTION,
) -> None:
    """Count claims per topic and verdict, per page, per domain and overall, for researchers surveying many pages."""
    import itertools

    from . import survey as surveys

    chosen = (output_format or (SurveyFormat.csv if tables_dir else SurveyFormat.text)).value
    if tables_dir is not None and chosen not in ("csv", "parquet"):
        raise _fail("--tables-dir writes csv or parquet files; use --format csv or --format parquet")
    if chosen == "parquet" and output is None and tables_dir is None:
        raise _fail("--format parquet writes a file: give --output FILE or --tables-dir DIR")
    with contextlib.ExitStack() as stack:
        try:
            settings = _settings(paths[0], no_config, config, kb=kb, disable=disable, exclude=exclude)
            files, missing = _inputs(paths, settings, output)
            _refuse_overwrites(settings, base_kb, output, files=files)
            target = None if chosen == "parquet" or tables_dir is not None else _replacement(stack, output)
            checker = _load_checker(settings, base_kb, no_cache, cache_dir, disable or ())
        except ExocheckError as exc:
            raise _fail(str(exc)) from None
        run = _Run()
        identity = checker.empty_report(files=0)  # the KB's identity, even when no file could be read
        with contextlib.closing(_lint_parts(files, missing, settings, checker, base_kb, jobs, run)) as parts:
            result = surveys.survey(itertools.chain([identity], parts), run.checked)
        try:
            if tables_dir is not None:
                _write_tables(result, tables_dir, chosen)
            elif chosen == "parquet":
                assert output is not None
                surveys.write_parquet(result, table.value, output)
            elif chosen == "csv":
                _write(surveys.render_csv(result, table.value), target)
            else:
                _write((surveys.render_json if chosen == "json" else surveys.render_text)(result), target)
        except ExocheckError as exc:  # Parquet without pyarrow
            raise _fail(str(exc)) from None
        except OSError as exc:
            raise _fail(f"{exc.filename or tables_dir or output}: cannot write ({exc.strerror or exc})") from None
    raise typer.Exit(2 if run.failed else 0)


def _write_tables(result: Survey, directory: Path, file_format: str) -> None:
    """Every survey table into `directory` (made if missing) as TABLE.csv or TABLE.parquet."""
    from . import survey as surveys

    directory.mkdir(parents=True, exist_ok=True)
    for name in surveys.TABLES:
        path = directory / f"{name}.{file_format}"
        if file_format == "parquet":
            surveys.write_parquet(result, name, path)
        else:
            path.write_text(surveys.render_csv(result, name), encoding="utf-8")


class _Progress:
    """A progress bar on stderr for long runs, drawn by rich only when stderr is a terminal."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self._progress = Progress(transient=True, console=Console(stderr=True))
        self._task = self._progress.add_task("checking", total=total)
        self._progress.start()

    def advance(self) -> None:
        self._progress.advance(self._task)

    def close(self) -> None:
        self._progress.stop()


def _progress(total: int) -> _Progress | None:
    return _Progress(total) if total >= 20 and sys.stderr.isatty() else None


@app.command("config")
def config_command(
    path: Path | None = typer.Argument(
        None, help="A file or directory: the settings a lint of it would use (default: the current directory). "
        "For a file, the overrides that match it are applied."),
    config: Path | None = CONFIG_OPTION,
) -> None:
    """Print the effective settings and where each one comes from."""
    from .config import describe, load_settings

    try:
        settings = load_settings(path or Path.cwd(), config)
    except ExocheckError as exc:
        raise _fail(str(exc)) from None
    for_file = None
    with contextlib.suppress(OSError):  # a path inside a directory we may not search is shown as a directory
        for_file = path if path is not None and path.is_file() else None
    sys.stdout.write(describe(settings, for_file))


class ViewFormat(str, Enum):
    text = "text"
    json = "json"


VIEW_FORMAT_OPTION = typer.Option(ViewFormat.text, "--format", "-f", help="Output format.")


def _knowledge_base(overlays: list[Path] | None, base: Path | None):
    from .kb import load_kb

    try:
        return load_kb(base, overlays or ())
    except ExocheckError as exc:
        raise _fail(str(exc)) from None


@app.command("explain")
def explain_command(
    entry_id: str = typer.Argument(..., metavar="ID", help="A claim id (e.g. hair-loss-treatment) or a topic id (e.g. hair-loss)."),
    output_format: ViewFormat = VIEW_FORMAT_OPTION,
    kb: list[Path] | None = KB_OPTION,
    base_kb: Path | None = BASE_KB_OPTION,
) -> None:
    """Show a knowledge-base entry: the claim, verdict, FDA status, evidence, citations and rewording."""
    import json

    from .formats import kb_views

    knowledge = _knowledge_base(kb, base_kb)
    claim, topic = knowledge.claims.get(entry_id), knowledge.topics.get(entry_id)
    if claim is None and topic is None:
        close = sorted(i for i in list(knowledge.claims) + list(knowledge.topics) if entry_id.lower() in i)
        hint = f"; similar: {', '.join(close[:8])}" if close else "; see `exocheck kb list`"
        raise _fail(f"no claim or topic with id {entry_id!r}{hint}")
    if output_format is ViewFormat.json:
        claims = [claim] if claim else [c for c in knowledge.claims.values() if c.topic == entry_id]
        data: dict[str, Any] = {"claims": [kb_views.claim_dict(knowledge, c) for c in claims]}
        if topic:
            data["topic"] = {"id": topic.id, "name": topic.name, "terms": list(topic.terms),
                             "benefit_terms": list(topic.benefit_terms), "broad": topic.broad}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(kb_views.claim_text(knowledge, claim) if claim else kb_views.topic_text(knowledge, topic))


kb_app = typer.Typer(help="Inspect, validate and extend the knowledge base.", no_args_is_help=True)
app.add_typer(kb_app, name="kb")


@kb_app.command("list")
def kb_list_command(
    topic: str | None = typer.Option(None, "--topic", help="Only claims about this topic."),
    kind: str | None = typer.Option(None, "--kind", help="Only claims of this kind (disease, regulatory, ...)."),
    output_format: ViewFormat = VIEW_FORMAT_OPTION,
    kb: list[Path] | None = KB_OPTION,
    base_kb: Path | None = BASE_KB_OPTION,
) -> None:
    """List claims: id, verdict, severity, kind and topic."""
    from .formats import kb_views
    from .kb import BUILTIN_TOPICS, KINDS

    knowledge = _knowledge_base(kb, base_kb)
    if topic is not None and topic not in knowledge.topics and topic not in BUILTIN_TOPICS:
        raise _fail(f"unknown topic {topic!r}; `exocheck kb stats` lists the topics")
    if kind is not None and kind not in KINDS:
        raise _fail(f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}")
    claims = [c for c in knowledge.claims.values()
              if (topic is None or c.topic == topic) and (kind is None or c.kind == kind)]
    sys.stdout.write(kb_views.listing(knowledge, claims, output_format is ViewFormat.json))


@kb_app.command("stats")
def kb_stats_command(
    output_format: ViewFormat = VIEW_FORMAT_OPTION,
    kb: list[Path] | None = KB_OPTION,
    base_kb: Path | None = BASE_KB_OPTION,
) -> None:
    """Count claims per topic, kind and verdict, and sources per tier."""
    from .formats import kb_views

    sys.stdout.write(kb_views.stats(_knowledge_base(kb, base_kb), output_format is ViewFormat.json))


@kb_app.command("sources")
def kb_sources_command(
    output_format: ViewFormat = VIEW_FORMAT_OPTION,
    kb: list[Path] | None = KB_OPTION,
    base_kb: Path | None = BASE_KB_OPTION,
) -> None:
    """List every source with its link and the claims that cite it."""
    from .formats import kb_views

    sys.stdout.write(kb_views.sources(_knowledge_base(kb, base_kb), output_format is ViewFormat.json))


@kb_app.command("validate")
def kb_validate_command(
    files: list[Path] | None = typer.Argument(None, readable=False, help="Knowledge-base files (default: the built-in KB)."),
    overlay: bool = typer.Option(False, "--overlay", help="Treat FILES as overlays of the built-in KB."),
) -> None:
    """Check KB files: YAML syntax, schema and meaning; every problem as file:line:column, exit 2 if any."""
    from .formats.safe import escape
    from .kb import default_kb_path, load_kb

    failed = False
    targets: list[Path | None] = [*files] if files else [None]  # None: the built-in KB
    for file in targets:
        try:
            knowledge = load_kb(None, [file] if file else []) if overlay else load_kb(file)
        except ExocheckError as exc:
            failed = True
            for problem in getattr(exc, "problems", [exc]):
                print(escape(str(problem)))
            continue
        name = file if file is not None else default_kb_path()
        print(escape(f"{name}: ok ({len(knowledge.claims)} claims, {len(knowledge.topics)} topics, "
              f"{len(knowledge.sources)} sources)"))
    raise typer.Exit(2 if failed else 0)


@kb_app.command("schema")
def kb_schema_command(
    overlay: bool = typer.Option(False, "--overlay", help="The schema of an overlay file instead of a full KB."),
) -> None:
    """Print the JSON Schema of knowledge-base files, for editors and other tools."""
    from importlib.resources import files

    name = "kb-overlay.schema.json" if overlay else "kb.schema.json"
    sys.stdout.write(files("exocheck").joinpath(name).read_text(encoding="utf-8"))


def _version_requested(args: list[str]) -> bool:
    return args[:1] in (["--version"], ["-V"])


def main(argv: list[str] | None = None) -> None:
    """The typer app's entry (`entry.main` runs a plain `exocheck "TEXT"` itself): `exocheck TEXT` is
    shorthand for `exocheck check TEXT`."""
    set_up()
    args = list(sys.argv[1:] if argv is None else argv)
    if _version_requested(args):
        from .kb import load_kb

        try:
            kb = load_kb()
            print(f"exocheck {__version__} (knowledge base {kb.version}, sha256 {kb.sha256[:12]})")
        except ExocheckError as exc:
            print(f"exocheck {__version__}")
            _warn(f"error: {exc}")
            sys.exit(2)
        return
    if args and args[0] not in COMMANDS and args[0] not in ("-h", "--help"):
        _refuse_typo(args[0])
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help")):
        args.insert(0, "check")
    # typer re-exports click's usage errors under BadParameter's bases, whichever click it bundles.
    # Typed as BadParameter, its subclass: only format_message is used, which UsageError defines.
    UsageError = cast("type[typer.BadParameter]", typer.BadParameter.__mro__[1])

    with exit_codes():
        try:
            code = app(args=args, prog_name="exocheck", standalone_mode=False)
        except UsageError as exc:  # one line, like every other error, instead of click's usage block
            command = " ".join(args[:2] if args[:1] == ["kb"] else args[:1])
            _warn(f"error: {exc.format_message()} (see: exocheck {command} --help)")
            sys.exit(2)
        except typer.Abort:  # click's name for Ctrl-C
            sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
