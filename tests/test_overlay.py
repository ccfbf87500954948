"""The browser-drawn figure mechanism (helpers.overlay): tables, pixel mapping, links, sizes."""

import io
import json
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

import helpers as h
from helpers import overlay as ov
from helpers import plots
from helpers.widgets import SurfaceExplorer, surface_shift
from tests import overlay_twins as twins

ROOT = Path(__file__).resolve().parent.parent
KB = 1024


# --- tables --------------------------------------------------------------------------------


def test_tables_round_trip_within_their_precision():
    rng = np.random.default_rng(1)
    values = rng.uniform(-3, 7, (5, 4))
    np.testing.assert_allclose(twins.decode(ov.table(values, ["a"])), values, rtol=1e-7)
    probs = rng.dirichlet(np.ones(3), 50)
    assert np.max(np.abs(twins.decode(ov.table(probs, ["a"], "u2")) - probs)) <= 0.5 / 65535 + 1e-12
    signed = rng.uniform(-1, 1, 30)
    assert np.max(np.abs(twins.decode(ov.table(signed, ["a"], "u2", -1, 1)) - signed)) <= 1 / 65535 + 1e-12
    np.testing.assert_array_equal(twins.decode(ov.table([0, 2, 1], ["a"], "u1")), [0, 2, 1])


@pytest.mark.parametrize(
    ("values", "kwargs", "message"),
    [
        ([0.5, np.nan], {}, "NaN or infinite"),
        ([0.5, 1.5], {"dtype": "u2"}, r"lie in \[0.0, 1.0\]"),
        ([0.5], {"dtype": "f8"}, "unknown table dtype"),
    ],
)
def test_bad_tables_are_refused(values, kwargs, message):
    with pytest.raises(ValueError, match=message):
        ov.table(values, ["a"], **kwargs)


def test_table_with_more_inputs_than_axes_is_refused():
    with pytest.raises(ValueError, match="inputs were named"):
        ov.table([1.0, 2.0], ["a", "b"])


def test_grid_has_every_slider_position():
    grid = ov.grid(-6, 4, 0.01)
    assert len(grid) == 1001 and grid[0] == -6 and grid[-1] == pytest.approx(4)
    grid = {"min": -6, "step": 0.01}
    assert ov.snap(grid, -1.2268) == -1.23
    assert ov.snap(grid, -0.6623) == -0.66


# --- the pixel mapping -----------------------------------------------------------------------


@pytest.mark.parametrize("yscale", ["linear", "log"])
def test_mapping_equals_matplotlibs_transdata(yscale):
    fig = plots.new_figure(6.4, 3.6, dpi=100)
    ax = fig.add_subplot()
    ax.set_xlim(-6, 4)
    ax.set_ylim(0.5, 7) if yscale == "linear" else (ax.set_yscale("log"), ax.set_ylim(10, 500))
    ov.freeze(fig)
    mapping = ov.axes_mapping(ax)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    xs = np.array([x0, x1, x0, x1, -1.234, 2.5, 0.0])
    ys = np.array([y0, y0, y1, y1, *np.geomspace(y0, y1, 3)])
    expected = ax.transData.transform(np.column_stack([xs, ys]))
    left, top = twins.to_pixels(mapping, xs, ys)
    height = fig.bbox.height
    np.testing.assert_allclose(left, expected[:, 0], atol=1e-9)
    np.testing.assert_allclose(top, height - expected[:, 1], atol=1e-9)  # CSS pixels grow downwards
    clip_left, clip_top, clip_right, clip_bottom = mapping["clip"]
    np.testing.assert_allclose([clip_left, clip_bottom], [left[0], top[0]], atol=1e-9)  # the axes' corners
    np.testing.assert_allclose([clip_right, clip_top], [left[3], top[3]], atol=1e-9)


