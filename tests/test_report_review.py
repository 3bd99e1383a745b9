"""The HTML report for a reviewer with many pages (issue 14, section 5), read back by parsing the page the
command writes: severity and whether each finding fails the run, files worst first, suppressed and
baselined findings with their reasons, and the filter controls."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from exocheck.model import fails

from conftest import run_cli


class Node:
    """An element of the parsed page: its tag, attributes, children and text."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def all(self, tag: str = "", cls: str = "") -> list[Node]:
        """Every descendant with `tag` and class `cls` (either may be empty), in document order."""
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if (not tag or child.tag == tag) and (not cls or cls in child.classes()):
                    found.append(child)
                found += child.all(tag, cls)
        return found


class TreeBuilder(HTMLParser):
    VOID = frozenset({"meta", "br", "img", "input", "link", "hr", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#document", {}, None)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), self.node)
        self.node.children.append(node)
        if tag not in self.VOID:
            self.node = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.node.children.append(Node(tag, dict(attrs), self.node))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        assert self.node.tag == tag, f"</{tag}> closes <{self.node.tag}>"
        assert self.node.parent is not None
        self.node = self.node.parent

    def handle_data(self, data: str) -> None:
        self.node.children.append(data)


def parse(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    assert builder.node is builder.root, "an element was left open"
    return builder.root


REASON = "reviewed by legal <b>2026-03</b> & \u202eoverride"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Three pages: one with errors and a suppression, one whose only finding is baselined, one accurate."""
    site = tmp_path_factory.mktemp("site")
    (site / "b_hedged.md").write_text("Exosomes may help regrow hair.\n", encoding="utf-8")
    baseline = site.parent / f"{site.name}-baseline.json"
    written = run_cli("lint", str(site), "--write-baseline", str(baseline), "--no-config")
    assert written.returncode == 0, written.stderr
    (site / "a_accurate.md").write_text("There are no FDA-approved exosome products.\n", encoding="utf-8")
    (site / "c_claims.md").write_text(
        "Exosomes cure hair loss.\n\nOur exosome facial is FDA approved.\n\n"
        f"<!-- exocheck-disable-next-line -- {REASON} -->\nExosome IV drips cure Parkinson's disease.\n",
        encoding="utf-8")
    return site, baseline


@pytest.fixture(scope="module")
def review(site: tuple[Path, Path]) -> tuple[Node, dict, str]:
    folder, baseline = site
    out = folder.parent / f"{folder.name}-review.html"
    args = ("lint", str(folder), "--baseline", str(baseline), "--no-config")
    result = run_cli(*args, "--format", "html", "-o", str(out))
    assert result.returncode == 1, result.stderr
    report = json.loads(run_cli(*args, "--format", "json").stdout)
    page = out.read_text(encoding="utf-8")
    return parse(page), report, page


def _sections(root: Node) -> list[Node]:
    return root.all("section", "file")


def _name(section: Node) -> str:
    return Path(section.all("h2")[0].text()).name


def test_every_finding_shows_its_severity_and_whether_it_fails_the_run(review) -> None:
    root, report, _ = review
    shown = [f for s in _sections(root) for d in s.all("li", "detail") for f in d.all("div", "finding")]
    assert len(shown) == len(report["findings"])
    by_sentence = {f["sentence"]: f for f in report["findings"]}
    for node in shown:
        severity = node.attrs["data-severity"]
        assert node.all("span", "sev")[0].text() == severity
        assert node.attrs["data-verdict"] in node.text() .lower()
    expected_failing = [f for f in report["findings"] if fails(_finding(f), "error")]
    assert expected_failing and len(expected_failing) < len(report["findings"])  # the accurate one never fails
    failing = [n for n in shown if n.all("span", "fails")]
    assert len(failing) == len(expected_failing)
    assert all(n.attrs["data-verdict"] != "accurate" and n.attrs["data-severity"] == "error" for n in failing)
    assert by_sentence  # the JSON report has the same findings the page shows


def _finding(data: dict):
    class Item:
        verdict, severity = data["verdict"], data["severity"]
    return Item()


def test_summary_counts_severities_and_what_fails_the_run(review) -> None:
    root, report, _ = review
    header = root.all("header")[0]
    failing = sum(fails(_finding(f), "error") for f in report["findings"])
    assert header.all("strong", "failing")[0].text() == f"{failing} fail the run"
    meta = " ".join(p.text() for p in header.all("p", "meta"))
    assert "at --fail-on error" in meta and "accurate findings never fail" in meta
    for severity in ("error", "info"):
        count = sum(f["severity"] == severity for f in report["findings"])
        assert f"{count} {severity}" in meta
    assert "1 suppressed, 1 baselined" in meta


def test_files_come_worst_first_in_the_page_and_the_file_list(review) -> None:
    root, _, _ = review
    order = ["c_claims.md", "a_accurate.md", "b_hedged.md"]
    assert [_name(s) for s in _sections(root)] == order
    assert [Path(a.text()).name for a in root.all("nav")[0].all("a")] == order
    # ids still follow path order, so links keep pointing at the right file
    assert [s.attrs["id"] for s in _sections(root)] == ["file-3", "file-1", "file-2"]


def test_suppressed_and_baselined_findings_are_listed_with_their_reasons(review, site) -> None:
    root, report, page = review
    sections = {_name(s): s for s in _sections(root)}
    suppressed = sections["c_claims.md"].all("li", "audit-finding")
    assert len(suppressed) == 1
    text = suppressed[0].text()
    assert "suppressed: exocheck-disable-next-line on line 5: reviewed by legal <b>2026-03</b> & \\u202eoverride" \
        in text  # the reason is copy: escaped, its markup shown as text and its bidi override as an escape
    assert "\u202e" not in page and "<b>2026" not in page
    assert "Parkinson" in suppressed[0].all("blockquote")[0].text()
    assert not any("Parkinson" in f["sentence"] for f in report["findings"])
    baselined = sections["b_hedged.md"].all("li", "audit-finding")
    assert len(baselined) == 1
    assert f"baselined: {site[1]}" in baselined[0].text()
    assert "regrow hair" in baselined[0].all("blockquote")[0].text()
    assert not sections["b_hedged.md"].all("li", "detail")  # hidden findings are not highlighted


def test_filters_are_there_for_the_script_with_every_verdict_severity_and_topic(review) -> None:
    root, report, _ = review
    filters = root.all("div", "filters")[0]
    assert "hidden" in filters.attrs  # shown by the script only: without it they could not work
    options = {s.attrs["name"]: [o.attrs["value"] for o in s.all("option")] for s in filters.all("select")}
    assert options["verdict"] == ["", "unsupported", "misleading", "accurate", "unverified"]
    assert options["severity"] == ["", "error", "warning", "info"]
    assert options["topic"] == ["", *sorted({f["topic"] for f in report["findings"]})]
    assert root.all("span") and any(n.attrs.get("id") == "filter-status" for n in filters.all("span"))


def test_findings_of_a_disabled_claim_id_are_listed_with_the_suppressed_and_baselined(site) -> None:
    folder, baseline = site
    out = folder.parent / f"{folder.name}-disabled.html"
    args = ("lint", str(folder), "--baseline", str(baseline), "--no-config", "--disable", "hair-loss-treatment")
    result = run_cli(*args, "--format", "html", "-o", str(out))
    assert result.returncode == 1, result.stderr
    reported = json.loads(run_cli(*args, "--format", "json").stdout)["findings"]
    assert not any(f["claim_id"] == "hair-loss-treatment" for f in reported)  # still not reported
    root = parse(out.read_text(encoding="utf-8"))
    sections = {_name(s): s for s in _sections(root)}
    audit = sections["c_claims.md"].all("li", "audit-finding")
    disabled = [item for item in audit if "disabled:" in item.text()]
    assert len(disabled) == 1 and len(audit) == 2  # and the suppressed one
    assert "disabled: --disable or the configuration's disable names hair-loss-treatment" in disabled[0].text()
    assert "Exosomes cure hair loss." in disabled[0].all("blockquote")[0].text()
    assert disabled[0].all("div", "finding")[0].attrs["data-verdict"] == "unsupported"  # the filters reach it
    assert not any("hair loss" in d.text() for d in sections["c_claims.md"].all("li", "detail"))
    meta = " ".join(p.text() for p in root.all("header")[0].all("p", "meta"))
    # the baselined page's hedged hair claim is that claim id too: disabled before the baseline is applied
    assert "Hidden: 1 suppressed, 2 disabled," in meta
    assert "disabled:" in sections["b_hedged.md"].all("li", "audit-finding")[0].text()
