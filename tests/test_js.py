"""The browser's arithmetic, run under Node: helpers/js/'s own modules, not a copy.

The page looks numbers up in the tables (interpolating between slider positions) and runs
Step and Play from them (the page's own OverlayView, on a fake model); these tests hold
those results to the helpers' exact values.
"""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import helpers as h
from helpers import overlay as ov
from helpers.widgets import CrossEntropyExplorer, LossCurveExplorer
from tests.browser import ROOT, skip_or_fail
from tests.overlay_twins import run_node

SCRIPT = Path(__file__).parent / "js" / "overlay_check.mjs"
X, Y = h.training_data()
NET = h.Network()
OFF_GRID = [-5.99, -2.0, -1.2268, -0.0317, 0.123456, 3.995]
RATES = [0.5, 1.0, 2.5]
ZIGZAG_RATE = 3.0  # past 1 / 0.59 = 1.7 the steps overshoot; at 3.0 they still settle, in 35 steps
FORMATS = [(-2.0, ".2f"), (-1.2268, ".2f"), (2.665939, ".3f"), (-0.773201, ".3f"), (-0.001, ".2f"), (-0.0, ".2f")]
FORMATS += [(0.125, ".2f"), (-0.125, ".2f"), (0.375, ".2f"), (0.0625, ".3f"), (2.5, ".0f"), (3.5, ".0f"), (1.005, ".2f")]
FOLLOW = [(-1.2268, -1.23), (-1.2268, -1.22), (-1.2268, -1.5), (-2.0, -1.99), (0.5, 0.5), (-0.6623, -0.67)]
ON_CHANGE = [2, 0, 1, 2, 1]  # notebook 04's dropdown: the output bias to move, picked in this order
SNAPS = [-2.0, -1.2268, -0.6623, -0.665, -0.655, 0.004999, 0.005, -6.2, 4.3, -0.0, 1e-12, 3.14159]
FORMATS += [(0.953, ".0%"), (0.62, ".0%"), (1234.0, "d"), (2.0, "@species")]


def choosing_bias() -> CrossEntropyExplorer:
    return CrossEntropyExplorer(NET, X, Y, parts=("species", "bias", "derivative"))


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    explorer = LossCurveExplorer(NET, X, Y)
    result = run_node(
        SCRIPT,
        explorer.overlay,
        tmp_path_factory.mktemp("js"),
        grid=explorer.b3_grid.tolist(),
        off_grid=OFF_GRID,
        rates=[*RATES, ZIGZAG_RATE],
        formats=FORMATS,
        snaps=SNAPS,
        follow=FOLLOW,
        on_change={"spec": choosing_bias().overlay.spec, "state": {"bias": 0, "value": -9.0}, "choices": ON_CHANGE},
    )
    return explorer, result


def test_lookups_at_slider_positions_are_the_tables(browser):
    explorer, result = browser
    np.testing.assert_allclose(result["on_grid"], h.loss_curve(NET, X, Y, explorer.b3_grid), rtol=1e-6)


def test_lookups_between_positions_interpolate_closely(browser):
    _, result = browser
    for b3, (loss, slope, p_setosa) in zip(OFF_GRID, result["off_grid"]):
        moved = NET.with_biases(b3=b3)
        assert loss == pytest.approx(h.total_cross_entropy(moved, X, Y), abs=2e-5)
        assert slope == pytest.approx(h.bias_derivatives(moved, X, Y)["b3"], abs=1e-5)
        assert p_setosa == pytest.approx(h.forward(moved, X[:1]).probs[0, 0], abs=2e-5)


@pytest.mark.parametrize("rate", RATES)
def test_page_descent_lands_on_gradient_descents_values(browser, rate):
    _, result = browser
    page = result["descents"][RATES.index(rate)]
    exact = [step.b3 for step in h.gradient_descent(NET, X, Y, learning_rate=rate)]
    assert len(page) == len(exact), f"the page took {len(page) - 1} steps, h.gradient_descent {len(exact) - 1}"
    np.testing.assert_allclose(page, exact, atol=2e-5)
    if rate == 1.0:  # the series' values, as the page prints them
        assert [f"{b3:.2f}" for b3 in page[:6]] == ["-2.00", "-1.23", "-0.66", "-0.33", "-0.16", "-0.09"]


