"""The explorers, driven from Python as a notebook would drive them (no browser needed).

The browser draws from the tables; these tests check that the tables hold the helpers'
values at every position of every control, and that the Python API (issue 3) still holds.
"""

import ipywidgets as widgets
import numpy as np
import pytest

import helpers as h
from helpers import overlay as ov
from helpers.widgets import (
    BackpropExplorer,
    CrossEntropyExplorer,
    FlowerExplorer,
    LossCurveExplorer,
    SurfaceExplorer,
    TrainingExplorer,
    output_bias_sweep,
)
from tests import overlay_twins as twins

X, Y = h.training_data()
NET = h.Network()
KB = 1024


def table(explorer, name) -> np.ndarray:
    return twins.decode(explorer.overlay.tables[name])


@pytest.fixture
def explorer():
    return LossCurveExplorer(NET, X, Y)


# --- the loss-curve explorer -----------------------------------------------------------------


def test_loss_curve_explorer_api(explorer):
    assert isinstance(explorer, widgets.Box)
    assert isinstance(explorer.b3_slider, widgets.FloatSlider)
    assert explorer.b3_slider.description == "b3"
    assert (explorer.b3_slider.min, explorer.b3_slider.max) == (-6.0, 4.0)
    b3, loss = explorer.point
    assert b3 == -2.0 and loss == pytest.approx(2.665939, abs=1e-6)
    assert explorer.slope == pytest.approx(-0.773201, abs=1e-6)
    assert repr(explorer).startswith("LossCurveExplorer: run the notebook (Run > Run All Cells) to move it")
    assert len(repr(explorer)) <= 110 and len(repr(CrossEntropyExplorer(NET, X, Y))) <= 110  # ipywidgets cuts longer


def test_tables_hold_the_helpers_values_at_every_slider_position(explorer):
    grid = explorer.b3_grid
    assert len(grid) == 1001  # every position of the b3 slider: -6..4 in steps of 0.01
    np.testing.assert_allclose(table(explorer, "loss"), h.loss_curve(NET, X, Y, grid), rtol=1e-6)
    slopes = [h.bias_derivatives(NET.with_biases(b3=b3), X, Y)["b3"] for b3 in grid]
    np.testing.assert_allclose(table(explorer, "slope"), slopes, atol=1e-6)
    probs = np.array([h.forward(NET.with_biases(b3=b3), X).probs for b3 in grid])
    assert np.max(np.abs(table(explorer, "probs") - probs)) < 1e-5  # 16-bit probabilities
    ce = np.array([h.cross_entropy(p, Y) for p in probs])
    np.testing.assert_allclose(table(explorer, "row_ce"), ce, rtol=1e-6)
    np.testing.assert_allclose(table(explorer, "terms"), probs[:, :, 0] - (Y == 0), atol=1e-6)
    np.testing.assert_allclose(table(explorer, "minimum"), [-0.031653, 1.774696], atol=1e-6)


def test_slider_moves_the_point(explorer):
    explorer.b3_slider.value = 0.5
    assert explorer.overlay.b3 == 0.5 and explorer.overlay.hand == 0.5
    assert explorer.point == pytest.approx((0.5, h.total_cross_entropy(NET.with_biases(b3=0.5), X, Y)))
    assert explorer.slope == pytest.approx(h.bias_derivatives(NET.with_biases(b3=0.5), X, Y)["b3"])


def test_step_follows_gradient_descent_exactly(explorer):
    expected = [s.b3 for s in h.gradient_descent(NET, X, Y, learning_rate=1.0)]
    for b3 in expected[1:6]:
        assert explorer.step() == pytest.approx(b3, abs=1e-12)
    assert explorer.b3_slider.value == pytest.approx(round(expected[5], 2))  # the slider shows it rounded
    assert len(explorer.trail) == 5 and explorer.trail[0] == pytest.approx((-2.0, 2.665939), abs=1e-6)
    explorer.learning_rate_slider.value = 0.5
    b3, slope = explorer.point[0], explorer.slope
    assert explorer.step() == pytest.approx(b3 - 0.5 * slope, abs=1e-12)
    explorer.reset()
    assert explorer.point[0] == -2.0 and explorer.trail == [] and explorer.b3_slider.value == -2.0


def test_step_stays_within_the_slider(explorer):
    explorer.learning_rate_slider.value = 2.5
    explorer.b3_slider.value = 4.0
    explorer.b4_slider.value = -4.0  # a curve whose slope at b3 = 4 is steep
    for _ in range(3):
        assert -6.0 <= explorer.step() <= 4.0


