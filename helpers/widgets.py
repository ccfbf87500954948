"""Live explorers: ipywidgets controls whose figures follow the hand.

Every explorer works the same way (`Explorer`): its figure is drawn once with Agg
(`plots.LiveFigure`); on each change only what moves (a point, a tangent, bars, a
surface) is redrawn over the saved background and sent to an `ipywidgets.Image` as a
PNG. Curves are recomputed, vectorized, only when what they depend on changes.
"""

from __future__ import annotations

import time

import ipywidgets as widgets
import numpy as np
from numpy.typing import ArrayLike, NDArray
from traitlets import CFloat

from helpers import plots
from helpers.network import (
    BIAS_NAMES,
    SPECIES,
    Network,
    bias_derivatives,
    check_data,
    check_learning_rate,
    forward,
    log_softmax,
    loss_curve,
)

OUTPUT_BIASES = BIAS_NAMES[2:]  # b3, b4, b5: one per species
SHORT_NAMES = ("s", "ve", "vi")  # p_s, p_ve, p_vi as the series writes them
CONVERGED = 1e-4  # a step smaller than this ends Play, as in h.gradient_descent


class Explorer(widgets.VBox):
    """Controls above a live figure. Subclasses move their artists in `_update()`.

    The figure is two stacked `ipywidgets.Image`s in one grid cell: `background` (the
    static parts, sent when they change) and `image` (the moving artists on a transparent
    frame, sent on every change).
    """

    def __init__(self, live: plots.LiveFigure, rows: list) -> None:
        self.live = live
        width = f"{live.width_px}px"
        self.background = widgets.Image(format="png", layout=widgets.Layout(width=width, grid_area="1 / 1"))
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=width, grid_area="1 / 1"))
        self.background.add_class("live-background")
        self.image.add_class("live-frame")
        stack = widgets.GridBox([self.background, self.image], layout=widgets.Layout(grid_template_columns=width))
        self._background_version = -1
        self.last_update_seconds = 0.0  # the last update's compute + draw + encode time
        super().__init__(children=[*rows, stack])

    def _update(self) -> None:
        raise NotImplementedError

    def refresh(self, _change=None) -> None:
        """Move the artists to the controls' values and send the new frame."""
        start = time.perf_counter()
        self._update()
        frame = self.live.frame_png()
        if self._background_version != self.live.background_version:
            self.background.value = self.live.background_png
            self._background_version = self.live.background_version
        self.image.value = frame
        self.last_update_seconds = time.perf_counter() - start
        self._after_frame()

    def _after_frame(self) -> None:
        """Updates that may wait until the picture has been sent (text, tables)."""

    def _follow(self, *controls) -> None:
        for control in controls:
            control.observe(self.refresh, names="value")


class Slider(widgets.FloatSlider):
    """A FloatSlider whose moves are not echoed back to the browser.

    ipywidgets 8 answers every change from the browser with an `echo_update` message, so
    that other views of the same widget agree. In a notebook with one view that message is
    redundant, and it travels ahead of the new picture: one message less per keypress.
    A value the kernel changes (a clamp, a Step) is still sent as usual.
    """

    value = CFloat(0.0, help="Float value").tag(sync=True, echo_update=False)


def _slider(description: str, value: float, low: float, high: float, step: float = 0.01) -> widgets.FloatSlider:
    return Slider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=".2f",
        continuous_update=True,
        layout=widgets.Layout(width="420px"),
    )


# --- the main explorer: the loss curve over b3 --------------------------------------------


