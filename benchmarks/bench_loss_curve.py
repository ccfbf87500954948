"""Time `helpers.loss_curve` against the series' own plain-Python loop, in one run.

    python benchmarks/bench_loss_curve.py

Prints a Markdown table: the 200-value curve of part 5 both ways (same numbers, and the
ratio), then scaling to 10,000 b3 values over the 150 iris rows, with time and peak memory.
"""

from __future__ import annotations

import math
import statistics
import time
import tracemalloc

import numpy as np

import helpers as h


def series_predict(petal, sepal, b3):
    """One observation's probabilities, as the series computes them: numpy, one row at a time."""
    upper = np.maximum(0, -2.5 * petal + 0.6 * sepal + 1.6)
    bottom = np.maximum(0, -1.5 * petal + 0.4 * sepal + 0.7)
    raw = np.array([-0.1 * upper + 1.5 * bottom + b3, 2.4 * upper - 5.2 * bottom + 0.0, -2.2 * upper + 3.7 * bottom + 1.0])
    return np.exp(raw) / np.sum(np.exp(raw))


def series_loss_curve(b3_values, rows):
    """The series' way (part 5): for each b3, a plain Python loop over the rows."""
    totals = []
    for b3 in b3_values:
        total = 0.0
        for petal, sepal, observed in rows:
            total += -np.log(series_predict(petal, sepal, b3)[observed])
        totals.append(total)
    return totals


def math_loss_curve(b3_values, rows):
    """A harder baseline: the same loop with no numpy at all, only floats and `math`."""
    totals = []
    for b3 in b3_values:
        total = 0.0
        for petal, sepal, observed in rows:
            upper = max(0.0, -2.5 * petal + 0.6 * sepal + 1.6)
            bottom = max(0.0, -1.5 * petal + 0.4 * sepal + 0.7)
            raw = (
                -0.1 * upper + 1.5 * bottom + b3,
                2.4 * upper - 5.2 * bottom + 0.0,
                -2.2 * upper + 3.7 * bottom + 1.0,
            )
            exps = [math.exp(z) for z in raw]
            total += -math.log(exps[observed] / sum(exps))
        totals.append(total)
    return totals


def median_seconds(call, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mib(call):
    tracemalloc.start()
    call()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    net = h.Network()
    X, y = h.training_data()
    rows = [(float(p), float(s), int(c)) for (p, s), c in zip(X, y)]
    b3 = np.linspace(-6, 4, 200)

    loop_curve = series_loss_curve(b3, rows)
    vector_curve = h.loss_curve(net, X, y, b3)
    max_difference = float(np.max(np.abs(np.array(loop_curve) - vector_curve)))

    math_difference = float(np.max(np.abs(np.array(math_loss_curve(b3, rows)) - vector_curve)))
    loop_s = median_seconds(lambda: series_loss_curve(b3, rows), 15)
    math_s = median_seconds(lambda: math_loss_curve(b3, rows), 50)
    vector_s = median_seconds(lambda: h.loss_curve(net, X, y, b3), 500)

    Xi, yi = h.iris_data()
    iris_rows = [(float(p), float(s), int(c)) for (p, s), c in zip(Xi, yi)]
    big = np.linspace(-6, 4, 10_000)
    big_vector_s = median_seconds(lambda: h.loss_curve(net, Xi, yi, big), 10)
    big_loop_s = median_seconds(lambda: math_loss_curve(big, iris_rows), 1)
    big_peak = peak_mib(lambda: h.loss_curve(net, Xi, yi, big))

    print(
        "| curve | loop, as in the series (numpy per row) | loop, pure `math` | `h.loss_curve` "
        "| speed-up vs series | vs pure math |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    print(
        f"| 200 b3 values x 3 rows | {loop_s * 1e3:.2f} ms | {math_s * 1e3:.2f} ms | {vector_s * 1e3:.3f} ms "
        f"| {loop_s / vector_s:.0f}x | {math_s / vector_s:.0f}x |"
    )
    print(
        f"| 10,000 b3 values x 150 iris rows | (not run: minutes) | {big_loop_s * 1e3:.0f} ms | {big_vector_s * 1e3:.1f} ms "
        f"| | {big_loop_s / big_vector_s:.0f}x |"
    )
    print()
    print(f"largest difference from the loops (200 values): {max_difference:.1e} (series), {math_difference:.1e} (math)")
    print(
        f"peak memory of h.loss_curve at 10,000 x 150: {big_peak:.1f} MiB "
        f"(one (10000, 150) float grid is {10_000 * 150 * 8 / 2**20:.1f} MiB)"
    )


if __name__ == "__main__":
    main()
