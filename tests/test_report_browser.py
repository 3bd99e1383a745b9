"""The HTML report in a real headless Chromium: every highlight is reached with Tab and by a click and shows
its details; Escape closes; without JavaScript the details are still there; nothing touches the network.

Chromium is driven over the DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages ending in
a NUL byte, written to the browser's fd 3 and read from its fd 4, placed there by os.posix_spawn), so no
extra Python package is needed.
Without a Chromium binary the tests are skipped, except under CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import signal
import struct
import time
from pathlib import Path

import pytest

from exocheck.formats import html_report
from exocheck.formats.common import link, numbered

pytestmark = pytest.mark.slow  # starts Chromium

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SCREENSHOT_COPY = Path("/tmp/exocheck-report.png")
WIDTH, HEIGHT = 1280, 1800
TIMEOUT = 30.0


def _binary() -> str:
    found = next((path for path in map(shutil.which, BINARIES) if path), None)
    if found:
        return found
    message = f"no Chromium found (looked for {', '.join(BINARIES)}); install it with: apt-get install -y chromium"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _above(fd: int, low: int = 10) -> int:
    """`fd` moved to a number of at least `low`, so placing the pipes at fds 3 and 4 cannot overwrite one."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, low)
    os.close(fd)
    return moved


class Browser:
    """One headless Chromium (in a process group of its own) and one page in it, over the DevTools pipe."""

    def __init__(self, binary: str, profile: Path, log: Path) -> None:
        to_browser_read, self._out = map(_above, os.pipe())
        self._in, from_browser_write = map(_above, os.pipe())
        flags = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--remote-debugging-pipe",
            f"--user-data-dir={profile}", f"--window-size={WIDTH},{HEIGHT}", "about:blank",
        ]
        log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        try:
            self.pid = os.posix_spawn(binary, [binary, *flags], os.environ, setsid=True, file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0), (os.POSIX_SPAWN_DUP2, log_fd, 1),
                (os.POSIX_SPAWN_DUP2, log_fd, 2), (os.POSIX_SPAWN_DUP2, to_browser_read, 3),
                (os.POSIX_SPAWN_DUP2, from_browser_write, 4),
            ])
        finally:
            for fd in (log_fd, to_browser_read, from_browser_write):
                os.close(fd)
        self._buffer = b""
        self._last_id = 0
        self.events: list[dict] = []
        self.session = ""

    def start(self) -> None:
        """Open a page, attach to it and turn on the events and the window size the tests use."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=WIDTH, height=HEIGHT,
                  deviceScaleFactor=1, mobile=False)

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._in], [], [], max(0.0, deadline - time.monotonic()))
            chunk = os.read(self._in, 1 << 16) if ready else b""
            if not chunk:
                raise RuntimeError("Chromium did not answer in time" if not ready else "Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: bool = False, **params: object) -> dict:
        self._last_id += 1
        request: dict = {"id": self._last_id, "method": method, "params": params}
        if session:
            request["sessionId"] = self.session
        data = json.dumps(request).encode("utf-8") + b"\0"
        while data:
            data = data[os.write(self._out, data):]
        deadline = time.monotonic() + TIMEOUT
        while True:
            message = self._message(deadline)
            if message.get("id") == self._last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]
            self.events.append(message)

    def wait_for(self, event: str) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while True:
            for index, message in enumerate(self.events):
                if message.get("method") == event:
                    return self.events.pop(index)
            self.events.append(self._message(deadline))

    def open(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", session=True, url=url)
        self.wait_for("Page.loadEventFired")

    def js(self, expression: str) -> object:
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def key(self, key: str, code: str, key_code: int, text: str = "") -> None:
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", session=True, type=kind, key=key, code=code,
                      windowsVirtualKeyCode=key_code, text=text if kind == "keyDown" else "")

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", session=True, type=kind, x=x, y=y, button="left", clickCount=1)

    def click_on(self, element: str) -> None:
        """A real mouse click in the middle of the first line of `element` (a JavaScript expression)."""
        x, y = self.js(f"""(() => {{ const e = {element}; e.scrollIntoView({{block: 'center'}});
            const r = e.getClientRects()[0]; return [r.left + r.width / 2, r.top + r.height / 2]; }})()""")
        self.click(x, y)

    def close(self) -> None:
        """Ask Chromium to quit; if it has not after a few seconds, kill its process group."""
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        deadline = time.monotonic() + 10
        while os.waitpid(self.pid, os.WNOHANG) == (0, 0):
            if time.monotonic() > deadline:
                os.killpg(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                break
            time.sleep(0.05)
        os.close(self._in)
        os.close(self._out)


# What the page shows for the highlight in focus, and the facts each highlight's details must contain.
OPEN_STATE = """(() => {
  const active = document.activeElement, pop = document.querySelector('.pop');
  const box = pop ? pop.getBoundingClientRect() : null;
  return {active: active.classList.contains('hl') ? active.id : null,
          pop_after: pop ? pop.previousElementSibling.id : null,
          pop_visible: !!box && box.width > 100 && box.height > 50 && getComputedStyle(pop).visibility === 'visible',
          pop_text: pop ? pop.innerText : '',
          pop_links: pop ? [...pop.querySelectorAll('a')].map(a => a.href) : []};
})()"""


def expected_highlights(report, sources) -> dict[str, list]:
    """Highlight id ("h<file number>-<n>") -> the findings it shows: findings whose spans overlap share one."""
    expected: dict[str, list] = {}
    for number, path in enumerate(sorted(sources), 1):
        groups: list[list] = []
        for finding in sorted((f for f in report.findings if f.path == path), key=lambda f: (f.start, f.end)):
            if groups and finding.start < max(f.end for f in groups[-1]):
                groups[-1].append(finding)
            else:
                groups.append([finding])
        expected.update((f"h{number}-{i}", group) for i, group in enumerate(groups, 1))
    return expected


@pytest.fixture(scope="module")
def page(corpus, tmp_path_factory):
    report, kb, sources = corpus
    folder = tmp_path_factory.mktemp("browser")
    path = folder / "report.html"
    path.write_text(html_report.render(report, kb, sources), encoding="utf-8")
    browser = Browser(_binary(), folder / "profile", folder / "chromium.log")
    try:
        browser.start()
        yield browser, path.as_uri(), expected_highlights(report, sources), folder
    finally:
        browser.close()


def _assert_shows(state: dict, findings: list) -> None:
    assert state["pop_visible"], state
    for finding in findings:
        assert finding.verdict.upper() in state["pop_text"]
        assert finding.claim_id in state["pop_text"]
        ids = [c.id for c in finding.citations]  # the page numbers the citation markers
        assert " ".join(numbered(finding.explanation, ids).split()) in " ".join(state["pop_text"].split())
        assert " ".join(numbered(finding.fda_status, ids).split()) in " ".join(state["pop_text"].split())
        for citation in finding.citations:
            assert link(citation.url, citation.doi) in state["pop_links"]



def _assert_offline_and_clean(browser) -> None:
    """The page loaded nothing but local files and its script raised nothing and logged no error."""
    requests = [e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"]
    assert requests and all(r.startswith("file://") for r in requests), requests
    errors = [e["params"] for e in browser.events
              if e.get("method") == "Runtime.exceptionThrown"
              or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")]
    assert not errors

def test_tab_reaches_every_highlight_in_order_and_shows_its_details(page):
    browser, url, expected, _ = page
    browser.open(url)
    assert browser.js("[...document.querySelectorAll('.hl')].map(h => h.id)") == list(expected)
    seen = []
    for _ in range(300):
        browser.key("Tab", "Tab", 9)
        state = browser.js(OPEN_STATE)
        if state["active"] and state["active"] not in seen:
            seen.append(state["active"])
            assert state["pop_after"] == state["active"]  # the details sit right after their highlight
            _assert_shows(state, expected[state["active"]])
        if len(seen) == len(expected):
            break
    assert seen == list(expected)


def test_escape_closes_and_enter_and_space_reopen(page):
    browser, url, _, _ = page
    browser.open(url)
    browser.js("document.getElementById('h1-2').focus()")
    assert browser.js(OPEN_STATE)["pop_after"] == "h1-2"
    browser.key("Escape", "Escape", 27)
    state = browser.js(OPEN_STATE)
    assert state["pop_after"] is None and state["active"] == "h1-2"  # closed, focus kept on the highlight
    assert browser.js("document.getElementById('h1-2').getAttribute('aria-expanded')") == "false"
    browser.key("Enter", "Enter", 13, "\r")
    assert browser.js(OPEN_STATE)["pop_after"] == "h1-2"
    assert browser.js("location.hash") == ""  # the script, not the link, handled it
    browser.key("Escape", "Escape", 27)
    scrolled = browser.js("scrollY")
    browser.key(" ", "Space", 32, " ")
    state = browser.js(OPEN_STATE)
    assert state["pop_after"] == "h1-2" and state["active"] == "h1-2"
    assert browser.js("scrollY") == scrolled  # Space opened the details instead of scrolling the page


def test_click_on_each_highlight_shows_its_details_and_a_click_elsewhere_closes(page):
    browser, url, expected, folder = page
    browser.open(url)
    for hid, findings in expected.items():
        browser.key("Escape", "Escape", 27)  # an open box of details may cover the next highlight
        browser.click_on(f"document.getElementById('{hid}')")
        state = browser.js(OPEN_STATE)
        assert state["pop_after"] == hid
        _assert_shows(state, findings)
    browser.click(5, 5)
    assert browser.js(OPEN_STATE)["pop_after"] is None
    # The screenshot: the top of the report with the details of a sentence making two claims open.
    merged = next(hid for hid, findings in expected.items() if len(findings) > 1)
    browser.click_on(f"document.getElementById('{merged}')")
    browser.js("scrollTo(0, 0)")
    assert browser.js(OPEN_STATE)["pop_after"] == merged
    png = base64.b64decode(browser.call("Page.captureScreenshot", session=True, format="png")["data"])
    shot = folder / "report.png"
    shot.write_bytes(png)
    shutil.copyfile(shot, SCREENSHOT_COPY)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (WIDTH, HEIGHT)
    assert len(png) > 50_000  # a page of text, colours and a chart, not a blank or an error page


def test_styles_and_script_pass_the_content_security_policy_and_nothing_touches_the_network(page):
    browser, url, _, _ = page
    browser.open(url)
    assert browser.js("getComputedStyle(document.querySelector('.hl.v-unsupported')).backgroundColor") == \
        "rgb(253, 228, 231)"
    browser.js("document.querySelector('.hl').click()")
    assert browser.js("!!document.querySelector('.pop')")
    _assert_offline_and_clean(browser)


def test_without_javascript_every_highlight_links_to_visible_details(page):
    browser, url, expected, _ = page
    browser.call("Emulation.setScriptExecutionDisabled", session=True, value=True)
    try:
        browser.open(url)
        for hid, findings in expected.items():
            details = browser.js(f"""(() => {{ const h = document.getElementById('{hid}');
                const d = document.getElementById(h.getAttribute('aria-describedby'));
                const r = d.getBoundingClientRect();
                return {{href: h.getAttribute('href'), id: d.id, visible: r.width > 0 && r.height > 0,
                         text: d.innerText}}; }})()""")
            assert details["visible"] and details["href"] == "#" + details["id"]
            for finding in findings:
                assert finding.claim_id in details["text"] and finding.verdict.upper() in details["text"]
        # A click follows the link to the details, which are then on screen.
        browser.click_on("document.querySelector('.hl')")
        target = browser.js("location.hash.slice(1)")
        assert target == browser.js("document.querySelector('.hl').getAttribute('aria-describedby')")
        # (scrolled to its top: a page long enough to scroll that far puts it a fraction of a pixel above 0)
        assert browser.js(f"(() => {{ const r = document.getElementById('{target}').getBoundingClientRect();"
                          " return r.top > -1 && r.top < innerHeight; })()")
        # Its "why" link goes to the claim's details, written once for the page, which are then on screen.
        why = browser.js(f"document.getElementById('{target}').querySelector('a.why').getAttribute('href')")
        browser.click_on(f"document.getElementById('{target}').querySelector('a.why')")
        assert browser.js("location.hash") == why
        assert browser.js(f"(() => {{ const c = document.getElementById('{why[1:]}');"
                          " const r = c.getBoundingClientRect(); return r.top > -1 && r.top < innerHeight"
                          " && c.innerText.includes('FDA status'); })()")
        assert browser.js("document.querySelectorAll('.pop').length") == 0  # the script really did not run
    finally:
        browser.call("Emulation.setScriptExecutionDisabled", session=True, value=False)


FILTERED = """(() => {
  const visible = el => el.offsetParent !== null;
  const shown = [...document.querySelectorAll('.detail .finding')].filter(visible);
  return {shown: shown.map(f => [f.dataset.verdict, f.dataset.severity, f.dataset.topic]),
          files: [...document.querySelectorAll('section.file')].filter(visible).length,
          dim: document.querySelectorAll('.hl.dim').length,
          status: document.getElementById('filter-status').textContent,
          controls: visible(document.querySelector('.filters'))};
})()"""


def _choose(browser: Browser, name: str, value: str) -> None:
    browser.js(f"(() => {{ const s = document.querySelector('.filters select[name={name}]'); s.value = {value!r}; "
               "s.dispatchEvent(new Event('change', {bubbles: true})); })()")


def test_filters_show_only_matching_findings_and_files_and_reset(page):
    browser, url, expected, _ = page
    browser.open(url)
    findings = [f for group in expected.values() for f in group]
    everything = browser.js(FILTERED)
    assert everything["controls"] and everything["status"] == "" and everything["dim"] == 0
    assert len(everything["shown"]) == len(findings)
    verdict = "misleading"
    severity = next(f.severity for f in findings if f.verdict == verdict)
    _choose(browser, "verdict", verdict)
    _choose(browser, "severity", severity)
    state = browser.js(FILTERED)
    matching = [f for f in findings if (f.verdict, f.severity) == (verdict, severity)]
    assert sorted(state["shown"]) == sorted([f.verdict, f.severity, f.topic] for f in matching)
    assert state["files"] == len({f.path for f in matching})
    assert state["status"] == f"{len(matching)} finding{'s' if len(matching) != 1 else ''} match{'es' if len(matching) == 1 else ''}"
    assert state["dim"] == sum(all((f.verdict, f.severity) != (verdict, severity) for f in group)
                               for group in expected.values())
    topic = matching[0].topic
    _choose(browser, "topic", topic)
    assert {tuple(f) for f in browser.js(FILTERED)["shown"]} == {(verdict, severity, topic)}
    for name in ("verdict", "severity", "topic"):
        _choose(browser, name, "")
    assert browser.js(FILTERED) == everything


# --- a compact page (a large report): each file's copy and findings are drawn when the file is opened ------

# Per file: its text and list of findings as elements, and what a filter leaves; the same on both pages.
DRAWN = """(() => [...document.querySelectorAll('section.file')].map(s => {
  const doc = s.querySelector('.doc'), list = s.querySelector('ol.details');
  return [s.id, doc ? doc.outerHTML : null, list ? list.outerHTML : null];
}))()"""


@pytest.fixture(scope="module")
def pages(corpus, tmp_path_factory):
    """The corpus's report written whole and compact, and a browser to open them."""
    report, kb, sources = corpus
    folder = tmp_path_factory.mktemp("compact")
    whole, compact = folder / "whole.html", folder / "compact.html"
    whole.write_text(html_report.render(report, kb, sources, compact=False), encoding="utf-8")
    compact.write_text(html_report.render(report, kb, sources, compact=True), encoding="utf-8")
    browser = Browser(_binary(), folder / "profile", folder / "chromium.log")
    try:
        browser.start()
        yield browser, whole.as_uri(), compact.as_uri(), expected_highlights(report, sources)
    finally:
        browser.close()