class LossCurveExplorer(Explorer):
    """The pink total cross entropy over b3, a point that follows the b3 slider, its tangent,
    and gradient descent on b3 (Step, Play, Reset) with a trail of the points visited.

    Sliders for b4 and b5 reshape the curve; a table gives each row's probabilities and
    cross entropy live.
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
        self.trail: list[tuple[float, float]] = []
        self.b3_slider = _slider("b3", net.b3, *b3_range)
        self.learning_rate_slider = _slider("learning rate", check_learning_rate(learning_rate), 0.05, 2.5, 0.05)
        self.b4_slider = _slider("b4", net.b4, -4, 4, 0.1)
        self.b5_slider = _slider("b5", net.b5, -4, 4, 0.1)
        self.step_button = widgets.Button(description="Step", button_style="primary", tooltip="one gradient-descent step")
        self.reset_button = widgets.Button(description="Reset", tooltip="back to the start, trail cleared")
        self.play = widgets.Play(value=0, min=0, max=500, interval=350, description="Play", show_repeat=False)
        self.breakdown = widgets.HTML()
        self.b3_grid = np.linspace(*b3_range, 400)

        fig = plots.new_figure(6.0, 3.5, dpi=80)  # 480 px wide: small enough to encode fast
        ax = plots.style_axes(fig.add_subplot(), "", "$b_3$", "total cross entropy")
        self.ax = ax
        (self._curve,) = ax.plot(self.b3_grid, self.b3_grid * 0, color=plots.PINK, lw=2.5, label="total cross entropy")
        (self._minimum,) = ax.plot([], [], "v", color=plots.INK, ms=8, label="minimum")
        live = plots.LiveFigure(fig)
        (self._trail_line,) = ax.plot([], [], "o--", color="#888888", ms=4, lw=1, label="steps taken")
        (self._tangent,) = ax.plot([], [], color=plots.INK, lw=1.5, label="tangent (slope printed above)")
        (self._point,) = ax.plot([], [], "o", color=plots.GREEN, ms=10, mec="white", label="$b_3$ now")
        self.status = widgets.HTML()
        live.moving(self._trail_line, self._tangent, self._point)
        ax.legend(loc="upper right", fontsize=8)

        controls = [
            self.b3_slider,
            widgets.HBox([self.step_button, self.play, self.reset_button]),
            self.learning_rate_slider,
            widgets.HBox([self.b4_slider, self.b5_slider]),
        ]
        super().__init__(live, [*controls, self.status])
        self.add_class("loss-curve-explorer")  # a handle for the browser test
        self.children = (*self.children, self.breakdown)

        self.step_button.on_click(lambda _button: self.step())
        self.reset_button.on_click(lambda _button: self.reset())
        self.play.observe(self._on_play, names="value")
        self._follow(self.b3_slider)
        self.b4_slider.observe(self._reshape, names="value")
        self.b5_slider.observe(self._reshape, names="value")
        self._reshape()

    # what is drawn now
    @property
    def network(self) -> Network:
        return self.start.with_biases(b3=self.b3_slider.value, b4=self.b4_slider.value, b5=self.b5_slider.value)

    @property
    def point(self) -> tuple[float, float]:
        """(b3, total cross entropy) of the point now drawn."""
        b3 = float(self.b3_slider.value)
        return b3, float(loss_curve(self.network, self.X, self.y, b3))

    @property
    def slope(self) -> float:
        """d(total CE)/d b3 at the point now drawn: the tangent's slope."""
        return bias_derivatives(self.network, self.X, self.y)["b3"]

    # actions
    def step(self) -> float:
        """One gradient-descent step from the current b3; returns the new b3."""
        rate = self.learning_rate_slider.value
        b3, loss = self.point
        self.trail.append((b3, loss))
        self.b3_slider.value = b3 - rate * self.slope  # the slider clamps to its range
        return float(self.b3_slider.value)

    def reset(self) -> None:
        self.play.playing = False
        self.play.value = 0
        self.trail.clear()
        self.b3_slider.value = self.start.b3
        self.refresh()

    def _on_play(self, change) -> None:
        if change["new"] <= change["old"]:
            return  # a reset, not a tick
        if abs(self.learning_rate_slider.value * self.slope) < CONVERGED:
            self.play.playing = False
            return
        self.step()

    def _reshape(self, _change=None) -> None:
        """b4 or b5 changed: recompute the curve (vectorized) and redraw the static part."""
        curve = loss_curve(self.network, self.X, self.y, self.b3_grid)
        self._curve.set_ydata(curve)
        best = int(np.argmin(curve))
        self._minimum.set_data([self.b3_grid[best]], [curve[best]])
        self._minimum.set_label(f"minimum near $b_3$ = {self.b3_grid[best]:.2f}")
        self.ax.set_ylim(0, float(curve.max()) * 1.08)
        self.ax.legend(loc="upper right", fontsize=8)
        self.trail.clear()  # old points lie on the old curve
        self.live.redraw_static()
        self.refresh()

    def _update(self) -> None:
        net = self.network
        fp = forward(net, self.X)
        log_p = log_softmax(fp.raw)
        per_row_ce = -log_p[np.arange(len(self.y)), self.y]
        b3, loss = net.b3, float(per_row_ce.sum())
        b3_terms = fp.probs[:, 0] - (self.y == 0)  # each row's p_s - [observed is Setosa]
        slope = float(b3_terms.sum())
        self._point.set_data([b3], [loss])
        self._tangent.set_data(*plots.tangent_segment(b3, loss, slope, 1.2))
        trail = [*self.trail, (b3, loss)] if self.trail else []
        self._trail_line.set_data([p[0] for p in trail], [p[1] for p in trail])
        # The numbers go to the HTML line above the figure, not into it: text is the costliest
        # artist to draw (about 2 ms a frame, as much as everything else together).
        rate = self.learning_rate_slider.value
        self._status_html = (
            f"<b>b3 = {b3:.2f}</b> &nbsp; total cross entropy = {loss:.3f} &nbsp; slope dCE/db3 = {slope:.3f}"
            f" &nbsp; next step: b3 &minus; {rate:.2f} &times; slope = {b3 - rate * slope:.2f}"
        )
        self._breakdown_html = _breakdown_table(self.X, self.y, fp.probs, per_row_ce, b3_terms)

    def _after_frame(self) -> None:
        self.status.value = self._status_html
        self.breakdown.value = self._breakdown_html


