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
    """One suite per file; a case per finding, and per suppression notice (a failure at warning level)."""
    from xml.etree import ElementTree as ET

    failing = ("error", "warning")
    # (path, order, name, severity, failure type, message, details); notices after a file's findings
    cases = [(f.path, f.start, f"{f.claim_id} at {f.line}:{f.column}", f.severity, f.verdict,
              short_message(f, kb), _details(f, kb)) for f in report.findings]
    cases += [(n.path, float("inf"), f"{n.code} at {n.line}:{n.column}", n.severity, n.code, n.message, n.message)
              for n in report.notices]
    cases.sort(key=lambda case: case[:3])
    root = ET.Element("testsuites", tests=str(len(cases)), failures=str(sum(c[3] in failing for c in cases)))
    for path, group in groupby(cases, key=lambda case: case[0]):
        members = list(group)
        suite = ET.SubElement(root, "testsuite", name=_xml_text(path), tests=str(len(members)),
                              failures=str(sum(c[3] in failing for c in members)), errors="0")
        for _, _, name, severity, kind, message, details in members:
            case = ET.SubElement(suite, "testcase", classname=_xml_text(path), name=_xml_text(name))
            if severity in failing:
                failure = ET.SubElement(case, "failure", message=_xml_text(message), type=kind)
                failure.text = _xml_text(details)
            else:
                ET.SubElement(case, "system-out").text = _xml_text(details)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