def _settle(browser: Browser) -> None:
    """Let the page run what it queued (a <details> element's toggle event comes as a task)."""
    browser.call("Runtime.evaluate", session=True, expression="new Promise(r => setTimeout(r, 50))",
                 awaitPromise=True)


def _open_every_file(browser: Browser) -> None:
    """A real click on the first shown file's "The text" and the others opened as a click would."""
    if browser.js("[...document.querySelectorAll('details.lazy > summary')].some(s => s.offsetParent !== null)"):
        browser.click_on("[...document.querySelectorAll('details.lazy > summary')].find(s => s.offsetParent !== null)")
    browser.js("document.querySelectorAll('details.lazy').forEach(d => { d.open = true; })")
    _settle(browser)
    assert browser.js("document.querySelectorAll('script.file-data').length") == 0


def test_a_compact_page_draws_each_file_only_when_opened_exactly_as_the_whole_page_shows_it(pages):
    browser, whole, compact, expected = pages
    browser.open(whole)
    shown = browser.js(DRAWN)
    browser.open(compact)
    assert browser.js("document.querySelectorAll('.hl, .detail').length") == 0  # nothing drawn before opening
    assert browser.js("document.querySelectorAll('script.file-data').length") == len(shown)
    assert browser.js("document.scripts.length") == len(shown) + 2  # the data blocks, the index, the script
    _open_every_file(browser)
    assert browser.js(DRAWN) == shown  # the very same elements, copy as text nodes only
    assert sorted(browser.js("[...document.querySelectorAll('.hl')].map(h => h.id)")) == sorted(expected)
    assert browser.js("document.scripts.length") == 2  # a `</script>` in the copy made no element
    assert browser.js("[...document.querySelectorAll('.doc')].some(d => d.textContent.includes("
                      "\"<script>alert('x')</script>\"))")
    # A drawn highlight shows its details on a click as on the whole page.
    for hid, findings in expected.items():
        browser.key("Escape", "Escape", 27)
        browser.click_on(f"document.getElementById('{hid}')")
        state = browser.js(OPEN_STATE)
        assert state["pop_after"] == hid
        _assert_shows(state, findings)
    _assert_offline_and_clean(browser)


