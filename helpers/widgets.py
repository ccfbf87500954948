"""The live explorers: ipywidgets controls over figures the browser draws.

Python computes, the browser draws (`helpers.overlay`). Each explorer computes, once and
vectorized, every number its figure shows at every position of its controls; matplotlib
draws what no control changes; the shared front end (`helpers/js/overlay.js`) draws the
rest as the controls move, with no kernel round trip. Controls that reshape the tables
(b4 and b5 in the loss-curve explorer) ask Python for new tables: one round trip.

Every explorer is an `ipywidgets.VBox` of its controls and its `overlay`.
"""

from __future__ import annotations

from typing import ClassVar

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike, NDArray
from traitlets import CFloat

from helpers import overlay as ov
from helpers import plots
from helpers.network import (
    BIAS_NAMES,
    SPECIES,
    Network,
    b3_minimum,
    bias_derivatives,
    check_data,
    check_learning_rate,
    forward,
    loss_curve,
    output_bias_log_sweep,
)
from helpers.network import accuracy as network_accuracy  # `accuracy` is a trait name here

OUTPUT_BIASES = BIAS_NAMES[2:]  # b3, b4, b5: one per species
P_NAMES = ("p_s", "p_ve", "p_vi")  # the probabilities as the series writes them
CONVERGED = 1e-4  # a step smaller than this ends Play, as in h.gradient_descent
DASHES = ([], [6, 3], [2, 2])  # the species' line styles (plots.SPECIES_LINESTYLES) in CSS pixels
DPI = 100  # figure pixels per inch; shown at one CSS pixel per figure pixel
PX = DPI / 72  # CSS pixels per typographic point (matplotlib sizes are in points)


class Slider(widgets.FloatSlider):
    """A FloatSlider whose moves are not echoed back to the browser.

    ipywidgets 8 answers every change from the browser with an `echo_update` message, so
    that other views of the same widget agree. In a notebook with one view that message is
    redundant traffic on every keypress. A value the kernel changes is still sent as usual.
    """

    value = CFloat(0.0, help="Float value").tag(sync=True, echo_update=False)


def _slider(description: str, value: float, low: float, high: float, step: float = 0.01) -> Slider:
    return Slider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=".2f",
        continuous_update=True,  # jslink follows a drag only when this is on
        layout=widgets.Layout(width="420px"),
        style={"description_width": "90px"},  # room for "learning rate", uncut
    )


def _grid_input(values: NDArray[np.float64], value: float, kind: str = "float") -> dict:
    """An overlay input whose tables hold one entry per grid value."""
    step = float(values[1] - values[0]) if len(values) > 1 else 1.0
    return {"min": float(values[0]), "step": step, "count": len(values), "value": value, "kind": kind}


def _choice_input(choices: list[int], value: int) -> dict:
    """An overlay input set by a dropdown's index; its tables hold one entry per choice."""
    return {"choices": list(choices), "value": value, "kind": "int"}


def _control(widget: widgets.Widget, name: str, label: str, fmt: str = ".2f", needs_kernel: bool = False, **extra) -> dict:
    """Describe a control for overlay.js, which gives it an accessible name (`label`) and a
    value text in its readout's format; `needs_kernel` controls leave the Tab order, with
    the explorer's note as the reason, when no kernel is there."""
    css_class = f"control-{name}"
    widget.add_class(css_class)
    return {"class": css_class, "label": label, "format": fmt, "needs_kernel": needs_kernel, **extra}


