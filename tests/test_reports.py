"""Reports for people and researchers: the HTML page (checked text with highlights) and the survey counts.

The page is also opened in a real browser by test_report_browser.py; here it is checked as markup.
"""

from __future__ import annotations

import base64
import collections
import csv
import dataclasses
import hashlib
import io
import json
import re
from html import escape
from html.parser import HTMLParser

import pytest

import exocheck
from exocheck.formats import html_report, safe
from exocheck.formats.common import link, numbered
from exocheck.lint import lint_text
from exocheck.model import Citation, Hidden, Report, fails
from exocheck.survey import CSV_COLUMNS, render_csv, render_json, render_text, survey

VOID = {"meta", "link", "br", "img", "input", "hr", "rect"}  # rect: written self-closing in the SVG


class Page(HTMLParser):
    """A strict reading of the page: every tag closed in order, ids unique; collects what the tests need."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.links: list[dict[str, str | None]] = []
        self.references: list[str] = []  # ids that aria-describedby and "#" links point to
        self.scripts = self.styles = self.sources = 0
        self.docs: list[str] = []  # the text of each file as the page shows it, verdict labels left out
        self.highlights: list[tuple[str, str]] = []  # (label, highlighted text)
        self._doc_depth = self._tag_depth = None
        self._label = ""
        self._highlight: list[str] | None = None
        self.feed(page)
        self.close()
        assert not self.stack, f"unclosed: {self.stack}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"] or "")
        if "src" in attributes:
            self.sources += 1
        if tag == "a":
            self.links.append(attributes)
        for name in ("aria-describedby", "aria-labelledby"):
            self.references += (attributes.get(name) or "").split()
        if (attributes.get("href") or "").startswith("#"):
            self.references.append(attributes["href"][1:])
        self.scripts += tag == "script"
        self.styles += tag == "style"
        classes = (attributes.get("class") or "").split()
        if tag not in VOID:
            self.stack.append(tag)
        if "doc" in classes:
            self._doc_depth = len(self.stack)
            self.docs.append("")
        elif "tag" in classes and self._doc_depth is not None:
            self._tag_depth = len(self.stack)
        elif "hl" in classes:
            self._highlight = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in VOID, f"<{tag}/> is not an empty element"
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        if self._tag_depth == len(self.stack):
            self._tag_depth = None
        elif tag == "a" and self._highlight is not None:
            self.highlights.append((self._label, "".join(self._highlight)))
            self._highlight = None
        if self._doc_depth == len(self.stack):
            self._doc_depth = None
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._tag_depth is not None:
            self._label = data
        elif self._doc_depth is not None:
            self.docs[-1] += data
            if self._highlight is not None:
                self._highlight.append(data)


@pytest.fixture(scope="module")
def kb():
    return exocheck.load_kb()


@pytest.fixture(scope="module")
def page(corpus) -> str:
    report, kb, sources = corpus
    return html_report.render(report, kb, sources)


# --- the HTML page -----------------------------------------------------------------------------------


def test_page_parses_strictly_with_unique_ids_and_no_dangling_references(page):
    parsed = Page(page)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert len(parsed.ids) == len(set(parsed.ids))
    assert set(parsed.references) <= set(parsed.ids)
    assert parsed.scripts == 1 and parsed.styles == 1 and parsed.sources == 0  # nothing loaded from anywhere


def test_page_shows_every_finding_with_its_facts(corpus, page):
    report, kb, sources = corpus
    assert {f.verdict for f in report.findings} >= {"unsupported", "misleading", "accurate"}
    for finding in report.findings:
        assert f"<code>{escape(finding.claim_id)}</code>" in page
        assert finding.verdict.upper() in page
        ids = [c.id for c in finding.citations]  # markers are numbered as the finding's list of sources
        assert escape(numbered(finding.explanation, ids)) in page and escape(numbered(finding.fda_status, ids)) in page
        assert escape(kb.claims[finding.claim_id].claim) in page
        for number, citation in enumerate(finding.citations, 1):
            url = link(citation.url, citation.doi)
            assert f'<a href="{escape(url)}" rel="noopener noreferrer">' in page
            assert f"[{number}] {escape(citation.title.rstrip('.'))}" in page
        if finding.verdict != "accurate" and finding.suggestion:
            assert escape(finding.suggestion) in page
    for notice in report.notices:
        assert escape(notice.message) in page and notice.code in page
    for number, path in enumerate(sorted(sources), 1):
        assert f'<h2 id="file-{number}-name">{escape(path)}</h2>' in page


def test_page_shows_each_files_text_exactly_with_every_finding_highlighted(corpus, page):
    report, _, sources = corpus
    parsed = Page(page)
    assert sorted(parsed.docs) == sorted(sources.values())  # files come worst first, not in path order
    texts = {text for _, text in parsed.highlights}
    for finding in report.findings:
        assert any(sources[finding.path][finding.start:finding.end] in text for text in texts)


def test_findings_sharing_a_sentence_make_one_highlight_that_lists_both(corpus, page):
    report, _, sources = corpus
    shared = [f for f in report.findings if f.claim_id in ("fda-approved", "no-side-effects")]
    assert len(shared) == 2 and shared[0].start == shared[1].start  # one sentence, two claims
    sentence = sources[shared[0].path][shared[0].start:shared[0].end]
    assert ("MISLEADING ×2", sentence) in Page(page).highlights
    assert len(Page(page).highlights) == len({(f.path, f.start) for f in report.findings})


def test_partly_overlapping_findings_merge_and_keep_every_verdict(kb):
    text = "Exosomes cure hair loss and are FDA approved."
    report = exocheck.check(text)
    unsupported = next(f for f in report.findings if f.verdict == "unsupported")
    # Two findings that overlap without sharing a start: one highlight covering both, both labels on it.
    misleading = dataclasses.replace(unsupported, verdict="misleading", claim_id="fda-approved",
                                     start=14, end=len(text))
    first = dataclasses.replace(unsupported, end=23)
    page = html_report.render(Report(findings=[first, misleading]), kb, {"<text>": text})
    assert Page(page).highlights == [("UNSUPPORTED · MISLEADING", text)]
    assert page.count('class="detail"') == 1 and page.count('class="finding ') == 2
    assert 'class="hl v-unsupported"' in page  # coloured by the most serious verdict


@pytest.mark.parametrize("files", [1, 3, 25])
def test_a_claims_details_are_written_once_however_many_findings_use_it(kb, files):
    text = "Exosomes cure hair loss.\n\nOur exosomes cure hair loss fast. Exosomes cure hair loss!\n"
    sources = {f"page-{i:02}.md": text for i in range(files)}
    report = Report(findings=[f for path, t in sources.items() for f in exocheck.check(t, path=path).findings])
    hair = [f for f in report.findings if f.claim_id == "hair-loss-treatment"]
    assert len(hair) == 3 * files
    page = html_report.render(report, kb, sources)
    ids = [c.id for c in hair[0].citations]
    anchor = f"claim-hair-loss-treatment--{hair[0].topic}"
    assert page.count(escape(numbered(hair[0].explanation, ids))) == 1
    assert page.count(escape(numbered(hair[0].fda_status, ids))) == 1
    assert page.count(f'id="{anchor}"') == 1
    assert page.count(f'<a class="why" href="#{anchor}">') == 3 * files  # every finding links to it
    parsed = Page(page)
    assert set(parsed.references) <= set(parsed.ids)


def test_a_finding_whose_details_differ_from_its_claims_gets_its_own_block(kb):
    text = "Exosomes cure hair loss. Exosomes regrow hair."
    report = exocheck.check(text)
    first, second = report.findings[:2]
    odd = dataclasses.replace(second, claim_id=first.claim_id, topic=first.topic, explanation="Another <why>.")
    page = html_report.render(Report(findings=[first, odd]), kb, {"<text>": text})
    assert "Another &lt;why&gt;." in page and page.count('<div class="claim ') == 2
    assert set(Page(page).references) <= set(Page(page).ids)


def test_markup_in_the_checked_text_paths_and_kb_stays_text(kb):
    text = "<script>alert(1)</script> Exosomes cure hair loss. <img src=x onerror=alert(2)>"
    path = '<b>"site" & co</b>.txt'
    report = exocheck.check(text, path=path)
    evil = dataclasses.replace(report.findings[0], citations=(
        Citation("X", "<i>Title</i>", "Pub", "2024", "javascript:alert(3)", ""),))
    page = html_report.render(Report(findings=[evil]), kb, {path: text})
    assert page.count("<script") == 1 and "<img" not in page and "<i>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and escape(path) in page
    assert 'href="javascript:' not in page and "javascript:alert(3)" in page  # shown, not a link
    assert Page(page).docs == [text]


def test_only_citation_links_leave_the_page_and_the_policy_allows_only_its_own_style_and_script(corpus, page):
    report, _, _ = corpus
    citations = {link(c.url, c.doi) for f in report.findings for c in f.citations}
    for attributes in Page(page).links:
        href = attributes["href"] or ""
        if not href.startswith("#"):
            assert href in citations and attributes.get("rel") == "noopener noreferrer"
    assert not re.search(r"\b(?:src|action|srcset)=", page)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL).group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.DOTALL).group(1)

    def digest(source: str) -> str:
        return base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")

    assert policy.startswith("default-src 'none';")
    assert f"style-src 'sha256-{digest(style)}'" in policy and f"script-src 'sha256-{digest(script)}'" in policy


def test_header_counts_by_verdict_and_topic_with_a_labelled_chart(corpus, page):
    report, _, _ = corpus
    svg = re.search(r"<svg .*?</svg>", page).group()
    assert 'role="img"' in svg and "<title" in svg
    for verdict in ("unsupported", "misleading", "accurate", "unverified"):
        n = sum(f.verdict == verdict for f in report.findings)
        assert f">{verdict}</text>" in svg and f"{n} {verdict}" in svg
    table = re.search(r"<table>.*?</table>", page).group()
    for topic in {f.topic for f in report.findings}:
        total = sum(f.topic == topic for f in report.findings)
        assert re.search(rf'<th scope="row">{re.escape(topic)}</th>(?:<td>\d+</td>){{4}}<td>{total}</td>', table)


def test_highlights_are_keyboard_reachable_links_to_their_details(page):
    parsed = Page(page)
    highlights = [a for a in parsed.links if "hl" in (a.get("class") or "").split()]
    assert highlights and len(highlights) == len(parsed.highlights)
    for a in highlights:
        assert a["href"] == "#" + a["aria-describedby"]  # without JavaScript the link jumps to the details
        assert a["aria-expanded"] == "false"


def test_page_is_deterministic_and_independent_of_the_order_of_sources(corpus, page):
    report, kb, sources = corpus
    assert html_report.render(report, kb, dict(reversed(list(sources.items())))) == page


def test_a_finding_without_its_source_text_is_an_error(corpus):
    report, kb, sources = corpus
    with pytest.raises(ValueError, match="clinic/hair.md"):
        html_report.render(report, kb, {p: t for p, t in sources.items() if p != "clinic/hair.md"})


# --- the compact page of a large report ---------------------------------------------------------------

DATA_BLOCK = re.compile(r'<script type="application/json" class="file-data">(.*?)</script>', re.DOTALL)


def _file_data(page: str) -> dict[str, dict]:
    """Each file's data block, by the section's id, parsed as the page's script does (JSON.parse)."""
    found = {}
    for section in re.finditer(r'<section class="file" id="(file-\d+)".*?</section>', page, re.DOTALL):
        blocks = DATA_BLOCK.findall(section.group())
        assert len(blocks) == 1
        assert "<" not in blocks[0] and ">" not in blocks[0] and "&" not in blocks[0]
        found[section.group(1)] = json.loads(blocks[0])
    return found


