"""Figures for the notebooks, in the series' colors.

Figures are `matplotlib.figure.Figure` objects drawn with Agg, never pyplot, so nothing
global changes and nothing is shown twice. `show(fig)` turns one into a PNG for display.
Every figure has its own white background, so it stays readable in a dark theme.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from helpers.network import SPECIES, Network, b3_minimum, check_data, forward, loss_curve

# The series' colors.
BLUE, ORANGE = "#1f77b4", "#ff7f0e"  # the upper and bottom bent surfaces (hidden nodes)
GREEN, RED, PURPLE = "#2ca02c", "#d62728", "#9467bd"  # Setosa, Versicolor, Virginica
SPECIES_COLORS = (GREEN, RED, PURPLE)
PINK = "#e8488a"  # the loss curve
INK = "#222222"  # text and tangents

STYLE = {"facecolor": "white", "layout": "constrained"}


def new_figure(width: float, height: float, dpi: float = 100) -> Figure:
    """A white-backed figure with an Agg canvas, not registered with pyplot."""
    fig = Figure(figsize=(width, height), dpi=dpi, **STYLE)
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure) -> bytes:
    """The whole figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()


def show(fig: Figure):
    """Display a figure as a PNG in a notebook (an IPython Image; its text repr is stable)."""
    from IPython.display import Image  # only notebooks need IPython

    return Image(data=png_bytes(fig), format="png")


# --- pieces shared by static figures and explorers ------------------------------------


def style_axes(ax: Axes, title: str = "", xlabel: str = "", ylabel: str = "") -> Axes:
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return ax


def probability_axes(ax: Axes) -> Axes:
    """An empty axes for three probability bars (Setosa, Versicolor, Virginica), 0 to 1."""
    ax.set_xticks(range(3), SPECIES)
    ax.set_xlim(-0.6, 2.6)
    ax.set_ylim(0, 1.12)
    return style_axes(ax, ylabel="predicted probability")


def probability_bars(ax: Axes, probs: ArrayLike) -> None:
    """Three bars in the species' colors, each labelled with its probability."""
    probability_axes(ax)
    for k, p in enumerate(np.asarray(probs, dtype=float)):
        ax.bar(k, p, color=SPECIES_COLORS[k], width=0.6)
        ax.text(k, p + 0.01, f"{p:.2f}", ha="center", va="bottom", fontsize=10)


def input_grid(resolution: int = 60) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """A resolution x resolution grid over the input square: petal, sepal, and the (n, 2) points."""
    petal, sepal = np.meshgrid(np.linspace(0, 1, resolution), np.linspace(0, 1, resolution))
    return petal, sepal, np.column_stack([petal.ravel(), sepal.ravel()])


def region_colors(net: Network, resolution: int = 120) -> NDArray[np.float64]:
    """An RGB image over the input square: species colors mixed by predicted probability,
    lightened so data drawn on top stands out (rows are sepal width, columns petal width)."""
    from matplotlib.colors import to_rgb

    _, _, points = input_grid(resolution)
    probs = forward(net, points).probs
    rgb = probs @ np.array([to_rgb(color) for color in SPECIES_COLORS])
    return (0.45 * rgb + 0.55).reshape(resolution, resolution, 3)


def draw_data(ax: Axes, X: ArrayLike, y: ArrayLike, size: float = 40, **kwargs) -> list:
    """Observations as dots in their species' color, one artist per species."""
    X, y = check_data(X, y)
    return [
        ax.scatter(X[y == k, 0], X[y == k, 1], s=size, color=color, edgecolor="white", linewidth=0.8, label=name, **kwargs)
        for k, (name, color) in enumerate(zip(SPECIES, SPECIES_COLORS))
    ]


def style_input_square(ax: Axes, title: str = "") -> None:
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    style_axes(ax, title, "petal width (scaled)", "sepal width (scaled)")


# --- static figures ---------------------------------------------------------------------


