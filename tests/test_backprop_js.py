"""Notebook 05's backpropagation explorer, the page's own code run under Node on a fake model:
Forward step and Backward step visit the nodes in order, each step's announcement carries its
numbers (as Python fills them), Step back undoes a step, Reset returns to the start, Play with
reduced motion shows the end at once; the pass ends at b3's gradient (tests/js/backprop_check.mjs)."""

from pathlib import Path

import pytest

import helpers as h
from helpers import backprop as bp
from helpers.spec import fill, format_value
from helpers.widgets import BackpropExplorer
from tests.overlay_twins import run_node

SCRIPT = Path(__file__).parent / "js" / "backprop_check.mjs"
X, Y = h.training_data()
NET = h.Network()
FORMATS = [(0.952, "+.3f"), (-0.996, "+.3f"), (-2.0, "+.2f"), (0.0, "+.3f"), (0.0625, "+.3f"), (1.0, "@texts")]
LISTS = {"texts": ["", "{a:.3f} {b:+.3f} = {c:.3f}", "plain"]}
FILLS = [
    ["sum: {pick:@texts}", {"a": 0.085, "b": -0.996, "c": -0.911, "pick": 1}],
    ["{pick:@texts}, {a:.2f}", {"a": 0.125, "pick": 2}],
    ["{a:+.3f}{b:+.3f}", {"a": -0.0005, "b": 1e-4}],
]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    explorer = BackpropExplorer(NET, X, Y)
    folder = tmp_path_factory.mktemp("js")
    return explorer, run_node(SCRIPT, explorer.overlay, folder, formats=FORMATS, fills=FILLS, lists=LISTS)


def test_forward_step_fills_the_nodes_left_to_right(page):
    explorer, result = page
    forward = result["forward"]
    assert [state["lit"] for state in forward[:-1]] == [[node] for node in bp.FORWARD_ORDER]
    assert forward[-1]["step"] == 13 and forward[-1]["told"].startswith("The forward pass is complete")
    for state in forward[:-1]:
        assert state["said"] == explorer.steps.text_at(0, state["step"], -2.0)


def test_backward_step_runs_right_to_left_and_ends_at_b3(page):
    explorer, result = page
    backward = result["backward"]
    nodes = [step.node for step in bp.flower_steps(0) if step.phase == "backward"]
    lit = [state["lit"] for state in backward[:-1]]
    assert [state for state in lit if len(state) == 1] == [[node] for node in nodes if node != "p_s"]
    assert lit[1] == ["p_s", "p_ve", "p_vi"], "step 2 also gives the probabilities CE does not use their 0"
    assert backward[2]["said"] == "Backward, step 3 of 16: dCE/dz_s = local p_s(1 - p_s) 0.128 \u00d7 upstream -6.628 = -0.849."
    for state in backward[:-1]:
        assert state["said"] == explorer.steps.text_at(0, state["step"], -2.0)
    assert backward[-2]["b3"] == "-0.849" and backward[-1]["told"].startswith("The backward pass is complete")
    assert result["back"]["step"] == 28 and result["back"]["said"] == explorer.steps.text_at(0, 28, -2.0)
    assert result["reset"]["step"] == 0 and result["reset"]["lit"] == []


def test_all_three_add_up_at_the_output_biases(page):
    _, result = page
    last = result["all_three"][-2]
    assert last["step"] == 87 and last["b3"] == "-0.773"
    assert "-0.849 + 0.035 + 0.041 = -0.773" in last["said"]


def test_play_with_reduced_motion_shows_the_end_at_once(page):
    _, result = page
    played = result["played"]
    slope = h.bias_derivatives(NET.with_biases(b3=-1.5), X[:1], Y[:1])["b3"]
    assert played["step"] == 29 and played["b3"] == f"{slope:.3f}"
    assert played["saves"] == 1, "the kernel hears of the end once, not of every step"


def test_play_animated_shows_pause_and_pause_stops_it(page):
    _, result = page
    assert result["paused"] == {"pausing": "Pause", "after": "Play", "timer": None}


def test_the_page_fills_templates_as_python_does(page):
    _, result = page
    assert result["formats"] == [format_value(value, fmt, LISTS) for value, fmt in FORMATS]
    assert result["filled"] == [fill(template, values.__getitem__, LISTS) for template, values in FILLS]
    assert result["filled"][0] == "sum: 0.085 - 0.996 = -0.911"