def test_b4_and_b5_rebuild_the_tables(explorer):
    explorer.step()
    explorer.b4_slider.value = 1.0
    moved = NET.with_biases(b4=1.0)
    np.testing.assert_allclose(table(explorer, "loss"), h.loss_curve(moved, X, Y, explorer.b3_grid), rtol=1e-6)
    assert explorer.overlay.trail == []  # old steps lay on the old curve
    assert explorer.point[1] == pytest.approx(h.total_cross_entropy(moved.with_biases(b3=explorer.point[0]), X, Y))
    top = explorer.ax.get_ylim()[1]
    explorer.b4_slider.value, explorer.b5_slider.value = 4.0, -4.0  # a much higher curve: new axes
    assert explorer.ax.get_ylim()[1] > top >= 7
    assert table(explorer, "loss").max() <= explorer.ax.get_ylim()[1]
    assert explorer.overlay.spec["axes"][0] == ov.axes_mapping(explorer.ax)


def test_b4_and_b5_are_disabled_in_a_page_with_no_kernel(explorer):
    links = explorer.offline_links
    assert {link.source for link in links} == {(explorer.overlay, "offline")}
    assert {link.target for link in links} == {(explorer.b4_slider, "disabled"), (explorer.b5_slider, "disabled")}
    assert "need a running kernel" in explorer.overlay.spec["offline_note"]


def test_bad_learning_rate_is_refused():
    with pytest.raises(ValueError, match="learning_rate"):
        LossCurveExplorer(NET, X, Y, learning_rate=-1)
    with pytest.raises(ValueError, match=r"outside 0\.\.2"):
        LossCurveExplorer(NET, X, [0, 1, 5])


# --- the cross-entropy explorer --------------------------------------------------------------


def _flower_ce(bias: str, row: int, species: int):
    """One flower's cross entropy as a function of one output bias."""
    return lambda value: h.total_cross_entropy(NET.with_biases(**{bias: value}), X[row : row + 1], [species])


def test_cross_entropy_tables_follow_the_rule():
    ex = CrossEntropyExplorer(NET, X, Y, parts=("species", "bias", "derivative"))
    grid = ex.grid
    probs, ce, slope = table(ex, "probs"), table(ex, "ce"), table(ex, "slope")
    assert probs.shape == (3, 3, 1001, 3)  # bias, observed species, value, class
    for k, bias in enumerate(("b3", "b4", "b5")):
        for species in range(3):
            row = int(np.flatnonzero(np.equal(Y, species))[0])
            expected = output_bias_sweep(NET, X[row], bias, grid)
            assert np.max(np.abs(probs[k, species] - expected)) < 1e-5
            np.testing.assert_allclose(ce[k, species], -np.log(expected[:, species]), rtol=1e-6)
            rule = expected[:, k] - (k == species)  # p_k - [k observed]
            assert np.max(np.abs(slope[k, species] - rule)) < 2e-5
            for value in (-6.0, 0.37, 4.0):  # and the rule is the derivative
                numeric = h.numerical_derivative(_flower_ce(bias, row, species), value)
                assert np.interp(value, grid, slope[k, species]) == pytest.approx(numeric, abs=5e-4)


def test_cross_entropy_explorer_controls():
    ex = CrossEntropyExplorer(NET, X, Y, parts=("species", "bias", "derivative"))
    assert ex.slope == pytest.approx(0.1509 - 1, abs=1e-4)  # observed Setosa: p_s - 1
    ex.species.value = "Virginica"
    assert ex.overlay.species == 2 and ex.slope == pytest.approx(0.0351, abs=1e-4)  # p_s
    ex.bias.value = "b5"
    assert ex.slider.value == 1.0 and ex.overlay.value == 1.0  # the bias starts at its own value
    assert ex.slope == pytest.approx(0.7054 - 1, abs=1e-4)  # p_vi - 1
    ex.slider.value = 4.0
    numeric = h.numerical_derivative(lambda b: h.total_cross_entropy(NET.with_biases(b5=b), X[1:2], Y[1:2]), 4.0)
    assert ex.slope == pytest.approx(numeric, abs=1e-6)


def test_a_fixed_species_and_bias_store_one_curve():
    ex = CrossEntropyExplorer(NET, X, Y, species="Setosa", parts=())
    assert table(ex, "probs").shape == (1, 1, 1001, 3)
    assert twins.state_size(ex.overlay) < 100 * KB


# --- the smaller explorers -------------------------------------------------------------------


