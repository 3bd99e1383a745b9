"""`junit`: JUnit XML, so CI systems that only show test reports (Jenkins, GitLab) list each claim as a test.

A finding that fails the run (at or above `--fail-on`; by default for the library, warning) is a failed test
case; any other finding passes and keeps its details in <system-out>; accurate findings never fail. A file
named in `also` (the command names every file it checked) without findings is one passing case, so a clean
file shows in the report as passed. Written as a lint goes; the counts on top are written last.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import IO

from ..kb import KnowledgeBase
from ..model import Finding, Notice, Report, fails
from .common import SpooledWriter, copy_out, link, numbered, short_message, spool
from .safe import escape

Item = Finding | Notice
# The characters XML 1.0 cannot hold that `safe.escape` leaves (it shows controls and surrogates).
_NOT_XML = re.compile("[\ufffe\uffff]")
_LAYOUT = "\t\n\r"  # kept in a case's details, which are lines of text; escaped in names and messages


def _xml_text(value: str, layout: str = "") -> str:
    """`value` as XML can hold it and a CI page can show it: controls (form feeds do occur in pasted copy),
    bidirectional marks and a name's bytes that are not UTF-8 as escapes (`safe.escape`), as in the text
    formats, but for the `layout` characters of a multi-line text; the two noncharacters XML refuses as
    U+FFFD."""
    return _NOT_XML.sub("\ufffd", escape(value, keep=layout))


def _details(finding: Finding, kb: KnowledgeBase) -> str:
    """What a CI test report shows for a finding: the message, the sentence, why, and where to read more."""
    ids = [c.id for c in finding.citations]
    lines = [short_message(finding, kb), f"Sentence: {finding.sentence}",
             f"Why: {numbered(finding.explanation, ids)}", f"FDA status: {numbered(finding.fda_status, ids)}"]
    lines += [f"[{i}] {c.title} {link(c.url, c.doi)}".rstrip() for i, c in enumerate(finding.citations, 1)]
    if finding.suggestion and finding.verdict != "accurate":
        lines.append(f"Instead, say: {finding.suggestion}")
    return "\n".join(lines)


class Writer(SpooledWriter):
    """One suite per file; a case per finding, then one per notice (a failure at warning level).

    A file's cases are written as its parts come, to a spool of their own: the suite's counts, which open
    it, are known once the file is done. So not even one file's findings are held.
    """

    every_file = True  # the command names every checked file (`also`), so a clean file is a passing case

    def __init__(self, kb: KnowledgeBase, ascii_only: bool = False, failing: Callable[[Item], bool] | None = None) -> None:
        """`failing` says which findings and notices are failed cases (the command: those that fail the run
        at --fail-on, `model.fails`); by default those of severity warning or error."""
        super().__init__(kb, ascii_only)
        self.failing = failing or (lambda item: fails(item, "warning"))
        self.cases = self.failures = 0  # of every suite, for the root
        self._suite: IO[str] | None = None  # the cases of the file being read
        self._counts = (0, 0)  # its cases and failures
        self._notices: list[Notice] = []  # its notices, which come after all its findings

    def take(self, path: str, findings: list[Finding], notices: list[Notice]) -> None:
        kb = self.kb
        assert kb is not None
        ordered = sorted(((f.start, f"{f.claim_id} at {f.line}:{f.column}", f.topic, f) for f in findings),
                         key=lambda item: item[:3])
        self._write_cases(path, [(name, self.failing(f), f.verdict, short_message(f, kb), _details(f, kb))
                                 for _, name, _, f in ordered])
        self._notices += notices

    def write_section(self, body: IO[str], number: int, path: str) -> None:
        from xml.etree import ElementTree as ET

        self._write_cases(path, sorted((f"{n.code} at {n.line}:{n.column}", self.failing(n), n.code, n.message,
                                        n.message) for n in self._notices))
        if self._counts == (0, 0):  # a clean file: one passing case
            self._write_cases(path, [("no findings", False, "", "", "")])
        (cases, failures), suite = self._counts, self._suite
        self.cases, self.failures = self.cases + cases, self.failures + failures
        self._suite, self._counts, self._notices = None, (0, 0), []
        empty = ET.tostring(ET.Element("testsuite", name=_xml_text(path), tests=str(cases), failures=str(failures),
                                       errors="0"), encoding="unicode")
        body.write("\n  " + empty.removesuffix(" />") + ">")  # its opening tag, attributes escaped as ET does
        if suite is not None:
            copy_out(suite, body)
        body.write("\n  </testsuite>")

    def _write_cases(self, path: str, cases: list[tuple[str, bool, str, str, str]]) -> None:
        """Cases of (name, failed?, failure type, message, details), laid out as in the whole document; a
        passing case without details is empty."""
        from xml.etree import ElementTree as ET

        if not cases:
            return
        holder = ET.Element("testsuite")
        for name, failed, kind, message, details in cases:
            case = ET.SubElement(holder, "testcase", classname=_xml_text(path), name=_xml_text(name))
            if failed:
                failure = ET.SubElement(case, "failure", message=_xml_text(message), type=kind)
                failure.text = _xml_text(details, _LAYOUT)
            elif details:
                ET.SubElement(case, "system-out").text = _xml_text(details, _LAYOUT)
        ET.indent(holder, level=1)  # as a suite sits in the whole document: one level in
        text = ET.tostring(holder, encoding="unicode")
        if self._suite is None:
            self._suite = spool()
        self._suite.write(text[len("<testsuite>"):-len("\n  </testsuite>")])  # "\n    <testcase ...>..." each
        cases_so_far, failures_so_far = self._counts
        self._counts = (cases_so_far + len(cases), failures_so_far + sum(c[1] for c in cases))

    def start(self) -> str:
        counts = f'tests="{self.cases}" failures="{self.failures}"'
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites {counts}' + (">" if self.sections else " />")

    def end(self) -> str:
        return "\n</testsuites>\n" if self.sections else "\n"


def render(report: Report, kb: KnowledgeBase) -> str:
    return Writer(kb).render(report)
