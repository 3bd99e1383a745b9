"""`junit`: JUnit XML, so CI systems that only show test reports (Jenkins, GitLab) list each claim as a test.

A finding of severity error or warning is a failed test case; an info finding passes and keeps its details
in <system-out>. Files without findings cannot be known from a report, so only files with findings appear.
"""

from __future__ import annotations

import re
from itertools import groupby

from ..kb import KnowledgeBase
from ..model import Finding, Report
from .common import link, short_message

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


def render(report: Report, kb: KnowledgeBase) -> str:
    from xml.etree import ElementTree as ET

    failing = ("error", "warning")
    root = ET.Element("testsuites", tests=str(len(report.findings)),
                      failures=str(sum(f.severity in failing for f in report.findings)))
    for path, group in groupby(sorted(report.findings, key=lambda f: (f.path, f.start)), key=lambda f: f.path):
        findings = list(group)
        suite = ET.SubElement(root, "testsuite", name=_xml_text(path), tests=str(len(findings)),
                              failures=str(sum(f.severity in failing for f in findings)), errors="0")
        for finding in findings:
            case = ET.SubElement(suite, "testcase", classname=_xml_text(path),
                                 name=f"{finding.claim_id} at {finding.line}:{finding.column}")
            if finding.severity in failing:
                failure = ET.SubElement(case, "failure", message=_xml_text(short_message(finding, kb)),
                                        type=finding.verdict)
                failure.text = _details(finding, kb)
            else:
                ET.SubElement(case, "system-out").text = _details(finding, kb)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