def _running_cell() -> tuple[str, int] | None:
    """(the notebook cell being run, as the front end names it, its execution count), or
    None outside a Jupyter kernel or for a front end that names no cells."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    kernel = getattr(shell, "kernel", None)
    if kernel is None:
        return None
    cell = kernel.get_parent().get("metadata", {}).get("cellId")  # JupyterLab, Notebook 7, nbclient send it
    return (cell, shell.execution_count) if cell else None


class Explorer(widgets.VBox):
    """Controls above a browser-drawn figure (`self.overlay`).

    Running a cell again replaces the explorers it made: the old ones are closed, so their
    widgets and tables do not pile up in the kernel. An explorer shown by another cell is
    left alone (it was made once, by its own cell).
    """

    overlay: ov.Overlay
    _made_by_cell: ClassVar[dict[str, tuple[int, list[Explorer]]]] = {}  # cell id -> (its run, explorers made)

    def __init__(self, children: list[widgets.Widget]) -> None:
        super().__init__(children=children)
        self.add_class("explorer")  # overlay.js finds the explorer's controls under it
        running = _running_cell()
        if running is not None:
            cell, run = running
            previous_run, made = self._made_by_cell.get(cell, (run, []))
            if previous_run != run:  # the cell runs again: what it made before is replaced
                for explorer in made:
                    explorer.close()
                made = []
            self._made_by_cell[cell] = (run, [*made, self])

    def close(self) -> None:
        """Close every widget of this explorer, in the kernel and in the browser."""
        for widget in ov.widgets_under(self):
            if widget is not self:
                widget.close()
        super().close()

    def __repr__(self) -> str:
        # What a viewer that draws no widgets shows in the explorer's place (also JupyterLab,
        # for a notebook it does not trust): what to do, and where the still figure is.
        # ipywidgets cuts the text after 110 characters.
        return f"{type(self).__name__}: run the notebook (Run > Run All Cells) to move it; the still figure shows the idea."


# --- the main explorer: the loss curve over b3 -----------------------------------------------


class LossCurveExplorer(Explorer):
    """The pink total cross entropy over b3, a point that follows the b3 slider, its tangent,
    and gradient descent on b3 (Step, Play, Reset) with a trail of the points visited.

    Sliders for b4 and b5 reshape the curve (Python rebuilds the tables); a table under the
    figure gives each row's probabilities, cross entropy and d/db3 term.
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
        self.b3_slider = _slider("b3", net.b3, *b3_range)
        self.learning_rate_slider = _slider("learning rate", check_learning_rate(learning_rate), 0.05, 4.0, 0.05)
        self.b4_slider = _slider("b4", net.b4, -4, 4, 0.1)
        self.b5_slider = _slider("b5", net.b5, -4, 4, 0.1)

        fig = plots.new_figure(6.4, 3.6, dpi=DPI)
        self.ax = plots.style_axes(fig.add_subplot(), "", "$b_3$", "total CE")
        self.ax.set_xlim(*b3_range)
        legend = [
            Line2D([], [], color=plots.PINK, lw=2.5, label="total CE"),
            Line2D([], [], marker="v", ls="", color=plots.INK, ms=8, label="lowest point"),
            Line2D([], [], marker="o", ls="--", color="#888888", ms=4, lw=1, label="steps taken"),
            Line2D([], [], color=plots.INK, lw=1.5, label="tangent"),
            Line2D([], [], marker="o", ls="", color=plots.GREEN, ms=10, mec="white", label="$b_3$ now"),
        ]
        self.ax.legend(handles=legend, loc="upper center", fontsize=8)  # the curve's low middle leaves room
        self.figure = fig

        n = len(self.y)
        rate = self.learning_rate_slider
        inputs = {
            "b3": _grid_input(self.b3_grid, net.b3),  # where the point is (a Step may leave the grid)
            "hand": _grid_input(self.b3_grid, net.b3),  # where the slider is
            "learning_rate": _grid_input(ov.grid(rate.min, rate.max, rate.step), rate.value),
        }
        values: dict = {"loss": {"table": "loss"}, "slope": {"table": "slope"}, "next": {"next": True}}
        values |= {"downhill": {"table": "downhill"}}
        values |= {"min_b3": {"table": "minimum", "at": [0]}, "min_loss": {"table": "minimum", "at": [1]}}
        for i in range(n):
            values[f"ce{i}"] = {"table": "row_ce", "at": [i]}
            values[f"term{i}"] = {"table": "terms", "at": [i]}
            for k in range(3):
                values[f"p{i}_{k}"] = {"table": "probs", "at": [i, k]}
        self._spec = {
            "inputs": inputs,
            "values": values,
            "marks": [
                {"kind": "curve", "table": "loss", "over": "b3", "color": plots.PINK, "width": 2.5 * PX},
                {"kind": "point", "x": "min_b3", "y": "min_loss", "marker": "v", "size": 8 * PX, "color": plots.INK},
                {
                    "kind": "path",
                    "points": "trail",
                    "then": ["b3", "loss"],
                    "color": "#888888",
                    "width": PX,
                    "dash": [4, 3],
                    "marker_size": 4 * PX,
                },
                {"kind": "tangent", "x": "b3", "y": "loss", "slope": "slope", "half": 1.2, "color": plots.INK, "width": 1.5 * PX},
                {"kind": "point", "x": "b3", "y": "loss", "size": 10 * PX, "color": plots.GREEN, "edge": "white"},
            ],
            "readouts": [
                {
                    "where": "above",
                    "class": "loss-status",
                    "html": "<b>b3 = {b3:.2f}</b> &nbsp; total CE = {loss:.3f} &nbsp; slope d(total CE)/db3 = {slope:.3f}"
                    " &nbsp; next step: b3 &minus; {learning_rate:.2f} &times; slope = {next:.2f}",
                },
                {
                    "where": "below",
                    "class": "loss-table",
                    "region": "each flower's probabilities, cross entropy and slope term at this b3",
                    "html": _breakdown_template(self.X, self.y),
                },
                {
                    "where": "below",
                    "class": "loss-minimum",
                    "html": "lowest point of the curve: b3 = {min_b3:.4f}, total CE = {min_loss:.4f}",
                },
            ],
            "descent": {
                "position": "b3",
                "hand": "hand",
                "slope": "slope",
                "loss": "loss",
                "rate": "learning_rate",
                "tolerance": CONVERGED,
                "start": net.b3,
                "low": b3_range[0],
                "high": b3_range[1],
                "max_steps": 500,
                "interval_ms": 300,
            },
            "rules": {"follow": {"hand": "b3"}},
            "offline_note": "b4 and b5 reshape the curve in Python, so they need a running kernel. In Jupyter, run "
            "the notebook (Run > Run All Cells; after a restart, run it again); in a page without Python, open the "
            "notebook in Jupyter or on Binder. Everything else here works as it is.",
            "lists": {"downhill": list(DOWNHILL)},
            "describe": "Loss curve: the total cross entropy against b3, from -6 to 4, lowest at b3 = {min_b3:.4f} "
            "(total CE {min_loss:.4f}). The point is at b3 = {b3:.2f}, total CE {loss:.3f}; its tangent's slope is "
            "{slope:.3f}, so downhill is {downhill:@downhill}.",
            "announce": "b3 = {b3:.2f}: total CE {loss:.3f}, slope {slope:.3f}, downhill {downhill:@downhill}.",
            "controls": [
                _control(self.b3_slider, "b3", "b3, the Setosa output bias"),
                _control(self.learning_rate_slider, "learning-rate", "learning rate"),
                _control(self.b4_slider, "b4", "b4, the Versicolor output bias", ".1f", needs_kernel=True),
                _control(self.b5_slider, "b5", "b5, the Virginica output bias", ".1f", needs_kernel=True),
            ],
        }
        self._ylim_top, self._background = 0.0, b""
        tables, curve = self._tables()
        self.overlay = ov.Overlay(inputs, spec=self._spec_now(curve), tables=tables, background=self._background)
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
        hand_grid = self.overlay.inputs["hand"]
        hand = ov.snap(b3, hand_grid["min"], hand_grid["step"])
        with self.overlay.hold_sync():  # one message: the browser sees b3 and hand together
            self.overlay.trail = trail
            self.overlay.b3 = b3
            self.overlay.hand = hand

    # tables: every number the figure shows, at every b3 of the slider
    def _tables(self) -> tuple[dict, NDArray[np.float64]]:
        """The tables, and the loss curve itself (for the y-range)."""
        net = self.start.with_biases(b4=self.b4_slider.value, b5=self.b5_slider.value)
        probs, row_ce = _rows_over_b3(net, self.X, self.y, self.b3_grid)
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

    def _spec_now(self, curve: NDArray[np.float64]) -> dict:
        """The spec, with a y-range that fits the curve (the axes redrawn only when it changes)."""
        top = float(np.ceil(curve.max() * 1.08))
        if top != self._ylim_top:
            self._ylim_top = top
            self.ax.set_ylim(0, top)
            ov.freeze(self.figure)
            # the first picture is saved with the notebook; later ones only travel once
            self._background, _ = ov.render_layers(self.figure, smallest=not self._background)
            w, h = self.figure.canvas.get_width_height()
            self._spec = {**self._spec, "size": [w, h], "axes": [ov.axes_mapping(self.ax)]}
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