COUNTED = """(() => ({status: document.getElementById('filter-status').textContent,
  files: [...document.querySelectorAll('section.file')].filter(s => !s.hidden).map(s => s.id),
  entries: [...document.querySelectorAll('nav li')].filter(li => !li.hidden).length,
  drawn: [...document.querySelectorAll('.detail .finding')].filter(f => f.offsetParent !== null)
           .map(f => [f.dataset.verdict, f.dataset.severity, f.dataset.topic])}))()"""


@pytest.mark.parametrize("choice", [{"verdict": "misleading"}, {"severity": "info"}, {"verdict": "accurate"},
                                    {"verdict": "unsupported", "topic": "hair-loss"}, {"verdict": "unverified"}])
def test_a_compact_page_filters_from_its_index_as_the_whole_page_does(pages, choice):
    browser, whole, compact, _ = pages
    results = []
    for url, draw_first in ((whole, False), (compact, False), (compact, True)):
        browser.open(url)
        if draw_first:
            _open_every_file(browser)
        for name, value in choice.items():
            _choose(browser, name, value)
        results.append(browser.js(COUNTED))
    full, undrawn, drawn = results
    assert full["status"] == undrawn["status"] == drawn["status"] and full["status"]
    assert full["files"] == undrawn["files"] == drawn["files"]
    assert full["entries"] == undrawn["entries"] == drawn["entries"]
    assert undrawn["drawn"] == [] and drawn["drawn"] == full["drawn"]
    # A file opened while a filter is on shows only what matches.
    browser.open(compact)
    for name, value in choice.items():
        _choose(browser, name, value)
    _open_every_file(browser)
    assert browser.js(COUNTED)["drawn"] == full["drawn"]


