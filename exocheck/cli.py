"""The `exocheck` command: the only place that reads argv, prints, and chooses an exit code.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, input or
knowledge-base errors (one line on stderr, never a traceback); 130 interrupted.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Iterator, List, Optional

import typer

from . import __version__
from .errors import ExocheckError
from .model import SEVERITY_RANK, Report

LINT_EXTENSIONS = (".txt", ".text")
COMMANDS = ("check", "lint", "explain", "kb")


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"
    never = "never"


app = typer.Typer(
    add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
    help="Check marketing copy about exosome therapies against a cited knowledge base.",
    context_settings={"help_option_names": ["-h", "--help"]},
)

FORMAT_OPTION = typer.Option(OutputFormat.text, "--format", "-f", help="Output format.")
FAIL_ON_OPTION = typer.Option(
    FailOn.error, "--fail-on", help="Exit 1 when a finding has at least this severity ('never': always exit 0)."
)
KB_OPTION = typer.Option(
    None, "--kb", help="Merge this knowledge-base overlay over the built-in KB (repeatable; see `exocheck kb schema --overlay`)."
)
BASE_KB_OPTION = typer.Option(None, "--base-kb", help="Use this complete knowledge-base file instead of the built-in one.")
COLOR_OPTION = typer.Option(None, "--color/--no-color", help="Force colour on or off (default: on a terminal, unless NO_COLOR is set).")


def _warn(message: str) -> None:
    print(f"exocheck: {message}", file=sys.stderr)


def _fail(message: str) -> typer.Exit:
    _warn(f"error: {message}")
    return typer.Exit(2)


def _load(overlays: Optional[List[Path]], base: Optional[Path]):  # noqa: ANN202 - returns exocheck.Checker
    from . import checker_for, load_kb

    return checker_for(load_kb(base, overlays or ()))


def _stdout_is_unicode() -> bool:
    return (sys.stdout.encoding or "").lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")


def _emit(report: Report, output_format: OutputFormat, color: Optional[bool]) -> None:
    if output_format is OutputFormat.json:
        from .formats import json_format

        # On a non-UTF-8 stdout, \u escapes keep the JSON exact instead of mangling characters.
        sys.stdout.write(json_format.render(report, ascii_only=not _stdout_is_unicode()))
        return
    from .formats import text

    use_color = color if color is not None else (sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    if use_color:
        text.print_color(report, sys.stdout)
    else:
        sys.stdout.write(text.render_plain(report))


def _exit_code(report: Report, fail_on: FailOn) -> int:
    if fail_on is FailOn.never:
        return 0
    return 1 if report.worst() >= SEVERITY_RANK[fail_on.value] else 0


@app.command("check")
def check_command(
    text: Optional[str] = typer.Argument(None, help="Text to check; '-' or nothing reads standard input."),
    output_format: OutputFormat = FORMAT_OPTION,
    fail_on: FailOn = FAIL_ON_OPTION,
    kb: Optional[List[Path]] = KB_OPTION,
    base_kb: Optional[Path] = BASE_KB_OPTION,
    color: Optional[bool] = COLOR_OPTION,
) -> None:
    """Check one piece of text: `exocheck "exosomes cure hair loss"` or `cat page.txt | exocheck`."""
    from .document import decode

    try:
        checker = _load(kb, base_kb)
        if text is None or text == "-":
            if text is None and sys.stdin.isatty():
                raise _fail('give the text to check, e.g. exocheck "exosomes cure hair loss", or pipe text in')
            decoded = decode(sys.stdin.buffer.read(), "<stdin>")
            for warning in decoded.warnings:
                _warn(f"warning: {warning}")
            report = checker.check(decoded.text, path="<stdin>")
        else:
            if len(text) < 4096 and "\n" not in text and Path(text).is_file():
                _warn(f"note: '{text}' is a file; to check its contents run: exocheck lint {text}")
            report = checker.check(text, path="<text>")
    except ExocheckError as exc:
        raise _fail(str(exc)) from None
    _emit(report, output_format, color)
    raise typer.Exit(_exit_code(report, fail_on))


def _walk(path: Path) -> Iterator[Path]:
    """Text files under a directory, sorted, skipping hidden directories; symlinked dirs are not followed."""
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.lower().endswith(LINT_EXTENSIONS) and not name.startswith("."):
                yield Path(root) / name


@app.command("lint")
def lint_command(
    paths: List[Path] = typer.Argument(..., help="Files and directories (searched recursively for .txt files)."),
    output_format: OutputFormat = FORMAT_OPTION,
    fail_on: FailOn = FAIL_ON_OPTION,
    kb: Optional[List[Path]] = KB_OPTION,
    base_kb: Optional[Path] = BASE_KB_OPTION,
    color: Optional[bool] = COLOR_OPTION,
) -> None:
    """Check files and directories; every unreadable path is reported, then the exit code is 2."""
    from .document import read_file

    try:
        checker = _load(kb, base_kb)
    except ExocheckError as exc:
        raise _fail(str(exc)) from None
    report = Report(kb_version=checker.kb.version, kb_sha256=checker.kb.sha256)
    failed = False
    seen: set[str] = set()
    for given in paths:
        if given.is_dir():
            files = list(_walk(given))
        elif given.exists() or given.is_symlink():
            files = [given]
        else:
            _warn(f"error: {given}: no such file or directory")
            failed = True
            continue
        for file in files:
            key = os.path.normpath(str(file))
            if key in seen:
                continue
            seen.add(key)
            try:
                decoded = read_file(file)
            except ExocheckError as exc:
                _warn(f"error: {exc}")
                failed = True
                continue
            for warning in decoded.warnings:
                _warn(f"warning: {warning}")
            report.extend(checker.check(decoded.text, path=str(file)))
    report.findings.sort(key=lambda f: (f.path, f.start, f.claim_id, f.topic))
    _emit(report, output_format, color)
    raise typer.Exit(2 if failed else _exit_code(report, fail_on))


class ViewFormat(str, Enum):
    text = "text"
    json = "json"


VIEW_FORMAT_OPTION = typer.Option(ViewFormat.text, "--format", "-f", help="Output format.")


def _knowledge_base(overlays: Optional[List[Path]], base: Optional[Path]):  # noqa: ANN202 - KnowledgeBase
    from .kb import load_kb

    try:
        return load_kb(base, overlays or ())
    except ExocheckError as exc:
        raise _fail(str(exc)) from None


@app.command("explain")
def explain_command(
    entry_id: str = typer.Argument(..., metavar="ID", help="A claim id (e.g. hair-loss-treatment) or a topic id (e.g. hair-loss)."),
    output_format: ViewFormat = VIEW_FORMAT_OPTION,
    kb: Optional[List[Path]] = KB_OPTION,
    base_kb: Optional[Path] = BASE_KB_OPTION,
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
        data = {"claims": [kb_views.claim_dict(knowledge, c) for c in claims]}
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
    topic: Optional[str] = typer.Option(None, "--topic", help="Only claims about this topic."),
    kind: Optional[str] = typer.Option(None, "--kind", help="Only claims of this kind (disease, regulatory, ...)."),
    output_format: ViewFormat = VIEW_FORMAT_OPTION,
    kb: Optional[List[Path]] = KB_OPTION,
    base_kb: Optional[Path] = BASE_KB_OPTION,
) -> None:
    """List claims: id, verdict, severity, kind and topic."""
    from .formats import kb_views

    knowledge = _knowledge_base(kb, base_kb)
    claims = [c for c in knowledge.claims.values()
              if (topic is None or c.topic == topic) and (kind is None or c.kind == kind)]
    sys.stdout.write(kb_views.listing(knowledge, claims, output_format is ViewFormat.json))


@kb_app.command("stats")
def kb_stats_command(
    output_format: ViewFormat = VIEW_FORMAT_OPTION,
    kb: Optional[List[Path]] = KB_OPTION,
    base_kb: Optional[Path] = BASE_KB_OPTION,
) -> None:
    """Count claims per topic, kind and verdict, and sources per tier."""
    from .formats import kb_views

    sys.stdout.write(kb_views.stats(_knowledge_base(kb, base_kb), output_format is ViewFormat.json))


@kb_app.command("sources")
def kb_sources_command(
    output_format: ViewFormat = VIEW_FORMAT_OPTION,
    kb: Optional[List[Path]] = KB_OPTION,
    base_kb: Optional[Path] = BASE_KB_OPTION,
) -> None:
    """List every source with its link and the claims that cite it."""
    from .formats import kb_views

    sys.stdout.write(kb_views.sources(_knowledge_base(kb, base_kb), output_format is ViewFormat.json))


@kb_app.command("validate")
def kb_validate_command(
    files: Optional[List[Path]] = typer.Argument(None, help="Knowledge-base files (default: the built-in KB)."),
    overlay: bool = typer.Option(False, "--overlay", help="Treat FILES as overlays of the built-in KB."),
) -> None:
    """Check KB files: YAML syntax, schema and meaning; every problem as file:line:column, exit 2 if any."""
    from .kb import default_kb_path, load_kb

    failed = False
    for file in files or [None]:
        try:
            knowledge = load_kb(None, [file]) if overlay else load_kb(file)
        except ExocheckError as exc:
            failed = True
            for problem in getattr(exc, "problems", [exc]):
                print(problem)
            continue
        name = file if file is not None else default_kb_path()
        print(f"{name}: ok ({len(knowledge.claims)} claims, {len(knowledge.topics)} topics, "
              f"{len(knowledge.sources)} sources)")
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
    return args[:1] == ["--version"]


def main(argv: Optional[list[str]] = None) -> None:
    """Entry point: `exocheck TEXT` is shorthand for `exocheck check TEXT`."""
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
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help")):
        args.insert(0, "check")
    if hasattr(sys.stdout, "reconfigure") and not _stdout_is_unicode():
        sys.stdout.reconfigure(errors="replace")  # a C-locale terminal gets '?' rather than a crash
    try:
        app(args=args, prog_name="exocheck")
    except BrokenPipeError:
        _silence_stdout()
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # a bug, not bad input: one line, and the traceback only on request
        if os.environ.get("EXOCHECK_DEBUG"):
            raise
        _warn(f"internal error: {type(exc).__name__}: {exc} (set EXOCHECK_DEBUG=1 for details)")
        sys.exit(2)


def _silence_stdout() -> None:
    """After the reader of our output went away, stop Python from failing again when it flushes at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
