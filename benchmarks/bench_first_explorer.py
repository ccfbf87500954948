"""The web edition from the disk: seconds from opening chapter 5 to its first explorer drawn
(best of three, headless Chromium, nothing fetched outside the site). Before the book
(issue 18) the nbconvert pages took 2.1 s; this was a test's budget until timings moved here.

    python -m benchmarks.bench_first_explorer [--runs 3]

Builds the site into a temporary folder with tools/build_site.py (needs `npm ci` and the
book's requirements), then prints one line.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from tools import book_pdf, build_site

PAGE = "05_optimizing_b3.html"


def first_explorer_seconds(site: Path, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    base = site.resolve().as_uri() + "/"
    inside = (base, "data:", "blob:")  # nothing from outside the site, as for a reader offline
    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=book_pdf.find_chromium(), args=book_pdf.CHROMIUM_FLAGS)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1300, "height": 900})
                page = context.new_page()
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(inside) else route.abort())
                start = time.monotonic()
                page.goto(base + PAGE)
                page.wait_for_selector(".overlay-root[data-frames]", timeout=30_000)
                times.append(time.monotonic() - start)
                context.close()
        finally:
            browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        build_site.main(["--out", str(site), "--repository", ""])
        times = first_explorer_seconds(site, args.runs)
    each = ", ".join(f"{t:.2f}" for t in times)
    print(f"first explorer of {PAGE} drawn from disk: best {min(times):.2f} s of {args.runs} ({each})")


if __name__ == "__main__":
    main()
