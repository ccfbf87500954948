"""How soon a chapter of the web edition shows its text, formulas and first explorer, on a phone.

    python -m benchmarks.book_phone --before BUILT_SITE --after BUILT_SITE [--shots FOLDER]

Each site is a built book (tools/build_site.py --no-pdf); "before" is built by an older commit's own
tools (its own `npm ci`), e.g. the pages before the issue "A book that opens at once":

    git worktree add /tmp/before f0d404b && (cd /tmp/before && npm ci && python tools/build_site.py --no-pdf)

Two profiles, in Debian's Chromium (Playwright, no browser download), best of two fresh loads each:

- phone: served over HTTP with gzip as static hosts do (a small local server), the CPU slowed 4x and a
  fast-3G link (1.6 Mbps down, 150 ms round trip) through the DevTools protocol, 412 x 915 CSS px;
- disk: opened from file:// at full speed, 1300 x 900.

Per chapter (01 and 05): first contentful paint; formulas left untypeset when it fired; the first
explorer live (a reader scrolls to it at first paint: its picture drawn and, in the new pages, its
still replaced); layout shift (CLS) until then plus a second; and, in a load where the reader does not
scroll, the bytes sent (gzip) before any explorer is near the viewport (load + 3 s of quiet).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tools.lab import CHROMIUM_FLAGS, find_chromium

CHAPTERS = ("01_network_and_cross_entropy", "05_optimizing_b3")
PHONE = {"width": 412, "height": 915}
DESKTOP = {"width": 1300, "height": 900}
FAST_3G = {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 93_750}
COMPRESSED = (".html", ".js", ".css", ".json", ".svg", ".txt", ".woff")  # what static hosts gzip (not woff2, png)

# Runs in the page before anything else: paint and layout-shift records, and the reader who scrolls
# to the first explorer at first paint (window.SCROLL_AT_PAINT).
PROBE = """
window.PROBE = {fcp: null, raw: null, shifts: 0};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.name !== 'first-contentful-paint') continue;
    window.PROBE.fcp = entry.startTime;
    window.PROBE.raw = [...document.querySelectorAll('.math')].filter(m => !m.querySelector('mjx-container')).length;
    if (window.SCROLL_AT_PAINT) {
      const view = 'script[type="application/vnd.jupyter.widget-view+json"]';
      const first = document.querySelector(`.widget-still, .cell_output:has(${view})`);
      if (first) first.scrollIntoView({block: 'center'});
    }
  }
}).observe({type: 'paint', buffered: true});
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.PROBE.shifts += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""
# The first explorer is live: its picture drawn, and (new pages) its still replaced by it.
LIVE = (
    "(() => { const first = document.querySelector('.overlay-root[data-frames]'); if (!first) return false;"
    " const still = first.closest('.widget-still'); return !still || still.classList.contains('widget-live'); })()"
)
SENT = (
    "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
    ".reduce((total, entry) => total + entry.transferSize, 0)"
)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, text gzipped (Python's http.server does not compress)."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_file() and path.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().send_head()

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(GzipHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def load(browser, url: str, phone: bool, scroll: bool, scheme: str = "light", shots: Path | None = None) -> dict:
    """One fresh load; what the probe saw."""
    context = browser.new_context(viewport=PHONE if phone else DESKTOP, color_scheme=scheme)
    context.add_init_script(PROBE + ("window.SCROLL_AT_PAINT = true;" if scroll else ""))
    page = context.new_page()
    if phone:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", FAST_3G)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    result: dict = {}
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.PROBE && window.PROBE.fcp !== null", timeout=120_000, polling=20)
        if shots and scroll:  # the still in place (drawn), before the explorer is live
            page.wait_for_function(
                "[...document.querySelectorAll('.widget-still img')].slice(0, 1).every(i => i.complete && i.naturalWidth)",
                timeout=60_000,
            )
            page.screenshot(path=str(shots / "first-paint.png"))
        if scroll:
            page.wait_for_function(LIVE, timeout=180_000, polling=20)
            result["live"] = page.evaluate("performance.now()") / 1000
            page.wait_for_timeout(1000)
            if shots:
                page.screenshot(path=str(shots / "live.png"))
        else:
            page.wait_for_load_state("load", timeout=180_000)
            page.wait_for_timeout(3000)
            result["sent"] = page.evaluate(SENT)
            if shots:
                page.screenshot(path=str(shots / "top.png"))
        probe = page.evaluate("window.PROBE")
        result |= {"fcp": probe["fcp"] / 1000, "raw": probe["raw"], "cls": probe["shifts"], "errors": errors}
    finally:
        context.close()
    return result


def best(results: list[dict]) -> dict:
    keys = {key for result in results for key in result if key != "errors"}
    return {key: min(result[key] for result in results if key in result) for key in keys}


def measure(browser, site: Path, chapter: str, url: str | None, tries: int = 2) -> dict:
    """Best of `tries` loads of each kind: phone over HTTP (url given) or disk."""
    target = f"{url}{chapter}.html" if url else (site / f"{chapter}.html").resolve().as_uri()
    phone = url is not None
    found = best([load(browser, target, phone, scroll=True) for _ in range(tries)])
    if phone:
        found["sent"] = best([load(browser, target, phone, scroll=False) for _ in range(tries)])["sent"]
    return found


def row(label: str, chapter: str, profile: str, m: dict) -> str:
    sent = f"{m['sent'] / 1e6:.2f} MB" if "sent" in m else ""
    return (
        f"| {label} | {chapter[:2]} | {profile} | {m['fcp']:.1f} s | {m['raw']} | {m['live']:.1f} s | {m['cls']:.3f} | {sent} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="a book built before (tools/build_site.py --no-pdf)")
    parser.add_argument("--after", type=Path, required=True, help="the book as built now")
    parser.add_argument("--shots", type=Path, help="screenshots of chapter 05 on the phone, light and dark (after)")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    lines = [
        "| pages | chapter | profile | first contentful paint | formulas untypeset at it | first explorer live | layout shift"
        " | sent before an explorer is near (gzip) |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    start = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_FLAGS)
        try:
            for label, site in (("before", args.before), ("after", args.after)):
                with serve(site) as url:
                    for chapter in CHAPTERS:
                        lines.append(row(label, chapter, "phone", measure(browser, site, chapter, url)))
                        lines.append(row(label, chapter, "disk", measure(browser, site, chapter, None)))
                        print(lines[-2], lines[-1], sep="\n", flush=True)
            if args.shots:
                with serve(args.after) as url:
                    for scheme in ("light", "dark"):
                        folder = args.shots / f"05-phone-{scheme}"
                        folder.mkdir(parents=True, exist_ok=True)
                        target = f"{url}05_optimizing_b3.html"
                        load(browser, target, True, scroll=True, scheme=scheme, shots=folder)
                        load(browser, target, True, scroll=False, scheme=scheme, shots=folder)
        finally:
            browser.close()
    print("\n".join(lines))
    print(f"({time.monotonic() - start:.0f} s)")


if __name__ == "__main__":
    main()
