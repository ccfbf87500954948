"""Does a step or a b3 move of the backpropagation explorer paint within one frame? Timed in the
web edition's chapter 05 (no kernel), opened from the disk in headless Chromium: from the input
(a click on Backward step or Step back, an ArrowRight on the b3 slider) to the repaint that
shows it, plus one animation frame (the paint probe of tools/lab.py).

    python -m benchmarks.bench_backprop_frame [--presses 40] [--site build/site]

Builds the web edition (without the PDF) into a temporary folder unless --site names one.
Needs Debian's chromium and playwright (tests/requirements.txt). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

from benchmarks import latency
from tools import book_pdf, build_site
from tools.lab import install_probe

EXPLORER = ".backprop-explorer"
FRAME_MS = 1000 / 60


def measure(site: Path, presses: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=book_pdf.find_chromium(), args=book_pdf.CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto((site / "05_optimizing_b3.html").resolve().as_uri())
        page.wait_for_selector(f"{EXPLORER} .overlay-root[data-frames]", timeout=60_000)
        install_probe(page, f"{EXPLORER} .overlay-root", "overlay")
        button = f"{EXPLORER} button:text-is('{{}}')"
        times: dict[str, list[float]] = {"Backward step (click)": [], "Step back (click)": [], "b3 slider (ArrowRight)": []}
        while len(times["Backward step (click)"]) < presses:  # 16 steps down the backward pass, 16 back up
            for _ in range(16):
                times["Backward step (click)"].append(latency.click_latency(page, button.format("Backward step"), 0.05))
            for _ in range(16):
                times["Step back (click)"].append(latency.click_latency(page, button.format("Step back"), 0.05))
        handle = f"{EXPLORER} .widget-slider .noUi-handle"
        for _ in range(presses):
            times["b3 slider (ArrowRight)"].append(latency.key_latency(page, handle, settle_s=0.05))
        browser.close()
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--site", type=Path, help="a built web edition (default: build one now)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        site = args.site
        if site is None:
            site = Path(folder) / "site"
            build_site.main(["--out", str(site), "--repository", "", "--no-pdf"])
        times = measure(site, args.presses)
    print(f"| input | n | median (ms) | p95 (ms) | max (ms) | within one frame ({FRAME_MS:.1f} ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, values in times.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        within = sum(value <= FRAME_MS for value in values)
        print(
            f"| {name} | {len(values)} | {statistics.median(values):.1f} | {p95:.1f} | {max(values):.1f} | "
            f"{within} of {len(values)} |"
        )


if __name__ == "__main__":
    main()