def _breakdown_table(X: NDArray, y: NDArray, probs: NDArray, per_row_ce: NDArray, b3_terms: NDArray) -> str:
    """Each row's probabilities (observed one in bold), cross entropy and its d/db3 term."""
    head = "".join(f"<th>p({name})</th>" for name in SPECIES)
    rows = []
    for i in range(min(len(y), 10)):
        cells = "".join(f"<td><b>{p:.2f}</b></td>" if k == y[i] else f"<td>{p:.2f}</td>" for k, p in enumerate(probs[i]))
        rows.append(
            f"<tr><td>{X[i, 0]:.2f}</td><td>{X[i, 1]:.2f}</td><td>{SPECIES[y[i]]}</td>{cells}"
            f"<td>{per_row_ce[i]:.2f}</td><td>{b3_terms[i]:.2f}</td></tr>"
        )
    total = f"<tr><td colspan=6><b>total</b></td><td><b>{per_row_ce.sum():.2f}</b></td><td><b>{b3_terms.sum():.2f}</b></td></tr>"
    return (
        "<table style='font-variant-numeric: tabular-nums'><tr><th>petal</th><th>sepal</th><th>observed</th>"
        f"{head}<th>CE</th><th>d CE / d b3</th></tr>{''.join(rows)}{total}</table>"
    )


# --- smaller explorers for notebooks 01-04 and 07 -------------------------------------------


