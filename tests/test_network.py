"""The helpers' math: the series' numbers pinned, properties checked, bad input refused."""

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import helpers as h

X, Y = h.training_data()
NET = h.Network()


# --- the series' numbers ----------------------------------------------------------------


def test_public_names_and_data():
    assert h.SPECIES == ("Setosa", "Versicolor", "Virginica")
    np.testing.assert_array_equal(X, [[0.04, 0.42], [1.00, 0.54], [0.50, 0.37]])
    np.testing.assert_array_equal(Y, [0, 2, 1])
    assert X.dtype == float and np.issubdtype(Y.dtype, np.integer)


def test_network_holds_the_series_parameters():
    assert (NET.b1, NET.b2, NET.b3, NET.b4, NET.b5) == (1.6, 0.7, -2.0, 0.0, 1.0)
    np.testing.assert_array_equal(NET.w_hidden, [[-2.5, 0.6], [-1.5, 0.4]])
    np.testing.assert_array_equal(NET.w_out, [[-0.1, 1.5], [2.4, -5.2], [-2.2, 3.7]])
    assert NET.w_hidden.shape == (2, 2) and NET.b_hidden.shape == (2,)
    assert NET.w_out.shape == (3, 2) and NET.b_out.shape == (3,)


def test_network_is_immutable_and_with_biases_copies():
    with pytest.raises(ValueError):
        NET.b_out[0] = 5.0  # read-only array
    with pytest.raises(AttributeError):
        NET.b_out = np.zeros(3)
    moved = NET.with_biases(b3=0.5, b1=1.0)
    assert (moved.b3, moved.b1, moved.b4) == (0.5, 1.0, 0.0)
    assert NET.b3 == -2.0
    assert "0x" not in repr(NET)


def test_forward_pass_matches_the_series():
    fp = h.forward(NET, X)
    np.testing.assert_allclose(fp.hidden_in, [[1.752, 0.808], [-0.576, -0.584], [0.572, 0.098]], atol=1e-12)
    np.testing.assert_allclose(fp.hidden, np.maximum(fp.hidden_in, 0))
    expected = [[0.1509, 0.3966, 0.4525], [0.0351, 0.2595, 0.7054], [0.0408, 0.6533, 0.3059]]
    np.testing.assert_allclose(fp.probs, expected, atol=5e-5)
    observed = fp.probs[np.arange(3), Y]
    np.testing.assert_array_equal(np.round(observed, 2), [0.15, 0.71, 0.65])
    np.testing.assert_array_equal(np.round(h.cross_entropy(fp.probs, Y), 2), [1.89, 0.35, 0.43])


def test_total_and_derivatives_match_the_series():
    assert h.total_cross_entropy(NET, X, Y) == pytest.approx(2.665939, abs=1e-6)
    d = h.bias_derivatives(NET, X, Y)
    assert d == pytest.approx({"b3": -0.773201, "b4": 0.309422, "b5": 0.463779}, abs=1e-6)
    grads = h.gradients(NET, X, Y)
    np.testing.assert_allclose(grads.b_out, [d["b3"], d["b4"], d["b5"]], atol=1e-12)


def test_gradient_descent_follows_the_series():
    steps = h.gradient_descent(NET, X, Y, learning_rate=1.0)
    np.testing.assert_allclose([s.b3 for s in steps[:6]], [-2, -1.2268, -0.6623, -0.3273, -0.1606, -0.0860], atol=5e-5)
    first = steps[0]
    assert first.slope == pytest.approx(-0.773201, abs=1e-6) and first.step_size == first.slope
    assert first.loss == pytest.approx(2.665939, abs=1e-6)
    assert abs(steps[-1].step_size) < 1e-4 and all(abs(s.step_size) >= 1e-4 for s in steps[:-1])
    assert steps[-1].b3 == pytest.approx(-0.031653, abs=2e-4)
    assert steps[-1].loss == pytest.approx(1.774696, abs=1e-6)


def test_minimum_of_the_curve_is_the_series_minimum():
    b3, loss = h.b3_minimum(NET, X, Y)
    assert b3 == pytest.approx(-0.031653, abs=1e-6)
    assert loss == pytest.approx(1.774696, abs=1e-6)


def test_max_steps_bounds_the_descent():
    assert len(h.gradient_descent(NET, X, Y, learning_rate=0.01, max_steps=5)) == 5


