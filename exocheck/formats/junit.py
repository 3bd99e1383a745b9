"""`junit`: JUnit XML, so CI systems that only show test reports (Jenkins, GitLab) list each claim as a test.

A finding of severity error or warning is a failed test case; an info finding passes and keeps its details
in <system-out>. Files without findings cannot be known from a report, so only files with findings appear.
Written as a lint goes, holding one file's cases at a time; the counts on top are written last.
"""

from __future__ import annotations

import re

from ..kb import KnowledgeBase
from ..model import Finding, Notice, Report
from .common import SpooledWriter, link, short_message

_FAILING = ("error", "warning")  # severities of a failed case; an info finding is a passed one
# Characters XML 1.0 cannot hold even escaped (form feeds and other controls do occur in pasted copy).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _details(finding: Finding, kb: KnowledgeBase) -> str:
    """What a CI test report shows for a finding: the message, the sentence, why, and where to read more."""
    lines = [short_message(finding, kb), f"Sentence: {finding.sentence}", f"Why: {finding.explanation}",
             f"FDA status: {finding.fda_status}"]
    lines += [f"[{i}] {c.title} {link(c.url, c.doi)}".rstrip() for i, c in enumerate(finding.citations, 1)]
    if finding.suggestion and finding.verdict != "accurate":
        lines.append(f"Instead, say: {finding.suggestion}")
    return _xml_text("\n".join(lines))


class Writer(SpooledWriter):
    """One suite per file; a case per finding, then one per suppression notice (a failure at warning level)."""

    def __init__(self, kb: KnowledgeBase, ascii_only: bool = False) -> None:
        super().__init__(kb, ascii_only)
        self.cases = self.failures = 0

    def section(self, number: int, path: str, findings: list[Finding], notices: list[Notice]) -> str:
        from xml.etree import ElementTree as ET

        kb = self.kb
        assert kb is not None
        # (name, severity, failure type, message, details): findings in order, then notices by name
        cases = [(name, f.severity, f.verdict, short_message(f, kb), _details(f, kb))
                 for _, name, _, f in sorted(((f.start, f"{f.claim_id} at {f.line}:{f.column}", f.topic, f)
                                              for f in findings), key=lambda item: item[:3])]
        cases += sorted((f"{n.code} at {n.line}:{n.column}", n.severity, n.code, n.message, n.message)
                        for n in notices)
        failures = sum(case[1] in _FAILING for case in cases)
        self.cases, self.failures = self.cases + len(cases), self.failures + failures
        suite = ET.Element("testsuite", name=_xml_text(path), tests=str(len(cases)), failures=str(failures),
                           errors="0")
        for name, severity, kind, message, details in cases:
            case = ET.SubElement(suite, "testcase", classname=_xml_text(path), name=_xml_text(name))
            if severity in _FAILING:
                failure = ET.SubElement(case, "failure", message=_xml_text(message), type=kind)
                failure.text = _xml_text(details)
            else:
                ET.SubElement(case, "system-out").text = _xml_text(details)
        ET.indent(suite, level=1)  # as the suite sits in the whole document: one level in
        return "\n  " + ET.tostring(suite, encoding="unicode")

    def start(self) -> str:
        counts = f'tests="{self.cases}" failures="{self.failures}"'
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites {counts}' + (">" if self.sections else " />")

    def end(self) -> str:
        return "\n</testsuites>\n" if self.sections else "\n"


def render(report: Report, kb: KnowledgeBase) -> str:
    return Writer(kb).render(report)