DOWNHILL = ("to the left, towards lower b3", "nowhere: this is the lowest point", "to the right, towards higher b3")
FLAT = 0.003  # a slope this small rounds to 0.00: the curve is flat there


def downhill(slope: ArrayLike) -> NDArray[np.int64]:
    """Which way the loss falls, as an index into DOWNHILL: 0 left (slope > 0), 1 flat, 2 right."""
    slope = np.asarray(slope, dtype=float)
    return np.where(slope > FLAT, 0, np.where(slope < -FLAT, 2, 1))


def _rows_over_b3(net: Network, X: NDArray, y: NDArray, b3_values: NDArray) -> tuple[NDArray, NDArray]:
    """Each row's probabilities (len(b3), n, 3) and cross entropy (len(b3), n) at every b3."""
    log_p = output_bias_log_sweep(net, X, "b3", b3_values)
    return np.exp(log_p), -log_p[:, np.arange(len(y)), y]


def _breakdown_template(X: NDArray, y: NDArray) -> str:
    """Each row's probabilities (observed one in bold), cross entropy and d/db3 term."""
    head = "".join(f'<th scope="col">{name}</th>' for name in P_NAMES)
    rows = []
    for i in range(len(y)):
        cells = "".join(f"<td><b>{{p{i}_{k}:.2f}}</b></td>" if k == y[i] else f"<td>{{p{i}_{k}:.2f}}</td>" for k in range(3))
        rows.append(
            f"<tr><td>{X[i, 0]:.2f}</td><td>{X[i, 1]:.2f}</td><td>{SPECIES[y[i]]}</td>{cells}"
            f"<td>{{ce{i}:.2f}}</td><td>{{term{i}:.2f}}</td></tr>"
        )
    total = "<tr><td colspan=6><b>total</b></td><td><b>{loss:.2f}</b></td><td><b>{slope:.2f}</b></td></tr>"
    return (
        '<table><tr><th scope="col">petal</th><th scope="col">sepal</th><th scope="col">observed</th>'
        f'{head}<th scope="col">CE</th><th scope="col">dCE/db3</th></tr>{"".join(rows)}{total}</table>'
    )