def test_iris_data_is_scaled_and_contains_the_series_rows():
    Xi, yi = h.iris_data()
    assert Xi.shape == (150, 2) and yi.shape == (150,)
    np.testing.assert_array_equal(np.bincount(yi), [50, 50, 50])
    np.testing.assert_allclose(Xi.min(axis=0), 0)
    np.testing.assert_allclose(Xi.max(axis=0), 1)
    for row, species in zip(X, Y):
        match = np.all(np.round(Xi, 2) == row, axis=1) & (yi == species)
        assert match.any(), (row, species)


# --- numerical stability ----------------------------------------------------------------


@pytest.mark.parametrize("b3", [-1e6, -1e3, 1e3, 1e6])
def test_extreme_biases_stay_finite_without_warnings(b3):
    net = NET.with_biases(b3=b3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = h.total_cross_entropy(net, X, Y)
        derivatives = h.bias_derivatives(net, X, Y)
        curve = h.loss_curve(NET, X, Y, np.array([b3, -b3, 0.0]))
        grads = h.gradients(net, X, Y)
        ce = h.cross_entropy(h.forward(net, X).probs, Y)
    assert np.isfinite(loss) and all(np.isfinite(list(derivatives.values())))
    assert np.all(np.isfinite(curve)) and np.all(np.isfinite(ce))
    assert all(np.all(np.isfinite(v)) for v in grads.parameters().values())
    assert curve[0] == pytest.approx(loss, rel=1e-12)


# --- properties -------------------------------------------------------------------------

weights = st.floats(-3, 3, allow_nan=False)


@st.composite
def networks_and_data(draw, n_hidden=2):
    rows = draw(st.integers(1, 6))
    net = h.Network(
        w_hidden=draw(arrays(float, (n_hidden, 2), elements=weights)),
        b_hidden=draw(arrays(float, (n_hidden,), elements=weights)),
        w_out=draw(arrays(float, (3, n_hidden), elements=weights)),
        b_out=draw(arrays(float, (3,), elements=weights)),
    )
    X_ = draw(arrays(float, (rows, 2), elements=st.floats(0, 1)))
    y_ = draw(arrays(np.int64, (rows,), elements=st.integers(0, 2)))
    return net, X_, y_


def _perturbed(net, name, index, delta):
    params = {k: v.copy() for k, v in net.parameters().items()}
    params[name][index] += delta
    return h.Network(**params)


@settings(max_examples=60, deadline=None)
@given(networks_and_data())
def test_every_analytic_derivative_equals_central_differences(case):
    net, X_, y_ = case
    # Away from the ReLU kinks, where the derivative does not exist.
    assume(np.all(np.abs(h.forward(net, X_).hidden_in) > 1e-3))
    grads = h.gradients(net, X_, y_)
    for name, values in net.parameters().items():
        for index in np.ndindex(values.shape):
            numeric = h.numerical_derivative(
                lambda t, name=name, index=index: h.total_cross_entropy(_perturbed(net, name, index, t), X_, y_), 0.0
            )
            assert grads.parameters()[name][index] == pytest.approx(numeric, abs=1e-5, rel=1e-4), (name, index)
    for bias, value in h.bias_derivatives(net, X_, y_).items():
        numeric = h.numerical_derivative(
            lambda b, bias=bias: h.total_cross_entropy(net.with_biases(**{bias: b}), X_, y_), getattr(net, bias)
        )
        assert value == pytest.approx(numeric, abs=1e-5, rel=1e-4)


@given(arrays(float, st.tuples(st.integers(1, 5), st.just(3)), elements=st.floats(-1e6, 1e6)))
def test_softmax_rows_sum_to_one(z):
    p = h.softmax(z)
    assert np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(networks_and_data(), arrays(float, st.integers(1, 8), elements=st.floats(-50, 50)))
def test_loss_curve_equals_total_cross_entropy_pointwise(case, b3_values):
    net, X_, y_ = case
    curve = h.loss_curve(net, X_, y_, b3_values)
    assert curve.shape == b3_values.shape
    pointwise = [h.total_cross_entropy(net.with_biases(b3=b), X_, y_) for b in b3_values]
    np.testing.assert_allclose(curve, pointwise, rtol=1e-10, atol=1e-10)


@settings(max_examples=40, deadline=None)
@given(networks_and_data())
def test_total_is_convex_in_b3(case):
    net, X_, y_ = case
    b3 = np.linspace(-20, 20, 401)
    curve = h.loss_curve(net, X_, y_, b3)
    assert np.all(np.diff(curve, 2) >= -1e-9)


def test_loss_curve_keeps_any_shape():
    grid = np.linspace(-6, 4, 12).reshape(3, 4)
    assert h.loss_curve(NET, X, Y, grid).shape == (3, 4)
    assert h.loss_curve(NET, X, Y, -2.0).shape == ()


def test_gradient_descent_lowers_the_loss_at_every_step():
    losses = [s.loss for s in h.gradient_descent(NET, X, Y, learning_rate=1.0)]
    assert all(later < earlier for earlier, later in itertools.pairwise(losses))


def test_train_lowers_the_loss_on_iris():
    Xi, yi = h.iris_data()
    visited = h.train(NET, Xi, yi, learning_rate=0.003, n_steps=50)
    assert len(visited) == 51
    assert h.total_cross_entropy(visited[-1], Xi, yi) < h.total_cross_entropy(NET, Xi, yi)


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad_X", "bad_y", "message"),
    [
        (np.ones(3), Y, "2-D"),
        (np.ones((3, 3)), Y, "2 columns"),
        (np.ones((0, 2)), np.array([], dtype=int), "empty"),
        ([[np.nan, 0.1], [0.2, 0.3], [0.3, 0.4]], Y, "NaN or infinite"),
        ([[np.inf, 0.1], [0.2, 0.3], [0.3, 0.4]], Y, "NaN or infinite"),
        ([["a", "b"]] * 3, Y, "numeric"),
        (X, np.array([0, 1, 3]), "outside 0..2"),
        (X, np.array([0, -1, 1]), "outside 0..2"),
        (X, np.array([0.0, 1.0, 2.0]), "integer"),
        (X, np.array([True, False, True]), "integer"),
        (X, np.array([[0, 1, 2]]), "1-D"),
        (X, np.array([0, 1]), "mismatched lengths"),
    ],
)
def test_bad_data_is_refused(bad_X, bad_y, message):
    for call in (
        lambda: h.total_cross_entropy(NET, bad_X, bad_y),
        lambda: h.bias_derivatives(NET, bad_X, bad_y),
        lambda: h.gradients(NET, bad_X, bad_y),
        lambda: h.loss_curve(NET, bad_X, bad_y, [0.0]),
        lambda: h.gradient_descent(NET, bad_X, bad_y),
    ):
        with pytest.raises(ValueError, match=message):
            call()


