"""`junit`: JUnit XML, so CI systems that only show test reports (Jenkins, GitLab) list each claim as a test.

A finding of severity error or warning is a failed test case; an info finding passes and keeps its details
in <system-out>. Files without findings cannot be known from a report, so only files with findings appear.
Written as a lint goes; the counts on top are written last.
"""

from __future__ import annotations

import re
from typing import IO

from ..kb import KnowledgeBase
from ..model import Finding, Notice, Report
from .common import SpooledWriter, copy_out, link, numbered, short_message, spool

_FAILING = ("error", "warning")  # severities of a failed case; an info finding is a passed one
# Characters XML 1.0 cannot hold even escaped (form feeds and other controls do occur in pasted copy).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _details(finding: Finding, kb: KnowledgeBase) -> str:
    """What a CI test report shows for a finding: the message, the sentence, why, and where to read more."""
    ids = [c.id for c in finding.citations]
    lines = [short_message(finding, kb), f"Sentence: {finding.sentence}",
             f"Why: {numbered(finding.explanation, ids)}", f"FDA status: {numbered(finding.fda_status, ids)}"]
    lines += [f"[{i}] {c.title} {link(c.url, c.doi)}".rstrip() for i, c in enumerate(finding.citations, 1)]
    if finding.suggestion and finding.verdict != "accurate":
        lines.append(f"Instead, say: {finding.suggestion}")
    return _xml_text("\n".join(lines))


class Writer(SpooledWriter):
    """One suite per file; a case per finding, then one per notice (a failure at warning level).

    A file's cases are written as its parts come, to a spool of their own: the suite's counts, which open
    it, are known once the file is done. So not even one file's findings are held.
    """

    def __init__(self, kb: KnowledgeBase, ascii_only: bool = False) -> None:
        super().__init__(kb, ascii_only)
        self.cases = self.failures = 0  # of every suite, for the root
        self._suite: IO[str] | None = None  # the cases of the file being read
        self._counts = (0, 0)  # its cases and failures
        self._notices: list[Notice] = []  # its notices, which come after all its findings

    def take(self, path: str, findings: list[Finding], notices: list[Notice]) -> None:
        kb = self.kb
        assert kb is not None
        ordered = sorted(((f.start, f"{f.claim_id} at {f.line}:{f.column}", f.topic, f) for f in findings),
                         key=lambda item: item[:3])
        self._write_cases(path, [(name, f.severity, f.verdict, short_message(f, kb), _details(f, kb))
                                 for _, name, _, f in ordered])
        self._notices += notices

    def write_section(self, body: IO[str], number: int, path: str) -> None:
        from xml.etree import ElementTree as ET

        self._write_cases(path, sorted((f"{n.code} at {n.line}:{n.column}", n.severity, n.code, n.message, n.message)
                                       for n in self._notices))
        (cases, failures), suite = self._counts, self._suite
        self.cases, self.failures = self.cases + cases, self.failures + failures
        self._suite, self._counts, self._notices = None, (0, 0), []
        empty = ET.tostring(ET.Element("testsuite", name=_xml_text(path), tests=str(cases), failures=str(failures),
                                       errors="0"), encoding="unicode")
        body.write("\n  " + empty.removesuffix(" />") + ">")  # its opening tag, attributes escaped as ET does
        if suite is not None:
            copy_out(suite, body)
        body.write("\n  </testsuite>")

    def _write_cases(self, path: str, cases: list[tuple[str, str, str, str, str]]) -> None:
        """Cases of (name, severity, failure type, message, details), laid out as in the whole document."""
        from xml.etree import ElementTree as ET

        if not cases:
            return
        holder = ET.Element("testsuite")
        for name, severity, kind, message, details in cases:
            case = ET.SubElement(holder, "testcase", classname=_xml_text(path), name=_xml_text(name))
            if severity in _FAILING:
                failure = ET.SubElement(case, "failure", message=_xml_text(message), type=kind)
                failure.text = _xml_text(details)
            else:
                ET.SubElement(case, "system-out").text = _xml_text(details)
        ET.indent(holder, level=1)  # as a suite sits in the whole document: one level in
        text = ET.tostring(holder, encoding="unicode")
        if self._suite is None:
            self._suite = spool()
        self._suite.write(text[len("<testsuite>"):-len("\n  </testsuite>")])  # "\n    <testcase ...>..." each
        cases_so_far, failures_so_far = self._counts
        self._counts = (cases_so_far + len(cases), failures_so_far + sum(c[1] in _FAILING for c in cases))

    def start(self) -> str:
        counts = f'tests="{self.cases}" failures="{self.failures}"'
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites {counts}' + (">" if self.sections else " />")

    def end(self) -> str:
        return "\n</testsuites>\n" if self.sections else "\n"


def render(report: Report, kb: KnowledgeBase) -> str:
    return Writer(kb).render(report)
