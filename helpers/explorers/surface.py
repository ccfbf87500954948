"""Notebook 01's 3-D explorer: b3 lifts the Setosa surface; the chosen row's probabilities answer."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from numpy.typing import ArrayLike, NDArray

from helpers import overlay as ov
from helpers import plots
from helpers.explorers.base import (
    DPI,
    Explorer,
    bars,
    choice_input,
    control,
    grid_input,
    layers,
    probabilities_said,
    slider,
    title,
)
from helpers.network import SPECIES, Network, b3_sweep, check_data, forward


class SurfaceExplorer(Explorer):
    """Notebook 01: b3 lifts the green (Setosa) crinkled surface, and all three predicted
    probabilities of the chosen row answer, since z_s sits in every softmax denominator.

    The 3-D view is orthographic, so lifting the green surface by d moves its picture
    straight up the screen by d times a fixed number of pixels: the browser slides one
    picture of it, drawn once by matplotlib.

    Parameters
    ----------
    net : Network
        The network whose raw outputs are drawn; its b3 is where the slider starts.
    X, y : array_like
        The training rows, (n, 2) inputs and n species indices, one dropdown entry each.
    b3_range : (float, float), default (-6.0, 4.0)
        The b3 slider's ends (steps of 0.01); the 3-D axes leave room for the whole lift.
    """

    def __init__(self, net: Network, X: ArrayLike, y: ArrayLike, b3_range: tuple[float, float] = (-6.0, 4.0)) -> None:
        self.X, self.y = check_data(X, y)
        self.start = net
        self.b3_grid = ov.grid(*b3_range, 0.01)
        self.b3_slider = slider("b3", net.b3, *b3_range)
        row_names = [f"row {i + 1}: {SPECIES[c]} ({p:.2f}, {s:.2f})" for i, ((p, s), c) in enumerate(zip(self.X, self.y))]
        self.row = widgets.Dropdown(options=[(name, i) for i, name in enumerate(row_names)], description="row")
        self.row.layout.width = "420px"
        drawn, sprite = self._figure(b3_range)
        self.overlay = ov.Overlay(
            self._inputs(),
            spec=self._spec(drawn, sprite[1]),
            background=drawn.background,
            pictures={"green": sprite[0]},
            tables=self._tables(),
        )
        ov.link(self.b3_slider, self.overlay, "b3")
        ov.link(self.row, self.overlay, "row", control_trait="index")
        super().__init__([self.b3_slider, self.row, self.overlay])
        self.add_class("surface-explorer")

    @property
    def probabilities(self) -> NDArray[np.float64]:
        """The chosen row's three probabilities at the slider's b3 (what the bars show)."""
        i = self.overlay.row
        return forward(self.start.with_biases(b3=self.overlay.b3), self.X[i : i + 1]).probs[0]

    def _figure(self, b3_range: tuple[float, float]):
        """The 3-D surfaces and the bars' axes; the green surface and its name cut out as a sprite."""
        net = self.start
        petal, sepal, points = plots.input_grid(18)
        raw = forward(net, points).raw
        fig = plots.new_figure(8.0, 3.6, dpi=DPI)
        ax3d = fig.add_subplot(1, 2, 1, projection="3d")
        ax3d.set_proj_type("ortho")  # lifting a surface is then a pure shift on screen
        surfaces = [raw[:, k].reshape(petal.shape) for k in range(3)]
        for k in (1, 2):
            ax3d.plot_surface(petal, sepal, surfaces[k], color=plots.SPECIES_COLORS[k], alpha=0.55, lw=0)
        setosa_without_b3 = surfaces[0] - net.b3
        green = ax3d.plot_surface(petal, sepal, surfaces[0], color=plots.GREEN, alpha=0.75, lw=0)
        ax3d.set_zlim(
            min(raw[:, 1:].min(), setosa_without_b3.min() + b3_range[0]),
            max(raw[:, 1:].max(), setosa_without_b3.max() + b3_range[1]),
        )
        names = plots.label_surfaces(ax3d, petal, sepal, surfaces, list(SPECIES), list(plots.SPECIES_COLORS))
        ax3d.set(xlabel="petal", ylabel="sepal")
        ax3d.set_title("raw outputs: green moves with $b_3$", fontsize=10)
        ax3d.view_init(elev=20, azim=-125)
        bars_ax = fig.add_subplot(1, 2, 2)
        plots.probability_axes(bars_ax)
        moving = [green, names[0]]  # the green surface and its name: the browser slides their picture
        drawn = layers(fig, [bars_ax], hidden=moving)
        sprite = ov.artists_png(fig, moving, crop=True)
        self.shift = ov.surface_shift(ax3d)
        self.figure, self.ax3d = fig, ax3d
        return drawn, sprite

    def _inputs(self) -> dict:
        return {"b3": grid_input(self.b3_grid, self.start.b3), "row": choice_input(list(range(len(self.y))), 0)}

    def _tables(self) -> dict:
        probs = np.swapaxes(b3_sweep(self.start, self.X, self.y, self.b3_grid)[0], 0, 1)  # every row at every b3
        return {"probs": ov.table(probs, ["row", "b3"], "u2")}

    def _spec(self, drawn, sprite_at: tuple[int, int]) -> dict:
        said = probabilities_said("p")
        sprite = {"kind": "sprite", "picture": "green", "pixel": list(sprite_at), "shift": list(self.shift), "by": "b3"}
        return {
            "size": drawn.size,
            "axes": drawn.axes,
            "values": {f"p{k}": {"table": "probs", "indices": [k]} for k in range(3)},
            "lists": {"rows": [f"row {i + 1} (observed {SPECIES[c]})" for i, c in enumerate(self.y)]},
            "readouts": [{"where": "below", "class": "surface-status", "html": f"<b>{{row:@rows}}, b3 = {{b3:.2f}}</b>: {said}"}],
            "describe": "Left: the raw outputs as 3-D surfaces over the input square, the green Setosa surface "
            "lifted by b3 = {b3:.2f} while the red and purple stay put. Right: bars of " + f"{{row:@rows}}: {said}.",
            "announce": f"b3 = {{b3:.2f}}, {{row:@rows}}: {said}.",
            "controls": [
                control(self.b3_slider, "b3", "b3, the Setosa output bias"),
                control(self.row, "row", "training flower"),
            ],
            "marks": [
                {**sprite, "reference": self.start.b3, "clip": False},
                bars(0, ["p0", "p1", "p2"]),
                title(drawn.axes[0], "{row:@rows}, b3 = {b3:.2f}"),
            ],
        }