# --- smaller explorers for notebooks 01-04 and 07 ----------------------------------------------


def _probabilities_said(prefix: str) -> str:
    """The three probabilities as a readout template says them: "p_s = {p0:.2f}, ..."."""
    return ", ".join(f"{name} = {{{prefix}{k}:.2f}}" for k, name in enumerate(P_NAMES))


def _bars(axes: int, heights: list[str]) -> dict:
    return {
        "kind": "bars",
        "axes": axes,
        "x": [0, 1, 2],
        "width": 0.6,
        "heights": heights,
        "colors": list(plots.SPECIES_COLORS),
        "labels": ".2f",
        "label_size": 10 * PX,
    }


def _title(axes_mapping: dict, text: str) -> dict:
    """A title that changes, drawn by the browser just above an axes."""
    left, top, right, _ = axes_mapping["clip"]
    return {"kind": "text", "at": [(left + right) / 2, top - 6], "align": "center", "baseline": "bottom", "text": text}


class SurfaceExplorer(Explorer):
    """Notebook 01: b3 lifts the green (Setosa) crinkled surface, and all three predicted
    probabilities of the chosen row answer, since z_s sits in every softmax denominator.

    The 3-D view is orthographic, so lifting the green surface by d moves its picture
    straight up the screen by d times a fixed number of pixels: the browser slides one
    picture of it, drawn once by matplotlib.
    """

    def __init__(self, net: Network, X: ArrayLike, y: ArrayLike, b3_range: tuple[float, float] = (-6.0, 4.0)) -> None:
        self.X, self.y = check_data(X, y)
        self.start = net
        self.b3_grid = ov.grid(*b3_range, 0.01)
        self.b3_slider = _slider("b3", net.b3, *b3_range)
        row_names = [f"row {i + 1}: {SPECIES[c]} ({p:.2f}, {s:.2f})" for i, ((p, s), c) in enumerate(zip(self.X, self.y))]
        self.row = widgets.Dropdown(options=[(name, i) for i, name in enumerate(row_names)], description="row")
        self.row.layout.width = "420px"
        said = _probabilities_said("p")

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
        ov.freeze(fig)
        moving = [green, names[0]]  # the green surface and its name
        for artist in moving:
            artist.set_animated(True)  # kept out of the background: the browser slides their picture
        background, _ = ov.render_layers(fig)
        sprite, (left, top) = ov.artists_png(fig, moving, crop=True)
        self.shift = surface_shift(ax3d)
        self.figure, self.ax3d = fig, ax3d

        probs = np.swapaxes(_rows_over_b3(net, self.X, self.y, self.b3_grid)[0], 0, 1)  # every row at every b3
        mapping = ov.axes_mapping(bars_ax)
        w, h = fig.canvas.get_width_height()
        inputs = {"b3": _grid_input(self.b3_grid, net.b3), "row": _choice_input(list(range(len(self.y))), 0)}
        spec = {
            "size": [w, h],
            "inputs": inputs,
            "axes": [mapping],
            "values": {f"p{k}": {"table": "probs", "at": [k]} for k in range(3)},
            "lists": {"rows": [f"row {i + 1} (observed {SPECIES[c]})" for i, c in enumerate(self.y)]},
            "readouts": [{"where": "below", "class": "surface-status", "html": f"<b>{{row:@rows}}, b3 = {{b3:.2f}}</b>: {said}"}],
            "describe": "Left: the raw outputs as 3-D surfaces over the input square, the green Setosa surface "
            "lifted by b3 = {b3:.2f} while the red and purple stay put. Right: bars of " + f"{{row:@rows}}: {said}.",
            "announce": f"b3 = {{b3:.2f}}, {{row:@rows}}: {said}.",
            "controls": [
                _control(self.b3_slider, "b3", "b3, the Setosa output bias"),
                _control(self.row, "row", "training flower"),
            ],
            "marks": [
                {
                    "kind": "sprite",
                    "picture": "green",
                    "at": [left, top],
                    "shift": list(self.shift),
                    "by": "b3",
                    "reference": net.b3,
                    "clip": False,
                },
                _bars(0, ["p0", "p1", "p2"]),
                {**_title(mapping, "{row:@rows}, b3 = {b3:.2f}"), "size": 10 * PX, "clip": False},
            ],
        }
        self.overlay = ov.Overlay(
            inputs,
            spec=spec,
            background=background,
            pictures={"green": sprite},
            tables={"probs": ov.table(probs, ["row", "b3"], "u2")},
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


def surface_shift(ax3d) -> tuple[float, float]:
    """CSS pixels a surface of this 3-D axes moves on screen when lifted by 1 (in z).

    In an orthographic view the move is the same for every point; this reads it at the
    centre of the axes' box with matplotlib's own projection.
    """
    from mpl_toolkits.mplot3d import proj3d

    x, y, z = (np.mean(limits) for limits in (ax3d.get_xlim(), ax3d.get_ylim(), ax3d.get_zlim()))
    xs, ys, _ = proj3d.proj_transform(np.array([x, x]), np.array([y, y]), np.array([z, z + 1.0]), ax3d.get_proj())
    (x0, y0), (x1, y1) = ax3d.transData.transform(np.column_stack([xs, ys]))
    return float(x1 - x0), float(-(y1 - y0))  # CSS y grows downwards


class FlowerExplorer(Explorer):
    """Notebook 01: petal and sepal sliders place a flower on the input square; the bars
    give the network's three probabilities for it."""

    def __init__(self, net: Network, X: ArrayLike, y: ArrayLike) -> None:
        self.net = net
        X, y = check_data(X, y)
        said = _probabilities_said("p")
        self.petal_slider = _slider("petal width", 0.5, 0, 1)
        self.sepal_slider = _slider("sepal width", 0.5, 0, 1)
        fig = plots.new_figure(8.0, 3.4, dpi=DPI)
        regions = fig.add_subplot(1, 2, 1)
        regions.imshow(plots.region_colors(net), origin="lower", extent=(0, 1, 0, 1))
        plots.draw_boundaries(regions, net)
        plots.draw_data(regions, X, y, size=60)
        plots.style_input_square(regions, "what the network predicts where")
        bars_ax = fig.add_subplot(1, 2, 2)
        plots.probability_axes(bars_ax)
        ov.freeze(fig)
        background, _ = ov.render_layers(fig)

        axis = ov.grid(0, 1, 0.01)
        petal, sepal = np.meshgrid(axis, axis)  # rows: sepal, columns: petal
        probs = forward(net, np.column_stack([petal.ravel(), sepal.ravel()])).probs.reshape(len(axis), len(axis), 3)
        w, h = fig.canvas.get_width_height()
        inputs = {"petal": _grid_input(axis, 0.5), "sepal": _grid_input(axis, 0.5)}
        bars_mapping = ov.axes_mapping(bars_ax)
        spec = {
            "size": [w, h],
            "inputs": inputs,
            "axes": [ov.axes_mapping(regions), bars_mapping],
            "values": {f"p{k}": {"table": "probs", "at": [k]} for k in range(3)} | {"prediction": {"table": "prediction"}},
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
                _control(self.petal_slider, "petal", "petal width of the flower"),
                _control(self.sepal_slider, "sepal", "sepal width of the flower"),
            ],
            "marks": [
                {
                    "kind": "point",
                    "axes": 0,
                    "x": "petal",
                    "y": "sepal",
                    "marker": "*",
                    "size": 18 * PX,
                    "color": "white",
                    "edge": plots.INK,
                },
                _bars(1, ["p0", "p1", "p2"]),
                {**_title(bars_mapping, "prediction: {prediction:@species}"), "size": 10 * PX, "clip": False},
            ],
        }
        tables = {
            "probs": ov.table(probs, ["sepal", "petal"], "u2"),
            "prediction": ov.table(probs.argmax(axis=2), ["sepal", "petal"], "u1"),
        }
        self.overlay = ov.Overlay(inputs, spec=spec, background=background, tables=tables)
        ov.link(self.petal_slider, self.overlay, "petal")
        ov.link(self.sepal_slider, self.overlay, "sepal")
        super().__init__([self.petal_slider, self.sepal_slider, self.overlay])
        self.add_class("flower-explorer")

    @property
    def probabilities(self) -> NDArray[np.float64]:
        """The network's three probabilities for the flower at the sliders (what the bars show)."""
        return forward(self.net, [[self.overlay.petal, self.overlay.sepal]]).probs[0]