def test_page_descent_zigzags_like_gradient_descent(browser):
    # Near the tolerance the last step's size is within float32 rounding of 1e-4, so the page
    # may stop one step earlier or later; every step both took must agree.
    _, result = browser
    page = result["descents"][len(RATES)]
    exact = [step.b3 for step in h.gradient_descent(NET, X, Y, learning_rate=ZIGZAG_RATE)]
    assert abs(len(page) - len(exact)) <= 1, f"the page took {len(page) - 1} steps, h.gradient_descent {len(exact) - 1}"
    shared = min(len(page), len(exact))
    np.testing.assert_allclose(page[:shared], exact[:shared], atol=2e-5)
    assert np.all(np.diff(np.sign(np.array(exact[1:8]) - h.b3_minimum(NET, X, Y)[0])) != 0), "each early step overshoots"


def test_numbers_print_as_python_prints_them(browser):
    _, result = browser
    assert result["formats"][:-1] == [format(value, fmt) if fmt != "d" else str(round(value)) for value, fmt in FORMATS[:-1]]
    assert result["formats"][-1] == "Virginica"
    assert result["choices"] == 1


def test_animated_play_takes_the_same_steps_and_stops_itself(browser):
    _, result = browser
    animated = result["animated"]
    assert animated["visited"] == result["descents"][RATES.index(1.0)]
    assert (animated["pausing"], animated["after"]) == ("Pause", "Play")
    assert animated["saves"] >= len(animated["visited"]) - 1, "each step is sent to the kernel"


def test_play_with_reduced_motion_tells_the_kernel_once(browser):
    # at rate 0.05 Play takes over 200 steps: one message with the whole trail, not one per step
    _, result = browser
    quietly = result["quietly"]
    steps = len(h.gradient_descent(NET, X, Y, learning_rate=0.05)) - 1
    assert quietly["steps"] == steps > 200 and quietly["saves"] == 1, quietly
    assert quietly["hand"] == pytest.approx(round(quietly["hand"], 2))  # the slider shows where Play ended


def test_step_grows_the_trail_moves_the_point_and_reset_clears_it(browser):
    _, result = browser
    first, second, reset = result["stepped"]
    steps = h.gradient_descent(NET, X, Y, learning_rate=1.0)
    for state, k in ((first, 1), (second, 2)):
        assert [b3 for b3, _ in state["trail"]] == pytest.approx([s.b3 for s in steps[:k]], abs=2e-5)
        assert [loss for _, loss in state["trail"]] == pytest.approx([s.loss for s in steps[:k]], abs=2e-5)
        assert state["position"] == pytest.approx(steps[k].b3, abs=2e-5)
        assert state["hand"] == round(state["position"], 2), "the slider shows the point rounded to its step"
    assert (reset["trail"], reset["position"], reset["hand"]) == ([], -2.0, -2.0)
    assert not any(state["offline"] for state in result["stepped"]), "a kernel that answers keeps the explorer online"


def test_the_page_snaps_a_point_to_the_slider_as_python_does(browser):
    explorer, result = browser
    grid = explorer.overlay.spec["inputs"]["b3"]
    assert result["snaps"] == [ov.snap(grid, value) for value in SNAPS]


def test_the_page_and_the_kernel_apply_the_follow_rule_alike(browser):
    _, result = browser
    kernel = []
    for point, hand in FOLLOW:
        overlay = LossCurveExplorer(NET, X, Y).overlay
        overlay.b3 = point
        overlay.hand = hand
        kernel.append(overlay.b3)
        overlay.close()
    assert result["follow"] == kernel
    assert kernel[0] == -1.2268 and kernel[2] == -1.5, "a Step's exact point stays until the slider leaves its position"


def test_the_committed_bundle_is_a_fresh_build_of_the_modules():
    # The widgets load helpers/js/dist/overlay.js (committed, so installing needs no Node);
    # the tests above run the modules it is built from: they must be the same code.
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "esbuild").is_dir():
        skip_or_fail("Node.js and esbuild are needed to rebuild the bundle: install Node, then run `npm ci`")
    run = subprocess.run([node, str(ROOT / "tools" / "build_js.mjs"), "--check"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


def test_the_page_and_the_kernel_apply_the_on_change_rule_alike(browser):
    # Picking another output bias in the dropdown puts the value slider at that bias's start.
    _, result = browser
    overlay = choosing_bias().overlay
    kernel = []
    for choice in ON_CHANGE:
        overlay.bias = choice
        kernel.append(overlay.value)
    overlay.close()
    assert result["on_change"] == kernel
    assert kernel == [[NET.b3, NET.b4, NET.b5][k] for k in ON_CHANGE]
