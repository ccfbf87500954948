"""Figures for the notebooks, in the series' colors.

Figures are `matplotlib.figure.Figure` objects drawn with Agg, never pyplot, so nothing
global changes and nothing is shown twice. `show(fig, alt)` turns one into a PNG with alt text for display.
Every figure has its own white background, so it stays readable in a dark theme.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from helpers.diagrams import computation_graph_figure, network_diagram
from helpers.network import SPECIES, Network, accuracy, b3_minimum, check_data, forward, loss_curve, output_bias_log_sweep
from helpers.style import (  # the series' look, re-exported: notebooks use plots.show, plots.PINK, ...
    BLUE,
    GREEN,
    GREY,
    INK,
    ORANGE,
    PINK,
    PURPLE,
    RED,
    SPECIES_COLORS,
    SPECIES_DASHES,
    SPECIES_HATCHES,
    SPECIES_LINESTYLES,
    SPECIES_MARKERS,
    STYLE,
    TIMES,
    TRAIL,
    Picture,
    connected_regions,
    draw_boundaries,
    draw_data,
    input_grid,
    label_surfaces,
    new_figure,
    png_bytes,
    png_size,
    probability_axes,
    readable,
    region_colors,
    show,
    style_axes,
    style_input_square,
)

# --- static figures ---------------------------------------------------------------------


def surfaces_figure(net: Network, X: ArrayLike | None = None, y: ArrayLike | None = None) -> Figure:
    """3-D surfaces over the input square: the blue and orange bent surfaces (hidden nodes,
    after ReLU), and the green, red and purple crinkled surfaces (raw outputs) they make."""
    petal, sepal, points = input_grid(30)
    fp = forward(net, points)
    fig = new_figure(10, 4.4)
    bent = fig.add_subplot(1, 2, 1, projection="3d")
    hidden = [fp.hidden[:, j].reshape(petal.shape) for j in range(2)]
    for z, color in zip(hidden, (BLUE, ORANGE)):
        bent.plot_surface(petal, sepal, z, color=color, alpha=0.75, linewidth=0)
    label_surfaces(bent, petal, sepal, hidden, ["upper", "bottom"], [BLUE, ORANGE])
    bent.set_title("Bent surfaces: upper (blue), bottom (orange)", fontsize=10)
    crinkled = fig.add_subplot(1, 2, 2, projection="3d")
    raw = [fp.raw[:, k].reshape(petal.shape) for k in range(3)]
    for z, color in zip(raw, SPECIES_COLORS):
        crinkled.plot_surface(petal, sepal, z, color=color, alpha=0.7, linewidth=0)
    label_surfaces(crinkled, petal, sepal, raw, list(SPECIES), list(SPECIES_COLORS))
    crinkled.set_title("Crinkled surfaces: Setosa, Versicolor, Virginica", fontsize=10)
    bent.set_zlabel("hidden node output")
    crinkled.set_zlabel("raw output z")
    for ax in (bent, crinkled):
        ax.set_xlabel("petal width")
        ax.set_ylabel("sepal width")
        ax.view_init(elev=22, azim=-125)
    return fig


def loss_curve_figure(net: Network, X: ArrayLike, y: ArrayLike, b3_range: tuple[float, float] = (-6, 4)) -> Figure:
    """The pink total cross entropy over b3, the current b3 and the exact minimum marked."""
    b3 = np.linspace(*b3_range, 400)
    curve = loss_curve(net, X, y, b3)
    fig = new_figure(6.5, 3.8)
    ax = style_axes(fig.add_subplot(), "Total CE as $b_3$ changes", "$b_3$", "total CE")
    ax.plot(b3, curve, color=PINK, lw=2.5, label="total CE")
    best_b3, best_loss = b3_minimum(net, X, y)
    ax.plot(best_b3, best_loss, "v", color=INK, ms=9, label=f"minimum: $b_3$ = {best_b3:.4f}, {best_loss:.2f}")
    now = float(loss_curve(net, X, y, net.b3))
    ax.plot(net.b3, now, "o", color=GREEN, ms=9, label=f"$b_3$ = {net.b3:g}: {now:.2f}")
    ax.legend(fontsize=9)
    return fig


# --- static twins of the explorers (a saved notebook shows no widgets) ---------------------


def surface_lift_figure(net: Network, X: ArrayLike, y: ArrayLike, b3_values: tuple[float, float] = (-2.0, 0.0)) -> Figure:
    """The crinkled surfaces at two values of b3: only the green one moves, yet row 1's three
    probabilities all change (the static twin of SurfaceExplorer)."""
    X, y = check_data(X, y)
    fig = new_figure(9, 3.6)
    for column, b3 in enumerate(b3_values):
        moved = net.with_biases(b3=b3)
        petal, sepal, points = input_grid(18)
        raw = [z.reshape(petal.shape) for z in forward(moved, points).raw.T]
        ax = fig.add_subplot(1, 2, column + 1, projection="3d")
        ax.set_proj_type("ortho")
        for k, color in enumerate(SPECIES_COLORS):
            ax.plot_surface(petal, sepal, raw[k], color=color, alpha=0.75 if k == 0 else 0.5, lw=0)
        ax.set_zlim(-6, 4)
        label_surfaces(ax, petal, sepal, raw, list(SPECIES), list(SPECIES_COLORS))
        ax.view_init(elev=20, azim=-125)
        ax.set(xlabel="petal", ylabel="sepal")
        p = forward(moved, X[:1]).probs[0]
        ax.set_title(
            f"$b_3$ = {b3:g}: row 1 gets $p_s$ = {p[0]:.2f}, $p_{{ve}}$ = {p[1]:.2f}, $p_{{vi}}$ = {p[2]:.2f}", fontsize=10
        )
    return fig


def flower_predictions_figure(net: Network, X: ArrayLike, y: ArrayLike) -> Figure:
    """What the network predicts over the input square, and its three probabilities for each
    training flower (the static twin of FlowerExplorer)."""
    X, y = check_data(X, y)
    fig = new_figure(9, 3.4)
    regions, bars = fig.subplots(1, 2, width_ratios=(1, 1.4))
    regions.imshow(region_colors(net), origin="lower", extent=(0, 1, 0, 1))
    draw_boundaries(regions, net)
    draw_data(regions, X, y, size=60)
    regions.legend(fontsize=8, loc="upper right")
    for i, (petal, sepal) in enumerate(X):
        regions.annotate(f"row {i + 1}", (petal, sepal), (6, 6), textcoords="offset points", fontsize=9)
    style_input_square(regions, "what the network predicts where")
    probs = forward(net, X).probs
    for k, color in enumerate(SPECIES_COLORS):
        positions = np.arange(len(y)) + (k - 1) * 0.26
        bars.bar(positions, probs[:, k], width=0.24, color=color, hatch=SPECIES_HATCHES[k], edgecolor="white", label=SPECIES[k])
    bars.set_xticks(range(len(y)), [f"row {i + 1}\n(observed {SPECIES[c]})" for i, c in enumerate(y)])
    bars.set_ylim(0, 1.05)
    bars.legend(fontsize=8, loc="upper left")
    style_axes(bars, "the network's probabilities for each flower", ylabel="predicted probability")
    return fig


def _flower_ce(net: Network, X: NDArray, y: NDArray, row: int, b3: ArrayLike) -> NDArray:
    """One flower's CE at each b3 value (h.loss_curve on that flower alone: vectorized)."""
    return loss_curve(net, X[row : row + 1], y[row : row + 1], b3)