class SurfaceExplorer(Explorer):
    """Notebook 01: b3 lifts the green (Setosa) crinkled surface, and all three predicted
    probabilities of the chosen row answer, since z_s sits in every softmax denominator."""

    def __init__(self, net: Network, X: ArrayLike, y: ArrayLike, b3_range: tuple[float, float] = (-6.0, 4.0)) -> None:
        self.X, self.y = check_data(X, y)
        self.start = net
        self.b3_slider = _slider("b3", net.b3, *b3_range)
        self.row = widgets.Dropdown(
            options=[(f"row {i + 1}: {SPECIES[c]} ({p:.2f}, {s:.2f})", i) for i, ((p, s), c) in enumerate(zip(self.X, self.y))],
            description="row",
            layout=widgets.Layout(width="420px"),
        )
        self._petal, self._sepal, points = plots.input_grid(18)
        raw = forward(net, points).raw
        self._setosa_without_b3 = (raw[:, 0] - net.b3).reshape(self._petal.shape)

        fig = plots.new_figure(8.0, 3.6, dpi=80)
        self.ax3d = fig.add_subplot(1, 2, 1, projection="3d")
        for k in (1, 2):
            self.ax3d.plot_surface(
                self._petal,
                self._sepal,
                raw[:, k].reshape(self._petal.shape),
                color=plots.SPECIES_COLORS[k],
                alpha=0.55,
                linewidth=0,
            )
        low, high = b3_range
        self.ax3d.set_zlim(
            min(raw[:, 1:].min(), self._setosa_without_b3.min() + low),
            max(raw[:, 1:].max(), self._setosa_without_b3.max() + high),
        )
        self.ax3d.set_xlabel("petal")
        self.ax3d.set_ylabel("sepal")
        self.ax3d.set_title("raw outputs: green moves with $b_3$", fontsize=10)
        self.ax3d.view_init(elev=20, azim=-125)
        bars_ax = fig.add_subplot(1, 2, 2)
        live = plots.LiveFigure(fig)
        self._green = self._green_surface()
        self._bars, self._labels = plots.probability_bars(bars_ax)
        self._title = bars_ax.set_title("", fontsize=10)
        live.moving(self._green, *self._bars, *self._labels, self._title)
        super().__init__(live, [self.b3_slider, self.row])
        self._follow(self.b3_slider, self.row)
        self.refresh()

    def _green_surface(self):
        z = self._setosa_without_b3 + self.b3_slider.value
        return self.ax3d.plot_surface(self._petal, self._sepal, z, color=plots.GREEN, alpha=0.75, linewidth=0)

    def _update(self) -> None:
        green = self._green_surface()
        self._green.remove()
        self.live.replace_moving(self._green, green)
        self._green = green
        i = self.row.value
        probs = forward(self.start.with_biases(b3=self.b3_slider.value), self.X[i : i + 1]).probs[0]
        plots.set_probability_bars(self._bars, self._labels, probs)
        self._title.set_text(f"row {i + 1} (observed {SPECIES[self.y[i]]}), b\u2083 = {self.b3_slider.value:.2f}")


class FlowerExplorer(Explorer):
    """Notebook 01: petal and sepal sliders place a flower on the input square; the bars
    give the network's three probabilities for it."""

    def __init__(self, net: Network, X: ArrayLike, y: ArrayLike) -> None:
        self.net = net
        X, y = check_data(X, y)
        self.petal_slider = _slider("petal width", 0.5, 0, 1)
        self.sepal_slider = _slider("sepal width", 0.5, 0, 1)
        fig = plots.new_figure(8.0, 3.4, dpi=80)
        regions = fig.add_subplot(1, 2, 1)
        regions.imshow(plots.region_colors(net), origin="lower", extent=(0, 1, 0, 1))
        plots.draw_data(regions, X, y, size=60)
        plots.style_input_square(regions, "what the network predicts where")
        bars_ax = fig.add_subplot(1, 2, 2)
        live = plots.LiveFigure(fig)
        (self._flower,) = regions.plot([], [], "*", ms=18, color="white", mec=plots.INK)
        self._bars, self._labels = plots.probability_bars(bars_ax)
        self._title = bars_ax.set_title("", fontsize=10)
        live.moving(self._flower, *self._bars, *self._labels, self._title)
        super().__init__(live, [self.petal_slider, self.sepal_slider])
        self._follow(self.petal_slider, self.sepal_slider)
        self.refresh()

    def _update(self) -> None:
        flower = [[self.petal_slider.value, self.sepal_slider.value]]
        probs = forward(self.net, flower).probs[0]
        self._flower.set_data([flower[0][0]], [flower[0][1]])
        plots.set_probability_bars(self._bars, self._labels, probs)
        self._title.set_text(f"prediction: {SPECIES[int(np.argmax(probs))]}")


def output_bias_sweep(net: Network, x_row: ArrayLike, bias: str, values: ArrayLike) -> NDArray[np.float64]:
    """Probabilities (len(values), 3) of one observation as one output bias (b3, b4 or b5)
    takes each value: only that class's raw output moves."""
    k = OUTPUT_BIASES.index(bias)
    raw = forward(net, np.atleast_2d(x_row)).raw[0]
    grid = np.tile(raw, (len(values), 1))
    grid[:, k] += np.asarray(values) - net.b_out[k]
    return np.exp(log_softmax(grid))


