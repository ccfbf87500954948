"""Figures for the notebooks, in the series' colors.

Figures are `matplotlib.figure.Figure` objects drawn with Agg, never pyplot, so nothing
global changes and nothing is shown twice. `show(fig, alt)` turns one into a PNG with alt text for display.
Every figure has its own white background, so it stays readable in a dark theme.
"""

from __future__ import annotations

import base64
import html
import io
import itertools

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from helpers.network import SPECIES, Network, accuracy, b3_minimum, check_data, forward, loss_curve, output_bias_log_sweep

# The series' colors, tuned so that every reader tells them apart: the three species stay
# at least 20 apart (CAM02-UCS) under simulated deuteranopia, protanopia and tritanopia
# (tests/test_colors.py), and every color stands out from white at 3:1 or more (WCAG's
# rule for graphics). Color never works alone: species also differ by marker shape and
# line style, and text drawn in a color uses its darker `readable` shade (4.5:1).
BLUE, ORANGE = "#1f77b4", "#dd7300"  # the upper and bottom bent surfaces (hidden nodes)
GREEN, RED, PURPLE = "#2c9f70", "#cc3311", "#8561b0"  # Setosa, Versicolor, Virginica
SPECIES_COLORS = (GREEN, RED, PURPLE)
SPECIES_MARKERS = ("o", "s", "^")  # circle, square, triangle: dots tell species apart by shape too
SPECIES_LINESTYLES = ("-", "--", ":")  # and lines by dash
SPECIES_HATCHES = ("", "///", "...")  # and bars by hatching
PINK = "#e8488a"  # the loss curve
INK = "#222222"  # text and tangents
GREY = "#767676"  # the lightest grey that still reads 4.5:1 on white
TIMES = "\u00d7"  # the multiplication sign, in labels

STYLE = {"facecolor": "white", "layout": "constrained"}


def readable(color: str, background: str = "white", ratio: float = 4.5) -> str:
    """`color` darkened just enough for text on `background` to reach `ratio` (WCAG contrast)."""
    from matplotlib.colors import to_hex, to_rgb

    def luminance(rgb: NDArray[np.float64]) -> float:
        linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(linear @ [0.2126, 0.7152, 0.0722])

    back = luminance(np.array(to_rgb(background)))
    rgb = np.array(to_rgb(color))
    for shade in np.linspace(1, 0, 101):  # from the color itself towards black
        lum = luminance(rgb * shade)
        if (max(lum, back) + 0.05) / (min(lum, back) + 0.05) >= ratio:
            return to_hex(rgb * shade)
    return "#000000"


def new_figure(width: float, height: float, dpi: float = 100) -> Figure:
    """A white-backed figure with an Agg canvas, not registered with pyplot."""
    fig = Figure(figsize=(width, height), dpi=dpi, **STYLE)
    FigureCanvasAgg(fig)
    return fig


def png_bytes(fig: Figure) -> bytes:
    """The whole figure as a PNG of at most 256 colors: a third of the bytes for these flat,
    few-colored figures (notebooks stay small), with no visible difference."""
    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white")
    rgb = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    buffer = io.BytesIO()
    rgb.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(buffer, format="png", optimize=True)
    return buffer.getvalue()


class Picture:
    """A figure ready to display, with its alt text: what it shows and what to notice.

    It displays as HTML, an ``<img>`` carrying the alt text, because JupyterLab gives a bare
    PNG output no alt text (it reads no metadata for it), while exported and book pages keep
    the HTML as it is. The PNG is not sent a second time beside it: notebooks stay small.
    The text repr is the alt text itself, so plain-text viewers and strict nbval see words.
    """

    def __init__(self, png: bytes, alt: str) -> None:
        alt = " ".join(alt.split())
        if not alt:
            raise ValueError("A figure needs alt text: say in a sentence or two what it shows and what to notice.")
        self.png, self.alt = png, alt

    def _repr_html_(self) -> str:
        encoded = base64.b64encode(self.png).decode("ascii")
        width, height = png_size(self.png)
        return (
            f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(self.alt)}" '
            f'width="{width}" height="{height}" style="max-width: 100%; height: auto">'
        )

    def __repr__(self) -> str:
        return f"Figure: {self.alt}"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, read from a PNG's header (its IHDR chunk)."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def show(fig: Figure, alt: str) -> Picture:
    """Display a figure as a PNG with alt text (say what it shows and what to notice)."""
    return Picture(png_bytes(fig), alt)


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
    """Observations as dots in their species' color and marker shape, one artist per species."""
    X, y = check_data(X, y)
    return [
        ax.scatter(
            X[y == k, 0], X[y == k, 1], s=size, color=color, marker=marker, edgecolor=INK, linewidth=0.6, label=name, **kwargs
        )
        for k, (name, color, marker) in enumerate(zip(SPECIES, SPECIES_COLORS, SPECIES_MARKERS))
    ]