def species_losses_figure(net: Network, X: ArrayLike, y: ArrayLike) -> Figure:
    """Each flower's cross entropy against b3, in its observed species' color, with its
    tangent at b3 = -2: the Setosa's falls, the other two rise (static twin of notebook 2's
    explorer)."""
    X, y = check_data(X, y)
    b3 = np.linspace(-6, 4, 201)
    fig = new_figure(6.5, 3.6)
    ax = style_axes(fig.add_subplot(), "Each flower's CE as $b_3$ moves", "$b_3$", "CE of that flower")
    at = net.b3
    for row, species in enumerate(y):
        ce = _flower_ce(net, X, y, row, b3)
        p_s = forward(net, X[row : row + 1]).probs[0, 0]
        slope = p_s - (species == 0)
        here = float(_flower_ce(net, X, y, row, at))
        color, marker, dash = SPECIES_COLORS[species], SPECIES_MARKERS[species], SPECIES_LINESTYLES[species]
        label = f"observed {SPECIES[species]}: slope at $-2$ = {slope:.2f}"
        ax.plot(b3, ce, color=color, ls=dash, marker=marker, markevery=[0, 200], mec=INK, mew=0.6, lw=2, label=label)
        ax.plot([at - 1.3, at + 1.3], [here - 1.3 * slope, here + 1.3 * slope], color=INK, lw=1.2)
        ax.plot(at, here, marker, color=color, mec=INK, mew=0.6, ms=8)
    ax.set_ylim(0, 6.5)
    ax.legend(fontsize=8, loc="upper center")
    return fig