def network_diagram(net: Network) -> Figure:
    """The network drawn as nodes and arrows, every weight and bias written on it.

    Arrows take the color of the hidden node they leave or enter (blue upper, orange
    bottom): each crinkled surface is the blue and orange bent surfaces, scaled and summed.
    """
    fig = new_figure(8.0, 4.2)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(-0.4, 4.1)
    ax.set_ylim(-0.5, 3.4)
    inputs = [((0, 2.4), "petal width\n$x_1$"), ((0, 0.6), "sepal width\n$x_2$")]
    hidden = [((1.6, 2.4), BLUE, "upper"), ((1.6, 0.6), ORANGE, "bottom")]
    outputs = [((3.1, 3.0 - 1.2 * k), color, name) for k, (name, color) in enumerate(zip(SPECIES, SPECIES_COLORS))]
    arrows = [(inputs[i][0], hidden[j][0], net.w_hidden[j, i], hidden[j][1], 0.3) for i in range(2) for j in range(2)]
    # labels from the upper node near its end, from the bottom node near the outputs: none overlap
    arrows += [
        (hidden[j][0], outputs[k][0], net.w_out[k, j], hidden[j][1], 0.25 if j == 0 else 0.75) for j in range(2) for k in range(3)
    ]
    for (x0, y0), (x1, y1), weight, color, where in arrows:
        ax.annotate(
            "",
            (x1 - 0.22, y1 - (y1 - y0) * 0.22 / (x1 - x0)),
            (x0 + 0.22, y0 + (y1 - y0) * 0.22 / (x1 - x0)),
            arrowprops={"arrowstyle": "->", "color": color, "lw": 1.3, "alpha": 0.85},
        )
        ax.text(
            x0 + (x1 - x0) * where,
            y0 + (y1 - y0) * where,
            f"{weight:g}",
            fontsize=9,
            ha="center",
            va="center",
            color=color,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
        )
    for (x, y), label in inputs:
        ax.text(x, y, label, ha="center", va="center", fontsize=10, bbox={"boxstyle": "round", "fc": "#eeeeee", "ec": INK})
    nodes = [
        (pos, color, f"ReLU\n({name})", "circle", f"$b_{j + 1}$ = {net.b_hidden[j]:g}", 0.55)
        for j, (pos, color, name) in enumerate(hidden)
    ]
    nodes += [
        (pos, color, f"$z$ {name}", "round", f"$b_{k + 3}$ = {net.b_out[k]:g}", 0.4)
        for k, (pos, color, name) in enumerate(outputs)
    ]
    for (x, y), color, label, box, bias_label, below in nodes:
        ax.text(x, y, label, ha="center", va="center", fontsize=9, color="white", bbox={"boxstyle": box, "fc": color, "ec": INK})
        ax.text(x, y - below, bias_label, ha="center", fontsize=9, color=color)
    ax.annotate("softmax\n$\\rightarrow$ $p_s, p_{ve}, p_{vi}$", (3.75, 1.8), ha="center", va="center", fontsize=9, color=INK)
    ax.set_title("The network: 2 inputs, 2 ReLU nodes, 3 outputs, then softmax", fontsize=11)
    return fig


def surfaces_figure(net: Network, X: ArrayLike | None = None, y: ArrayLike | None = None) -> Figure:
    """3-D surfaces over the input square: the blue and orange bent surfaces (hidden nodes,
    after ReLU), and the green, red and purple crinkled surfaces (raw outputs) they make."""
    petal, sepal, points = input_grid(30)
    fp = forward(net, points)
    fig = new_figure(10, 4.4)
    bent = fig.add_subplot(1, 2, 1, projection="3d")
    for j, color in enumerate((BLUE, ORANGE)):
        bent.plot_surface(petal, sepal, fp.hidden[:, j].reshape(petal.shape), color=color, alpha=0.75, linewidth=0)
    bent.set_title("Bent surfaces: upper (blue), bottom (orange)", fontsize=10)
    crinkled = fig.add_subplot(1, 2, 2, projection="3d")
    for k, color in enumerate(SPECIES_COLORS):
        crinkled.plot_surface(petal, sepal, fp.raw[:, k].reshape(petal.shape), color=color, alpha=0.7, linewidth=0)
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
    ax = style_axes(fig.add_subplot(), "Total cross entropy as b3 changes", "$b_3$", "total cross entropy")
    ax.plot(b3, curve, color=PINK, lw=2.5, label="total cross entropy")
    best_b3, best_loss = b3_minimum(net, X, y)
    ax.plot(best_b3, best_loss, "v", color=INK, ms=9, label=f"minimum: $b_3$ = {best_b3:.4f}, {best_loss:.2f}")
    now = float(loss_curve(net, X, y, net.b3))
    ax.plot(net.b3, now, "o", color=GREEN, ms=9, label=f"$b_3$ = {net.b3:g}: {now:.2f}")
    ax.legend(fontsize=9)
    return fig