def draw_boundaries(ax: Axes, net: Network, resolution: int = 120, names: bool = True) -> None:
    """Lines where the predicted species changes, and each region's name at its middle, so
    regions do not rest on color alone. A boundary of species k is where p_k equals the
    largest other probability: a smooth level line of their difference."""
    petal, sepal, points = input_grid(resolution)
    probs = forward(net, points).probs
    predicted = probs.argmax(axis=1)
    for k in range(3):
        share = np.mean(predicted == k)
        if share == 0 or share == 1:
            continue
        margin = probs[:, k] - np.delete(probs, k, axis=1).max(axis=1)
        ax.contour(petal, sepal, margin.reshape(petal.shape), levels=[0.0], colors=INK, linewidths=1.0)
    if not names:
        return
    for k in range(3):
        inside = predicted == k
        if np.mean(inside) > 0.04:  # a sliver has no room for a name
            x, y = np.median(points[inside], axis=0)
            box = {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.75}
            ax.text(x, y, SPECIES[k], ha="center", va="center", fontsize=8, color=INK, bbox=box)


def label_surfaces(ax, petal: NDArray, sepal: NDArray, surfaces: list[NDArray], names: list[str], colors: list[str]) -> list:
    """Name each 3-D surface beside it (a legend by color alone would not do), at the corner
    of the input square's right-hand edge (widest petal, nearest the reader in these views)
    where the surfaces lie furthest apart, the names pushed apart where the surfaces meet."""
    corners = [(0, -1), (-1, -1)]
    heights = np.array([[z[i, j] for z in surfaces] for i, j in corners])
    spread = [np.min(np.diff(np.sort(h))) for h in heights]
    corner = int(np.argmax(spread))
    i, j = corners[corner]
    low, high = ax.get_zlim()  # call after the z-limits are set: the gap is a share of them
    gap = 0.13 * (high - low)
    order = np.argsort(heights[corner])
    placed = heights[corner].astype(float).copy()
    for lower, upper in itertools.pairwise(order):  # from the lowest name up
        placed[upper] = max(placed[upper], placed[lower] + gap)
    return [
        ax.text(petal[i, j], sepal[i, j], z_text, f" {name}", color=readable(color), fontsize=9, fontweight="bold")
        for z_text, name, color in zip(placed, names, colors)
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
            color=readable(color),
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
        fill = readable(color, "white")  # white text on it reads at 4.5:1
        ax.text(x, y, label, ha="center", va="center", fontsize=9, color="white", bbox={"boxstyle": box, "fc": fill, "ec": INK})
        ax.text(x, y - below, bias_label, ha="center", fontsize=9, color=readable(color))
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


# --- backpropagation drawn: the computation graph of one flower -----------------------------


def _node(ax: Axes, xy: tuple[float, float], name: str, value: float, grad: float | None, color: str) -> None:
    """A node: its name and forward value in a box, its gradient dCE/d(node) in pink below."""
    ax.text(
        *xy,
        f"{name}\n{value:.3f}",
        ha="center",
        va="center",
        fontsize=9,
        bbox={"boxstyle": "round", "fc": "white", "ec": color, "lw": 2},
    )
    if grad is not None:
        style = {"ha": "center", "va": "top", "fontsize": 8.5, "color": readable(PINK), "fontweight": "bold"}
        ax.text(xy[0], xy[1] - 0.42, f"grad {grad:.3f}", **style)


def _edge(ax: Axes, start: tuple[float, float], end: tuple[float, float], label: str = "", color: str = "#888888") -> None:
    ax.annotate("", end, start, arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2, "shrinkA": 22, "shrinkB": 22})
    if label:
        middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.18)
        ax.text(
            *middle,
            label,
            ha="center",
            va="bottom",
            fontsize=7.5,
            color=INK,
            bbox={"boxstyle": "round,pad=0.15", "fc": "#fff4f8", "ec": "none"},
        )


