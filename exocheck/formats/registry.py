"""Every output format in one table: its name, the module whose `Writer` writes it, the file extension
its reports get, whether it holds the report until the end, and who reads it. The command's `--format`
choices, the configuration's `format` key and `--help` all come from here, so a format is added once."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from ..record import FrozenRecord

PEOPLE, DATA, CI = "people", "data", "ci"


class OutputFormat(FrozenRecord):
    # The fields in order, as repr and == take them.
    __slots__ = (  # noqa: RUF023
        "name", "module", "extension", "spooled", "audience", "description",
    )

    name: str
    module: str  # in exocheck.formats
    extension: str  # for a report written to a file
    spooled: bool  # the start sums up every file, so sections wait in a spool until the end (see common.SpooledWriter)
    audience: str  # PEOPLE (read by a person), DATA (read by a program), CI (become events in a CI run)
    description: str

    def __init__(self, name: str, module: str, extension: str, spooled: bool, audience: str, description: str) -> None:
        self._fill(name, module, extension, spooled, audience, description)

    @property
    def shows_accurate(self) -> bool:
        """Whether accurate findings are in this format by default: a CI event (an annotation, a SARIF
        result, a JUnit case) for a correct statement is noise, so the CI formats leave them out."""
        return self.audience != CI

    def writer_module(self) -> ModuleType:
        """The format's module, imported only when it is used."""
        return import_module(f"exocheck.formats.{self.module}")


FORMATS: dict[str, OutputFormat] = {f.name: f for f in (
    OutputFormat("text", "text", ".txt", False, PEOPLE, "for people: colour on a terminal"),
    OutputFormat("html", "html_report", ".html", True, PEOPLE, "a self-contained review page"),
    OutputFormat("concise", "concise", ".txt", False, PEOPLE, "one line per finding"),
    OutputFormat("json", "json_format", ".json", False, DATA, "the JSON contract"),
    OutputFormat("jsonl", "jsonl", ".jsonl", False, DATA, "one JSON finding per line"),
    OutputFormat("jsonl-compact", "jsonl_compact", ".jsonl", False, DATA,
                 "JSON Lines that write each knowledge-base entry once, for large runs"),
    OutputFormat("sarif", "sarif", ".sarif", False, CI, "SARIF 2.1.0 for code scanning"),
    OutputFormat("github", "github", ".log", False, CI, "GitHub Actions annotations, log lines and a step summary"),
    OutputFormat("junit", "junit", ".xml", True, CI, "JUnit XML for CI test reports"),
    OutputFormat("csv", "csv_format", ".csv", False, DATA, "one row per finding"),
)}
NAMES = tuple(FORMATS)


def help_text() -> str:
    """The `--format` help: every format and what it is for."""
    return "Output format (default: text, or the config's): " + "; ".join(
        f"{f.name} ({f.description})" for f in FORMATS.values()) + "."
