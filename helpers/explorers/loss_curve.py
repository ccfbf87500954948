"""The main explorer (notebooks 05 and 06): the loss curve over b3 and gradient descent on it."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike, NDArray

from helpers import overlay as ov
from helpers import plots
from helpers.explorers.base import DPI, P_NAMES, PX, Explorer, control, grid_input, layers, slider
from helpers.network import (
    SPECIES,
    TOLERANCE,
    Network,
    b3_minimum,
    b3_sweep,
    bias_derivatives,
    check_data,
    check_learning_rate,
    loss_curve,
)

DOWNHILL = ("to the left, towards lower b3", "nowhere: this is the lowest point", "to the right, towards higher b3")
FLAT = 0.003  # a slope this small rounds to 0.00: the curve is flat there
OFFLINE_NOTE = (
    "b4 and b5 reshape the curve in Python, so they need a running kernel. In Jupyter, run "
    "the notebook (Run > Run All Cells; after a restart, run it again); in a page without Python, open the "
    "notebook in Jupyter or on Binder. Everything else here works as it is."
)


def downhill(slope: ArrayLike) -> NDArray[np.int64]:
    """Which way the loss falls, as an index into DOWNHILL: 0 left (slope > 0), 1 flat, 2 right."""
    slope = np.asarray(slope, dtype=float)
    return np.where(slope > FLAT, 0, np.where(slope < -FLAT, 2, 1))


class LossCurveExplorer(Explorer):
    """The pink total cross entropy over b3, a point that follows the b3 slider, its tangent,
    and gradient descent on b3 (Step, Play, Reset) with a trail of the points visited.

    Sliders for b4 and b5 reshape the curve (Python rebuilds the tables); a table under the
    figure gives each row's probabilities, cross entropy and d/db3 term.

    Parameters
    ----------
    net : Network
        The network whose b3 moves; its b3 is where the point and Reset start, its b4 and b5
        where their sliders start.
    X, y : array_like
        The observations, (n, 2) inputs and n species indices, whose total cross entropy is drawn.
    b3_range : (float, float), default (-6.0, 4.0)
        The b3 slider's ends (steps of 0.01); gradient descent stays within them.
    learning_rate : float, default 1.0
        Where the learning-rate slider (0.05 to 4) starts.
    """

    def __init__(
        self,
        net: Network,
        X: ArrayLike,
        y: ArrayLike,
        b3_range: tuple[float, float] = (-6.0, 4.0),
        learning_rate: float = 1.0,
    ) -> None:
        self.X, self.y = check_data(X, y)
        self.start = net
        self.b3_grid = ov.grid(*b3_range, 0.01)
        self.b3_slider = slider("b3", net.b3, *b3_range)
        self.learning_rate_slider = slider("learning rate", check_learning_rate(learning_rate), 0.05, 4.0, 0.05)
        self.b4_slider = slider("b4", net.b4, -4, 4, 0.1)
        self.b5_slider = slider("b5", net.b5, -4, 4, 0.1)
        self.figure, self.ax = self._figure(b3_range)
        self._spec = self._base_spec(b3_range)
        self._ylim_top, self._background = 0.0, b""
        tables, curve = self._tables()
        self.overlay = ov.Overlay(self._inputs(), spec=self._spec_now(curve), tables=tables, background=self._background)
        ov.link(self.b3_slider, self.overlay, "hand")
        ov.link(self.learning_rate_slider, self.overlay, "learning_rate")
        self.offline_links = ov.disable_offline(self.overlay, self.b4_slider, self.b5_slider)
        self.b4_slider.observe(self._reshape, names="value")
        self.b5_slider.observe(self._reshape, names="value")
        controls = [self.b3_slider, self.learning_rate_slider, widgets.HBox([self.b4_slider, self.b5_slider])]
        super().__init__([*controls, self.overlay])
        self.add_class("loss-curve-explorer")  # a handle for the browser tests

    # what is drawn now
    @property
    def network(self) -> Network:
        return self.start.with_biases(b3=self.overlay.b3, b4=self.b4_slider.value, b5=self.b5_slider.value)

    @property
    def point(self) -> tuple[float, float]:
        """(b3, total cross entropy) of the point now drawn."""
        b3 = float(self.overlay.b3)
        return b3, float(loss_curve(self.network, self.X, self.y, b3))

    @property
    def slope(self) -> float:
        """d(total CE)/d b3 at the point now drawn: the tangent's slope."""
        return bias_derivatives(self.network, self.X, self.y)["b3"]

    @property
    def trail(self) -> list[tuple[float, float]]:
        """The (b3, total CE) points Step has left, oldest first."""
        return [(float(b3), float(loss)) for b3, loss in self.overlay.trail]

    # actions (the page's buttons do the same in the browser)
    def step(self) -> float:
        """One gradient-descent step from the current b3, exactly; returns the new b3."""
        low, high = self.b3_grid[0], self.b3_grid[-1]
        b3, loss = self.point
        new = float(np.clip(b3 - self.learning_rate_slider.value * self.slope, low, high))
        self._move(new, [*self.overlay.trail, [b3, loss]])
        return new

    def reset(self) -> None:
        """Back to the starting b3, trail cleared."""
        self._move(self.start.b3, [])

    def _move(self, b3: float, trail: list) -> None:
        hand = ov.snap(self.overlay.inputs["hand"], b3)
        with self.overlay.hold_sync():  # one message: the browser sees b3 and hand together
            self.overlay.trail = trail
            self.overlay.b3 = b3
            self.overlay.hand = hand

    # the figure: axes and legend (the y-range follows the curve, see _spec_now)
    def _figure(self, b3_range: tuple[float, float]):
        fig = plots.new_figure(6.4, 3.6, dpi=DPI)
        ax = plots.style_axes(fig.add_subplot(), "", "$b_3$", "total CE")
        ax.set_xlim(*b3_range)
        legend = [
            Line2D([], [], color=plots.PINK, lw=2.5, label="total CE"),
            Line2D([], [], marker="v", ls="", color=plots.INK, ms=8, label="lowest point"),
            Line2D([], [], marker="o", ls="--", color="#888888", ms=4, lw=1, label="steps taken"),
            Line2D([], [], color=plots.INK, lw=1.5, label="tangent"),
            Line2D([], [], marker="o", ls="", color=plots.GREEN, ms=10, mec="white", label="$b_3$ now"),
        ]
        ax.legend(handles=legend, loc="upper center", fontsize=8)  # the curve's low middle leaves room
        return fig, ax

    # tables: every number the figure shows, at every b3 of the slider
    def _tables(self) -> tuple[dict, NDArray[np.float64]]:
        """The tables, and the loss curve itself (for the y-range)."""
        net = self.start.with_biases(b4=self.b4_slider.value, b5=self.b5_slider.value)
        probs, row_ce = b3_sweep(net, self.X, self.y, self.b3_grid)
        terms = probs[:, :, 0] - (self.y == 0)  # each row's p_s - [observed is Setosa]
        loss, slope = row_ce.sum(axis=1), terms.sum(axis=1)
        tables = {
            "loss": ov.table(loss, ["b3"]),
            "slope": ov.table(slope, ["b3"]),
            "downhill": ov.table(downhill(slope), ["b3"], "u1"),
            "probs": ov.table(probs, ["b3"], "u2"),
            "row_ce": ov.table(row_ce, ["b3"]),
            "terms": ov.table(terms, ["b3"]),
            "minimum": ov.table(b3_minimum(net, self.X, self.y), []),
        }
        return tables, loss

    # the spec: what the browser draws, from which table
    def _values(self) -> dict:
        values: dict = {"loss": {"table": "loss"}, "slope": {"table": "slope"}, "next": {"next": True}}
        values |= {"downhill": {"table": "downhill"}}
        values |= {"min_b3": {"table": "minimum", "at": [0]}, "min_loss": {"table": "minimum", "at": [1]}}
        for i in range(len(self.y)):
            values[f"ce{i}"] = {"table": "row_ce", "at": [i]}
            values[f"term{i}"] = {"table": "terms", "at": [i]}
            for k in range(3):
                values[f"p{i}_{k}"] = {"table": "probs", "at": [i, k]}
        return values

    @staticmethod
    def _marks() -> list[dict]:
        trail = {"kind": "path", "points": "trail", "then": ["b3", "loss"], "color": "#888888", "width": PX}
        return [
            {"kind": "curve", "table": "loss", "over": "b3", "color": plots.PINK, "width": 2.5 * PX},
            {"kind": "point", "x": "min_b3", "y": "min_loss", "marker": "v", "size": 8 * PX, "color": plots.INK},
            {**trail, "dash": [4, 3], "marker_size": 4 * PX},
            {"kind": "tangent", "x": "b3", "y": "loss", "slope": "slope", "half": 1.2, "color": plots.INK, "width": 1.5 * PX},
            {"kind": "point", "x": "b3", "y": "loss", "size": 10 * PX, "color": plots.GREEN, "edge": "white"},
        ]

    def _readouts(self) -> list[dict]:
        status = (
            "<b>b3 = {b3:.2f}</b> &nbsp; total CE = {loss:.3f} &nbsp; slope d(total CE)/db3 = {slope:.3f}"
            " &nbsp; next step: b3 &minus; {learning_rate:.2f} &times; slope = {next:.2f}"
        )
        return [
            {"where": "above", "class": "loss-status", "html": status},
            {
                "where": "below",
                "class": "loss-table",
                "region": "each flower's probabilities, cross entropy and slope term at this b3",
                "html": breakdown_template(self.X, self.y),
            },
            {
                "where": "below",
                "class": "loss-minimum",
                "html": "lowest point of the curve: b3 = {min_b3:.4f}, total CE = {min_loss:.4f}",
            },
        ]

    def _inputs(self) -> dict:
        rate, start = self.learning_rate_slider, self.start.b3
        return {
            "b3": grid_input(self.b3_grid, start),  # where the point is (a Step may leave the grid)
            "hand": grid_input(self.b3_grid, start),  # where the slider is
            "learning_rate": grid_input(ov.grid(rate.min, rate.max, rate.step), rate.value),
        }

    def _base_spec(self, b3_range: tuple[float, float]) -> dict:
        """Everything in the spec but the size and axes (see _spec_now); the overlay adds its inputs."""
        start = self.start.b3
        descent = {"position": "b3", "hand": "hand", "slope": "slope", "loss": "loss", "rate": "learning_rate"}
        descent |= {"tolerance": TOLERANCE, "start": start, "low": b3_range[0], "high": b3_range[1]}
        return {
            "values": self._values(),
            "marks": self._marks(),
            "readouts": self._readouts(),
            "descent": {**descent, "max_steps": 500, "interval_ms": 300},
            "rules": {"follow": {"hand": "b3"}},
            "offline_note": OFFLINE_NOTE,
            "lists": {"downhill": list(DOWNHILL)},
            "describe": "Loss curve: the total cross entropy against b3, from -6 to 4, lowest at b3 = {min_b3:.4f} "
            "(total CE {min_loss:.4f}). The point is at b3 = {b3:.2f}, total CE {loss:.3f}; its tangent's slope is "
            "{slope:.3f}, so downhill is {downhill:@downhill}.",
            "announce": "b3 = {b3:.2f}: total CE {loss:.3f}, slope {slope:.3f}, downhill {downhill:@downhill}.",
            "controls": [
                control(self.b3_slider, "b3", "b3, the Setosa output bias"),
                control(self.learning_rate_slider, "learning-rate", "learning rate"),
                control(self.b4_slider, "b4", "b4, the Versicolor output bias", ".1f", needs_kernel=True),
                control(self.b5_slider, "b5", "b5, the Virginica output bias", ".1f", needs_kernel=True),
            ],
        }

    def _spec_now(self, curve: NDArray[np.float64]) -> dict:
        """The spec, with a y-range that fits the curve (the axes redrawn only when it changes)."""
        top = float(np.ceil(curve.max() * 1.08))
        if top != self._ylim_top:
            self._ylim_top = top
            self.ax.set_ylim(0, top)
            # the first picture is saved with the notebook; later ones only travel once
            drawn = layers(self.figure, [self.ax], smallest=not self._background)
            self._background = drawn.background
            self._spec = {**self._spec, "size": drawn.size, "axes": drawn.axes}
        return self._spec

    def _reshape(self, _change=None) -> None:
        """b4 or b5 moved: new tables (vectorized), new axes only if the curve outgrew them."""
        tables, curve = self._tables()
        spec = self._spec_now(curve)
        with self.overlay.hold_sync():
            self.overlay.trail = []  # old points lay on the old curve
            self.overlay.tables = tables
            self.overlay.spec = spec
            self.overlay.background = self._background


