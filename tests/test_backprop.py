"""Backpropagation on the graph (helpers.backprop) and its explorer: every number the graph
shows is the helpers' own (h.forward, h.gradients), at several b3 and for each flower and all
three; the tables the browser reads hold those numbers; the steps go as the issue says."""

import numpy as np
import pytest

import helpers as h
from helpers import backprop as bp
from helpers.explorers.backprop import FLOWERS, GraphSteps, graph_figure, rows_of
from helpers.spec import fill, format_value
from helpers.widgets import BackpropExplorer
from tests import overlay_twins as twins

X, Y = h.training_data()
NET = h.Network()
B3S = [-6.0, -2.0, -0.05, 1.25, 4.0]  # on the explorer's grid (steps of 0.05)


@pytest.fixture(scope="module")
def explorer():
    return BackpropExplorer(NET, X, Y)


def per_row_gradients(net, X, y):
    """Each row's own gradients, from h.gradients on that row alone."""
    return [h.gradients(net, X[i : i + 1], y[i : i + 1]) for i in range(len(y))]


@pytest.mark.parametrize("b3", B3S)
def test_graph_numbers_are_the_forward_pass_and_the_gradients(b3):
    net = NET.with_biases(b3=b3)
    numbers = {name: values[0] for name, values in bp.graph_numbers(NET, X, Y, [b3]).items()}
    fp = h.forward(net, X)
    for j, (a, node) in enumerate(zip(bp.HIDDEN_IN, bp.HIDDEN)):
        np.testing.assert_allclose(numbers[a], fp.hidden_in[:, j], atol=1e-12)
        np.testing.assert_allclose(numbers[node], fp.hidden[:, j], atol=1e-12)
    for k in range(3):
        np.testing.assert_allclose(numbers[bp.RAW[k]], fp.raw[:, k], atol=1e-12)
        np.testing.assert_allclose(numbers[bp.PROBS[k]], fp.probs[:, k], atol=1e-12)
    np.testing.assert_allclose(numbers["CE"], h.cross_entropy(fp.probs, Y), atol=1e-12)
    for i, grads in enumerate(per_row_gradients(net, X, Y)):
        for k, bias in enumerate(("b3", "b4", "b5")):
            assert numbers[f"d:{bias}"][i] == pytest.approx(grads.b_out[k], abs=1e-12)
            assert numbers[f"d:{bp.RAW[k]}"][i] == pytest.approx(grads.b_out[k], abs=1e-12)  # dz_k/db_k = 1
        for j, a in enumerate(bp.HIDDEN_IN):  # dz/da = 1 at the hidden biases: d:a is db1, db2
            assert numbers[f"d:{a}"][i] == pytest.approx(grads.b_hidden[j], abs=1e-12)
    total = h.gradients(net, X, Y)
    np.testing.assert_allclose([numbers[f"d:{b}"].sum() for b in ("b3", "b4", "b5")], total.b_out, atol=1e-12)


def test_each_hidden_nodes_gradient_is_the_sum_of_its_three_products():
    numbers = bp.graph_numbers(NET, X, Y, [-2.0])
    for node in bp.HIDDEN:
        products = sum(numbers[f"prod:{node}>{z}"] for z in bp.RAW)
        np.testing.assert_allclose(numbers[f"d:{node}"], products, atol=1e-15)
    # the issue's numbers, on the Setosa flower (row 0)
    assert numbers["loc:z_s>p_s"][0, 0] == pytest.approx(0.128, abs=5e-4)
    assert numbers["d:p_s"][0, 0] == pytest.approx(-6.628, abs=5e-4)
    assert numbers["d:z_s"][0, 0] == pytest.approx(-0.849, abs=5e-4)


def test_the_backward_pass_visits_the_edges_right_to_left_and_ends_at_b3():
    for observed in range(3):
        steps = bp.flower_steps(observed)
        forward = [s.node for s in steps if s.phase == "forward"]
        backward = [s.node for s in steps if s.phase == "backward"]
        assert forward == list(bp.FORWARD_ORDER)
        assert backward[:2] == ["CE", bp.PROBS[observed]] and backward[-1] == "b3"
        assert backward.count("upper") == backward.count("bottom") == 3  # one step per path
        seen = {"CE"}
        for step in steps[len(forward) + 1 :]:
            (edge,) = step.edges
            assert edge.split(">")[1] in seen, f"{edge}: its upstream gradient is not known yet"
            seen.add(step.node)
    with pytest.raises(ValueError, match="observed"):
        bp.flower_steps(3)