def test_a_link_to_a_highlight_or_file_of_a_compact_page_opens_that_file(pages):
    browser, _, compact, expected = pages
    hid = list(expected)[-1]
    browser.open("about:blank")  # (from the same page, a link with a #fragment only scrolls: no load event)
    browser.open(compact + "#" + hid)
    assert browser.js(f"!!document.getElementById('{hid}')")
    number = hid[1:].split("-")[0]
    assert browser.js(f"document.querySelector('#file-{number} details.lazy').open")
    assert browser.js("document.querySelectorAll('script.file-data').length") == \
        browser.js("document.querySelectorAll('section.file').length") - 1  # only that file was drawn
    # The file list's links open their file too.
    other = browser.js("[...document.querySelectorAll('nav li > a')].map(a => a.getAttribute('href'))"
                       f".find(h => h !== '#file-{number}')")
    browser.js(f"document.querySelector('nav a[href=\"{other}\"]').click()")
    _settle(browser)
    assert browser.js(f"document.querySelector('{other} details.lazy').open")


def test_a_compact_page_without_javascript_says_why_the_text_is_missing(pages):
    browser, _, compact, _ = pages
    browser.call("Emulation.setScriptExecutionDisabled", session=True, value=True)
    try:
        browser.open(compact)
        text = browser.js("document.body.innerText")
        assert "JavaScript is off" in text  # the <noscript> note
        browser.js("document.querySelectorAll('details.lazy').forEach(d => { d.open = true; })")
        assert browser.js("[...document.querySelectorAll('.nojs')].every(p => p.offsetParent !== null)")
        assert browser.js("document.querySelectorAll('.hl').length") == 0
        assert browser.js("document.querySelectorAll('section.file h2').length") == 3  # the files' names
    finally:
        browser.call("Emulation.setScriptExecutionDisabled", session=True, value=False)
