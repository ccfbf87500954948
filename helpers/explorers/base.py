"""What every explorer shares: the Explorer box (closed when its cell runs again), sliders
that do not echo, the overlay's inputs and controls, and the figure's layers.

An explorer builds, in this order: its figure (matplotlib, frozen), its tables (every
number it shows at every position of its controls) and its spec (what the browser draws,
documented in `helpers.overlay.Overlay`); then one `Overlay` and the links to its controls.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import NDArray
from traitlets import CFloat

from helpers import overlay as ov
from helpers import plots

P_NAMES = ("p_s", "p_ve", "p_vi")  # the probabilities as the series writes them
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


def slider(description: str, value: float, low: float, high: float, step: float = 0.01) -> Slider:
    """A 420 px slider with a two-decimal readout that jslink follows while it is dragged."""
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


def grid_input(values: NDArray[np.float64], value: float, kind: str = "float") -> dict:
    """An overlay input whose tables hold one entry per grid value."""
    step = float(values[1] - values[0]) if len(values) > 1 else 1.0
    return {"min": float(values[0]), "step": step, "count": len(values), "value": value, "kind": kind}


def choice_input(choices: list[int], value: int) -> dict:
    """An overlay input set by a dropdown's index; its tables hold one entry per choice."""
    return {"choices": list(choices), "value": value, "kind": "int"}


def control(widget: widgets.Widget, name: str, label: str, fmt: str = ".2f", needs_kernel: bool = False, **extra) -> dict:
    """Describe a control for the browser (helpers/js/controls.js), which gives it an accessible name (`label`) and a
    value text in its readout's format; `needs_kernel` controls leave the Tab order, with
    the explorer's note as the reason, when no kernel is there."""
    css_class = f"control-{name}"
    widget.add_class(css_class)
    return {"class": css_class, "label": label, "format": fmt, "needs_kernel": needs_kernel, **extra}


class Layers(NamedTuple):
    """A frozen figure as the overlay shows it: its pictures, size and axes mappings."""

    background: bytes
    foreground: bytes
    size: list[int]  # [width, height] in CSS pixels
    axes: list[dict]  # one `ov.axes_mapping` per axes, in the order given


def layers(fig: Figure, axes: list[Axes], foreground: tuple = (), hidden: tuple = (), smallest: bool = True) -> Layers:
    """Freeze the figure, render its layers, read its size and its axes' pixel mappings.

    `foreground` artists are drawn on the layer above the marks; `hidden` ones on neither
    layer (the browser draws them, e.g. as a sprite cut out with `ov.artists_png`).
    """
    ov.freeze(fig)
    for artist in hidden:
        artist.set_animated(True)  # kept out of the background
    background, front = ov.render_layers(fig, foreground=foreground, smallest=smallest)
    w, h = fig.canvas.get_width_height()
    return Layers(background, front, [w, h], [ov.axes_mapping(ax) for ax in axes])


def probabilities_said(prefix: str) -> str:
    """The three probabilities as a readout template says them: "p_s = {p0:.2f}, ..."."""
    return ", ".join(f"{name} = {{{prefix}{k}:.2f}}" for k, name in enumerate(P_NAMES))


def bars(axes: int, heights: list[str]) -> dict:
    """A bars mark: the three species' probabilities named in `heights`, labelled."""
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


def title(axes_mapping: dict, text: str) -> dict:
    """A title that changes, drawn by the browser just above an axes."""
    left, top, right, _ = axes_mapping["clip"]
    return {
        "kind": "text",
        "at": [(left + right) / 2, top - 6],
        "align": "center",
        "baseline": "bottom",
        "text": text,
        "size": 10 * PX,
        "clip": False,
    }


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

    Parameters
    ----------
    children : list of ipywidgets.Widget
        The controls and the overlay, top to bottom.
    """

    overlay: ov.Overlay
    _made_by_cell: ClassVar[dict[str, tuple[int, list[Explorer]]]] = {}  # cell id -> (its run, explorers made)

    def __init__(self, children: list[widgets.Widget]) -> None:
        super().__init__(children=children)
        self.add_class("explorer")  # helpers/js/ finds the explorer's controls under it
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