def _index(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page).group(1))


def test_a_compact_page_keeps_every_file_and_finding_in_its_data(corpus):
    report, kb, sources = corpus
    silenced = exocheck.check("Exosomes regrow hair.", path="notes.txt").findings[0]
    report = dataclasses.replace(report, hidden=[Hidden(silenced, "baselined", "<b>base</b>.json")])
    page = html_report.render(report, kb, sources, compact=True)
    parsed = Page(page)
    assert len(parsed.ids) == len(set(parsed.ids)) and set(parsed.references) <= set(parsed.ids)
    assert parsed.scripts == len(sources) + 2 and parsed.sources == 0  # data blocks, the index, the script
    assert 'class="hl' not in page and 'class="detail"' not in page and 'class="doc"' not in page
    assert html_report.GENERATOR in page
    data, index = _file_data(page), _index(page)
    claims, severities = index["claims"], index["severities"]
    for number, path in enumerate(sorted(sources), 1):
        file = data[f"file-{number}"]
        text = sources[path]
        assert "".join(file["doc"]) == safe.escape(text, keep="\t\n\r")  # all the copy, in order
        assert len(file["doc"]) == 2 * len(file["hl"]) + 1
        shown = []
        for mark, highlighted in zip(file["hl"], file["doc"][1::2]):
            line, column, *found = mark
            for claim, severity, failing in found:
                anchor, verdict, claim_id, topic, claim_text = claims[claim]
                assert f'id="{anchor}"' in page and claim_text == kb.claims[claim_id].claim
                shown.append((line, column, verdict, claim_id, topic, severities[severity], bool(failing),
                              highlighted))
        expected = []
        for group in expected_groups(report, path):
            first = group[0]
            span = sources[path][first.start:max(f.end for f in group)]
            expected += [(first.line, first.column, f.verdict, f.claim_id, f.topic, f.severity,
                          fails(f, "error"), safe.escape(span, keep="\t\n\r")) for f in group]
        assert shown == expected
        counts = {(claims[c][2], claims[c][3], severities[s]): n for c, s, n in index["counts"].get(str(number), [])}
        assert counts == dict(collections.Counter((f.claim_id, f.topic, f.severity)
                                                  for f in report.findings if f.path == path))
    # what stays HTML: every file's name and summary, its notices and the audit trail, and the claims
    for notice in report.notices:
        assert escape(notice.message) in page
    audit = re.search(r'<ul class="audit">.*?</ul>', page).group()
    assert "baselined: &lt;b&gt;base&lt;/b&gt;.json" in audit and "Exosomes regrow hair." in audit
    assert f'<a class="why" href="#claim-{silenced.claim_id}--{silenced.topic}">' in audit
    assert '<section id="claims"' in page