def output_bias_sweep(net: Network, x_row: ArrayLike, bias: str, values: ArrayLike) -> NDArray[np.float64]:
    """Probabilities (len(values), 3) of one observation as one output bias takes each value."""
    return np.exp(output_bias_log_sweep(net, np.atleast_2d(x_row), bias, values)[:, 0])


class CrossEntropyExplorer(Explorer):
    """Notebooks 02-04: one observation's cross entropy as an output bias moves.

    Left: its three probabilities over the bias (the observed one, the one entering the
    cross entropy, drawn thick). Middle: CE = -log p(observed), with the point and its
    tangent, whose slope is p_k - 1 if class k was observed, else p_k. Right (optional):
    that derivative as a curve. The curves for every species and bias that can be chosen
    are computed at once, so the dropdowns work in a page with no kernel too.
    """

    def __init__(
        self,
        net: Network,
        X: ArrayLike,
        y: ArrayLike,
        species: str = "Setosa",
        bias: str = "b3",
        choose_species: bool = True,
        choose_bias: bool = False,
        show_derivative: bool = False,
        value_range: tuple[float, float] = (-6.0, 4.0),
    ) -> None:
        self.X, self.y = check_data(X, y)
        self.start = net
        self.grid = ov.grid(*value_range, 0.01)
        self.species = widgets.Dropdown(options=SPECIES, value=species, description="observed", disabled=not choose_species)
        self.bias = widgets.Dropdown(options=OUTPUT_BIASES, value=bias, description="bias", disabled=not choose_bias)
        self.slider = _slider("bias" if choose_bias else bias, getattr(net, bias), *value_range)
        species_choices = list(range(3)) if choose_species else [SPECIES.index(species)]
        bias_choices = list(range(3)) if choose_bias else [OUTPUT_BIASES.index(bias)]
        rows = [int(np.flatnonzero(self.y == s)[0]) for s in species_choices]  # the row of each species

        # every number at every (bias, species, value): one sweep per bias, vectorized over rows and values
        log_p = np.stack(
            [np.swapaxes(output_bias_log_sweep(net, self.X[rows], OUTPUT_BIASES[b], self.grid), 0, 1) for b in bias_choices]
        )
        observed = np.array(species_choices)[None, :, None]  # the class whose -log p is the CE
        moving = np.array(bias_choices)[:, None, None]  # the class whose raw output the bias moves

        def pick(classes: NDArray) -> NDArray:
            return np.take_along_axis(log_p, np.broadcast_to(classes, log_p.shape[:3])[..., None], axis=3)[..., 0]

        probs, ce = np.exp(log_p), -pick(observed)
        slope = np.exp(pick(moving)) - (moving == observed)  # p_k - [k observed]
        rule = np.array([[3 * b + s for s in species_choices] for b in bias_choices])  # which "slope = ..." text

        panels = 3 if show_derivative else 2
        fig = plots.new_figure(min(3.0 * panels + 0.4, 8.0), 3.2, dpi=DPI)  # at most 800 px: a notebook column
        axes = list(fig.subplots(1, panels))
        x_label = "bias value" if choose_bias else f"${bias[0]}_{bias[1]}$"
        thick = " (observed: thick)" if choose_species else ""
        plots.style_axes(axes[0], f"probabilities{thick}", x_label)
        plots.style_axes(axes[1], "CE = $-\\log p_{observed}$", x_label)
        axes[0].set_ylim(-0.02, 1.02)
        axes[1].set_ylim(0, float(ce.max()) * 1.05 + 0.1)
        if show_derivative:
            plots.style_axes(axes[2], "its slope dCE/d(bias)", x_label)
            axes[2].axhline(0, color="#999999", lw=0.8)
            axes[2].set_ylim(-1.05, 1.05)
        for ax in axes:
            ax.set_xlim(*value_range)
        legend = [
            Line2D([], [], color=color, ls=dash, marker=marker, mec=plots.INK, mew=0.6, ms=6, label=name)
            for name, color, dash, marker in zip(SPECIES, plots.SPECIES_COLORS, plots.SPECIES_LINESTYLES, plots.SPECIES_MARKERS)
        ]
        axes[0].legend(handles=legend, fontsize=7, loc="center left")
        ov.freeze(fig)
        background, _ = ov.render_layers(fig)
        w, h = fig.canvas.get_width_height()

        inputs = {
            "bias": _choice_input(bias_choices, bias_choices[0]),
            "species": _choice_input(species_choices, SPECIES.index(species)),
            "value": _grid_input(self.grid, getattr(net, bias)),
        }
        values = {f"p{k}": {"table": "probs", "at": [k]} for k in range(3)}
        values |= {"p_obs": {"table": "probs", "at": ["species"]}, "ce": {"table": "ce"}}
        values |= {"slope": {"table": "slope"}, "rule": {"table": "rule"}}
        rules = [f"{P_NAMES[b]} \u2212 1" if b == s else P_NAMES[b] for b in range(3) for s in range(3)]
        marks = [
            {
                "kind": "curve",
                "axes": 0,
                "table": "probs",
                "over": "value",
                "at": [k],
                "color": color,
                "width": 1.2 * PX,
                "dash": DASHES[k],
                "alpha": 0.6,
                "highlight": {"value": "species", "equals": k, "style": {"width": 3 * PX, "alpha": 1}},
            }
            for k, color in enumerate(plots.SPECIES_COLORS)
        ]
        marks += [
            {"kind": "point", "axes": 0, "x": "value", "y": f"p{k}", "size": 7 * PX, "color": c, "marker": m, "edge": plots.INK}
            for k, (c, m) in enumerate(zip(plots.SPECIES_COLORS, plots.SPECIES_MARKERS))
        ]
        marks += [
            {"kind": "curve", "axes": 1, "table": "ce", "over": "value", "color": plots.INK, "width": 2 * PX},
            {
                "kind": "tangent",
                "axes": 1,
                "x": "value",
                "y": "ce",
                "slope": "slope",
                "half": 1.5,
                "color": plots.PINK,
                "width": 1.5 * PX,
            },
            {"kind": "point", "axes": 1, "x": "value", "y": "ce", "size": 9 * PX, "color": plots.PINK, "edge": "white"},
        ]
        if show_derivative:
            marks += [
                {"kind": "curve", "axes": 2, "table": "slope", "over": "value", "color": plots.PINK, "width": 2 * PX},
                {"kind": "point", "axes": 2, "x": "value", "y": "slope", "size": 8 * PX, "color": plots.PINK, "edge": "white"},
            ]
        spec = {
            "size": [w, h],
            "inputs": inputs,
            "axes": [ov.axes_mapping(ax) for ax in axes],
            "values": values,
            "lists": {"species": list(SPECIES), "biases": list(OUTPUT_BIASES), "rules": rules, "p_names": list(P_NAMES)},
            "marks": marks,
            "readouts": [
                {
                    "where": "above",
                    "class": "ce-status",
                    "html": "<b>{bias:@biases} = {value:.2f}</b> &nbsp; {species:@p_names} = {p_obs:.3f} &nbsp; CE = {ce:.3f}"
                    " &nbsp; slope = {rule:@rules} = {slope:.3f}",
                }
            ],
            # a new bias starts at its own value in the network, as the slider shows
            "rules": {"on_change": {"bias": {"value": [getattr(net, name) for name in OUTPUT_BIASES]}}},
            "describe": "Observed {species:@species}. Left: the three probabilities as {bias:@biases} moves from "
            f"{value_range[0]:g} to {value_range[1]:g}, the observed one thick. Middle: the cross entropy "
            "-log {species:@p_names} with its tangent. Now {bias:@biases} = {value:.2f}: {species:@p_names} = {p_obs:.3f}, "
            "CE = {ce:.3f}, slope {rule:@rules} = {slope:.3f}.",
            "announce": "{bias:@biases} = {value:.2f}, observed {species:@species}: {species:@p_names} = {p_obs:.3f}, "
            "CE = {ce:.3f}, slope = {slope:.3f}.",
            "controls": [
                _control(self.species, "species", "observed species"),
                _control(self.bias, "bias", "output bias to move"),
                _control(self.slider, "value", "value of the bias" if choose_bias else f"{bias}, the output bias"),
            ],
        }
        dims = ["bias", "species", "value"]
        tables = {
            "probs": ov.table(probs, dims, "u2"),
            "ce": ov.table(ce, dims),
            "slope": ov.table(slope, dims, "u2", -1, 1),
            "rule": ov.table(rule, dims[:2], "u1"),
        }
        self.overlay = ov.Overlay(inputs, spec=spec, background=background, tables=tables)
        ov.link(self.species, self.overlay, "species", control_trait="index")
        ov.link(self.bias, self.overlay, "bias", control_trait="index")
        ov.link(self.slider, self.overlay, "value")
        super().__init__([widgets.HBox([self.species, self.bias]), self.slider, self.overlay])
        self.add_class("cross-entropy-explorer")

    @property
    def row(self) -> int:
        """The training row whose observed species is the one chosen."""
        return int(np.flatnonzero(self.y == self.overlay.species)[0])

    @property
    def slope(self) -> float:
        """dCE/d(bias) of the chosen row at the slider's value: p_k - [observed is k]."""
        observed, k = self.overlay.species, self.overlay.bias
        probs = output_bias_sweep(self.start, self.X[self.row], OUTPUT_BIASES[k], [self.overlay.value])[0]
        return float(probs[k] - (k == observed))


