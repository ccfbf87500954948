"""Keypress to painted pixels in a real JupyterLab (headless Chromium), side by side in one run:
the browser-drawn `LossCurveExplorer` against the kernel-drawn one it replaced (kept as
`benchmarks/kernel_drawn.py`), each reached directly and through a delay proxy that holds
every chunk 50 ms each way (about a Binder's distance).

    python -m benchmarks.bench_browser_latency [--presses 40] [--held 60]

Needs Debian's chromium and playwright (tests/requirements.txt). Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np
from nbformat.v4 import new_code_cell, new_notebook

import helpers as h
from benchmarks import latency
from helpers.widgets import LossCurveExplorer
from tools import lab as labtools

HERE = Path(__file__).resolve().parent
SETUP = """
import helpers as h
X, y = h.training_data()
net = h.Network()
"""
BROWSER = """
from helpers.widgets import LossCurveExplorer
browser_drawn = LossCurveExplorer(net, X, y)
browser_drawn.add_class("bench-browser")
browser_drawn
"""
# The baseline's source travels in the cell: the kernel imports only the installed helpers.
KERNEL = (
    (HERE / "kernel_drawn.py").read_text(encoding="utf-8")
    + """
kernel_drawn = LossCurveExplorer(net, X, y)
kernel_drawn.add_class("bench-kernel")
kernel_drawn
"""
)
CASES = {
    "browser-drawn (overlay.js)": {
        "root": ".bench-browser",
        "target": (".bench-browser .overlay-root", "overlay"),
    },
    "kernel-drawn (before)": {
        "root": ".bench-kernel",
        "target": (".bench-kernel img.live-frame", "src"),
    },
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_case(page, case: dict, presses: int, held: int) -> dict:
    root = case["root"]
    handle = f"{root} .widget-slider .noUi-handle >> nth=0"
    page.locator(root).first.scroll_into_view_if_needed()
    labtools.install_probe(page, *case["target"])
    labtools.single_presses(page, handle, presses=3)  # warm-up
    result = {"single": labtools.single_presses(page, handle, presses=presses)}
    result["held"] = labtools.held_key(page, handle, presses=held)
    latency.click_latency(page, f"{root} button:has-text('Reset')")
    result["step"] = [latency.click_latency(page, f"{root} button:has-text('Step')") for _ in range(3)]
    if "browser" in root:  # b4 reshapes the curve in Python: one round trip, then drawn
        b4 = f"{root} .widget-slider .noUi-handle >> nth=2"
        result["python"] = [latency.key_latency(page, b4, key) for key in ("ArrowRight", "ArrowLeft") * 3]
    return result


def measure(presses: int, held: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="latency-"))
    notebook = new_notebook(cells=[new_code_cell(source) for source in (SETUP, BROWSER, KERNEL)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "latency.ipynb"
    nbformat.write(notebook, path)
    results: dict = {}
    with labtools.jupyter_lab([path]) as lab:
        for connection in ("local", "50 ms each way"):
            with latency.delay_proxy(lab.port, 0.05) as proxy_port, labtools.chromium_page() as page:
                lab.page_port = lab.port if connection == "local" else proxy_port
                labtools.open_and_run_all(page, lab, path.name, ".bench-kernel img.live-frame[src^='blob:']", timeout_s=300)
                time.sleep(1)
                for name, case in CASES.items():
                    results[(name, connection)] = measure_case(page, case, presses, held)
                # close this page's kernel session so the next page starts a fresh one
                lab.page_port = lab.port
    return results


def ratio(baseline: float, value: float) -> str:
    return "baseline" if value == baseline else f"{baseline / value:.1f}x faster"


def table_rebuild_ms(changes: int = 100) -> tuple[float, float]:
    """Median time to rebuild the loss explorer's tables after a b4 change, and of the whole
    update (tables plus, when the curve outgrows the axes, a new background)."""
    explorer = LossCurveExplorer(h.Network(), *h.training_data())
    values = np.round(np.linspace(-4, 4, changes), 1)
    tables, whole = [], []
    for value in values:
        start = time.perf_counter()
        explorer._tables()
        tables.append((time.perf_counter() - start) * 1e3)
        start = time.perf_counter()
        explorer.b4_slider.value = float(value)
        whole.append((time.perf_counter() - start) * 1e3)
    return statistics.median(tables), statistics.median(whole)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--held", type=int, default=60)
    args = parser.parse_args()
    results = measure(args.presses, args.held)
    print(
        "| explorer | connection | keypress to painted: median | p95 | vs kernel-drawn | held key: frames painted |"
        " last frame after last key | Step click to painted | b4 (Python) to painted |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for (name, connection), result in results.items():
        single = result["single"]
        baseline = statistics.median(results[("kernel-drawn (before)", connection)]["single"])
        python = f"{statistics.median(result['python']):.0f} ms" if "python" in result else "(every change)"
        print(
            f"| {name} | {connection} | {statistics.median(single):.1f} ms | {percentile(single, 0.95):.1f} ms"
            f" | {ratio(baseline, statistics.median(single))} | {result['held']['frames']} of {result['held']['keys']}"
            f" | {result['held']['last_after_last_key']:.1f} ms | {statistics.median(result['step']):.0f} ms | {python} |"
        )
    tables, whole = table_rebuild_ms()
    print(f"\n{args.presses} single presses and a key held for {args.held} repeats (50 ms apart) per row, one run.")
    print("Painted: keydown (or click) to the repaint that shows it, plus one animation frame.")
    print(f"Tables rebuilt in Python after a b4 change: median {tables:.2f} ms (100 changes); the whole update,")
    print(f"with a new background when the curve outgrows the axes: median {whole:.1f} ms.")


if __name__ == "__main__":
    main()