def test_surface_explorer_tables_and_slider():
    ex = SurfaceExplorer(NET, X, Y)
    probs = table(ex, "probs")
    for i in range(3):
        for b3 in (-6.0, -2.0, 1.23, 4.0):
            position = round((b3 + 6) / 0.01)
            expected = h.forward(NET.with_biases(b3=b3), X[i : i + 1]).probs[0]
            assert np.max(np.abs(probs[i, position] - expected)) < 1e-5
    ex.b3_slider.value = 1.0
    ex.row.value = 2
    assert ex.overlay.b3 == 1.0 and ex.overlay.row == 2
    np.testing.assert_allclose(ex.probabilities, h.forward(NET.with_biases(b3=1.0), X[2:3]).probs[0])
    assert ex.overlay.pictures["green"][:8] == b"\x89PNG\r\n\x1a\n"


def test_flower_explorer_tables_and_sliders():
    ex = FlowerExplorer(NET, X, Y)
    probs, prediction = table(ex, "probs"), table(ex, "prediction")
    for petal, sepal in [(0.0, 0.0), (0.5, 0.5), (0.04, 0.42), (1.0, 0.37)]:
        expected = h.forward(NET, [[petal, sepal]]).probs[0]
        row, column = round(sepal * 100), round(petal * 100)
        assert np.max(np.abs(probs[row, column] - expected)) < 1e-5
        assert prediction[row, column] == np.argmax(expected)
    ex.petal_slider.value = 0.9
    assert ex.overlay.petal == 0.9
    np.testing.assert_allclose(ex.probabilities, h.forward(NET, [[0.9, 0.5]]).probs[0])


def test_training_explorer_tables_and_pictures():
    Xi, yi = h.iris_data()
    visited = h.train(NET, Xi, yi, learning_rate=0.003, n_steps=10)
    losses = [h.total_cross_entropy(n, Xi, yi) for n in visited]
    ex = TrainingExplorer(visited, Xi, yi, losses, every=5)
    np.testing.assert_allclose(table(ex, "loss"), [losses[0], losses[5], losses[10]], rtol=1e-6)
    accuracy = [np.mean(h.forward(visited[s], Xi).probs.argmax(axis=1) == yi) for s in (0, 5, 10)]
    np.testing.assert_allclose(table(ex, "accuracy"), accuracy, rtol=1e-6)
    assert len(ex.overlay.pictures["regions"]) == 3
    ex.step_slider.value = 10
    assert ex.overlay.step == 10 and ex.accuracy == pytest.approx(accuracy[2])


def test_every_explorer_fits_the_state_budget():
    Xi, yi = h.iris_data()
    visited = h.train(NET, Xi, yi, learning_rate=0.003, n_steps=2000)
    explorers = [
        LossCurveExplorer(NET, X, Y),
        SurfaceExplorer(NET, X, Y),
        FlowerExplorer(NET, X, Y),
        CrossEntropyExplorer(NET, X, Y, parts=("species", "bias", "derivative")),
        TrainingExplorer(visited, Xi, yi, [h.total_cross_entropy(n, Xi, yi) for n in visited], every=20),
        BackpropExplorer(NET, X, Y),
    ]
    for explorer in explorers:
        size = twins.state_size(explorer.overlay)
        assert size <= 250 * KB, f"{type(explorer).__name__}: {size / KB:.0f} KB of widget state"


# --- a cell run again replaces its explorers ------------------------------------------------


def open_widgets() -> int:
    from ipywidgets.widgets.widget import _instances  # the kernel's registry of open widgets

    return len(_instances)


def test_running_a_cell_again_closes_the_explorers_it_made(monkeypatch):
    from helpers.explorers import base as explorers

    monkeypatch.setattr(explorers.Explorer, "_made_by_cell", {})
    running = {"cell": ("cell-a", 1)}
    monkeypatch.setattr(explorers, "_running_cell", lambda: running["cell"])
    before = open_widgets()
    first = LossCurveExplorer(NET, X, Y)
    per_explorer = open_widgets() - before
    assert per_explorer > 10  # sliders, boxes, layouts, styles, links, the overlay
    for run in (2, 3, 4):
        running["cell"] = ("cell-a", run)
        latest = LossCurveExplorer(NET, X, Y)
        assert open_widgets() - before == per_explorer, "the explorer from the cell's last run was not closed"
    assert first.overlay.comm is None and latest.overlay.comm is not None

    running["cell"] = ("cell-b", 1)  # another cell's explorer leaves this one alone
    other = LossCurveExplorer(NET, X, Y)
    assert latest.overlay.comm is not None
    running["cell"] = ("cell-b", 1)  # and a second explorer of the same run keeps the first
    FlowerExplorer(NET, X, Y)
    assert other.overlay.comm is not None
    latest.close()
    assert latest.b3_slider.comm is None and latest.overlay.links[0].comm is None
