"""`--format html`: one self-contained page showing the checked text with every finding highlighted.

A compliance reviewer reads the page as it was written, not a list of line numbers. Each highlight has
its verdict's colour, underline style and a text label; its details (verdict, why, FDA status, numbered
citations, suggestion) are listed under the text, so they are there without JavaScript, and a little
inline script shows them next to the highlight on click, Enter, Space or focus (Escape closes). Nothing
is loaded from the network: a Content-Security-Policy allows only this page's own style and script.

For a reviewer with many pages: every finding shows its severity and whether it fails the run (at the run's
--fail-on), the summary counts both, files come worst first, what suppressions, a baseline and disabled claim
ids hid is listed with its reason (the audit trail), and the same script filters the page by verdict, severity
and topic.

A large report (more than `FULL_FINDINGS` findings or `FULL_CHARACTERS` characters of copy) is written
compact, so a 1,000-page lint opens in about a second (docs/benchmarks.md): the summary, the file list, every
file's summary and notices, the audit trail and the claims section stay HTML, but each file's copy and
findings are one JSON block (`<script type="application/json" class="file-data">`, never run) that the script
turns into the very same highlighted text and list of findings when the reader opens the file (a `<details>`
element), with `textContent` only. The filters count from a small index of each file's findings per claim and
severity instead of walking every finding. Without JavaScript such a report shows its summary and audit trail
and says why the text is missing; a smaller report needs no script to be read.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape
from typing import IO

from ..kb import VERDICTS, KnowledgeBase
from ..model import SEVERITIES, Citation, Finding, Hidden, Notice, Report, fails
from ..output import OWN_REPORT_MARK
from ..survey import Cell, by_topic, by_verdict
from ..version import __version__
from . import safe
from .common import SpooledWriter, link, numbered, plural

# Up to these (summed over every file) the page is written whole, readable without JavaScript; above
# either it is written compact and each file is drawn when opened (see the module's docstring).
FULL_FINDINGS = 2_000
FULL_CHARACTERS = 1_000_000

# Which verdict colours a highlight that covers several findings: the most serious one.
PRIORITY = ("unsupported", "misleading", "unverified", "accurate")
# (strong, tint) per verdict: white on strong and text on tint are both above 5.5:1 contrast (WCAG AA).
COLOURS = {"unsupported": ("#a8001c", "#fde4e7"), "misleading": ("#8a4500", "#fdebd3"),
           "accurate": ("#1d6b2b", "#dff1e1"), "unverified": ("#6a2c91", "#efe3f6")}
# Each verdict underlines in its own style too, so highlights differ without colour.
UNDERLINES = {"unsupported": "solid", "misleading": "dashed", "accurate": "double", "unverified": "dotted"}

CSS = """
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
header,main{max-width:64rem;margin:0 auto;padding:0 1rem}
h1{margin:1rem 0 .25rem;font-size:1.6rem}
h2{font-size:1.2rem;margin:1.25rem 0 .5rem}
h3{font-size:1rem;margin:1rem 0 .5rem}
.meta,.help{margin:.25rem 0;color:#444}
.help{margin-top:1rem}
nav ul{margin:.25rem 0;padding-left:1.25rem}
.summary{display:flex;flex-wrap:wrap;gap:1rem 2rem;align-items:flex-start}
table{border-collapse:collapse;background:#fff}
th,td{border:1px solid #c8ccd2;padding:.15rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}
.chart text{font:13px system-ui,sans-serif;fill:#1a1a1a}
.file{background:#fff;border:1px solid #c8ccd2;border-radius:6px;margin:1.5rem 0;padding:0 1rem 1rem}
.file>h2{font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.doc{position:relative;white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #dde0e4;
  border-radius:4px;padding:.75rem 1rem;background:#fcfcfd}
.hl{color:inherit;text-decoration:none;border-bottom:3px solid;padding:0 2px;cursor:pointer}
.hl:focus-visible,.hl[aria-expanded=true]{outline:3px solid #1a4fd6;outline-offset:1px}
.tag{display:inline-block;font:700 11px/1.5 system-ui,sans-serif;letter-spacing:.03em;color:#fff;
  border-radius:3px;padding:0 4px;margin-right:3px;vertical-align:1px;user-select:none;white-space:nowrap}
.hl{background:var(--t);border-bottom-color:var(--c)}
.tag{background:var(--c)}
.details{padding-left:1.25rem}
.detail{margin:.75rem 0}
.detail:target{outline:3px solid #1a4fd6;outline-offset:4px}
.finding{border-left:5px solid var(--c);padding:.1rem 0 .1rem .75rem;margin:.5rem 0}
.finding p{margin:.2rem 0}
.claim{background:#fff;border:1px solid #c8ccd2;border-left:5px solid var(--c);border-radius:4px;
  padding:.1rem .75rem .5rem;margin:.75rem 0}
.claim:target{outline:3px solid #1a4fd6;outline-offset:2px}
.claim dl{margin:.25rem 0;display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem}
.claim dt{font-weight:700}.claim dd{margin:0}
.cites{list-style:none;padding:0;margin:0}
.cites a{overflow-wrap:anywhere}
a{color:#0b4bb3}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
.notices li{margin:.2rem 0}
.pop{position:absolute;z-index:10;width:min(36rem,calc(100% - 2rem));max-height:60vh;overflow:auto;
  white-space:normal;background:#fff;border:1px solid #555;border-radius:6px;padding:.25rem .9rem .6rem;
  box-shadow:0 6px 24px rgba(0,0,0,.25)}
.pop .close{float:right;margin:.4rem 0 .25rem .5rem;font:inherit;font-size:.85rem}
[hidden]{display:none!important}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center;margin:.75rem 0}
.filters select{font:inherit}
.sev{font-weight:700}
.fails{font-weight:700;color:#a8001c}
.hl.dim{background:none;border-bottom-color:#8a8f98;border-bottom-style:dotted}
.hl.dim .tag{background:#6b7078}
.audit li{margin:.75rem 0}
.lazy>summary{cursor:pointer;font-weight:700;margin:.5rem 0}
.nojs{color:#444}
""" + "".join(f".v-{v}{{--c:{strong};--t:{tint}}}.hl.v-{v}{{border-bottom-style:{UNDERLINES[v]}}}\n"
              for v, (strong, tint) in COLOURS.items())

# Shows a highlight's details (copied from its entry in the list under the text, each finding followed by
# its claim's block from the claims section) right below it.
SCRIPT = """
(function () {
  "use strict";
  var open = null, quiet = false;
  function close(refocus) {
    if (!open) return;
    var mark = open.mark;
    open.pop.remove();
    mark.setAttribute("aria-expanded", "false");
    open = null;
    if (refocus) { quiet = true; mark.focus(); quiet = false; }
  }
  function show(mark) {
    if (open && open.mark === mark) return;
    close(false);
    var details = document.getElementById(mark.getAttribute("aria-describedby"));
    var pop = document.createElement("div");
    pop.className = "pop";
    pop.setAttribute("role", "group");
    pop.setAttribute("aria-label", "Details");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "close";
    button.textContent = "Close (Esc)";
    pop.appendChild(button);
    details.querySelectorAll(".finding").forEach(function (f) {
      pop.appendChild(f.cloneNode(true));
      var why = f.querySelector("a.why");
      var claim = why && document.getElementById(why.getAttribute("href").slice(1));
      if (claim) {
        claim = claim.cloneNode(true);
        claim.removeAttribute("id");
        pop.appendChild(claim);
      }
    });
    mark.after(pop);
    mark.setAttribute("aria-expanded", "true");
    var doc = mark.closest(".doc"), box = doc.getBoundingClientRect();
    var rects = mark.getClientRects(), last = rects[rects.length - 1];
    pop.style.top = (last.bottom - box.top - doc.clientTop + 6) + "px";
    pop.style.left = Math.max(0, Math.min(last.left - box.left - doc.clientLeft,
                                          doc.clientWidth - pop.offsetWidth)) + "px";
    open = {mark: mark, pop: pop};
  }
  document.addEventListener("focusin", function (e) {
    var mark = e.target.closest && e.target.closest(".hl");
    if (mark) { if (!quiet) show(mark); }
    else if (open && !open.pop.contains(e.target)) close(false);
  });
  document.addEventListener("click", function (e) {
    var mark = e.target.closest(".hl");
    if (mark) { e.preventDefault(); show(mark); return; }
    if (open && e.target.closest(".close")) close(true);
    else if (open && !open.pop.contains(e.target)) close(false);
  });
  // A compact page (a large report): each file's text and findings are JSON in the file's section, drawn
  // as the same elements a whole page has when the reader opens the file; only text nodes carry copy.
  var indexBlock = document.getElementById("report-data"), index = null;
  function data() {
    if (!index && indexBlock) index = JSON.parse(indexBlock.textContent);
    return index;
  }
  var PRIORITY = """ + json.dumps(PRIORITY) + """;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var part = arguments[i];
      if (typeof part === "string") { if (part) parent.appendChild(document.createTextNode(part)); }
      else parent.appendChild(part);
    }
    return parent;
  }
  function label(verdicts) {
    return PRIORITY.filter(function (v) { return verdicts.indexOf(v) >= 0; }).map(function (v) {
      var n = verdicts.filter(function (w) { return w === v; }).length;
      return v.toUpperCase() + (n > 1 ? " \u00d7" + n : "");
    }).join(" \u00b7 ");
  }
  function finding(f, idx) {
    var claim = idx.claims[f[0]], verdict = claim[1], severity = idx.severities[f[1]];
    var div = el("div", "finding v-" + verdict);
    div.dataset.verdict = verdict;
    div.dataset.severity = severity;
    div.dataset.topic = claim[3];
    var head = add(el("p"), el("span", "tag", verdict.toUpperCase()), " severity ", el("span", "sev", severity));
    if (f[2]) add(head, " ", el("span", "fails", "fails the run"));
    add(head, " ", el("code", "", claim[2]), " \u00b7 topic " + claim[3]);
    var why = el("a", "why", "Why, FDA status and sources");
    why.setAttribute("href", "#" + claim[0]);
    return add(div, head, add(el("p"), claim[4] + " ", why));
  }
  function draw(section) {
    var block = section.querySelector("script.file-data");
    if (!block) return false;
    var idx = data(), file = JSON.parse(block.textContent), n = section.id.slice(5);
    block.remove();
    var doc = add(el("div", "doc"), file.doc[0]), list = el("ol", "details");
    file.hl.forEach(function (h, i) {
      var hid = n + "-" + (i + 1), found = h.slice(2);
      var verdicts = found.map(function (f) { return idx.claims[f[0]][1]; });
      var mark = el("a", "hl v-" + PRIORITY.filter(function (v) { return verdicts.indexOf(v) >= 0; })[0]);
      mark.id = "h" + hid;
      mark.setAttribute("href", "#d" + hid);
      mark.setAttribute("aria-describedby", "d" + hid);
      mark.setAttribute("aria-expanded", "false");
      add(doc, add(mark, el("span", "tag", label(verdicts)), file.doc[2 * i + 1]), file.doc[2 * i + 2]);
      var item = el("li", "detail"), back = el("a", "", "Line " + h[0] + ", column " + h[1]);
      item.id = "d" + hid;
      back.setAttribute("href", "#h" + hid);
      add(item, add(el("p"), back));
      found.forEach(function (f) { item.appendChild(finding(f, idx)); });
      list.appendChild(item);
    });
    var box = section.querySelector("details.lazy");
    box.querySelectorAll(".nojs").forEach(function (note) { note.remove(); });
    add(box, doc);
    if (file.hl.length) add(box, el("h3", "", "Findings"), list);
    return true;
  }
  function reveal() {
    var m = /^#(?:file-|h|d)([0-9]+)(?:-[0-9]+)?$/.exec(location.hash);
    var section = m && document.getElementById("file-" + m[1]);
    var box = section && section.querySelector("details.lazy");
    if (!box) return;
    box.open = true;
    if (draw(section)) filter();
    var target = document.getElementById(location.hash.slice(1));
    if (target) target.scrollIntoView();
  }
  document.addEventListener("toggle", function (e) {
    var box = e.target;
    if (box.open && box.classList && box.classList.contains("lazy") && draw(box.closest("section.file"))) filter();
  }, true);
  window.addEventListener("hashchange", reveal);
  // Filters: a finding is shown when it matches every chosen value; a list item, a highlight and a file
  // whose findings are all filtered out are hidden (a highlight is greyed, so the text still reads). On a
  // compact page a file's findings are counted from the index, drawn or not.
  var filters = document.querySelector(".filters");
  function filter() {
    if (!filters) return;
    close(false);
    var chosen = {}, idx = data();
    filters.querySelectorAll("select").forEach(function (s) { if (s.value) chosen[s.name] = s.value; });
    var active = Object.keys(chosen).length > 0, shown = 0;
    document.querySelectorAll(".finding").forEach(function (f) {
      var match = Object.keys(chosen).every(function (k) { return f.dataset[k] === chosen[k]; });
      f.hidden = !match;
      if (match && !idx && !f.closest(".audit")) shown++;
    });
    document.querySelectorAll(".detail, .audit-finding").forEach(function (item) {
      item.hidden = !item.querySelector(".finding:not([hidden])");
    });
    document.querySelectorAll(".hl").forEach(function (mark) {
      mark.classList.toggle("dim", document.getElementById(mark.getAttribute("aria-describedby")).hidden);
    });
    var entries = {};
    document.querySelectorAll("nav li > a").forEach(function (a) { entries[a.getAttribute("href")] = a.parentNode; });
    document.querySelectorAll("section.file").forEach(function (file) {
      var visible;
      if (idx) {
        var count = 0;
        (idx.counts[file.id.slice(5)] || []).forEach(function (c) {
          var claim = idx.claims[c[0]];
          if ((!chosen.verdict || claim[1] === chosen.verdict) && (!chosen.topic || claim[3] === chosen.topic)
              && (!chosen.severity || idx.severities[c[1]] === chosen.severity)) count += c[2];
        });
        shown += count;
        visible = count > 0 || !!file.querySelector(".audit .finding:not([hidden])");
      } else {
        visible = !!file.querySelector(".finding:not([hidden])");
      }
      file.hidden = active && !visible;
      var entry = entries["#" + file.id];
      if (entry) entry.hidden = file.hidden;
    });
    document.getElementById("filter-status").textContent =
      active ? shown + (shown === 1 ? " finding matches" : " findings match") : "";
  }
  if (filters) {
    filters.hidden = false;
    filters.addEventListener("change", filter);
  }
  reveal();
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && open) { e.preventDefault(); close(true); }
    else if (e.key === " " && e.target.classList && e.target.classList.contains("hl")) {
      e.preventDefault();
      show(e.target);
    }
  });
})();
"""


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


# Marks a page as exocheck's own report, so a run writing it again in a linted folder may replace it.
GENERATOR = OWN_REPORT_MARK.decode()
CSP = (f"default-src 'none'; style-src {_csp_hash(CSS)}; script-src {_csp_hash(SCRIPT)}; "
       "base-uri 'none'; form-action 'none'")


@dataclass
class _Highlight:
    """One highlighted span: findings whose spans share or overlap characters are shown together."""

    start: int
    end: int
    findings: list[Finding] = field(default_factory=list)


def _label(verdicts: list[str]) -> str:
    """"MISLEADING ×2", "UNSUPPORTED · MISLEADING": every verdict a highlight has, most serious first."""
    return " · ".join(v.upper() + (f" ×{verdicts.count(v)}" if verdicts.count(v) > 1 else "")
                      for v in sorted(set(verdicts), key=PRIORITY.index))


def _highlights(findings: list[Finding]) -> list[_Highlight]:
    merged: list[_Highlight] = []
    for finding in sorted(findings, key=lambda f: (f.start, f.end, f.claim_id, f.topic)):
        if merged and finding.start < merged[-1].end:
            merged[-1].end = max(merged[-1].end, finding.end)
        else:
            merged.append(_Highlight(finding.start, finding.end))
        merged[-1].findings.append(finding)
    return merged


def _counts_phrase(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {verdict}" for verdict, n in counts.items())


def _chart(counts: dict[str, int]) -> str:
    """Horizontal bars per verdict, each with its name and count as text, so colour is never needed."""
    top = max(counts.values(), default=0) or 1
    row, label_width, bar_width = 26, 90, 180
    width, height = label_width + bar_width + 40, row * len(VERDICTS) + 4
    parts = [f'<svg class="chart" role="img" aria-labelledby="chart-title" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">',
             f'<title id="chart-title">Findings by verdict: '
             f'{escape(", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS))}</title>']
    for i, verdict in enumerate(VERDICTS):
        n, y = counts.get(verdict, 0), i * row + 4
        bar = round(bar_width * n / top)
        parts.append(f'<text x="0" y="{y + 14}">{verdict}</text>'
                     f'<rect x="{label_width}" y="{y}" width="{bar}" height="18" fill="{COLOURS[verdict][0]}"/>'
                     f'<text x="{label_width + bar + 6}" y="{y + 14}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _topic_table(counts: dict[tuple[str, str], int]) -> str:
    head = "".join(f'<th scope="col">{v}</th>' for v in VERDICTS)
    rows = "".join(
        f'<tr><th scope="row">{escape(topic)}</th>'
        + "".join(f"<td>{counts.get((topic, v), 0)}</td>" for v in VERDICTS) + f"<td>{n}</td></tr>"
        for topic, n in by_topic(counts).items()
    )
    return (f'<table><thead><tr><th scope="col">topic</th>'
            f'{head}<th scope="col">total</th></tr></thead><tbody>{rows}</tbody></table>')


def _citation(number: int, citation: Citation) -> str:
    """"[1] Title. Publisher, date. link", numbered per finding as in the text format."""
    url = link(citation.url, citation.doi)
    parts = [f"[{number}] {escape(citation.title.rstrip('.'))}."]
    details = ", ".join(escape(p) for p in (citation.publisher, citation.date) if p)
    if details:  # a source may have neither (a record whose journal is not known)
        parts.append(details + ".")
    if url.startswith(("https://", "http://")):  # a KB overlay must not smuggle in a javascript: link
        parts.append(f'<a href="{escape(url)}" rel="noopener noreferrer">{escape(url)}</a>')
    elif url:
        parts.append(escape(url))
    return f"<li>{' '.join(parts)}</li>"


def _details(finding: Finding) -> tuple:
    """What a claim's block shows: the same for every finding of a claim and topic (see `_Claims`)."""
    return (finding.verdict, finding.explanation, finding.fda_status, finding.evidence_level, finding.citations,
            finding.suggestion)


def _anchor_part(text: str) -> str:
    """A claim id or topic as it goes in an element id: letters, digits, - _ . as they are, anything else
    as _hex_ (so an overlay's id cannot break the attribute or the link)."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else f"_{ord(ch):x}_" for ch in text)


class _Claims:
    """Each claim's details (why, FDA status, evidence, sources, suggestion) once per page: findings link to
    its block by anchor. Only the claims (× topic) findings used are kept, so this is bounded by the
    knowledge base, not by the number of findings."""

    def __init__(self) -> None:
        self.blocks: dict[str, tuple[tuple, Finding]] = {}  # anchor: (details, first finding with them)
        self.numbers: dict[str, int] = {}  # anchor: its number, in the order claims were first used
        self.anchors: list[str] = []  # by number

    def anchor(self, finding: Finding) -> str:
        base = anchor = f"claim-{_anchor_part(finding.claim_id)}--{_anchor_part(finding.topic)}"
        details, n = _details(finding), 1
        while anchor in self.blocks and self.blocks[anchor][0] != details:  # a hand-made finding's own text
            n += 1
            anchor = f"{base}--{n}"
        if anchor not in self.blocks:
            self.blocks[anchor] = (details, finding)
            self.numbers[anchor] = len(self.anchors)
            self.anchors.append(anchor)
        return anchor

    def number(self, finding: Finding) -> int:
        """The claim's number, by which a compact page's data names it (see `table`)."""
        return self.numbers[self.anchor(finding)]

    def finding(self, number: int) -> tuple[str, Finding]:
        """The anchor of claim `number` and the first finding of it."""
        anchor = self.anchors[number]
        return anchor, self.blocks[anchor][1]

    def table(self, kb: KnowledgeBase) -> list[list[str]]:
        """Per number: [anchor, verdict, claim id, topic, claim]: what a drawn finding shows of its claim."""
        return [[anchor, f.verdict, f.claim_id, f.topic, kb.claims[f.claim_id].claim]
                for anchor, f in map(self.finding, range(len(self.anchors)))]

    def section(self, kb: KnowledgeBase) -> str:
        if not self.blocks:
            return ""
        items = "".join(_claim_block(anchor, finding, kb) for anchor, (_, finding) in sorted(self.blocks.items()))
        return (f'<section id="claims" aria-labelledby="claims-title"><h2 id="claims-title">Claims: why, FDA '
                f'status and sources</h2><p class="meta">Each claim\'s details, once; every finding links here.'
                f"</p>{items}</section>")


def _claim_block(anchor: str, finding: Finding, kb: KnowledgeBase) -> str:
    cites = "".join(_citation(i, c) for i, c in enumerate(finding.citations, 1))
    ids = [c.id for c in finding.citations]
    rows = [("Why", escape(numbered(finding.explanation, ids))), ("FDA status", escape(numbered(finding.fda_status, ids))),
            ("Evidence", escape(finding.evidence_level))]
    if cites:
        rows.append(("Sources", f'<ol class="cites">{cites}</ol>'))
    if finding.suggestion and finding.verdict != "accurate":
        rows.append(("Instead, say", escape(finding.suggestion)))
    claim = kb.claims[finding.claim_id].claim
    return (f'<div class="claim v-{finding.verdict}" id="{anchor}"><h3><span class="tag">{finding.verdict.upper()}'
            f'</span> <code>{escape(finding.claim_id)}</code> · topic {escape(finding.topic)}</h3>'
            f'<p>{escape(claim)}</p><dl>{"".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)}</dl></div>')


def _finding(finding: Finding, kb: KnowledgeBase, failing: bool, claims: _Claims) -> str:
    return _finding_html(claims.anchor(finding), finding, kb, finding.severity, failing)


def _finding_html(anchor: str, claim: Finding, kb: KnowledgeBase, severity: str, failing: bool) -> str:
    """A finding of the claim whose block is `anchor` (`claim`: a finding with its verdict, id and topic); a
    compact page's script draws the same elements (see SCRIPT)."""
    fails_note = ' <span class="fails">fails the run</span>' if failing else ""
    return (f'<div class="finding v-{claim.verdict}" data-verdict="{claim.verdict}" '
            f'data-severity="{escape(severity)}" data-topic="{escape(claim.topic)}">'
            f'<p><span class="tag">{claim.verdict.upper()}</span> severity <span class="sev">'
            f'{escape(severity)}</span>{fails_note} <code>{escape(claim.claim_id)}</code> · '
            f'topic {escape(claim.topic)}</p>'
            f'<p>{escape(kb.claims[claim.claim_id].claim)} <a class="why" href="#{anchor}">Why, FDA status and '
            f"sources</a></p></div>")


def _copy(text: str) -> str:
    """A piece of the checked text, its layout kept and its controls and bidirectional marks shown as the
    text formats show them (`safe.escape`): a reviewer sees what is hidden in the copy, not its effect."""
    return escape(safe.escape(text, keep="\t\n\r"))


def _name(path: str) -> str:
    """A file name or notice as the text formats show it."""
    return escape(safe.escape(path))


def _notices(notices: list[Notice]) -> str:
    if not notices:
        return ""
    items = "".join(f"<li>line {n.line}, column {n.column}: {escape(n.severity)} [{escape(n.code)}] "
                    f"{_name(n.message)}</li>" for n in notices)
    return f'<h3>Notices</h3><ul class="notices">{items}</ul>'


def _audit(hidden: list[Hidden], kb: KnowledgeBase, claims: _Claims) -> str:
    """What suppressions and the baseline hid, each with its reason: a silenced finding is shown with its
    sentence (it has no highlight) and stays reachable by the filters."""
    if not hidden:
        return ""
    items = []
    for entry in hidden:
        why = f"{entry.how}: {_name(entry.reason)}"
        item = entry.item
        if isinstance(item, Finding):
            items.append(f'<li class="audit-finding"><p>Line {item.line}, column {item.column}, {why}</p>'
                         f"<blockquote>{_copy(item.sentence)}</blockquote>{_finding(item, kb, False, claims)}</li>")
        else:
            items.append(f"<li><p>line {item.line}, column {item.column}: {escape(item.severity)} "
                         f"[{escape(item.code)}] {_name(item.message)}; {why}</p></li>")
    return f'<h3>Suppressed and baselined</h3><ul class="audit">{"".join(items)}</ul>'


@dataclass
class _File:
    """What the summary and the order of the files need of one file, kept once its section is spooled."""

    number: int  # in path order: the section's ids
    counts: dict[Cell, int]  # findings per (topic, verdict)
    severities: Counter[str]
    failing: int  # findings and notices that fail the run
    hidden: Counter[str]  # suppressed and baselined findings and notices
    characters: int = 0  # of its copy
    by_claim: list[list[int]] = field(default_factory=list)  # [claim number, severity number, findings]
    start: int = 0  # where its parts are in the spool (a text file's tell() cookie)
    lengths: tuple[int, int, int] = (0, 0, 0)  # of its head, audit trail and data, in characters

    def rank(self) -> tuple[int, ...]:
        """Worst first: the most findings failing the run, then the most errors, warnings, infos."""
        return (-self.failing, *(-self.severities[s] for s in SEVERITIES), self.number)

    def summary(self) -> str:
        """"3 findings: 1 unsupported, 2 misleading; 2 error, 1 info; 1 fails the run; 1 suppressed"."""
        total = sum(self.counts.values())
        parts = [f"{plural(total, 'finding')}: {_counts_phrase(by_verdict(self.counts))}" if total
                 else "no findings"]
        if total:
            parts.append(_severity_phrase(self.severities))
        if self.failing:
            parts.append(f"{self.failing} {'fails' if self.failing == 1 else 'fail'} the run")
        if self.hidden:
            parts.append(_counts_phrase(dict(sorted(self.hidden.items(), reverse=True))))
        return "; ".join(parts)


def _severity_phrase(severities: Counter[str]) -> str:
    return ", ".join(f"{severities[s]} {s}" for s in SEVERITIES if severities[s])


def _data(text: str, highlights: list[_Highlight], finding: Callable[[Finding], list[int]]) -> dict:
    """A file's copy and findings as data: `doc` is the copy cut at the highlights (shown as the text formats
    show it, `safe.escape`; text, not markup), a piece before each highlight, the highlight's own text, ...
    and the piece after the last; `hl` has per highlight [line, column, finding, finding, ...] of its first
    finding, each finding as `finding` gives it ([claim number, severity number, 1 if it fails the run])."""
    doc, marks, cursor = [], [], 0
    for highlight in highlights:
        doc += [safe.escape(text[cursor:highlight.start], keep="\t\n\r"),
                safe.escape(text[highlight.start:highlight.end], keep="\t\n\r")]
        first = highlight.findings[0]
        marks.append([first.line, first.column, *map(finding, highlight.findings)])
        cursor = highlight.end
    doc.append(safe.escape(text[cursor:], keep="\t\n\r"))
    return {"doc": doc, "hl": marks}


def _json(value: object) -> str:
    """JSON that can sit in a `<script type="application/json">` block: no `<`, `>` or `&` at all (as \\u
    escapes), so no `</script>` or `<!--` in copy can end or change the block; valid UTF-8 (`safe.json_text`)."""
    dumped = safe.json_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return dumped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _drawn(number: int, data: dict, claims: _Claims, kb: KnowledgeBase, severities: list[str]) -> str:
    """The copy with its highlights and the list of findings, as HTML: what the script draws from `data`."""
    doc, parts, items = data["doc"], [escape(data["doc"][0])], []
    for i, (line, column, *found) in enumerate(data["hl"], 1):
        hid = f"{number}-{i}"
        shown = [(*claims.finding(c), severities[s], bool(failing)) for c, s, failing in found]
        verdicts = [f.verdict for _, f, _, _ in shown]
        parts.append(f'<a class="hl v-{min(verdicts, key=PRIORITY.index)}" id="h{hid}" href="#d{hid}" '
                     f'aria-describedby="d{hid}" aria-expanded="false"><span class="tag">{escape(_label(verdicts))}'
                     f"</span>{escape(doc[2 * i - 1])}</a>{escape(doc[2 * i])}")
        items.append(f'<li class="detail" id="d{hid}"><p><a href="#h{hid}">Line {line}, column {column}</a></p>'
                     f'{"".join(_finding_html(a, f, kb, sev, failing) for a, f, sev, failing in shown)}</li>')
    findings_list = f'<h3>Findings</h3><ol class="details">{"".join(items)}</ol>' if items else ""
    return f'<div class="doc">{"".join(parts)}</div>{findings_list}'


def _head(file: _File, path: str, notices: list[Notice]) -> str:
    number, summary = file.number, file.summary()
    return (f'<h2 id="file-{number}-name">{_name(path)}</h2><p>{summary[0].upper() + summary[1:]}.</p>'
            f"{_notices(notices)}")


def _section(file: _File, head: str, audit: str, data: str, compact: bool, claims: _Claims, kb: KnowledgeBase,
             severities: list[str]) -> str:
    """A file's section: on a compact page, its copy and findings stay data for the script to draw."""
    number = file.number
    if compact:
        total = sum(file.counts.values())
        what = f"with its {plural(total, 'finding')} highlighted" if total else "(no findings)"
        middle = (f'<details class="lazy"><summary>The text, {what}</summary><p class="nojs">This large report '
                  "draws a file's text and findings with JavaScript, which is off: the summary, the notices and "
                  "the audit trail are all that show without it.</p></details>")
        tail = f'<script type="application/json" class="file-data">{data}</script>'
    else:
        middle, tail = _drawn(number, json.loads(data), claims, kb, severities), ""
    return (f'<section class="file" id="file-{number}" aria-labelledby="file-{number}-name">{head}{middle}{audit}'
            f"{tail}</section>")


def _select(name: str, label: str, values: Iterable[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return f'<label>{label} <select name="{name}"><option value="">all</option>{options}</select></label>'


def _header(files: dict[str, _File], kb: KnowledgeBase, fail_on: str, compact: bool = False) -> str:
    """Counts by verdict (a sentence and a chart), by severity with what fails the run, by topic and verdict
    (a table), the filters, and links to each file, worst first; on a compact page, how to see a file."""
    overall: Counter[Cell] = Counter()
    severities: Counter[str] = Counter()
    hidden: Counter[str] = Counter()
    for file in files.values():
        overall.update(file.counts)
        severities.update(file.severities)
        hidden.update(file.hidden)
    total = sum(overall.values())
    failing = sum(file.failing for file in files.values())
    verdicts = by_verdict(overall)
    lines = [f"<h1>exocheck report</h1><p class=\"meta\">{plural(total, 'finding')} in "
             f"{plural(len(files), 'file')}{': ' + _counts_phrase(verdicts) if verdicts else ''}. "
             f"exocheck {__version__}, knowledge base {escape(kb.version)}.</p>",
             (f'<p class="meta"><strong class="failing">{failing} {"fails" if failing == 1 else "fail"} the run'
              f"</strong> at --fail-on {escape(fail_on)} (findings and notices; accurate findings never fail)."
              f"{' By severity: ' + _severity_phrase(severities) + '.' if total else ''}"
              f"{' Hidden: ' + _counts_phrase(dict(sorted(hidden.items(), reverse=True))) if hidden else ''}"
              f"{', listed under each file with the reason.' if hidden else ''}</p>")]
    if total:
        lines.append(f'<div class="summary"><div><h2>Findings by verdict</h2>{_chart(verdicts)}</div>'
                     f"<div><h2>By topic and verdict</h2>{_topic_table(overall)}</div></div>")
    if total or hidden:  # shown by the script: without it they could not work
        topics = sorted({topic for topic, _ in overall})
        lines.append(f'<div class="filters" role="group" aria-label="Filter findings" hidden>'
                     f'{_select("verdict", "Verdict", VERDICTS)}{_select("severity", "Severity", SEVERITIES)}'
                     f'{_select("topic", "Topic", topics)}<span id="filter-status" aria-live="polite"></span></div>')
    if len(files) > 1:
        links = "".join(f'<li><a href="#file-{file.number}">{_name(path)}</a>: {file.summary()}</li>'
                        for path, file in sorted(files.items(), key=lambda item: item[1].rank()))
        lines.append(f'<nav aria-labelledby="files-title"><h2 id="files-title">Files, worst first</h2>'
                     f"<ul>{links}</ul></nav>")
    if compact:
        lines.append(f'<p class="help">This report is large ({plural(total, "finding")}), so each file\'s text '
                     "and findings are shown when you open the file (\u201cThe text\u201d under its name, or its "
                     "link above); the filters count every file's findings, open or not. Text search finds only "
                     "what is open.</p><noscript><p class=\"help\"><strong>JavaScript is off:</strong> this "
                     "large report draws each file's text and findings with its script, so only the summary, the "
                     "notices and the audit trail show. Check fewer files at a time for a page that needs no "
                     f"script (up to {FULL_FINDINGS:,} findings and {FULL_CHARACTERS:,} characters of copy), or "
                     "use --format text.</p></noscript>")
    lines.append('<p class="help">Each highlight is labelled with its verdict. Click it, or reach it with Tab and '
                 "press Enter or Space, to see why, the FDA status, sources and a suggested rewording; Escape "
                 "closes. Every finding is also listed under its file's text, and links to its claim's details, "
                 "written once at the end of the page.</p>")
    return "<header>" + "".join(lines) + "</header>"


class Writer(SpooledWriter):
    """The page, written as a lint goes: a file's parts once its findings are in, then the summary above
    all sections, which are made from the spool worst file first. `source(path)` gives a file's text,
    decoded exactly as it was checked (findings' start and end index into it); it is asked for once per
    file, when the file's section is made. `failing` says whether a finding or notice fails the run (by
    default at `fail_on`, which the summary names). `compact` writes a compact page (True) or a whole one
    (False); by default, compact only above `FULL_FINDINGS` findings or `FULL_CHARACTERS` characters of copy.

    Each file is spooled as its head (name, summary, notices) and audit trail as HTML and its copy and
    findings as data (`_data`); `finish` writes the data as HTML (`_drawn`) or, on a compact page, as is."""

    def __init__(self, kb: KnowledgeBase, source: Callable[[str], str], ascii_only: bool = False,
                 failing: Callable[[Finding | Notice], bool] | None = None, fail_on: str = "error",
                 compact: bool | None = None) -> None:
        super().__init__(kb, ascii_only)
        self.source = source
        self.failing = failing or (lambda item: fails(item, fail_on))
        self.fail_on = fail_on
        self.compact = compact
        self.files: dict[str, _File] = {}
        self._findings: list[Finding] = []  # of the file being read: its highlights need them all
        self._notices: list[Notice] = []
        self._hidden: dict[str, list[Hidden]] = {}  # by path, until the file's section is written
        self.claims = _Claims()  # the claims findings used, written once after the files
        self.severities: list[str] = []  # as numbered in the data

    def part(self, report: Report, also: Iterable[str] = ()) -> str:
        """As `SpooledWriter.part`; a file whose findings were all hidden gets a section for its audit trail."""
        for entry in report.hidden:
            self._hidden.setdefault(entry.item.path, []).append(entry)
        return super().part(report, [*also, *self._hidden])

    def take(self, path: str, findings: list[Finding], notices: list[Notice]) -> None:
        self._findings += findings
        self._notices += notices

    def _severity(self, severity: str) -> int:
        if severity not in self.severities:
            self.severities.append(severity)
        return self.severities.index(severity)

    def write_section(self, body: IO[str], number: int, path: str) -> None:
        assert self.kb is not None
        findings, notices, self._findings, self._notices = self._findings, self._notices, [], []
        hidden = self._hidden.pop(path, [])
        text = self.source(path)
        file = self.files[path] = _File(
            number, dict(sorted(Counter((f.topic, f.verdict) for f in findings).items())),
            Counter(f.severity for f in findings), sum(map(self.failing, findings)) + sum(map(self.failing, notices)),
            Counter(h.how for h in hidden), len(text))
        by_claim: Counter[tuple[int, int]] = Counter()

        def finding(f: Finding) -> list[int]:
            shown = [self.claims.number(f), self._severity(f.severity), int(self.failing(f))]
            by_claim[shown[0], shown[1]] += 1
            return shown

        data = _json(_data(text, _highlights(findings), finding))
        file.by_claim = [[claim, severity, n] for (claim, severity), n in sorted(by_claim.items())]
        head, audit = _head(file, path, notices), _audit(hidden, self.kb, self.claims)
        file.start, file.lengths = body.tell(), (len(head), len(audit), len(data))
        body.write(head + audit + data)

    def finish(self, stream: IO[str], report: Report) -> None:
        self._end_file()
        assert self.kb is not None
        compact = self.compact
        if compact is None:
            compact = (sum(sum(file.counts.values()) for file in self.files.values()) > FULL_FINDINGS
                       or sum(file.characters for file in self.files.values()) > FULL_CHARACTERS)
        stream.write(self.start(compact))
        body, self._body = self._body, None
        if body is not None:
            for index, file in enumerate(sorted(self.files.values(), key=_File.rank)):
                body.seek(file.start)
                head, audit, data = (body.read(length) for length in file.lengths)
                stream.write(("\n" if index else "")
                             + _section(file, head, audit, data, compact, self.claims, self.kb, self.severities))
            body.close()
        claims = self.claims.section(self.kb)
        stream.write(("\n" + claims if claims else "") + (self._index() if compact else "") + self.end())

    def _index(self) -> str:
        """What the script of a compact page needs besides each file's data: the claims by number (to draw a
        finding), the severities by number, and each file's findings per claim and severity (to filter)."""
        assert self.kb is not None
        index = {"claims": self.claims.table(self.kb), "severities": self.severities,
                 "counts": {str(file.number): file.by_claim for file in self.files.values() if file.by_claim}}
        return f'\n<script type="application/json" id="report-data">{_json(index)}</script>'

    def start(self, compact: bool = False) -> str:
        assert self.kb is not None
        total = sum(sum(file.counts.values()) for file in self.files.values())
        return (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'{GENERATOR}<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>exocheck report: {plural(total, 'finding')}</title><style>{CSS}</style></head>"
            f"<body>{_header(self.files, self.kb, self.fail_on, compact)}\n<main>\n"
        )

    def end(self) -> str:
        return f"\n</main><script>{SCRIPT}</script></body></html>\n"


def render(report: Report, kb: KnowledgeBase, sources: dict[str, str], fail_on: str = "error",
           compact: bool | None = None) -> str:
    """The page for `report`; `sources` maps every path of the report to the original text of that file
    (findings' start/end index into it), and a path of `sources` without findings is shown too. A path with
    findings, notices or hidden findings but no text is a ValueError. `compact` as for `Writer`."""
    missing = sorted(({f.path for f in report.findings} | {n.path for n in report.notices}
                      | {h.item.path for h in report.hidden}) - set(sources))
    if missing:
        raise ValueError(f"no source text for {', '.join(missing)}")
    return Writer(kb, sources.__getitem__, fail_on=fail_on, compact=compact).render(report, also=sources)