# Each column's full spoken name: a screen reader spells "p_s" or "dCE/db3" letter by letter.
COLUMNS = (
    ("petal", "petal width"),
    ("sepal", "sepal width"),
    ("observed", "observed species"),
    *((name, f"probability of {species}") for name, species in zip(P_NAMES, SPECIES)),
    ("CE", "cross entropy"),
    ("dCE/db3", "slope term, d C E by d b3"),
)


def breakdown_template(X: NDArray, y: NDArray) -> str:
    """Each row's probabilities (observed one in bold), cross entropy and d/db3 term.

    Every row has one cell per column (a uniform table: the total row's label is a row
    header, then empty cells), and each column header carries its full spoken name."""
    # Shown short, spoken in full: a cell's header is read from its text (Orca ignores an
    # aria-label there), so the full name is hidden text and the short one is hidden from speech.
    head = "".join(
        f'<th scope="col"><span aria-hidden="true">{shown}</span><span class="overlay-spoken">{spoken}</span></th>'
        for shown, spoken in COLUMNS
    )
    rows = []
    for i in range(len(y)):
        cells = "".join(f"<td><b>{{p{i}_{k}:.2f}}</b></td>" if k == y[i] else f"<td>{{p{i}_{k}:.2f}}</td>" for k in range(3))
        rows.append(
            f"<tr><td>{X[i, 0]:.2f}</td><td>{X[i, 1]:.2f}</td><td>{SPECIES[y[i]]}</td>{cells}"
            f"<td>{{ce{i}:.2f}}</td><td>{{term{i}:.2f}}</td></tr>"
        )
    blanks = "<td></td>" * (len(COLUMNS) - 3)
    total = f'<tr><th scope="row">total</th>{blanks}<td><b>{{loss:.2f}}</b></td><td><b>{{slope:.2f}}</b></td></tr>'
    return f"<table><tr>{head}</tr>{''.join(rows)}{total}</table>"
