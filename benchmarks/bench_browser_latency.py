"""Keypress to new pixels in a real JupyterLab (headless Chromium): the explorer, the bare prototype and the
naive way (`interact` re-plotting a whole inline matplotlib figure), in one run.

    python -m benchmarks.bench_browser_latency [--presses 40]

Needs Debian's chromium and playwright (tests/requirements.txt). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from tests import lab as labtools

SETUP = """
import numpy as np
import helpers as h
X, y = h.training_data()
net = h.Network()
"""

EXPLORER = """
from helpers.widgets import LossCurveExplorer
explorer = LossCurveExplorer(net, X, y)
explorer.add_class("bench-explorer")
explorer
"""

# The bare prototype the issue measured: one slider, one point and one tangent blitted over a
# saved background, sent as a PNG to an `ipywidgets.Image`. The full explorer should stay close.
BARE = """
import ipywidgets as widgets
from helpers import plots
grid = np.linspace(-6, 4, 400)
fig = plots.new_figure(6.0, 3.5, dpi=80)
ax = fig.add_subplot()
ax.plot(grid, h.loss_curve(net, X, y, grid), color=plots.PINK, lw=2.5)
(point,) = ax.plot([], [], "o", color=plots.GREEN, ms=10, animated=True)
(tangent,) = ax.plot([], [], color=plots.INK, animated=True)
fig.canvas.draw()
fig.set_layout_engine("none")
background = fig.canvas.copy_from_bbox(fig.bbox)
bare_image = widgets.Image(format="png", layout=widgets.Layout(width="480px"))
bare_slider = widgets.FloatSlider(value=-2.0, min=-6.0, max=4.0, step=0.01, description="b3")

def bare_update(_change=None):
    b3 = bare_slider.value
    moved = net.with_biases(b3=b3)
    loss, slope = h.total_cross_entropy(moved, X, y), h.bias_derivatives(moved, X, y)["b3"]
    fig.canvas.restore_region(background)
    point.set_data([b3], [loss])
    tangent.set_data(*plots.tangent_segment(b3, loss, slope, 1.2))
    ax.draw_artist(point)
    ax.draw_artist(tangent)
    bare_image.value = plots.encode_png(np.asarray(fig.canvas.buffer_rgba()))

bare_slider.observe(bare_update, names="value")
bare_update()
bare = widgets.VBox([bare_slider, bare_image])
bare.add_class("bench-bare")
bare
"""

# The naive way, as `interact` invites: recompute and re-plot the whole figure per change.
NAIVE = """
import matplotlib.pyplot as plt
from ipywidgets import FloatSlider, interactive
grid = np.linspace(-6, 4, 400)

def redraw(b3):
    moved = net.with_biases(b3=b3)
    curve = h.loss_curve(net, X, y, grid)
    loss, slope = h.total_cross_entropy(moved, X, y), h.bias_derivatives(moved, X, y)["b3"]
    fig, ax = plt.subplots(figsize=(6, 3.5), dpi=80)
    ax.plot(grid, curve, color="#e8488a", lw=2.5, label="total cross entropy")
    ax.plot([b3 - 1.2, b3 + 1.2], [loss - 1.2 * slope, loss + 1.2 * slope], color="#222222", label="tangent")
    ax.plot([b3], [loss], "o", color="#2ca02c", ms=10, label="b3 now")
    ax.text(b3, loss, f"slope {slope:.3f}")
    ax.set_xlabel("b3")
    ax.set_ylabel("total cross entropy")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    plt.show()

naive = interactive(redraw, b3=FloatSlider(value=-2.0, min=-6.0, max=4.0, step=0.01))
naive.add_class("bench-naive")
naive
"""

CASES = {
    "explorer (two-layer Agg image, moving artists only)": (
        ".bench-explorer .widget-slider .noUi-handle >> nth=0",
        ".bench-explorer img.live-frame",
        "src",
    ),
    "bare prototype (one point and tangent over a saved background)": (
        ".bench-bare .widget-slider .noUi-handle",
        ".bench-bare img",
        "src",
    ),
    "naive (`interact`, whole inline figure re-plotted)": (
        ".bench-naive .widget-slider .noUi-handle",
        ".bench-naive",
        "child",
    ),
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(presses: int, cells: list[str] | None = None, cases: dict | None = None) -> dict[str, list[float]]:
    folder = Path(tempfile.mkdtemp(prefix="latency-"))
    notebook = new_notebook(cells=[new_code_cell(source) for source in (cells or [SETUP, EXPLORER, BARE, NAIVE])])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "latency.ipynb"
    nbformat.write(notebook, path)
    results = {}
    with labtools.jupyter_lab([path]) as lab, labtools.chromium_page() as page:
        labtools.open_and_run_all(page, lab, path.name, ".bench-naive img")
        for name, (handle, target, mode) in (cases or CASES).items():
            page.locator(target).first.scroll_into_view_if_needed()
            labtools.keypress_latencies(page, handle, target, mode, presses=3)  # warm-up
            results[name] = labtools.keypress_latencies(page, handle, target, mode, presses=presses)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presses", type=int, default=40)
    results = measure(parser.parse_args().presses)
    naive = results[list(CASES)[-1]]
    print("| how the figure is redrawn | to new `src`: median | p95 | vs naive | to painted pixels: median | p95 | vs naive |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, rows in results.items():
        cells = []
        for key in ("src", "painted"):
            values = [row[key] for row in rows]
            median = statistics.median(values)
            ratio = median / statistics.median([row[key] for row in naive])
            cells += [f"{median:.0f} ms", f"{percentile(values, 0.95):.0f} ms", f"{ratio:.2f}"]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\n{len(naive)} keypresses each. `src`: keydown to the new picture handed to the page (the field notes'")
    print("measure); painted: keydown to that picture loaded plus one animation frame.")


if __name__ == "__main__":
    main()