@pytest.mark.parametrize("b3", B3S)
@pytest.mark.parametrize("mode", range(len(FLOWERS)))
def test_the_explorers_last_step_ends_at_the_gradient_python_gives(explorer, mode, b3):
    steps = explorer.steps
    rows = rows_of(mode, Y)
    moved = NET.with_biases(b3=b3)
    expected = h.bias_derivatives(moved, X[rows], Y[rows])["b3"]
    end = int(steps.ends[mode])
    assert steps.text_at(mode, end, b3, "b3", 2) == f"{expected:.3f}"
    for node, k in (("b4", 1), ("b5", 2)):
        assert steps.text_at(mode, end, b3, node, 2) == f"{h.bias_derivatives(moved, X[rows], Y[rows])[node]:.3f}"
        del k
    said = steps.text_at(mode, end, b3)
    assert said.startswith("Backward, step 16 of 16" if mode < 3 else "Versicolor flower (3 of 3), backward, step 16 of 16")
    assert f"= {expected:.3f}." in said


def test_the_issues_numbers_at_b3_minus_2(explorer):
    steps = explorer.steps
    said = [steps.text_at(0, k, -2.0) for k in range(int(steps.ends[0]) + 1)]
    assert "Backward, step 3 of 16: dCE/dz_s = local p_s(1 - p_s) 0.128 \u00d7 upstream -6.628 = -0.849." in said
    all_three = steps.text_at(3, int(steps.ends[3]), -2.0)
    assert "-0.849 + 0.035 + 0.041 = -0.773" in all_three
    assert steps.text_at(3, int(steps.ends[3]), -2.0, "b3", 3) == "-0.849 + 0.035 + 0.041 = -0.773"
    upper = [s for s in said if "dCE/dupper, path 3 of 3" in s]
    assert upper and "0.085 + 0.952 - 0.996 = 0.041" in upper[0]


@pytest.mark.parametrize("mode", range(len(FLOWERS)))
def test_every_node_shows_the_helpers_value_and_gradient_at_the_end(explorer, mode):
    steps = explorer.steps
    row = rows_of(mode, Y)[-1]
    for b3 in (-2.0, 0.5):
        net = NET.with_biases(b3=b3)
        fp = h.forward(net, X[row : row + 1])
        grads = per_row_gradients(net, X, Y)[row]
        end = int(steps.ends[mode])
        shown = {node: steps.text_at(mode, end, b3, node, 1) for node in bp.NODES}
        assert shown["z_s"] == f"{fp.raw[0, 0]:.3f}" and shown["p_vi"] == f"{fp.probs[0, 2]:.3f}"
        assert shown["upper"] == f"{fp.hidden[0, 0]:.3f}" and shown["CE"] == f"{-np.log(fp.probs[0, Y[row]]):.3f}"
        for j, a in enumerate(bp.HIDDEN_IN):
            assert steps.text_at(mode, end, b3, a, 2) == f"{grads.b_hidden[j] + 0.0:.3f}"


def test_what_the_browser_reads_is_what_python_computed(explorer):
    """Every template field, looked up in the decoded tables as overlay.js looks it up, at every
    step of every choice, at a few b3: the numbers Python computed (to float32)."""
    steps, overlay = explorer.steps, explorer.overlay
    decoded = {name: twins.decode(table) for name, table in overlay.tables.items()}
    values = overlay.spec["values"]
    grid = explorer.b3_grid
    for b3 in (-2.0, 1.25):
        index = int(np.argmin(np.abs(grid - b3)))
        for mode in range(len(FLOWERS)):
            for position in range(0, int(steps.ends[mode]) + 1, 7):
                row = int(decoded["row_at"][mode, position])
                assert row == steps.row_at[mode, position]
                for key, ref in values.items():
                    if ref["table"] not in ("fixed", "moving", "sums"):
                        continue
                    table = decoded[ref["table"]]
                    at = [row if item == "row" else item for item in ref["indices"]]
                    got = table[index][tuple(at)] if ref["table"] != "fixed" else table[tuple(at)]
                    want = steps._lookup(row, index, b3)(key)
                    assert got == pytest.approx(want, rel=1e-6, abs=1e-6), key
    assert (decoded["nodes"] == steps.node_table).all() and (decoded["edges"] == steps.edge_table).all()


def test_stepping_forward_back_and_reset():
    ex = BackpropExplorer(NET, X, Y)
    assert ex.forward_step() and ex.position == 1
    ex.step_back()
    assert ex.position == 0
    ex.step_back()
    assert ex.position == 0
    assert ex.backward_step() and ex.position == 14, "Backward step first finishes the forward pass"
    assert ex.said.startswith("Backward, step 1 of 16")
    assert not ex.forward_step(), "no forward step is left"
    while ex.backward_step():
        pass
    assert ex.position == 29 and ex.shown("b3") == ("-2.00", "-0.849")
    ex.reset()
    assert ex.position == 0 and ex.shown("z_s") == ("", "")
    ex.flower.value = "all three"
    assert ex.overlay.mode == 3 and ex.position == 0
    ex.b3_slider.value = -0.5
    while ex.backward_step():
        pass
    slope = h.bias_derivatives(NET.with_biases(b3=-0.5), X, Y)["b3"]
    assert ex.position == 87 and ex.shown("b3") == ("-0.50", f"{slope:.3f}")
    ex.overlay.step = 40
    ex.flower.value = "Virginica"
    assert ex.position == 0, "a new flower starts again"


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="flower"):
        BackpropExplorer(NET, X, Y, flower="Iris")
    with pytest.raises(ValueError, match="Versicolor"):
        BackpropExplorer(NET, X[:2], Y[:2])
    wide = h.Network(np.ones((3, 2)), np.ones(3), np.ones((3, 3)), np.zeros(3))
    with pytest.raises(ValueError, match="two hidden nodes"):
        BackpropExplorer(wide, X, Y)