@pytest.mark.parametrize("rate", [0, -1, np.nan, np.inf, "fast"])
def test_bad_learning_rate_is_refused(rate):
    with pytest.raises(ValueError, match="learning_rate"):
        h.gradient_descent(NET, X, Y, learning_rate=rate)


@pytest.mark.parametrize("values", [[0.0, np.nan], [np.inf], [[1.0, -np.inf]]])
def test_non_finite_b3_values_are_refused(values):
    with pytest.raises(ValueError, match="b3_values"):
        h.loss_curve(NET, X, Y, values)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"w_hidden": np.ones((2, 3))}, "w_hidden"),
        ({"b_hidden": np.ones(3)}, "b_hidden"),
        ({"w_out": np.ones((2, 2))}, "w_out"),
        ({"b_out": np.ones(2)}, "b_out"),
        ({"b_out": [0.0, np.nan, 1.0]}, "NaN"),
        ({"w_hidden": np.ones((0, 2)), "b_hidden": np.ones(0), "w_out": np.ones((3, 0))}, "hidden node"),
    ],
)
def test_bad_network_parameters_are_refused(params, message):
    with pytest.raises(ValueError, match=message):
        h.Network(**params)


def test_bad_bias_names_and_values_are_refused():
    with pytest.raises(ValueError, match="unknown bias"):
        NET.with_biases(b6=1.0)
    with pytest.raises(ValueError, match="NaN"):
        NET.with_biases(b3=np.nan)


def test_bad_probabilities_and_logits_are_refused():
    with pytest.raises(ValueError, match="NaN"):
        h.softmax([[0.0, np.nan, 1.0]])
    with pytest.raises(ValueError, match="3 columns"):
        h.cross_entropy(np.ones((3, 2)) / 2, Y)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        h.cross_entropy(np.full((3, 3), 2.0), Y)


def test_more_hidden_nodes_work():
    net = h.Network(w_hidden=np.ones((4, 2)), b_hidden=np.zeros(4), w_out=np.ones((3, 4)), b_out=np.zeros(3))
    assert h.forward(net, X).hidden.shape == (3, 4)
    assert h.gradients(net, X, Y).w_out.shape == (3, 4)