def computation_graph_figure(net: Network, X: ArrayLike, y: ArrayLike, row: int = 0) -> Figure:
    """Backpropagation on one flower (observed Setosa), drawn.

    Top: the path from b3 to the loss. Each node shows its forward value and its gradient
    dCE/d(node); each edge back from the loss shows "local x upstream", the chain rule's
    one step. Bottom: the upper hidden node feeds all three raw outputs, so its gradient is
    the sum of three such products, one per path.
    """
    X, y = check_data(X, y)
    fp = forward(net, X[row : row + 1])
    upper = fp.hidden[0, 0]
    z, p = fp.raw[0], fp.probs[0]
    observed = int(y[row])
    d_z = p - np.eye(3)[observed]  # dCE/dz_k = p_k - [k observed]
    d_p = -1 / p[observed]
    local_softmax = p[observed] * (1 - p[observed])
    fig = new_figure(10, 6.4)
    top, low = fig.subplots(2, 1)
    for ax in (top, low):
        ax.set_xlim(-0.6, 10.6)
        ax.set_axis_off()
    top.set_ylim(-1.9, 1.6)
    low.set_ylim(-2.6, 2.9)

    # top: b3 -> z_s -> p_s -> CE, with the other inputs of z_s and of softmax shown
    where = {
        "b3": (0.8, 0.9),
        "upper": (0.8, -0.8),
        "z_s": (3.8, 0.0),
        "z_others": (3.8, -1.35),
        "p_s": (6.6, 0.0),
        "CE": (9.4, 0.0),
    }
    _node(top, where["b3"], "$b_3$", net.b3, d_z[0], GREEN)
    _node(top, where["upper"], "upper", upper, None, BLUE)
    top.text(where["upper"][0], where["upper"][1] - 0.42, "(and bottom)", ha="center", va="top", fontsize=8, color=INK)
    _node(top, where["z_s"], "$z_s$", z[0], d_z[0], GREEN)
    top.text(
        *where["z_others"], f"$z_{{ve}}$ = {z[1]:.3f}, $z_{{vi}}$ = {z[2]:.3f}", ha="center", va="center", fontsize=8.5, color=INK
    )
    _node(top, where["p_s"], "$p_s$", p[observed], d_p, GREEN)
    _node(top, where["CE"], "CE", -np.log(p[observed]), 1.0, PINK)
    _edge(top, where["b3"], where["z_s"], f"local 1 {TIMES} upstream {d_z[0]:.3f}")
    _edge(top, where["upper"], where["z_s"], f"$w$ = {net.w_out[0, 0]:g}")
    _edge(top, where["z_s"], where["p_s"], f"local $p_s(1-p_s)$ = {local_softmax:.3f}\n{TIMES} upstream {d_p:.3f}")
    _edge(top, where["z_others"], where["p_s"])
    _edge(top, where["p_s"], where["CE"], f"local $-1/p_s$ = {d_p:.3f}\n{TIMES} upstream 1")
    top.set_title(f"Backward from the loss: each gradient = local derivative {TIMES} the gradient upstream", fontsize=10)

    # bottom: the upper node's gradient sums its three paths
    node = (1.2, 0.0)
    _node(low, node, "upper", upper, float(d_z @ net.w_out[:, 0]), BLUE)
    names = ("$z_s$", "$z_{ve}$", "$z_{vi}$")
    for k in range(3):
        at = (5.0, 1.9 - 1.9 * k)
        _node(low, at, names[k], z[k], d_z[k], SPECIES_COLORS[k])
        _edge(
            low,
            node,
            at,
            f"local $w$ = {net.w_out[k, 0]:g} {TIMES} upstream {d_z[k]:.3f} = {net.w_out[k, 0] * d_z[k]:.3f}",
            SPECIES_COLORS[k],
        )
    terms = " + ".join(f"({net.w_out[k, 0] * d_z[k]:.3f})" for k in range(3))
    low.text(
        8.3,
        0.0,
        f"grad of upper\n= sum over its 3 paths\n= {terms}\n= {d_z @ net.w_out[:, 0]:.3f}",
        ha="center",
        va="center",
        fontsize=9,
        bbox={"boxstyle": "round", "fc": "#fff4f8", "ec": PINK},
    )
    low.set_title("A hidden node feeds every raw output, so its gradient adds up one product per path", fontsize=10)
    return fig


def descent_figure(net: Network, X: ArrayLike, y: ArrayLike, steps: list, b3_range: tuple[float, float] = (-6, 4)) -> Figure:
    """The pink curve with the points gradient descent visited (`h.gradient_descent`'s steps),
    numbered: the static twin of pressing Play in the explorer."""
    b3 = np.linspace(*b3_range, 400)
    fig = new_figure(6.5, 3.6)
    ax = style_axes(fig.add_subplot(), "Gradient descent on $b_3$, step by step", "$b_3$", "total CE")
    ax.plot(b3, loss_curve(net, X, y, b3), color=PINK, lw=2.5, label="total CE")
    path_b3, path_loss = [s.b3 for s in steps], [s.loss for s in steps]
    ax.plot(path_b3, path_loss, "o--", color="#888888", ms=5, lw=1, label=f"{len(steps) - 1} steps")
    ax.plot(path_b3[-1], path_loss[-1], "o", color=GREEN, ms=10, mec="white", label=f"end: $b_3$ = {path_b3[-1]:.2f}")
    for number in range(4):
        ax.annotate(
            str(number), (path_b3[number], path_loss[number]), (0, 8), textcoords="offset points", ha="center", fontsize=8
        )
    ax.legend(fontsize=8, loc="upper center")
    return fig