def test_fill_and_the_signed_format():
    lists = {"texts": ["", "{a:.3f} {b:+.3f} = {c:.3f}"]}
    values = {"a": 0.085, "b": -0.996, "c": -0.911, "pick": 1}
    assert fill("sum: {pick:@texts}", values.__getitem__, lists) == "sum: 0.085 - 0.996 = -0.911"
    assert format_value(0.952, "+.3f") == "+ 0.952" and format_value(-2.0, "+.2f") == "- 2.00"


def test_the_still_is_the_completed_backward_pass():
    steps = GraphSteps(NET, X, Y, np.array([-2.0, -1.95]))
    fig = graph_figure(steps)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"grad -0.849", "grad -6.628", "1 \u00d7 -0.849 = -0.849", "0.085 + 0.952 - 0.996 = 0.041"} <= texts


# --- every parameter: the paths from the loss (notebook 07) ---------------------------------


@pytest.mark.parametrize("data", ["series", "iris"])
def test_the_paths_to_every_parameter_add_up_to_its_gradient(data):
    Xd, yd = (X, Y) if data == "series" else h.iris_data()
    grads = h.gradients(NET, Xd, yd)
    flat = [*grads.w_hidden.ravel(), *grads.b_hidden, *grads.w_out.ravel(), *grads.b_out]
    for parameter, expected in zip(bp.PARAMETERS, flat):
        assert bp.parameter_gradient(NET, Xd, yd, parameter) == pytest.approx(expected, abs=1e-10), parameter


def test_a_closed_gate_makes_its_paths_carry_zero():
    paths = bp.parameter_paths(NET, X, Y, "W1[0,0]")
    assert len(paths) == 9  # three flowers, three raw outputs each
    closed = [p for p in paths if p.gate]
    assert {p.row for p in closed} == {1} and all(p.product == 0 for p in closed)  # row 2: a_up = -0.576
    assert closed[0].gate == "a_up <= 0"
    with pytest.raises(ValueError, match="parameter"):
        bp.parameter_paths(NET, X, Y, "W3[0,0]")


def test_the_path_explorer_shows_every_parameters_gradient():
    from helpers.widgets import ParameterPathsExplorer

    ex = ParameterPathsExplorer(NET, X, Y)
    grads = h.gradients(NET, X, Y)
    flat = [*grads.w_hidden.ravel(), *grads.b_hidden, *grads.w_out.ravel(), *grads.b_out]
    lists = ex.overlay.spec["lists"]
    for k, expected in enumerate(flat):
        assert lists["sums"][k].endswith(f"= {expected:.4f}")
        assert f"<b>{expected:.4f}</b>" in lists["tables"][k]
    nodes = twins.decode(ex.overlay.tables["nodes"])  # (parameter, flower, node, [state, value, gradient])
    numbers = bp.graph_numbers(NET, X, Y, [NET.b3])
    p, a_up = bp.PARAMETERS.index("W1[0,0]"), bp.NODES.index("a_up")
    for i in range(3):
        shown = lists["texts"][int(nodes[p, i, a_up, 2])]
        assert shown == f"{numbers['d:a_up'][0, i]:.3f}"
    assert twins.state_size(ex.overlay) <= 250 * 1024


def test_the_spec_check_names_a_bad_graph_mark(explorer):
    from helpers.spec import validate

    spec = explorer.overlay.spec
    graph = spec["marks"][0]
    bad = {
        **graph,
        "nodes": [{**graph["nodes"][0], "colour": "red"}, *graph["nodes"][1:]],
        "edges": [*graph["edges"], [0, 99]],
        "texts": "nope",
        "states": "missing",
    }
    with pytest.raises(ValueError) as error:
        validate({**spec, "marks": [bad], "steps": {**spec["steps"], "phase": "gone", "pace": 1}}, explorer.overlay.tables)
    message = str(error.value)
    for expected in ("unknown key 'colour'", "0 -> 99", "texts 'nope'", "no table 'missing'", "no table 'gone'", "'pace'"):
        assert expected in message
    lists = {**spec["lists"], "graph_text": [*spec["lists"]["graph_text"], "{nowhere:.3f}"]}
    with pytest.raises(ValueError, match="'nowhere' is neither a value nor an input"):
        validate({**spec, "lists": lists}, explorer.overlay.tables)