def test_gradient_check_of_all_15_parameters_at_the_series_network():
    # Notebook 7's gradient check, as a test: every analytic derivative against a central difference.
    grads = h.gradients(NET, X, Y)
    checked = 0
    for name, values in NET.parameters().items():
        for index in np.ndindex(values.shape):
            numeric = h.numerical_derivative(
                lambda t, n=name, i=index: h.total_cross_entropy(_perturbed(NET, n, i, t), X, Y), 0.0
            )
            analytic = grads.parameters()[name][index]
            assert abs(analytic - numeric) <= 1e-6 * max(abs(analytic), abs(numeric)), (name, index)
            checked += 1
    assert checked == 15


def test_output_bias_sweep_matches_forward_and_names_bad_bias():
    X, _ = h.training_data()
    net = h.Network()
    values = np.array([-3.0, 0.25, 2.0])
    log_p = h.network.output_bias_log_sweep(net, X, "b4", values)
    assert log_p.shape == (3, 3, 3)
    for v, expected in zip(values, log_p):
        np.testing.assert_allclose(np.exp(expected), h.forward(net.with_biases(b4=v), X).probs, atol=1e-12)
    with pytest.raises(ValueError, match="bias must be one of b3, b4, b5"):
        h.network.output_bias_log_sweep(net, X, "b1", values)


def test_accuracy_and_active_counts_on_the_series_rows():
    assert h.network.accuracy(NET, X, Y) == pytest.approx(2 / 3)  # the Setosa row is predicted Virginica
    np.testing.assert_array_equal(h.network.active_counts(NET, X), [2, 2])  # row 2 has both nodes off
    X_iris, y_iris = h.iris_data()
    np.testing.assert_array_equal(h.network.active_counts(NET, X_iris), [116, 86])
    assert round(h.network.accuracy(NET, X_iris, y_iris), 2) == 0.62


def test_the_loss_spike_at_rate_0_003_kills_the_bottom_node_for_good():
    X_iris, y_iris = h.iris_data()
    visited = h.train(NET, X_iris, y_iris, learning_rate=0.003, n_steps=40)
    counts = np.array([h.network.active_counts(net, X_iris) for net in visited])
    assert counts[2, 1] == 148 and np.all(counts[3:, 1] == 0)  # dead from step 3 on: no gradient reaches it again
    grads = h.gradients(visited[-1], X_iris, y_iris)
    np.testing.assert_array_equal(grads.w_hidden[1], 0.0)
    assert grads.b_hidden[1] == 0.0


def test_accuracy_and_active_counts_refuse_bad_input():
    with pytest.raises(ValueError, match="X must be 2-D"):
        h.network.active_counts(NET, [0.1, 0.2])
    with pytest.raises(ValueError):
        h.network.accuracy(NET, X, [0, 1])


# --- the lowest point of the loss curve over b3 ------------------------------------------


def test_b3_second_derivative_matches_finite_differences_of_the_slope():
    for b3 in (-4.0, -2.0, 0.0, 1.5):
        net = NET.with_biases(b3=b3)
        numeric = h.numerical_derivative(lambda b: h.bias_derivatives(NET.with_biases(b3=b), X, Y)["b3"], b3)
        assert h.b3_second_derivative(net, X, Y) == pytest.approx(numeric, rel=1e-5, abs=1e-8)
        assert h.b3_second_derivative(net, X, Y) > 0


def test_b3_second_derivative_is_sum_of_p_one_minus_p():
    p = h.forward(NET, X).probs[:, 0]
    assert h.b3_second_derivative(NET, X, Y) == pytest.approx(float(np.sum(p * (1 - p))), rel=1e-12)


def test_b3_minimum_is_where_the_slope_vanishes_and_the_curve_is_lowest():
    best_b3, best_loss = h.b3_minimum(NET, X, Y)
    assert h.bias_derivatives(NET.with_biases(b3=best_b3), X, Y)["b3"] == pytest.approx(0, abs=1e-10)
    assert best_loss == pytest.approx(h.total_cross_entropy(NET.with_biases(b3=best_b3), X, Y), rel=1e-12)
    grid = np.linspace(best_b3 - 3, best_b3 + 3, 601)
    assert best_loss <= h.loss_curve(NET, X, Y, grid).min() + 1e-12


def test_b3_minimum_does_not_depend_on_where_newton_starts():
    start_points = [h.b3_minimum(NET.with_biases(b3=b3), X, Y)[0] for b3 in (-30.0, -2.0, 0.0, 30.0)]
    np.testing.assert_allclose(start_points, start_points[0], atol=1e-9)


@pytest.mark.parametrize("labels", [[1, 2, 1], [0, 0, 0]])
def test_b3_minimum_refuses_a_curve_without_a_lowest_point(labels):
    with pytest.raises(ValueError, match="lowest point"):
        h.b3_minimum(NET, X, labels)