class TrainingExplorer(Explorer):
    """Notebook 07: walk through the networks visited by training; the decision regions and
    the loss per step move together. The regions at each slider position are small
    pictures, made once; the browser stretches the one for the step shown."""

    def __init__(self, visited: list[Network], X: ArrayLike, y: ArrayLike, losses: ArrayLike, every: int = 1) -> None:
        self.visited, self.losses = visited, np.asarray(losses, dtype=float)
        self.X, self.y = check_data(X, y)
        steps = np.arange(0, len(visited), every)
        last = int(steps[-1])
        self.step_slider = widgets.IntSlider(
            value=0, min=0, max=last, step=every, description="step", layout=widgets.Layout(width="420px")
        )
        fig = plots.new_figure(8.0, 3.5, dpi=DPI)
        regions, loss_ax = fig.subplots(1, 2)
        plots.style_input_square(regions, "")
        dots = plots.draw_data(regions, self.X, self.y, size=18)
        legend = regions.legend(fontsize=7, loc="upper right")
        loss_ax.plot(np.arange(len(self.losses)), self.losses, color=plots.PINK, lw=2)
        loss_ax.set_yscale("log")
        plots.style_axes(loss_ax, "total cross entropy per step", "step", "total CE (log scale)")
        ov.freeze(fig)
        background, foreground = ov.render_layers(fig, foreground=[*dots, legend])  # above the regions
        frames = [ov.png(np.round(plots.region_colors(visited[s], 48) * 255).astype(np.uint8)[::-1]) for s in steps]
        accuracy = np.array([network_accuracy(visited[s], self.X, self.y) for s in steps])
        correct = np.round(accuracy * len(self.y))
        regions_mapping = ov.axes_mapping(regions)
        w, h = fig.canvas.get_width_height()
        inputs = {"step": _grid_input(steps, 0, kind="int")}
        spec = {
            "size": [w, h],
            "inputs": inputs,
            "axes": [regions_mapping, ov.axes_mapping(loss_ax)],
            "values": {name: {"table": name} for name in ("loss", "accuracy", "correct", "frame")},
            "animate": {"input": "step", "interval_ms": 120, "max_steps": len(steps)},
            "readouts": [
                {
                    "where": "below",
                    "class": "training-status",
                    "html": f"<b>step {{step:d}} of {last}</b>: training accuracy {{accuracy:.0%}} "
                    f"({{correct:d}} of {len(self.y)} flowers right), total CE {{loss:.2f}}",
                }
            ],
            "describe": f"Left: the decision regions over the input square after {{step:d}} of {last} training steps, "
            f"with the {len(self.y)} flowers; {{correct:d}} are in their own species' region ({{accuracy:.0%}}). "
            "Right: the total cross entropy per step on a log scale, the point at step {step:d}, total CE {loss:.2f}.",
            "announce": "step {step:d}: accuracy {accuracy:.0%}, total CE {loss:.2f}.",
            "controls": [_control(self.step_slider, "step", "training step", "d")],
            "marks": [
                {"kind": "picture", "axes": 0, "picture": "regions", "index": "frame", "extent": [0, 1, 0, 1]},
                {"kind": "point", "axes": 1, "x": "step", "y": "loss", "size": 8 * PX, "color": plots.INK},
                {**_title(regions_mapping, "step {step:d}: accuracy {accuracy:.0%}"), "size": 10 * PX, "clip": False},
            ],
        }
        tables = {
            "loss": ov.table(self.losses[steps], ["step"]),
            "accuracy": ov.table(accuracy, ["step"]),
            "correct": ov.table(correct, ["step"]),
            "frame": ov.table(np.arange(len(steps)), ["step"]),
        }
        self.overlay = ov.Overlay(
            inputs, spec=spec, background=background, foreground=foreground, pictures={"regions": frames}, tables=tables
        )
        ov.link(self.step_slider, self.overlay, "step")
        super().__init__([self.step_slider, self.overlay])
        self.add_class("training-explorer")

    @property
    def accuracy(self) -> float:
        """Training accuracy of the network at the step shown."""
        return network_accuracy(self.visited[self.overlay.step], self.X, self.y)