def expected_groups(report: Report, path: str) -> list[list]:
    """A file's findings as the page highlights them: findings whose spans overlap share one highlight."""
    groups: list[list] = []
    for finding in sorted((f for f in report.findings if f.path == path),
                          key=lambda f: (f.start, f.end, f.claim_id, f.topic)):
        if groups and finding.start < max(f.end for f in groups[-1]):
            groups[-1].append(finding)
        else:
            groups.append([finding])
    return groups


HOSTILE = ("Exosomes cure hair loss. </script><script>alert(1)</script> <!-- <script> x </SCRIPT > y"
           " & &amp; \u2028 \u2029 \x00 \x1b[31m \u202e \udcff ]]> Our exosome facial is FDA approved.\n")


def test_copy_cannot_break_out_of_a_compact_pages_data(kb):
    report = exocheck.check(HOSTILE, path="</script>.md")
    assert len(report.findings) >= 2
    page = html_report.render(report, kb, {"</script>.md": HOSTILE}, compact=True)
    page.encode("utf-8")  # writable as UTF-8: the lone surrogate is shown escaped, as the text formats do
    assert page.lower().count("<script") == page.lower().count("</script>") == 3
    assert "alert(1)" in page and "<script>alert" not in page
    file = _file_data(page)["file-1"]
    assert "".join(file["doc"]) == safe.escape(HOSTILE, keep="\t\n\r")
    assert "</script><script>alert(1)</script>" in "".join(file["doc"])  # the copy, exactly, as text