def setosa_tangents_figure(net: Network, X: ArrayLike, y: ArrayLike, at: tuple[float, ...] = (-4.0, -2.0, 0.0, 2.0)) -> Figure:
    """The Setosa flower's cross entropy against b3 with tangents whose slopes read p_s - 1
    (static twin of notebook 3's explorer)."""
    X, y = check_data(X, y)
    b3 = np.linspace(-6, 4, 201)
    fig = new_figure(6.5, 3.6)
    ax = style_axes(fig.add_subplot(), "Observed Setosa: every tangent's slope is $p_s - 1$", "$b_3$", "CE of the Setosa flower")
    ax.plot(b3, _flower_ce(net, X, y, 0, b3), color=INK, lw=2)
    for value in at:
        p_s = forward(net.with_biases(b3=value), X[:1]).probs[0, 0]
        here, slope = -np.log(p_s), p_s - 1
        ax.plot([value - 1, value + 1], [here - slope, here + slope], color=PINK, lw=1.5)
        ax.plot(value, here, "o", color=PINK, mec="white", ms=8)
        ax.annotate(f"$p_s$ = {p_s:.2f}\nslope {slope:.2f}", (value, here), (4, 8), textcoords="offset points", fontsize=8)
    ax.set_ylim(0, 6.5)
    return fig


def bias_derivatives_figure(net: Network, X: ArrayLike, y: ArrayLike) -> Figure:
    """dCE/db_k for each output bias, swept one at a time, for each observed species: the own
    class's bias runs between -1 and 0, the others between 0 and 1 (static twin of notebook
    4's derivative panel)."""
    X, y = check_data(X, y)
    values = np.linspace(-6, 4, 201)
    fig = new_figure(10, 3.2)
    axes = fig.subplots(1, 3, sharey=True)
    for species, ax in enumerate(axes):
        row = int(np.flatnonzero(np.equal(y, species))[0])
        for k, bias in enumerate(("b3", "b4", "b5")):
            p_k = np.exp(output_bias_log_sweep(net, X[row : row + 1], bias, values)[:, 0, k])
            style = {"color": SPECIES_COLORS[k], "ls": SPECIES_LINESTYLES[k], "marker": SPECIES_MARKERS[k], "markevery": 40}
            ax.plot(values, p_k - (k == species), lw=2, mec=INK, mew=0.6, label=f"d CE / d {bias}", **style)
        ax.axhline(0, color="#999999", lw=0.8)
        style_axes(ax, f"observed {SPECIES[species]}", "value of the bias moved")
    axes[0].set_ylabel("slope of that flower's CE")
    axes[0].legend(fontsize=8, loc="center left")
    return fig


def training_snapshots_figure(
    visited: list[Network], X: ArrayLike, y: ArrayLike, steps: tuple[int, ...] = (0, 20, 200, 2000)
) -> Figure:
    """Decision regions at a few steps of training (static twin of TrainingExplorer)."""
    X, y = check_data(X, y)
    fig = new_figure(2.6 * len(steps), 3.3)
    for ax, step in zip(fig.subplots(1, len(steps)), steps):
        net = visited[step]
        ax.imshow(region_colors(net, 80), origin="lower", extent=(0, 1, 0, 1))
        draw_boundaries(ax, net, 80)
        draw_data(ax, X, y, size=10)
        style_input_square(ax, f"step {step}: {accuracy(net, X, y):.0%} right")
        ax.set(xlabel="petal", ylabel="sepal" if step == steps[0] else "")
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=3, fontsize=8)
    return fig