class CrossEntropyExplorer(Explorer):
    """Notebooks 02-04: one observation's cross entropy as an output bias moves.

    Left: its three probabilities over the bias (the observed one, the one entering the
    cross entropy, drawn thick). Middle: CE = -log p(observed), with the point and its
    tangent, whose slope is p_k - 1 if class k was observed, else p_k. Right (optional):
    that derivative as a curve.
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
        self.grid = np.linspace(*value_range, 300)
        self.species = widgets.Dropdown(options=SPECIES, value=species, description="observed", disabled=not choose_species)
        self.bias = widgets.Dropdown(options=OUTPUT_BIASES, value=bias, description="bias", disabled=not choose_bias)
        self.slider = _slider(bias, getattr(net, bias), *value_range)
        panels = 3 if show_derivative else 2
        fig = plots.new_figure(3.0 * panels + 0.4, 3.2, dpi=80)
        axes = fig.subplots(1, panels)
        self._prob_ax, self._ce_ax = axes[0], axes[1]
        self._prob_lines = [self._prob_ax.plot([], [], color=c)[0] for c in plots.SPECIES_COLORS]
        self._prob_ax.set_ylim(-0.02, 1.02)
        (self._ce_line,) = self._ce_ax.plot([], [], color=plots.INK, lw=2)
        self._d_ax = axes[2] if show_derivative else None
        if self._d_ax is not None:
            (self._d_line,) = self._d_ax.plot([], [], color=plots.PINK, lw=2)
            self._d_ax.axhline(0, color="#999999", lw=0.8)
            self._d_ax.set_ylim(-1.05, 1.05)
        live = plots.LiveFigure(fig)
        self._prob_points = [self._prob_ax.plot([], [], "o", color=c, ms=7)[0] for c in plots.SPECIES_COLORS]
        (self._ce_point,) = self._ce_ax.plot([], [], "o", color=plots.PINK, ms=9, mec="white")
        (self._tangent,) = self._ce_ax.plot([], [], color=plots.PINK, lw=1.5)
        self._text = self._ce_ax.text(
            0.04,
            0.95,
            "",
            transform=self._ce_ax.transAxes,
            va="top",
            fontsize=10,
            bbox={"boxstyle": "round", "fc": "white", "ec": "#cccccc"},
        )
        moving = [*self._prob_points, self._ce_point, self._tangent, self._text]
        if self._d_ax is not None:
            (self._d_point,) = self._d_ax.plot([], [], "o", color=plots.PINK, ms=8, mec="white")
            moving.append(self._d_point)
        live.moving(*moving)
        super().__init__(live, [widgets.HBox([self.species, self.bias]), self.slider])
        self._follow(self.slider)
        self.species.observe(self._recompute, names="value")
        self.bias.observe(self._on_bias, names="value")
        self._recompute()

    @property
    def row(self) -> int:
        """The training row whose observed species is the one chosen."""
        return int(np.flatnonzero(self.y == SPECIES.index(self.species.value))[0])

    def _on_bias(self, change) -> None:
        self.slider.description = change["new"]
        self.slider.value = getattr(self.start, change["new"])  # refreshes through the slider
        self._recompute()

    def _recompute(self, _change=None) -> None:
        """Species or bias changed: recompute the curves (vectorized) and redraw the static part."""
        observed, k = self._classes
        probs = output_bias_sweep(self.start, self.X[self.row], self.bias.value, self.grid)
        for j, line in enumerate(self._prob_lines):
            line.set_data(self.grid, probs[:, j])
            line.set_linewidth(3.0 if j == observed else 1.2)
            line.set_alpha(1.0 if j == observed else 0.6)
        ce = -np.log(np.maximum(probs[:, observed], np.finfo(float).tiny))
        self._ce_line.set_data(self.grid, ce)
        bias = self.bias.value
        plots.style_axes(self._prob_ax, f"probabilities (observed {self.species.value} thick)", f"${bias[0]}_{bias[1]}$")
        plots.style_axes(self._ce_ax, f"CE = -log p$_{{{SHORT_NAMES[observed]}}}$", f"${bias[0]}_{bias[1]}$")
        self._prob_ax.set_xlim(self.grid[0], self.grid[-1])
        self._ce_ax.set_xlim(self.grid[0], self.grid[-1])
        self._ce_ax.set_ylim(0, float(ce.max()) * 1.05 + 0.1)
        if self._d_ax is not None:
            self._d_line.set_data(self.grid, probs[:, k] - (k == observed))
            self._d_ax.set_xlim(self.grid[0], self.grid[-1])
            plots.style_axes(self._d_ax, f"dCE/d{bias}", f"${bias[0]}_{bias[1]}$")
        self.live.redraw_static()
        self.refresh()

    @property
    def _classes(self) -> tuple[int, int]:
        """(observed species, class whose bias moves), as indices 0..2."""
        return SPECIES.index(self.species.value), OUTPUT_BIASES.index(self.bias.value)

    def _probs_now(self) -> NDArray[np.float64]:
        """The chosen row's three probabilities at the slider's value."""
        return output_bias_sweep(self.start, self.X[self.row], self.bias.value, [self.slider.value])[0]

    @property
    def slope(self) -> float:
        """dCE/d(bias) of the chosen row at the slider's value: p_k - [observed is k]."""
        observed, k = self._classes
        return float(self._probs_now()[k] - (k == observed))

    def _update(self) -> None:
        observed, k = self._classes
        value = self.slider.value
        probs = self._probs_now()
        for point, p in zip(self._prob_points, probs):
            point.set_data([value], [p])
        ce = -np.log(max(probs[observed], np.finfo(float).tiny))
        slope = probs[k] - (k == observed)
        self._ce_point.set_data([value], [ce])
        self._tangent.set_data(*plots.tangent_segment(value, ce, slope, 1.5))
        rule = f"p({SPECIES[k]}) \u2212 1" if k == observed else f"p({SPECIES[k]})"
        self._text.set_text(
            f"{self.bias.value} = {value:.2f}\np({SPECIES[observed]}) = {probs[observed]:.3f}\nCE = {ce:.3f}\n"
            f"slope = {rule}\n        = {slope:.3f}"
        )
        if self._d_ax is not None:
            self._d_point.set_data([value], [slope])