def test_a_page_is_compact_only_above_its_limits(kb, monkeypatch):
    text = "Exosomes cure hair loss. Our exosome facial is FDA approved.\n"
    sources = {f"p{i}.md": text for i in range(3)}
    report = Report(findings=[f for p, t in sources.items() for f in exocheck.check(t, path=p).findings])
    assert 'class="file-data"' not in html_report.render(report, kb, sources)
    monkeypatch.setattr(html_report, "FULL_FINDINGS", len(report.findings) - 1)
    assert 'class="file-data"' in html_report.render(report, kb, sources)
    monkeypatch.setattr(html_report, "FULL_FINDINGS", len(report.findings))
    assert 'class="file-data"' not in html_report.render(report, kb, sources)
    monkeypatch.setattr(html_report, "FULL_CHARACTERS", 3 * len(text) - 1)
    assert 'class="file-data"' in html_report.render(report, kb, sources)


def test_a_compact_page_written_as_it_comes_is_the_page_written_whole(corpus):
    report, kb, sources = corpus
    whole = html_report.render(report, kb, sources, compact=True)
    writer, stream = html_report.Writer(kb, sources.__getitem__, compact=True), io.StringIO()
    for path in sorted(sources):
        part = Report(findings=[f for f in report.findings if f.path == path],
                      notices=[n for n in report.notices if n.path == path],
                      hidden=[h for h in report.hidden if h.item.path == path])
        writer.part(part, also=[path])
    writer.finish(stream, report)
    assert stream.getvalue() == whole


