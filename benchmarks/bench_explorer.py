"""The explorer's update handler (compute, draw, encode) against the naive way (a whole
matplotlib figure re-plotted and saved as PNG per change, as `interact` does), in one run.

    python benchmarks/bench_explorer.py

Without a kernel nothing is sent, so "send" is not in these times; the browser benchmark
(benchmarks/bench_browser_latency.py) measures the whole round trip.
"""

from __future__ import annotations

import io
import statistics
import time

import numpy as np
from matplotlib.figure import Figure

import helpers as h
from helpers import plots
from helpers.widgets import LossCurveExplorer


def naive_png(net: h.Network, X, y, b3: float, grid) -> bytes:
    """Everything from scratch, as a re-plotting `interact` callback does."""
    moved = net.with_biases(b3=b3)
    curve = h.loss_curve(net, X, y, grid)
    loss, slope = h.total_cross_entropy(moved, X, y), h.bias_derivatives(moved, X, y)["b3"]
    fig = Figure(figsize=(6, 3.5), dpi=80)
    ax = fig.add_subplot()
    ax.plot(grid, curve, color=plots.PINK, lw=2.5, label="total cross entropy")
    ax.plot(*plots.tangent_segment(b3, loss, slope, 1.2), color=plots.INK, label="tangent")
    ax.plot([b3], [loss], "o", color=plots.GREEN, ms=10, label="b3 now")
    ax.text(b3, loss, f"slope {slope:.3f}")
    ax.set_xlabel("b3")
    ax.set_ylabel("total cross entropy")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper right", fontsize=8)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def main(updates: int = 100) -> None:
    net = h.Network()
    X, y = h.training_data()
    values = np.linspace(-5.5, 3.5, updates)
    explorer = LossCurveExplorer(net, X, y)
    explorer_ms = []
    for value in values:
        explorer.b3_slider.value = float(value)  # runs the real observer
        explorer_ms.append(explorer.last_update_seconds * 1e3)
    naive_ms = []
    for value in values:
        start = time.perf_counter()
        naive_png(net, X, y, float(value), explorer.b3_grid)
        naive_ms.append((time.perf_counter() - start) * 1e3)
    explorer_median, naive_median = statistics.median(explorer_ms), statistics.median(naive_ms)
    frame_kb = len(explorer.image.value) / 1024
    print("| update handler (compute, draw, encode) | median | p95 | bytes sent per change |")
    print("|---|---:|---:|---:|")
    print(
        f"| explorer: moving artists on a transparent frame | {explorer_median:.1f} ms "
        f"| {np.percentile(explorer_ms, 95):.1f} ms | {frame_kb:.0f} KB |"
    )
    print(
        f"| naive: whole figure re-plotted and saved | {naive_median:.1f} ms | {np.percentile(naive_ms, 95):.1f} ms "
        f"| {len(naive_png(net, X, y, -2.0, explorer.b3_grid)) / 1024:.0f} KB |"
    )
    print(f"\n{updates} updates each; the explorer is {naive_median / explorer_median:.1f}x faster (medians)")


if __name__ == "__main__":
    main()
