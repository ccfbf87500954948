"""Figures drawn in the browser: Python computes, the browser draws.

An `Overlay` is one figure of an explorer, in three layers:

- a **background** PNG drawn once by matplotlib (Agg): axes, ticks, legend, whatever no
  control changes;
- a **canvas** on which the browser draws what moves (points, tangents, trails, curves,
  bars, labels), looking every number up in **tables** that Python computed once for
  every position of every control, vectorized;
- an optional **foreground** PNG for static artists that must sit above what moves.

The controls are ordinary ipywidgets, tied to the overlay's inputs with `link`
(`ipywidgets.jslink` in the browser), so a slider moves the picture with no round trip
to the kernel, and still works in a web-edition page with no kernel at all. The browser
side, shared by every explorer, is a few small ES modules in `helpers/js/` (start at
`index.js`), bundled by `npm run build` into `helpers/js/dist/overlay.js`, the one file
the widget loads: an explorer only describes its marks (`spec`) and sends its tables.

Pixel mapping: a mark at data (x, y) is drawn at CSS pixels

    left = ax * f(x) + bx,   top = ay * f(y) + by,   f = identity or log10,

which is matplotlib's own `ax.transData` (transScale, then an affine map) with the
origin moved to the top-left corner (`axes_mapping`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray
from PIL import Image

from helpers.spec import validate

JS_DIR = Path(__file__).parent / "js"
U16_MAX = 65535


# --- tables: every number an explorer shows, at every position of its controls -----------


def grid(low: float, high: float, step: float) -> NDArray[np.float64]:
    """Every position of a slider from `low` to `high` in steps of `step` (both ends included)."""
    count = round((high - low) / step) + 1
    return low + step * np.arange(count)


def table(values: ArrayLike, dims: Iterable[str], dtype: str = "f4", low: float = 0.0, high: float = 1.0) -> dict:
    """Encode an array for the browser. Its leading axes follow the named inputs `dims`
    (one entry per position of each); trailing axes are picked by index in a mark.

    Parameters
    ----------
    values : array_like
        The numbers, finite; one leading axis per name in `dims`, in that order.
    dims : iterable of str
        The overlay inputs the leading axes follow (none for a table that never moves).
    dtype : {"f4", "u2", "u1"}, default "f4"
        "f4": 32-bit floats (about 7 digits). "u2": 16-bit integers spanning [low, high]
        (probabilities: 1/65535 apart, a quarter of the bytes of float64). "u1": small integers.
    low, high : float, default 0.0 and 1.0
        The range a "u2" table spans; values outside it raise ValueError.

    Returns
    -------
    dict
        dims, shape, dtype, scale, offset and the little-endian bytes (`data`): what
        helpers/js/tables.js's `decodeTable` reads.
    """
    array = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(array)):
        raise ValueError("a table holds NaN or infinite values; the browser could not draw them")
    dims = list(dims)
    if len(dims) > array.ndim:
        raise ValueError(f"table has {array.ndim} axes but {len(dims)} inputs were named: {dims}")
    encoded: dict[str, Any] = {"dims": dims, "shape": list(array.shape), "dtype": dtype, "scale": 1.0, "offset": 0.0}
    if dtype == "f4":
        data = array.astype("<f4")
    elif dtype == "u2":
        if array.min() < low - 1e-12 or array.max() > high + 1e-12:
            raise ValueError(f"u2 table values must lie in [{low}, {high}]")
        scale = (high - low) / U16_MAX
        data = np.round((array - low) / scale).astype("<u2")
        encoded.update(scale=scale, offset=low)
    elif dtype == "u1":
        data = array.astype(np.uint8)
    else:
        raise ValueError(f"unknown table dtype {dtype!r}; use 'f4', 'u2' or 'u1'")
    encoded["data"] = data.tobytes()
    return encoded


# --- the picture: background, foreground, and the axes' pixel mapping ---------------------


def png(rgba: NDArray[np.uint8], smallest: bool = True) -> bytes:
    """PNG bytes of an (h, w, 3 or 4) uint8 array: as small as Pillow can make it (for what
    is saved in notebooks), or 2.5x faster for a few % more (for a redraw while reading)."""
    buffer = io.BytesIO()
    options = {"optimize": True} if smallest else {"compress_level": 6}
    Image.fromarray(np.ascontiguousarray(rgba)).save(buffer, format="png", **options)
    return buffer.getvalue()


def freeze(fig: Figure) -> None:
    """Draw once and freeze the layout, so the mapping read now stays true for every layer."""
    fig.canvas.draw()
    fig.set_layout_engine("none")


def render_layers(fig: Figure, foreground: Iterable = (), smallest: bool = True) -> tuple[bytes, bytes]:
    """(background PNG, foreground PNG) of a frozen figure. Foreground artists are left out
    of the background and drawn alone on a transparent layer (empty bytes if none)."""
    foreground = list(foreground)
    for artist in foreground:
        artist.set_animated(True)  # Agg's full draw skips animated artists
    fig.canvas.draw()
    background = png(np.asarray(fig.canvas.buffer_rgba())[..., :3], smallest)  # the figure is opaque white
    if not foreground:
        return background, b""
    return background, artists_png(fig, foreground)


def artists_png(fig: Figure, artists: Iterable, crop: bool = False) -> bytes | tuple[bytes, tuple[int, int]]:
    """Only `artists`, on a transparent layer the size of the figure (3-D ones projected first).
    With crop=True, cropped to what they cover: (PNG, (left, top) in pixels)."""
    renderer = fig.canvas.get_renderer()
    renderer.clear()  # fully transparent
    for artist in artists:
        if hasattr(artist, "do_3d_projection"):
            artist.do_3d_projection()
        fig.draw_artist(artist)
    rgba = np.asarray(fig.canvas.buffer_rgba()).copy()
    if not crop:
        return png(rgba)
    rows, cols = np.nonzero(rgba[..., 3])
    top, left = int(rows.min()), int(cols.min())
    return png(rgba[top : rows.max() + 1, left : cols.max() + 1]), (left, top)


def axes_mapping(ax: Axes) -> dict:
    """How the browser turns ax's data coordinates into CSS pixels (top-left origin).

    matplotlib's transData is transScale (log10 for a log axis), then transLimits and
    transAxes, which are affine; the figure is shown at one CSS pixel per figure pixel.
    """
    height = ax.figure.bbox.height
    matrix = (ax.transLimits + ax.transAxes).get_matrix()
    box = ax.bbox
    return {
        "x": [float(matrix[0, 0]), float(matrix[0, 2]), ax.get_xscale()],
        "y": [-float(matrix[1, 1]), float(height - matrix[1, 2]), ax.get_yscale()],
        "clip": [float(box.x0), float(height - box.y1), float(box.x1), float(height - box.y0)],
    }


def surface_shift(ax3d: Axes) -> tuple[float, float]:
    """CSS pixels a surface of this 3-D axes moves on screen when lifted by 1 (in z).

    In an orthographic view the move is the same for every point; this reads it at the
    centre of the axes' box with matplotlib's own projection.
    """
    from mpl_toolkits.mplot3d import proj3d

    x, y, z = (np.mean(limits) for limits in (ax3d.get_xlim(), ax3d.get_ylim(), ax3d.get_zlim()))
    xs, ys, _ = proj3d.proj_transform(np.array([x, x]), np.array([y, y]), np.array([z, z + 1.0]), ax3d.get_proj())
    (x0, y0), (x1, y1) = ax3d.transData.transform(np.column_stack([xs, ys]))
    return float(x1 - x0), float(-(y1 - y0))  # CSS y grows downwards


# --- the widget ------------------------------------------------------------------------------


def _set_quietly(widget: widgets.Widget, name: str, value: Any) -> None:
    """Set a synced trait in the kernel without sending it to the browser.

    Used where the browser makes the same change itself (jslink, or a rule that
    helpers/js/ applies too): sending it back would be redundant, and while a key is held it
    would arrive late and pull the slider back. ipywidgets itself silences the echo of a
    browser change this way (its property lock); this adds to the lock rather than
    replacing it, so a browser update being applied to the same widget stays silent too.
    """
    to_json = widget.trait_metadata(name, "to_json", widget._trait_to_json)
    previous = widget._property_lock  # kept: a browser update may be mid-way on this widget
    widget._property_lock = {**previous, name: to_json(value, widget)}
    try:
        setattr(widget, name, value)
    finally:
        widget._property_lock = previous


def snap(info: dict, value: float) -> float:
    """The position of grid input `info` nearest to `value` (what a slider of that step shows).

    helpers/js/descent.js's `snap(info, value)` is its twin; tests/test_js.py runs both on the same cases.
    """
    low, step = info["min"], info["step"]
    return round(low + step * round((value - low) / step), 10)  # no 0.6600000000000001


class Overlay(anywidget.AnyWidget):
    """One explorer figure: a matplotlib background, marks drawn in the browser from tables.

    `inputs` names the values the marks follow, each an extra synced trait of this widget
    (float, or int for a choice) with its grid: {"b3": {"min": -6, "step": 0.01,
    "count": 1001, "value": -2.0}}, or {"choices": [0, 1, 2], "kind": "int", ...} for a
    dropdown. Controls are tied to inputs with `link`.

    `spec` tells the browser (helpers/js/) what to draw: its schema is documented, and checked when an
    overlay is made, in `helpers.spec`. The overlay fills in `spec["inputs"]` itself.
    """

    _esm = JS_DIR / "dist" / "overlay.js"  # the bundle of helpers/js/*.js (npm run build)
    _css = JS_DIR / "overlay.css"

    background = traitlets.Bytes(b"").tag(sync=True)
    foreground = traitlets.Bytes(b"").tag(sync=True)
    pictures = traitlets.Dict().tag(sync=True)  # name -> PNG bytes, or list of PNG bytes
    spec = traitlets.Dict().tag(sync=True)  # size, axes, values, marks, readouts, rules
    tables = traitlets.Dict().tag(sync=True)  # name -> `table(...)`
    # Written by the browser (Step, Play, Reset); no echo: nothing else shows them.
    trail = traitlets.List().tag(sync=True, echo_update=False)
    # Set by the browser while no kernel answers (Python never sets it); disables Python controls.
    offline = traitlets.Bool(False).tag(sync=True, echo_update=False)

    def __init__(self, inputs: dict[str, dict], **kwargs: Any) -> None:
        """
        Parameters
        ----------
        inputs : dict of str to dict
            The values the marks follow, as above: each becomes a synced trait of this widget.
        **kwargs
            The synced traits: spec, tables, background, foreground, pictures.
        """
        validate({**kwargs.get("spec", {}), "inputs": inputs}, kwargs.get("tables", {}), kwargs.get("pictures", {}))
        traits = {}
        for name, info in inputs.items():
            kind = traitlets.Int if info.get("kind") == "int" else traitlets.Float
            traits[name] = kind(info["value"]).tag(sync=True, echo_update=False)
        self.add_traits(**traits)  # before the widget opens, like anywidget's own traits
        self.inputs = inputs
        super().__init__(**kwargs)
        self.links: list[widgets.Widget] = []  # the jslinks tying controls to it (closed with it)
        self.on_msg(self._on_message)
        self._apply_rules()

    @traitlets.validate("spec")
    def _with_inputs(self, proposal: dict) -> dict:
        """Every spec the browser gets names this overlay's inputs (given once, to __init__)."""
        return {**proposal["value"], "inputs": self.inputs}

    def __repr__(self) -> str:  # stable: no memory address in saved notebooks
        return f"Overlay({', '.join(self.inputs)})"

    def _on_message(self, _widget: Overlay, content: dict, _buffers: list) -> None:
        if content.get("ping"):  # the browser asks whether a kernel is there
            self.send({"pong": True})

    def _apply_rules(self) -> None:
        """The kernel's copy of the rules helpers/js/rules.js applies in the browser (see `spec`)."""
        rules = self.spec.get("rules", {})
        for hand, position in rules.get("follow", {}).items():
            info = self.inputs[hand]

            def follow(change: dict, position: str = position, info: dict = info) -> None:
                # The slider moved: the point goes there, unless it already sits between
                # the same two grid points (a Step put it there exactly).
                if abs(snap(info, getattr(self, position)) - change["new"]) > 1e-9:
                    _set_quietly(self, position, change["new"])

            self.observe(follow, names=hand)
        for source, targets in rules.get("on_change", {}).items():

            def apply(change: dict, targets: dict = targets) -> None:
                for target, choices in targets.items():
                    _set_quietly(self, target, choices[int(change["new"])])

            self.observe(apply, names=source)