# --- survey ------------------------------------------------------------------------------------------

SITES = {
    "a.txt": "Exosomes cure hair loss. Our exosome facial is FDA approved.",
    'b, "quoted".txt': "Exosomes regrow hair. Exosomes cure hair loss. There are no FDA-approved exosome products.",
    "c.txt": "We sell shoes.",
}


def _reports() -> list[Report]:
    checker = exocheck.checker_for()
    return [lint_text(checker, text, path, "text", set()) for path, text in SITES.items()]


def _identified() -> Report:
    """An empty report with the KB's identity, as a lint starts its combined report."""
    first = _reports()[0]
    return Report(kb_version=first.kb_version, kb_sha256=first.kb_sha256)


@pytest.fixture(scope="module")
def sites():
    return survey([_identified(), *_reports()], SITES)  # a lint's parts, as `exocheck survey` counts them


def test_survey_counts_per_file_and_overall(sites):
    assert sites.files == {
        "a.txt": {("general", "misleading"): 1, ("hair-loss", "unsupported"): 1},
        'b, "quoted".txt': {("general", "accurate"): 1, ("hair-loss", "unsupported"): 2},
        "c.txt": {},
    }
    assert sites.overall == {("general", "accurate"): 1, ("general", "misleading"): 1, ("hair-loss", "unsupported"): 3}
    assert sites.findings == 5 and sites.files_without_findings == ["c.txt"]
    assert [(c.claim_id, c.verdict, c.findings, c.files) for c in sites.claims] == [
        ("hair-loss-treatment", "unsupported", 3, 2), ("fda-approved", "misleading", 1, 1),
        ("no-fda-approved-products", "accurate", 1, 1),
    ]


