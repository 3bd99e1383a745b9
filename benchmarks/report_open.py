"""Size of the HTML report of a 1,000-page lint and the time headless Chromium takes to open it and to apply
a filter (issue 14, section 5), and, on a compact page (a large report), to draw the worst file when it is
opened. Usage: python benchmarks/report_open.py [PAGES] (default 1000). Besides wall-clock times it prints the
renderer's main-thread task time up to the load event (DevTools Performance.getMetrics, TaskDuration), which
other load on a shared machine inflates less.

The pages come from ../shared/bench/gen_corpus.py (about 10 KB each, nearly every sentence a claim: a worst
case). Chromium is driven as in tests/test_report_browser.py: fresh profile, no network, headless."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import test_report_browser
from test_report_browser import Browser, _binary

test_report_browser.TIMEOUT = 600.0  # a large page takes longer than the tests allow

RUNS = 2
GENERATOR = ROOT.parent / "shared" / "bench" / "gen_corpus.py"


# Findings on the page: counted from a compact page's index, or from the list under each file.
FINDINGS = """(() => { const index = document.getElementById('report-data');
  if (!index) return document.querySelectorAll('.detail .finding').length;
  return Object.values(JSON.parse(index.textContent).counts).flat().reduce((n, c) => n + c[2], 0); })()"""
# Time to open the first (worst) file of a compact page and draw it, up to the layout after; null on a whole page.
DRAW = """new Promise(resolve => { const box = document.querySelector('details.lazy');
  if (!box) return resolve(null);
  const t = performance.now();
  box.addEventListener('toggle', () => { document.body.offsetHeight; resolve(performance.now() - t); });
  box.open = true; })"""


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        corpus = folder / "corpus"
        subprocess.run([sys.executable, str(GENERATOR), str(corpus), str(pages * 10_000)], check=True,
                       stdout=subprocess.DEVNULL)
        files = sorted(corpus.glob("*.md"))[:pages]
        for extra in sorted(corpus.glob("*.md"))[pages:]:
            extra.unlink()
        report = folder / "review.html"
        started = time.monotonic()
        subprocess.run(["exocheck", "lint", str(corpus), "--format", "html", "-o", str(report), "--no-config",
                        "--exit-zero"], check=True)
        written = time.monotonic() - started
        size = report.stat().st_size
        opens, tasks, filters, draws = [], [], [], []
        for run in range(RUNS):
            browser = Browser(_binary(), folder / f"profile-{run}", folder / f"chromium-{run}.log")
            try:
                browser.start()
                browser.call("Performance.enable", session=True)
                started = time.monotonic()
                browser.open(report.as_uri())
                opens.append(time.monotonic() - started)
                metrics = browser.call("Performance.getMetrics", session=True)["metrics"]
                tasks.append(next(m["value"] for m in metrics if m["name"] == "TaskDuration"))
                draw = browser.call("Runtime.evaluate", session=True, awaitPromise=True, returnByValue=True,
                                    expression=DRAW)["result"].get("value")
                if draw is not None:
                    draws.append(draw)
                filters.append(browser.js(
                    "(() => { const s = document.querySelector('.filters select[name=verdict]'); "
                    "const t = performance.now(); s.value = 'misleading'; "
                    "s.dispatchEvent(new Event('change', {bubbles: true})); "
                    "document.body.offsetHeight; return performance.now() - t; })()"))
                findings = browser.js(FINDINGS)
            finally:
                browser.close()
        print(f"{len(files)} pages, {sum(f.stat().st_size for f in files) / 2**20:.1f} MiB of Markdown, "
              f"{findings} findings; report written in {written:.1f} s, {size / 2**20:.1f} MiB; "
              f"open (navigate to load event), median of {RUNS}: {statistics.median(opens):.2f} s "
              f"({', '.join(f'{t:.2f}' for t in opens)}), main-thread tasks {statistics.median(tasks):.2f} s; "
              f"a verdict filter: {statistics.median(filters) / 1000:.2f} s"
              + (f"; drawing the worst file when opened: {statistics.median(draws) / 1000:.3f} s" if draws else ""))


if __name__ == "__main__":
    main()
