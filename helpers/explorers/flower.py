"""Notebook 01's flower explorer: place a flower on the input square, read its probabilities."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from helpers import overlay as ov
from helpers import plots
from helpers.explorers.base import DPI, PX, Explorer, bars, control, grid_input, layers, probabilities_said, slider, title
from helpers.network import SPECIES, Network, check_data, forward


class FlowerExplorer(Explorer):
    """Notebook 01: petal and sepal sliders place a flower on the input square; the bars
    give the network's three probabilities for it.

    Parameters
    ----------
    net : Network
        The network whose predictions shade the square and fill the bars.
    X, y : array_like
        The training flowers drawn on the square, (n, 2) inputs and n species indices.
    """

    def __init__(self, net: Network, X: ArrayLike, y: ArrayLike) -> None:
        self.net = net
        X, y = check_data(X, y)
        self.petal_slider = slider("petal width", 0.5, 0, 1)
        self.sepal_slider = slider("sepal width", 0.5, 0, 1)
        self.axis = ov.grid(0, 1, 0.01)
        drawn = self._figure(X, y)
        self.overlay = ov.Overlay(self._inputs(), spec=self._spec(drawn), background=drawn.background, tables=self._tables())
        ov.link(self.petal_slider, self.overlay, "petal")
        ov.link(self.sepal_slider, self.overlay, "sepal")
        super().__init__([self.petal_slider, self.sepal_slider, self.overlay])
        self.add_class("flower-explorer")

    @property
    def probabilities(self) -> NDArray[np.float64]:
        """The network's three probabilities for the flower at the sliders (what the bars show)."""
        return forward(self.net, [[self.overlay.petal, self.overlay.sepal]]).probs[0]

    def _figure(self, X: NDArray, y: NDArray):
        fig = plots.new_figure(8.0, 3.4, dpi=DPI)
        regions = fig.add_subplot(1, 2, 1)
        regions.imshow(plots.region_colors(self.net), origin="lower", extent=(0, 1, 0, 1))
        plots.draw_boundaries(regions, self.net)
        plots.draw_data(regions, X, y, size=60)
        plots.style_input_square(regions, "what the network predicts where")
        bars_ax = fig.add_subplot(1, 2, 2)
        plots.probability_axes(bars_ax)
        return layers(fig, [regions, bars_ax])

    def _inputs(self) -> dict:
        return {"petal": grid_input(self.axis, 0.5), "sepal": grid_input(self.axis, 0.5)}

    def _tables(self) -> dict:
        petal, sepal = np.meshgrid(self.axis, self.axis)  # rows: sepal, columns: petal
        n = len(self.axis)
        probs = forward(self.net, np.column_stack([petal.ravel(), sepal.ravel()])).probs.reshape(n, n, 3)
        return {
            "probs": ov.table(probs, ["sepal", "petal"], "u2"),
            "prediction": ov.table(probs.argmax(axis=2), ["sepal", "petal"], "u1"),
        }

    def _spec(self, drawn) -> dict:
        said = probabilities_said("p")
        star = {"kind": "point", "axes": 0, "x": "petal", "y": "sepal", "marker": "*", "size": 18 * PX}
        return {
            "size": drawn.size,
            "axes": drawn.axes,
            "values": {f"p{k}": {"table": "probs", "indices": [k]} for k in range(3)} | {"prediction": {"table": "prediction"}},
            "lists": {"species": list(SPECIES)},
            "readouts": [
                {
                    "where": "below",
                    "class": "flower-status",
                    "html": "a flower with petal width {petal:.2f} and sepal width {sepal:.2f}: "
                    f"<b>predicted {{prediction:@species}}</b> ({said})",
                }
            ],
            "describe": "Left: the input square shaded by the species the network predicts, with the three training "
            "flowers and a star at the chosen flower, petal width {petal:.2f}, sepal width {sepal:.2f}. Right: its three "
            f"probabilities as bars: {said}; predicted {{prediction:@species}}.",
            "announce": f"petal {{petal:.2f}}, sepal {{sepal:.2f}}: predicted {{prediction:@species}}, {said}.",
            "controls": [
                control(self.petal_slider, "petal", "petal width of the flower"),
                control(self.sepal_slider, "sepal", "sepal width of the flower"),
            ],
            "marks": [
                {**star, "color": "white", "edge": plots.INK},
                bars(1, ["p0", "p1", "p2"]),
                title(drawn.axes[1], "prediction: {prediction:@species}"),
            ],
        }