def test_survey_csv_loads_into_one_row_per_file_topic_and_verdict(sites):
    rows = list(csv.DictReader(io.StringIO(render_csv(sites))))
    assert tuple(rows[0]) == CSV_COLUMNS == ("path", "topic", "verdict", "count")
    assert [tuple(r.values()) for r in rows] == [
        ("a.txt", "general", "misleading", "1"), ("a.txt", "hair-loss", "unsupported", "1"),
        ('b, "quoted".txt', "general", "accurate", "1"), ('b, "quoted".txt', "hair-loss", "unsupported", "2"),
        ("c.txt", "", "", "0"),  # a file without findings is still there
    ]
    assert sum(int(r["count"]) for r in rows) == sites.findings  # no total rows to count twice


def test_survey_json(sites):
    data = json.loads(render_json(sites))
    assert data["exocheck"]["version"] == exocheck.__version__
    assert data["summary"] == {"files": 3, "files_with_findings": 2, "files_naming_product": 2, "sentences": 6,
                               "findings": 5, "by_verdict": {"unsupported": 3, "misleading": 1, "accurate": 1},
                               "by_topic": {"general": 2, "hair-loss": 3}}
    assert data["overall"][0] == {"topic": "general", "verdict": "accurate", "count": 1}
    assert [f["path"] for f in data["files"]] == sorted(SITES)
    assert data["files"][0]["claim_ids"] == ["fda-approved", "hair-loss-treatment"]
    assert data["files"][2] == {"path": "c.txt", "domain": "", "sentences": 1, "names_product": False,
                                "findings": 0, "by_verdict": {}, "claim_ids": [], "counts": []}
    assert data["domains"] == [{"domain": "", "pages": 3, "pages_naming_product": 2, "pages_with_findings": 2,
                                "pages_with_violations": 2, "sentences": 6, "findings": 5, "unsupported": 3,
                                "misleading": 1, "accurate": 1, "unverified": 0}]
    assert data["claims"][0] == {"claim_id": "hair-loss-treatment", "verdict": "unsupported", "findings": 3, "files": 2}
    assert data["files_without_findings"] == ["c.txt"]


def test_survey_text_is_a_readable_table(sites):
    text = render_text(sites)
    assert text.startswith("Survey of 3 files: 5 findings in 2 files, 1 without findings.\n"
                           "6 sentences checked; 2 of the files name an exosome product.\n")
    lines = text.splitlines()
    header = lines.index("All files") + 1
    assert lines[header].split() == ["topic", "unsupported", "misleading", "accurate", "unverified", "total"]
    assert lines[header + 2].split() == ["hair-loss", "3", "0", "0", "0", "3"]
    assert lines[header + 3].split() == ["total", "3", "1", "1", "0", "5"]
    assert "      3 in 2 files   unsupported hair-loss-treatment" in lines
    assert lines[-2:] == ["Files without findings", "  c.txt"]


def test_survey_is_deterministic_whatever_the_order_of_reports_and_paths(sites):
    again = survey([_identified(), *reversed(_reports())], reversed(list(SITES)))
    as_they_come = survey(iter(_reports()), SITES)  # counted as they come, without being held
    for render in (render_csv, render_json, render_text):
        assert render(again) == render(sites) == render(as_they_come)
    combined = _identified()  # a combined report has the counts, but not whose sentences are whose
    for report in reversed(_reports()):
        combined.extend(report)
    assert render_csv(survey(combined, SITES)) == render_csv(sites)


def test_survey_includes_paths_of_findings_and_empty_surveys(sites):
    combined = Report()
    for report in _reports():
        combined.extend(report)
    assert list(survey(combined).files) == ["a.txt", 'b, "quoted".txt']  # no paths given: those with findings
    empty = survey(Report())
    assert render_csv(empty) == "path,topic,verdict,count\n"
    assert render_text(empty) == ("Survey of 0 files: 0 findings in 0 files, 0 without findings.\n"
                                  "0 sentences checked; 0 of the files name an exosome product.\n")
    assert json.loads(render_json(empty))["files"] == []