def link(control: widgets.Widget, overlay: Overlay, name: str, control_trait: str = "value") -> None:
    """Tie a control to an overlay input, in the browser and in the kernel.

    In the browser, `ipywidgets.jslink` moves the overlay as the control moves, with no
    kernel; the kernel hears of both changes. In the kernel, each side quietly follows the
    other, so a change made from Python (or in a test, with no browser) is seen by both.
    """
    overlay.links.append(widgets.jslink((control, control_trait), (overlay, name)))

    def to_overlay(change: dict) -> None:
        _set_quietly(overlay, name, change["new"])

    def to_control(change: dict) -> None:
        _set_quietly(control, control_trait, change["new"])

    control.observe(to_overlay, names=control_trait)
    overlay.observe(to_control, names=name)


def disable_offline(overlay: Overlay, *controls: widgets.Widget) -> list:
    """Controls that need Python: disabled while no kernel is there (the overlay says why)."""
    links = [widgets.jslink((overlay, "offline"), (control, "disabled")) for control in controls]
    overlay.links += links
    return links


def widgets_under(widget: widgets.Widget) -> list[widgets.Widget]:
    """The widget and every widget it holds (children, layout, style; an overlay's links),
    each once: what must be closed to release it in the kernel."""
    found: dict[int, widgets.Widget] = {}
    stack = [widget]
    while stack:
        current = stack.pop()
        if id(current) in found:
            continue
        found[id(current)] = current
        for name in current.keys:
            value = getattr(current, name)
            values = value if isinstance(value, (list, tuple)) else [value]
            stack += [v for v in values if isinstance(v, widgets.Widget)]
        stack += getattr(current, "links", [])
    return list(found.values())