def test_lifting_a_surface_in_the_orthographic_view_is_one_screen_shift():
    """What the browser does (slide one picture) equals what matplotlib would draw."""
    from mpl_toolkits.mplot3d import proj3d

    explorer = SurfaceExplorer(h.Network(), *h.training_data())
    ax3d = explorer.ax3d
    dx, dy = surface_shift(ax3d)
    rng = np.random.default_rng(0)
    points = rng.uniform(0, 1, (20, 2))
    for lift in (-4.0, 1.0, 6.0):
        z = rng.uniform(-3, 3, 20)
        before = proj3d.proj_transform(points[:, 0], points[:, 1], z, ax3d.get_proj())[:2]
        after = proj3d.proj_transform(points[:, 0], points[:, 1], z + lift, ax3d.get_proj())[:2]
        moved = ax3d.transData.transform(np.column_stack(after)) - ax3d.transData.transform(np.column_stack(before))
        np.testing.assert_allclose(moved[:, 0], lift * dx, atol=1e-6)
        np.testing.assert_allclose(-moved[:, 1], lift * dy, atol=1e-6)
    # and the picture itself: matplotlib's drawing of the lifted surface is the slid sprite
    fig, start = explorer.figure, explorer.start
    petal, sepal, grid_points = plots.input_grid(18)
    setosa = (h.forward(start, grid_points).raw[:, 0]).reshape(petal.shape)
    pictures = {}
    for lift in (0.0, 2.0):
        surface = ax3d.plot_surface(petal, sepal, setosa + lift, color=plots.GREEN, alpha=0.75, lw=0)
        pictures[lift] = ov.artists_png(fig, [surface], crop=True)
        surface.remove()
    (png0, (left0, top0)), (png2, (left2, top2)) = pictures[0.0], pictures[2.0]
    assert abs((left2 - left0) - 2 * dx) <= 1 and abs((top2 - top0) - 2 * dy) <= 1
    size0, size2 = Image.open(io.BytesIO(png0)).size, Image.open(io.BytesIO(png2)).size
    assert abs(size0[0] - size2[0]) <= 1 and abs(size0[1] - size2[1]) <= 1


# --- the widget: inputs, links and rules -----------------------------------------------------


def _overlay(**spec) -> ov.Overlay:
    inputs = {
        "b3": {"min": -6, "step": 0.01, "count": 1001, "value": -2.0},
        "hand": {"min": -6, "step": 0.01, "count": 1001, "value": -2.0},
    }
    return ov.Overlay(inputs, spec={"inputs": inputs, **spec})


def _sent(widget, monkeypatch) -> list:
    messages = []
    monkeypatch.setattr(widget, "_send", lambda msg, buffers=None: messages.append(msg))
    return messages


def test_link_follows_both_ways_in_the_kernel_without_sending_twice(monkeypatch):
    overlay, slider = _overlay(), widgets.FloatSlider(min=-6, max=4, step=0.01, value=-2.0)
    ov.link(slider, overlay, "b3")
    to_overlay = _sent(overlay, monkeypatch)
    slider.value = 0.5  # from Python: the slider's own message goes out, the browser's jslink moves the overlay
    assert overlay.b3 == 0.5 and to_overlay == []
    to_slider = _sent(slider, monkeypatch)
    overlay.b3 = -1.0
    assert slider.value == -1.0 and to_slider == []
    assert [m for m in to_overlay if m["method"] == "update"]  # the overlay's own change is sent


def test_browser_changes_are_not_echoed(monkeypatch):
    overlay = _overlay(rules={"follow": {"hand": "b3"}})
    sent = _sent(overlay, monkeypatch)
    overlay.set_state({"hand": -1.5, "b3": -1.5})  # as a keypress arrives from the browser
    overlay.set_state({"trail": [[-2.0, 2.67]], "offline": False})
    assert overlay.b3 == -1.5 and sent == []  # no echo_update, no update: nothing to pull the slider back


def test_follow_rule_keeps_a_step_between_grid_points():
    overlay = _overlay(rules={"follow": {"hand": "b3"}})
    overlay.b3, overlay.hand = -1.2268, -1.23  # a Step: exact position, slider rounded
    assert overlay.b3 == -1.2268
    overlay.hand = -1.22  # the reader moves the slider: the point follows
    assert overlay.b3 == -1.22


def test_on_change_rule_sets_targets():
    inputs = {
        "bias": {"choices": [0, 1, 2], "value": 0, "kind": "int"},
        "value": {"min": -6, "step": 0.01, "count": 1001, "value": -2.0},
    }
    overlay = ov.Overlay(inputs, spec={"inputs": inputs, "rules": {"on_change": {"bias": {"value": [-2.0, 0.0, 1.0]}}}})
    overlay.bias = 2
    assert overlay.value == 1.0


def test_overlay_answers_the_browsers_ping(monkeypatch):
    overlay = _overlay()
    sent = []
    monkeypatch.setattr(overlay, "send", lambda content, buffers=None: sent.append(content))
    overlay._on_message(overlay, {"ping": True}, [])
    assert sent == [{"pong": True}]


def test_overlay_repr_is_stable():
    assert repr(_overlay()) == "Overlay(b3, hand)"


# --- size budgets ----------------------------------------------------------------------------


def test_committed_notebooks_fit_the_size_budget():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert path.stat().st_size <= 1000 * KB, f"{path.name} is {path.stat().st_size / KB:.0f} KB, over 1 MB"
        notebook = json.loads(path.read_text(encoding="utf-8"))
        state = notebook["metadata"].get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
        for model_id, model in state.items():
            if model["model_name"] == "AnyModel":
                size = len(json.dumps(model))
                assert size <= 250 * KB, (
                    f"{path.name}: an explorer's widget state is {size / KB:.0f} KB, over 250 KB ({model_id})"
                )
