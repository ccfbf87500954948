"""The self-checking exercises: right answers pass, each named mistake is named back."""

import numpy as np
import pytest

import helpers as h
from helpers import exercises

LN10 = np.log(10)


def passes(result) -> bool:
    assert isinstance(result.message, str) and result.message
    assert repr(result).startswith("\u2714" if result.passed else "\u2718")
    return result.passed


# --- notebook 03 ----------------------------------------------------------------------------------


def test_dce_db3_right_answer_passes():
    result = exercises.check_dce_db3(lambda p_s: p_s - 1)
    assert passes(result) and "p_s - 1" in result.message


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        (lambda p: 1 - p, "sign is wrong"),
        (lambda p: (p - 1) / LN10, "log base 10"),
        (lambda p: -1.0, "factor (1 - p_s) is missing"),
        (lambda p: -1 / p, "link 1 alone"),
        (lambda p: p * (1 - p), "link 2 alone"),
        (lambda p: p, "NOT observed"),
        (lambda p: -np.log(p), "the loss itself"),
        (lambda p: -(1 - p) / p, "Link 2 has lost its factor p_s"),
        (lambda p: -p * (1 - p), "Link 1 is left out"),
        (lambda p: -2 * p * (1 - p) ** 2, "slope of the squared error"),
        (lambda p: -0.849121, "whatever p_s is"),  # right at b3 = -2 only: a lucky guess fails
        (lambda p: p - 2, "At p_s ="),  # unknown mistake: still says where and by how much
    ],
)
def test_dce_db3_mistakes_are_named(answer, named):
    result = exercises.check_dce_db3(answer)
    assert not passes(result) and named in result.message, result.message


def test_printing_instead_of_returning_is_named():
    def prints(p_s):
        print(p_s - 1)

    result = exercises.check_dce_db3(prints)
    assert not passes(result) and "printed" in result.message and "return" in result.message
    assert "Not written yet" not in result.message


def test_a_learners_prints_still_show_when_it_returns(capsys):
    def debugging(p_s):
        print("p_s is", p_s)
        return p_s - 1

    assert passes(exercises.check_dce_db3(debugging))
    assert "p_s is" in capsys.readouterr().out


def test_a_branch_without_return_is_named():
    def no_else(k, observed, probs):
        if k == observed:
            return probs[k] - 1

    result = exercises.check_bias_rule(no_else)
    assert not passes(result) and "without `return`" in result.message and "no `else`" in result.message
    assert "for k = 1, observed = 0" in result.message  # the first case that fell through

    def half(p_s):
        if p_s < 0.5:
            return p_s - 1

    assert "without `return`" in exercises.check_dce_db3(half).message


def test_unwritten_and_broken_functions_get_friendly_messages():
    def unwritten(p_s): ...

    assert "Not written yet" in exercises.check_dce_db3(unwritten).message
    assert "raised ZeroDivisionError" in exercises.check_dce_db3(lambda p: 1 / 0).message
    assert "one number" in exercises.check_dce_db3(lambda p: [p, p]).message
    assert "not a finite number" in exercises.check_dce_db3(lambda p: float("nan")).message


# --- notebook 04 ----------------------------------------------------------------------------------


def test_bias_rule_right_answer_passes():
    assert passes(exercises.check_bias_rule(lambda k, observed, probs: probs[k] - (k == observed)))


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        (lambda k, o, p: (k == o) - p[k], "sign is wrong"),
        (lambda k, o, p: (p[k] - (k == o)) / LN10, "log base 10"),
        (lambda k, o, p: p[k] - 1, "subtract 1 for every class"),
        (lambda k, o, p: p[k], "never subtract 1"),
        (lambda k, o, p: p[k] - (k != o), "wrong class"),
        (lambda k, o, p: p[o] - (k == o), "observed class's probability"),
        (lambda k, o, p: p[k + 3], "raised IndexError"),
        (lambda k, o, p: p[k + 2], "with k = 1, observed = 0"),  # an index past 2, named with the case that hit it
        (lambda k, o, p: p[k + 2], "no offset"),
    ],
)
def test_bias_rule_mistakes_are_named(answer, named):
    result = exercises.check_bias_rule(answer)
    assert not passes(result) and named in result.message, result.message


# --- notebook 06 ----------------------------------------------------------------------------------


def test_descent_step_right_answer_passes():
    assert passes(exercises.check_descent_step(lambda b3, slope, rate: b3 - rate * slope))


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        (lambda b3, s, r: b3 + r * s, "step up the slope"),
        (lambda b3, s, r: b3 - s, "learning rate is ignored"),  # right at rate 1 only
        (lambda b3, s, r: -r * s, "change in b3, not the new b3"),
        (lambda b3, s, r: b3 - s / r, "divide by the learning rate"),
        (lambda b3, s, r: None, "Not written yet"),
    ],
)
def test_descent_step_mistakes_are_named(answer, named):
    result = exercises.check_descent_step(answer)
    assert not passes(result) and named in result.message, result.message


# --- notebook 07 ----------------------------------------------------------------------------------


