"""The explorers, driven from Python as a notebook would drive them (no browser needed)."""

import io

import ipywidgets as widgets
import numpy as np
import pytest
from PIL import Image

import helpers as h
from helpers import plots
from helpers.widgets import (
    CrossEntropyExplorer,
    FlowerExplorer,
    LossCurveExplorer,
    SurfaceExplorer,
    TrainingExplorer,
)

X, Y = h.training_data()
NET = h.Network()


def _png_size(data) -> tuple[int, int]:
    return Image.open(io.BytesIO(bytes(data))).size


@pytest.fixture
def explorer():
    return LossCurveExplorer(NET, X, Y)


def test_loss_curve_explorer_api(explorer):
    assert isinstance(explorer, widgets.Box)
    assert isinstance(explorer.b3_slider, widgets.FloatSlider)
    assert explorer.b3_slider.description == "b3"
    assert (explorer.b3_slider.min, explorer.b3_slider.max) == (-6.0, 4.0)
    b3, loss = explorer.point
    assert b3 == -2.0 and loss == pytest.approx(2.665939, abs=1e-6)
    assert explorer.slope == pytest.approx(-0.773201, abs=1e-6)
    assert explorer.step_button.description == "Step"


def test_slider_moves_the_point_and_the_picture(explorer):
    before = bytes(explorer.image.value)
    explorer.b3_slider.value = 0.5
    assert explorer.point == pytest.approx((0.5, h.total_cross_entropy(NET.with_biases(b3=0.5), X, Y)))
    assert explorer.slope == pytest.approx(h.bias_derivatives(NET.with_biases(b3=0.5), X, Y)["b3"])
    assert bytes(explorer.image.value) != before
    assert "b3 = 0.50" in explorer.status.value
    assert _png_size(explorer.image.value) == _png_size(explorer.background.value)


def test_reader_moves_are_not_echoed_but_kernel_changes_are_sent(explorer, monkeypatch):
    sent = []
    monkeypatch.setattr(explorer.b3_slider, "_send", lambda msg, buffers=None: sent.append(msg))
    explorer.b3_slider.set_state({"value": 0.5})  # as a keypress in the browser arrives
    assert explorer.point[0] == 0.5
    assert not [msg for msg in sent if msg["method"] == "echo_update"]
    explorer.step()  # the kernel moves the slider: the browser must hear of it
    assert [msg for msg in sent if msg["method"] == "update" and "value" in msg["state"]]


def test_step_follows_the_series_and_leaves_a_trail(explorer):
    assert explorer.step() == pytest.approx(-1.2268, abs=5e-5)
    assert explorer.step() == pytest.approx(-0.6623, abs=5e-5)
    assert len(explorer.trail) == 2
    explorer.learning_rate_slider.value = 0.5
    b3, slope = explorer.point[0], explorer.slope
    assert explorer.step() == pytest.approx(b3 - 0.5 * slope, abs=1e-9)
    explorer.reset()
    assert explorer.point[0] == -2.0 and explorer.trail == []


def test_play_steps_until_converged(explorer):
    explorer.play.playing = True
    for tick in range(1, 40):  # what the page's Play control does: count up
        explorer.play.value = tick
        if not explorer.play.playing:
            break
    assert not explorer.play.playing
    assert explorer.point[0] == pytest.approx(-0.031653, abs=2e-3)
    assert abs(explorer.slope) < 1e-4


def test_b4_and_b5_reshape_the_curve(explorer):
    version = explorer.live.background_version
    curve_before = explorer._curve.get_ydata().copy()
    explorer.b4_slider.value = 1.0
    assert explorer.live.background_version == version + 1
    expected = h.loss_curve(NET.with_biases(b4=1.0), X, Y, explorer.b3_grid)
    np.testing.assert_allclose(explorer._curve.get_ydata(), expected)
    assert not np.allclose(curve_before, expected)
    assert explorer.point[1] == pytest.approx(h.total_cross_entropy(NET.with_biases(b4=1.0), X, Y))


def test_whole_picture_is_composited_and_sized(explorer):
    assert explorer.image.layout.width == f"{explorer.live.width_px}px"
    assert _png_size(explorer.live.png()) == (480, 280)


def test_bad_learning_rate_is_refused():
    with pytest.raises(ValueError, match="learning_rate"):
        LossCurveExplorer(NET, X, Y, learning_rate=-1)
    with pytest.raises(ValueError, match=r"outside 0\.\.2"):
        LossCurveExplorer(NET, X, [0, 1, 5])


def test_encode_png_round_trips():
    rgba = np.random.default_rng(0).integers(0, 256, (7, 5, 4), dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(plots.encode_png(rgba))).convert("RGBA"))
    np.testing.assert_array_equal(decoded, rgba)


def test_cross_entropy_explorer_slope_follows_the_rule():
    ex = CrossEntropyExplorer(NET, X, Y, choose_bias=True, show_derivative=True)
    assert ex.slope == pytest.approx(0.1509 - 1, abs=1e-4)  # observed Setosa: p_s - 1
    ex.species.value = "Virginica"
    assert ex.slope == pytest.approx(0.0351, abs=1e-4)  # p_s
    ex.bias.value = "b5"
    assert ex.slider.description == "b5" and ex.slider.value == 1.0
    assert ex.slope == pytest.approx(0.7054 - 1, abs=1e-4)  # p_vi - 1
    for value in (-6.0, 4.0):
        ex.slider.value = value
        numeric = h.numerical_derivative(lambda b: h.total_cross_entropy(NET.with_biases(b5=b), X[1:2], Y[1:2]), value)
        assert ex.slope == pytest.approx(numeric, abs=1e-6)


def test_small_explorers_draw_and_respond():
    surface = SurfaceExplorer(NET, X, Y)
    before = bytes(surface.image.value)
    surface.b3_slider.value = 1.0
    assert bytes(surface.image.value) != before
    flower = FlowerExplorer(NET, X, Y)
    flower.petal_slider.value = 0.9
    assert bytes(flower.image.value)
    Xi, yi = h.iris_data()
    visited = h.train(NET, Xi, yi, learning_rate=0.003, n_steps=10)
    losses = [h.total_cross_entropy(n, Xi, yi) for n in visited]
    training = TrainingExplorer(visited, Xi, yi, losses, every=5)
    training.step_slider.value = 10
    assert "step 10" in training._title.get_text()