class TrainingExplorer(Explorer):
    """Notebook 07: walk through the networks visited by training; the decision regions and
    the loss per step move together."""

    def __init__(self, visited: list[Network], X: ArrayLike, y: ArrayLike, losses: ArrayLike, every: int = 1) -> None:
        self.visited, self.losses = visited, np.asarray(losses, dtype=float)
        self.X, self.y = check_data(X, y)
        self.step_slider = widgets.IntSlider(
            value=0, min=0, max=len(visited) - 1, step=every, description="step", layout=widgets.Layout(width="420px")
        )
        self.play = widgets.Play(value=0, min=0, max=len(visited) - 1, step=every, interval=120, description="Play")
        widgets.jslink((self.play, "value"), (self.step_slider, "value"))
        fig = plots.new_figure(8.0, 3.5, dpi=80)
        regions, loss_ax = fig.subplots(1, 2)
        plots.style_input_square(regions, "")
        loss_ax.plot(np.arange(len(self.losses)), self.losses, color=plots.PINK, lw=2)
        loss_ax.set_yscale("log")
        plots.style_axes(loss_ax, "total cross entropy per step", "step", "total CE (log scale)")
        live = plots.LiveFigure(fig)
        self._image = regions.imshow(plots.region_colors(visited[0], 80), origin="lower", extent=(0, 1, 0, 1))
        self._dots = plots.draw_data(regions, self.X, self.y, size=18)
        self._title = regions.set_title("", fontsize=10)
        (self._loss_point,) = loss_ax.plot([], [], "o", color=plots.INK, ms=8)
        live.moving(self._image, *self._dots, self._title, self._loss_point)
        super().__init__(live, [widgets.HBox([self.play, self.step_slider])])
        self._follow(self.step_slider)
        self.refresh()

    def _update(self) -> None:
        step = self.step_slider.value
        net = self.visited[step]
        self._image.set_data(plots.region_colors(net, 80))
        accuracy = float(np.mean(forward(net, self.X).probs.argmax(axis=1) == self.y))
        self._title.set_text(f"step {step}: accuracy {accuracy:.0%}")
        self._loss_point.set_data([step], [self.losses[step]])
