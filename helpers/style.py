"""The series' look: colors every reader tells apart, figures drawn with Agg (never
pyplot), `show(fig, alt)` for a PNG with alt text, and the pieces that static figures and
explorers share (axes styles, decision regions, data dots, labelled surfaces).

`helpers.plots` re-exports all of it; import from there.
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

from helpers.network import SPECIES, Network, check_data, forward

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
SPECIES_DASHES = ([], [6, 3], [2, 2])  # the same dashes as the browser's canvas draws them, in CSS pixels
SPECIES_HATCHES = ("", "///", "...")  # and bars by hatching
PINK = "#e8488a"  # the loss curve
INK = "#222222"  # text and tangents
GREY = "#767676"  # the lightest grey that still reads 4.5:1 on white
TRAIL = "#888888"  # gradient descent's trail of steps (a graphic: 3:1 on white is enough)
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

    Parameters
    ----------
    png : bytes
        The figure as PNG bytes.
    alt : str
        What it shows and what to notice; blank alt text raises ValueError.
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
    # every connected region gets its name: one species can hold two separate regions (notebook 1's
    # Virginica at b3 = -2), and a region left unnamed is easily taken for another species
    pieces = connected_regions(predicted.reshape(petal.shape)).ravel()
    for piece in np.unique(pieces):
        inside = pieces == piece
        if np.mean(inside) > 0.04:  # a sliver has no room for a name
            members = points[inside]
            middle = np.median(members, axis=0)  # may fall outside a bent region: take its nearest member
            x, y = members[np.argmin(np.sum((members - middle) ** 2, axis=1))]
            box = {"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.75}
            ax.text(x, y, SPECIES[predicted[inside][0]], ha="center", va="center", fontsize=8, color=INK, bbox=box)


def connected_regions(classes: NDArray) -> NDArray:
    """A label per grid cell, equal for cells joined by a path of side-by-side cells of the same
    class (4-connected); the label is the smallest flat index in the region."""
    labels = np.arange(classes.size).reshape(classes.shape)
    across, down = classes[:, 1:] == classes[:, :-1], classes[1:] == classes[:-1]
    while True:  # spread each region's smallest label to its neighbours until nothing changes
        new = labels.copy()
        new[:, 1:] = np.where(across, np.minimum(new[:, 1:], new[:, :-1]), new[:, 1:])
        new[:, :-1] = np.where(across, np.minimum(new[:, :-1], new[:, 1:]), new[:, :-1])
        new[1:] = np.where(down, np.minimum(new[1:], new[:-1]), new[1:])
        new[:-1] = np.where(down, np.minimum(new[:-1], new[1:]), new[:-1])
        if np.array_equal(new, labels):
            return labels
        labels = new


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