def loss_slopes_figure() -> Figure:
    """Why cross entropy: the slope of each loss with respect to the observed class's raw
    output z, against that class's probability p. Cross entropy's is p - 1, near -1 when the
    prediction is badly wrong; squared error (1 - p)^2 has -2 p (1 - p)^2, which vanishes
    exactly there, so a confidently wrong network would barely learn."""
    p = np.linspace(0.001, 0.999, 400)
    fig = new_figure(6.5, 3.4)
    ax = style_axes(
        fig.add_subplot(), "How hard each loss pushes z when p is wrong", "p of the observed species", "slope d loss / d z"
    )
    ax.plot(p, p - 1, color=PINK, lw=2.5, label="cross entropy $-\\log p$: slope $p - 1$")
    ax.plot(p, -2 * p * (1 - p) ** 2, color=GREY, lw=2.5, ls="--", label="squared error $(1 - p)^2$: slope $-2p(1-p)^2$")
    ax.axvline(0.151, color=GREEN, lw=1, ls="--")
    ax.annotate("our Setosa, $p_s$ = 0.15", (0.151, -0.95), (6, 0), textcoords="offset points", fontsize=8, color=readable(GREEN))
    ax.axhline(0, color="#999999", lw=0.8)
    ax.legend(fontsize=8, loc="lower right")
    return fig


def descent_figure(net: Network, X: ArrayLike, y: ArrayLike, steps: list, b3_range: tuple[float, float] = (-6, 4)) -> Figure:
    """The pink curve with the points gradient descent visited (`h.gradient_descent`'s steps),
    numbered: the static twin of pressing Play in the explorer."""
    b3 = np.linspace(*b3_range, 400)
    fig = new_figure(6.5, 3.6)
    ax = style_axes(fig.add_subplot(), "Gradient descent on $b_3$, step by step", "$b_3$", "total CE")
    ax.plot(b3, loss_curve(net, X, y, b3), color=PINK, lw=2.5, label="total CE")
    path_b3, path_loss = [s.b3 for s in steps], [s.loss for s in steps]
    ax.plot(path_b3, path_loss, "o--", color=TRAIL, ms=5, lw=1, label=f"{len(steps) - 1} steps")
    ax.plot(path_b3[-1], path_loss[-1], "o", color=GREEN, ms=10, mec="white", label=f"end: $b_3$ = {path_b3[-1]:.2f}")
    for number in range(4):
        ax.annotate(
            str(number), (path_b3[number], path_loss[number]), (0, 8), textcoords="offset points", ha="center", fontsize=8
        )
    ax.legend(fontsize=8, loc="upper center")
    return fig


__all__ = [
    "BLUE",
    "GREEN",
    "GREY",
    "INK",
    "ORANGE",
    "PINK",
    "PURPLE",
    "RED",
    "SPECIES_COLORS",
    "SPECIES_DASHES",
    "SPECIES_HATCHES",
    "SPECIES_LINESTYLES",
    "SPECIES_MARKERS",
    "STYLE",
    "TIMES",
    "TRAIL",
    "Picture",
    "bias_derivatives_figure",
    "computation_graph_figure",
    "connected_regions",
    "descent_figure",
    "draw_boundaries",
    "draw_data",
    "flower_predictions_figure",
    "input_grid",
    "label_surfaces",
    "loss_curve_figure",
    "loss_slopes_figure",
    "network_diagram",
    "new_figure",
    "png_bytes",
    "png_size",
    "probability_axes",
    "readable",
    "region_colors",
    "setosa_tangents_figure",
    "show",
    "species_losses_figure",
    "style_axes",
    "style_input_square",
    "surface_lift_figure",
    "surfaces_figure",
    "training_snapshots_figure",
]