def backward(
    net, X, y, *, mask=True, sign=1.0, scale=1.0, transpose_w1=False, w2_from_inputs=False, b_out_error=0.0, one_hot=True
):
    """A backward pass with optional mistakes, for the tests."""
    fp = h.forward(net, X)
    d_raw = sign * (fp.probs - (np.eye(3)[y] if one_hot else 0.0)) * scale
    d_hidden_in = d_raw @ net.w_out * ((fp.hidden_in > 0) if mask else 1.0)
    w_hidden = (X.T @ d_hidden_in) if transpose_w1 else d_hidden_in.T @ X
    w_out = d_raw.T @ (fp.hidden_in if w2_from_inputs else fp.hidden)
    return h.Network(w_hidden=w_hidden, b_hidden=d_hidden_in.sum(axis=0), w_out=w_out, b_out=d_raw.sum(axis=0) + b_out_error)


def test_backward_right_answer_passes():
    assert passes(exercises.check_backward(backward))
    assert passes(exercises.check_backward(h.gradients))


@pytest.mark.parametrize(
    ("mistake", "named"),
    [
        ({"sign": -1.0}, "sign is flipped"),
        ({"scale": 1 / 3}, "divided by the number of flowers"),  # the mean, on the three flowers
        ({"mask": False}, "misses the ReLU mask"),
        ({"transpose_w1": True}, "W1 is transposed"),
        ({"w2_from_inputs": True}, "W2 is off"),
        ({"b_out_error": 0.1}, "b_out is off"),
        ({"one_hot": False}, "You started from P, not P - Y"),
    ],
)
def test_backward_mistakes_are_named(mistake, named):
    result = exercises.check_backward(lambda net, X, y: backward(net, X, y, **mistake))
    assert not passes(result) and named in result.message, result.message


def backward_variant(net, X, y, variant):
    """Common backward-pass bugs that raise (or pass silently) before any value can be compared."""
    fp = h.forward(net, X)
    d_raw = fp.probs - np.eye(3)[y]
    back = {"W2.T": lambda: d_raw @ net.w_out.T, "*": lambda: d_raw * net.w_out}.get(variant, lambda: d_raw @ net.w_out)
    d_hidden_in = back() * (fp.hidden_in > 0)
    summed = variant != "no sum"
    return h.Network(
        w_hidden=d_hidden_in.T @ X,
        b_hidden=d_hidden_in.sum(axis=0) if summed else d_hidden_in,
        w_out=(fp.hidden.T @ d_raw) if variant == "W2 transposed" else d_raw.T @ fp.hidden,
        b_out=d_raw.sum(axis=1) if variant == "axis 1" else d_raw.sum(axis=0) if summed else d_raw,
    )


def test_each_listed_dce_db3_mistake_has_its_own_diagnosis():
    mistakes = [lambda p: 1 - p, lambda p: -1 / p, lambda p: p * (1 - p), lambda p: -np.log(p)]
    mistakes += [lambda p: -(1 - p) / p, lambda p: -p * (1 - p), lambda p: -2 * p * (1 - p) ** 2, lambda p: p]
    verdicts = [exercises.check_dce_db3(mistake).message.split(" At p_s =")[0] for mistake in mistakes]
    assert len(set(verdicts)) == len(mistakes), verdicts
    assert not any(verdict.startswith("Not yet") for verdict in verdicts)


def test_backward_message_cites_the_layer_it_talks_about():
    result = exercises.check_backward(lambda net, X, y: backward(net, X, y, one_hot=False))
    assert "b_out[" in result.message and "W1" not in result.message, result.message


@pytest.mark.parametrize(
    ("variant", "named"),
    [
        ("no sum", "sum of every flower's"),
        ("axis 1", "summed over the classes (axis=1)"),
        ("W2.T", "W2 is transposed"),
        ("*", "use `@`"),
        ("W2 transposed", "W2 (w_out) is transposed"),
    ],
)
def test_backward_raised_mistakes_are_named_in_words(variant, named):
    result = exercises.check_backward(lambda net, X, y: backward_variant(net, X, y, variant))
    assert not passes(result) and named in result.message, result.message
    assert "gufunc" not in result.message and "could not be broadcast" not in result.message  # never numpy's raw text


def test_backward_that_calls_the_answer_key_is_refused():
    result = exercises.check_backward(lambda net, X, y: h.gradients(net, X, y))
    assert not passes(result) and "calls h.gradients" in result.message
    assert passes(exercises.check_backward(h.gradients))  # the helpers themselves still pass...
    assert h.gradients is h.network.gradients  # ...and are put back afterwards
    assert passes(exercises.check_backward(backward))


def test_backward_wrong_return_types_are_named():
    assert "Not written yet" in exercises.check_backward(lambda net, X, y: None).message
    assert "returned a dict" in exercises.check_backward(lambda net, X, y: dict(backward(net, X, y).parameters())).message
    wrong_shape = exercises.check_backward(
        lambda net, X, y: h.Network(np.zeros((2, 3)), np.zeros(2), np.zeros((3, 2)), np.zeros(3))
    )
    assert "raised ValueError" in wrong_shape.message and "transpose" in wrong_shape.message
    transposed = exercises.check_backward(lambda net, X, y: backward(net, X, y, transpose_w1=net.n_hidden == 3))
    assert "w_hidden must have shape" in transposed.message and "got (2, 3)" in transposed.message  # named by its shape
