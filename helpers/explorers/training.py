"""Notebook 08's explorer: the decision regions and the loss, step by step through training."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from numpy.typing import ArrayLike

from helpers import overlay as ov
from helpers import plots
from helpers.explorers.base import DPI, PX, Explorer, control, grid_input, layers, title
from helpers.network import Network, accuracy, check_data


class TrainingExplorer(Explorer):
    """Notebook 08: walk through the networks visited by training; the decision regions and
    the loss per step move together. The regions at each slider position are small
    pictures, made once; the browser stretches the one for the step shown.

    Parameters
    ----------
    visited : list of Network
        The networks training visited, one per step, the start first.
    X, y : array_like
        The training data, (n, 2) inputs and n species indices (drawn, and scored for accuracy).
    losses : array_like
        The total cross entropy at each step, one per network in `visited`.
    every : int, default 1
        The slider's step: show every `every`-th network (fewer pictures to save).
    """

    def __init__(self, visited: list[Network], X: ArrayLike, y: ArrayLike, losses: ArrayLike, every: int = 1) -> None:
        self.visited, self.losses = visited, np.asarray(losses, dtype=float)
        self.X, self.y = check_data(X, y)
        self.steps = np.arange(0, len(visited), every)
        self.step_slider = widgets.IntSlider(
            value=0, min=0, max=int(self.steps[-1]), step=every, description="step", layout=widgets.Layout(width="420px")
        )
        drawn = self._figure()
        frames = [ov.png(np.round(plots.region_colors(visited[s], 48) * 255).astype(np.uint8)[::-1]) for s in self.steps]
        tables = self._tables()
        self.overlay = ov.Overlay(
            self._inputs(),
            spec=self._spec(drawn),
            background=drawn.background,
            foreground=drawn.foreground,
            pictures={"regions": frames},
            tables=tables,
        )
        ov.link(self.step_slider, self.overlay, "step")
        super().__init__([self.step_slider, self.overlay])
        self.add_class("training-explorer")

    @property
    def accuracy(self) -> float:
        """Training accuracy of the network at the step shown."""
        return accuracy(self.visited[self.overlay.step], self.X, self.y)

    def _figure(self):
        fig = plots.new_figure(8.0, 3.5, dpi=DPI)
        regions, loss_ax = fig.subplots(1, 2)
        plots.style_input_square(regions, "")
        dots = plots.draw_data(regions, self.X, self.y, size=18)
        legend = regions.legend(fontsize=7, loc="upper right")
        loss_ax.plot(np.arange(len(self.losses)), self.losses, color=plots.PINK, lw=2)
        loss_ax.set_yscale("log")
        plots.style_axes(loss_ax, "total cross entropy per step", "step", "total CE (log scale)")
        return layers(fig, [regions, loss_ax], foreground=[*dots, legend])  # above the regions

    def _inputs(self) -> dict:
        return {"step": grid_input(self.steps, 0, kind="int")}

    def _tables(self) -> dict[str, dict]:
        scores = np.array([accuracy(self.visited[s], self.X, self.y) for s in self.steps])
        return {
            "loss": ov.table(self.losses[self.steps], ["step"]),
            "accuracy": ov.table(scores, ["step"]),
            "correct": ov.table(np.round(scores * len(self.y)), ["step"]),
            "frame": ov.table(np.arange(len(self.steps)), ["step"]),
        }

    def _spec(self, drawn) -> dict:
        last, n = int(self.steps[-1]), len(self.y)
        return {
            "size": drawn.size,
            "axes": drawn.axes,
            "values": {name: {"table": name} for name in ("loss", "accuracy", "correct", "frame")},
            "animate": {"input": "step", "interval_ms": 120, "max_steps": len(self.steps)},
            "readouts": [
                {
                    "where": "below",
                    "class": "training-status",
                    "html": f"<b>step {{step:d}} of {last}</b>: training accuracy {{accuracy:.0%}} "
                    f"({{correct:d}} of {n} flowers right), total CE {{loss:.2f}}",
                }
            ],
            "describe": f"Left: the decision regions over the input square after {{step:d}} of {last} training steps, "
            f"with the {n} flowers; {{correct:d}} are in their own species' region ({{accuracy:.0%}}). "
            "Right: the total cross entropy per step on a log scale, the point at step {step:d}, total CE {loss:.2f}.",
            "announce": "step {step:d}: accuracy {accuracy:.0%}, total CE {loss:.2f}.",
            "controls": [control(self.step_slider, "step", "training step", "d")],
            "marks": [
                {"kind": "picture", "axes": 0, "picture": "regions", "index": "frame", "extent": [0, 1, 0, 1]},
                {"kind": "point", "axes": 1, "x": "step", "y": "loss", "size": 8 * PX, "color": plots.INK},
                title(drawn.axes[0], "step {step:d}: accuracy {accuracy:.0%}"),
            ],
        }
