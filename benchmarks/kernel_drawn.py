"""The kernel-drawn explorer, kept as the latency baseline: a faithful copy of the
`LossCurveExplorer` the series shipped before its figures were drawn in the browser.

Every move of a slider is a round trip: the browser sends the value, Python redraws the
moving artists over a saved Agg background, encodes a PNG and sends it back to an
`ipywidgets.Image`. `bench_browser_latency` measures it beside today's browser-drawn
explorer. Not used by the notebooks.

Why it is kept: the README's latency table ("vs kernel-drawn") is only reproducible with the
baseline beside the explorer, in the same run on the same machine. Remove it together with
the "kernel-drawn" cases of bench_browser_latency.py and that column of the README.
"""

from __future__ import annotations

import struct
import time
import zlib

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray
from traitlets import CFloat

from helpers import plots
from helpers.network import SPECIES, Network, bias_derivatives, check_data, check_learning_rate, forward, log_softmax, loss_curve

CONVERGED = 1e-4


def tangent_segment(x0: float, y0: float, slope: float, half_width: float) -> tuple[list[float], list[float]]:
    """Two end points of the tangent line through (x0, y0)."""
    return [x0 - half_width, x0 + half_width], [y0 - slope * half_width, y0 + slope * half_width]


def encode_png(rgba: NDArray[np.uint8], level: int = 1) -> bytes:
    """Encode an (h, w, 4) uint8 RGBA array as PNG: no row filter, zlib at `level`.

    Pillow tries five row filters per row; skipping them and compressing at level 1 makes
    a mostly transparent frame about four times faster to encode, for a few KB more.
    """

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + 4 * width), dtype=np.uint8)
    rows[:, 0] = 0  # each row starts with its filter type: 0, "None"
    rows[:, 1:] = rgba.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    # zlib reads the array's buffer directly: no copy to bytes first.
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, level)) + chunk(b"IEND", b"")


class LiveFigure:
    """A figure split in two PNG layers: the static parts, drawn once, and a transparent
    frame holding only the moving artists, redrawn on every change.

    Shown stacked (the frame over the background), they make the whole figure; only the
    frame, mostly transparent and so quick to draw and encode, travels on each change.
    Call `redraw_static()` after changing a static part; `background_version` counts those.
    """

    def __init__(self, fig: Figure) -> None:
        self.figure = fig
        self.canvas = FigureCanvasAgg(fig)
        self._moving: list = []
        self._blank = None
        self.background_png = b""
        self.background_version = 0

    def moving(self, *artists):
        """Register artists redrawn on every frame; returns them (one artist if one given)."""
        for artist in artists:
            artist.set_animated(True)  # skipped by the static draw
        self._moving.extend(artists)
        return artists[0] if len(artists) == 1 else artists

    def replace_moving(self, old, new) -> None:
        """Swap one moving artist for another (e.g. a re-made 3-D surface)."""
        new.set_animated(True)
        self._moving[self._moving.index(old)] = new

    @property
    def width_px(self) -> int:
        return round(self.figure.bbox.width)

    def redraw_static(self) -> None:
        self.canvas.draw()  # animated artists are skipped
        # Freeze the layout so later frames and backgrounds line up with this one.
        self.figure.set_layout_engine("none")
        self.background_png = encode_png(np.asarray(self.canvas.buffer_rgba()), level=6)
        self.background_version += 1
        self.canvas.get_renderer().clear()  # fully transparent
        self._blank = self.canvas.copy_from_bbox(self.figure.bbox)

    def frame_png(self) -> bytes:
        """The moving artists alone, on a transparent background."""
        if self._blank is None:
            self.redraw_static()
        self.canvas.restore_region(self._blank)
        for artist in self._moving:
            if hasattr(artist, "do_3d_projection"):
                artist.do_3d_projection()  # 3-D artists project before they draw
            self.figure.draw_artist(artist)
        return encode_png(np.asarray(self.canvas.buffer_rgba()))


class Slider(widgets.FloatSlider):
    """A FloatSlider whose moves are not echoed back to the browser."""

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


class Explorer(widgets.VBox):
    """Controls above a live figure. Subclasses move their artists in `_update()`.

    The figure is two stacked `ipywidgets.Image`s in one grid cell: `background` (the
    static parts, sent when they change) and `image` (the moving artists on a transparent
    frame, sent on every change).
    """

    def __init__(self, live: LiveFigure, rows: list) -> None:
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
        live = LiveFigure(fig)
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
        self.add_class("kernel-drawn-explorer")
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
        self._tangent.set_data(*tangent_segment(b3, loss, slope, 1.2))
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
