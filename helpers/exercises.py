"""Exercises that check themselves: the learner writes a derivative, a check tries it.

Each check calls the learner's function on several cases, some chosen so that a lucky
guess fails, and compares each answer with a central finite difference of the helpers'
loss (never with an answer key's code). A wrong answer gets a message that names the
likely mistake; a function not written yet, one that prints its answer instead of
returning it, one with a branch that returns nothing, or one that raises, gets a short
message saying what happened and what to try (in the exercise's terms, not numpy's),
instead of a traceback.

    from helpers import exercises
    result = exercises.check_dce_db3(my_function)
    result.passed, result.message
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from helpers import network as network_module
from helpers.data import iris_data, training_data
from helpers.network import (
    BIAS_NAMES,
    SPECIES,
    Network,
    forward,
    numerical_derivative,
    total_cross_entropy,
)

LOG10_E = float(np.log10(np.e))  # what d/dp log10(p) = 1 / (p ln 10) multiplies the slope by: 0.434
TOLERANCE = 1e-5  # finite differences here are good to about 1e-9; answers must match to 1e-5


@dataclass(frozen=True)
class CheckResult:
    """What a check found: `passed`, and a `message` for the learner."""

    passed: bool
    message: str

    def __repr__(self) -> str:  # what a notebook shows when a check is the cell's last line
        return ("\u2714 " if self.passed else "\u2718 ") + self.message

    __str__ = __repr__


class _CannotJudgeError(Exception):
    """The learner's function could not be judged (not written, raised, wrong type): the
    message says why."""


def _loss_of_bias(net: Network, X: np.ndarray, observed: Sequence[int] | np.ndarray, bias: str) -> Callable[[float], float]:
    """The total CE of (X, observed) as a function of one bias, all else as in `net`."""

    def loss(value: float) -> float:
        return total_cross_entropy(net.with_biases(**{bias: value}), X, observed)

    return loss


NOT_WRITTEN = (
    "Not written yet: your function returned None. Replace the `...` with your code "
    "(and check that it ends with `return`), then run both cells again."
)


def _number(value: Any, what: str) -> float:
    if value is None:
        raise _CannotJudgeError(NOT_WRITTEN)
    try:
        number = float(np.asarray(value, dtype=float).reshape(()))
    except (TypeError, ValueError):
        raise _CannotJudgeError(
            f"Your function returned {value!r} ({type(value).__name__}); it should return one number, {what}."
        ) from None
    if not np.isfinite(number):
        raise _CannotJudgeError(f"Your function returned {number}, which is not a finite number; it should return {what}.")
    return number


def _numbers(values: Sequence[Any], what: str, describe: Callable[[int], str]) -> np.ndarray:
    """The learner's answers as numbers; a None among numbers is a branch without `return`
    (an `if` with no `else`), named with the first case that hit it (`describe(i)`)."""
    missing = [i for i, value in enumerate(values) if value is None]
    if missing and len(missing) < len(values):
        answered = next(i for i, value in enumerate(values) if value is not None)
        raise _CannotJudgeError(
            f"Your function returned None {describe(missing[0])}, though it returned a number "
            f"{describe(answered)}: one path through it ends without `return` (an `if` with no `else`?). "
            "Make every branch return a number, then run both cells again."
        )
    return np.array([_number(value, what) for value in values])


class _AnswerKeyError(Exception):
    """Raised when a learner's backward pass calls h.gradients, the helpers' own answer."""


@contextlib.contextmanager
def _answer_key_hidden() -> Iterator[None]:
    """h.gradients raises while a learner's backward pass runs: calling it is not writing it."""
    import helpers

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise _AnswerKeyError

    saved = helpers.gradients, network_module.gradients
    helpers.gradients = network_module.gradients = refuse
    try:
        yield
    finally:
        helpers.gradients, network_module.gradients = saved


_NOT_THE_LEARNERS = tuple(
    os.path.dirname(os.path.abspath(module.__file__)) for module in (network_module, np, contextlib)
)  # the helpers, numpy and the standard library: a traceback's learner line is none of these


def _learner_line(error: BaseException) -> str:
    """The last line of the learner's own code in the error's traceback ('' if none is found)."""
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith("<") and not os.path.abspath(frame.filename).startswith(_NOT_THE_LEARNERS)
    ]
    return (frames[-1].line or "").strip() if frames else ""


def _call(fn: Callable, *args: Any, hint: Callable[[Exception, str], str] | None = None) -> Any:
    """fn(*args), with what it prints passed on. An exception becomes a message that says what
    happened instead of a traceback: `hint(error, line)` may explain it in the exercise's
    terms (replacing the raw text, '' to keep it); a function that prints its answer but
    returns None is told to return it."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            result = fn(*args)
    except _AnswerKeyError:
        raise _CannotJudgeError(
            "Your function calls h.gradients, the helpers' own backward pass, so the check would only be testing "
            "the helpers. Write the steps yourself from h.forward(net, X): P - Y, back through W2, the ReLU mask, "
            "then the four gradients."
        ) from None
    except Exception as error:  # a learner's bug: say what it was, without a long traceback
        line = _learner_line(error)
        where = f" in the line `{line}`" if line else ""
        explained = (hint(error, line) if hint else "") or f"{error}."
        raise _CannotJudgeError(f"Your function raised {type(error).__name__}{where}: {explained}") from None
    text = printed.getvalue()
    if result is None and text.strip():
        first = text.strip().splitlines()[0]
        raise _CannotJudgeError(
            f"Your function printed {first[:60]!r} but returned None: the check only sees what a function returns. "
            "Replace `print(...)` with `return ...`, then run both cells again."
        )
    sys.stdout.write(text)  # the learner's own prints, for debugging, still show
    return result


def _judge(learner: np.ndarray, truth: np.ndarray, mistakes: Sequence[tuple[np.ndarray, str]]) -> str | None:
    """None if right; else the message of the first known mistake the answers match, if any."""
    if np.allclose(learner, truth, rtol=1e-4, atol=TOLERANCE):
        return None
    for pattern, message in mistakes:
        if np.allclose(learner, pattern, rtol=1e-4, atol=TOLERANCE):
            return message
    return ""


def _worst(learner: np.ndarray, truth: np.ndarray) -> int:
    return int(np.argmax(np.abs(learner - truth)))


def _checked(check: Callable[[], CheckResult]) -> CheckResult:
    try:
        return check()
    except _CannotJudgeError as stop:
        return CheckResult(False, str(stop))


# --- notebook 03: dCE/db3 for an observed Setosa ------------------------------------------------


def check_dce_db3(fn: Callable[[float], float]) -> CheckResult:
    """fn(p_s) -> dCE/db3 for one flower observed to be Setosa, from its probability p_s."""

    def check() -> CheckResult:
        X, _ = training_data()
        net, flower = Network(), X[:1]
        b3_values = np.array([-2.0, -4.0, 0.0, 1.5, 3.0])  # p_s from 0.02 to 0.95, so no fixed number fits
        p = np.array([forward(net.with_biases(b3=b3), flower).probs[0, 0] for b3 in b3_values])
        truth = np.array(
            [numerical_derivative(lambda b: total_cross_entropy(net.with_biases(b3=b), flower, [0]), b3) for b3 in b3_values]
        )
        learner = _numbers([_call(fn, float(p_s)) for p_s in p], "dCE/db3", lambda i: f"for p_s = {p[i]:.3f}")
        verdict = _judge(
            learner,
            truth,
            [
                (-truth, "The sign is wrong. Raising b3 raises p_s and lowers the cross entropy, so the slope is negative."),
                (truth * LOG10_E, "Off by a factor of 0.434 everywhere: that is log base 10. CE uses the natural log (np.log)."),
                (
                    -np.ones_like(p),
                    "You always get -1: the factor (1 - p_s) is missing. Check link 2, dp_s/dz_s = p_s (1 - p_s).",
                ),
                (-1 / p, "That is link 1 alone, -1/p_s. Multiply by link 2, p_s (1 - p_s), and link 3, 1."),
                (p * (1 - p), "That is link 2 alone, p_s (1 - p_s). Multiply by link 1, -1/p_s (and link 3, 1)."),
                (p, "That is the slope when Setosa is NOT observed. Here it is observed, so subtract 1: p_s - 1."),
                (np.full_like(p, learner[0]), f"Your function returns {learner[0]:.3f} whatever p_s is. Use its argument p_s."),
            ],
        )
        if verdict is None:
            return CheckResult(
                True,
                f"Right: your dCE/db3 matches the loss's slope (finite differences) at all {len(p)} values of p_s, "
                f"from {p.min():.3f} to {p.max():.3f}. It is p_s - 1.",
            )
        i = _worst(learner, truth)
        detail = f" At p_s = {p[i]:.3f} your function returned {learner[i]:.4f}; the loss's slope there is {truth[i]:.4f}."
        return CheckResult(False, (verdict or "Not yet: multiply the three links and simplify.") + detail)

    return _checked(check)


# --- notebook 04: one rule for every output bias ---------------------------------------------------


def _index_hint(k: int, observed: int) -> Callable[[Exception, str], str]:
    def hint(error: Exception, line: str) -> str:
        if not isinstance(error, IndexError):
            return ""
        return (
            f"{error}, with k = {k}, observed = {observed}. probs holds three numbers, probs[0], probs[1] and "
            "probs[2] (Setosa, Versicolor, Virginica), and k and observed already run over 0, 1, 2: index with "
            "probs[k] itself, with no offset."
        )

    return hint


def check_bias_rule(fn: Callable[[int, int, np.ndarray], float]) -> CheckResult:
    """fn(k, observed, probs) -> dCE/db_k for one flower: k and observed in 0..2 (Setosa,
    Versicolor, Virginica; k = 0 is b3), probs its three probabilities."""

    def check() -> CheckResult:
        X, _ = training_data()
        nets = [Network(), Network().with_biases(b3=0.5, b4=-1.0)]
        cases, truth, learner = [], [], []
        for net in nets:
            for row in (0, 2):
                probs = forward(net, X[row : row + 1]).probs[0]
                for observed in range(3):
                    for k in range(3):
                        name = BIAS_NAMES[2 + k]
                        loss = _loss_of_bias(net, X[row : row + 1], [observed], name)
                        truth.append(numerical_derivative(loss, getattr(net, name)))
                        learner.append(_call(fn, k, observed, probs.copy(), hint=_index_hint(k, observed)))
                        cases.append((k, observed, probs))

        def describe(i: int) -> str:
            return f"for k = {cases[i][0]}, observed = {cases[i][1]}"

        truth_arr, learner_arr = np.array(truth), _numbers(learner, "dCE/db_k", describe)
        p_k = np.array([probs[k] for k, _, probs in cases])
        p_obs = np.array([probs[observed] for _, observed, probs in cases])
        is_k = np.array([float(k == observed) for k, observed, _ in cases])
        verdict = _judge(
            learner_arr,
            truth_arr,
            [
                (-truth_arr, "The sign is wrong: the rule is p_k minus [k observed], not the other way round."),
                (truth_arr * LOG10_E, "Off by a factor of 0.434 everywhere: that is log base 10. CE uses the natural log."),
                (p_k - 1, "You subtract 1 for every class. Subtract 1 only when k is the observed class: p_k - [k == observed]."),
                (p_k, "You never subtract 1. For the observed class the slope is p_k - 1."),
                (p_k - (1 - is_k), "You subtract 1 for the wrong class: subtract it when k IS the observed class."),
                (p_obs - is_k, "You used the observed class's probability. The bias b_k moves z_k, so the rule uses probs[k]."),
            ],
        )
        if verdict is None:
            return CheckResult(
                True,
                f"Right: p_k - [k observed] matches the loss's slope in all {len(cases)} cases "
                "(3 biases x 3 species x 2 flowers x 2 networks).",
            )
        i = _worst(learner_arr, truth_arr)
        k, observed, probs = cases[i]
        detail = (
            f" For b{k + 3} with {SPECIES[observed]} observed and probs = ({', '.join(f'{p:.3f}' for p in probs)}), "
            f"your function returned {learner_arr[i]:.4f}; the loss's slope is {truth_arr[i]:.4f}."
        )
        return CheckResult(False, (verdict or "Not yet: the slope is the predicted probability minus the true one.") + detail)

    return _checked(check)


# --- notebook 06: one gradient-descent step ---------------------------------------------------------


def check_descent_step(fn: Callable[[float, float, float], float]) -> CheckResult:
    """fn(b3, slope, learning_rate) -> the next b3 of gradient descent."""

    def check() -> CheckResult:
        X, y = training_data()
        net = Network()
        cases, truth, answers = [], [], []
        loss = _loss_of_bias(net, X, y, "b3")
        for b3 in (-2.0, 1.5, 3.0):
            slope = numerical_derivative(loss, b3)  # the slope, from the loss itself
            for rate in (1.0, 0.5, 0.1):
                answers.append(_call(fn, b3, slope, rate))
                cases.append((b3, slope, rate))
                truth.append(b3 - rate * slope)

        def describe(i: int) -> str:
            return f"for b3 = {cases[i][0]}, learning rate {cases[i][2]}"

        truth_arr, learner_arr = np.array(truth), _numbers(answers, "the next b3", describe)
        lowered = [loss(new) < loss(b3) for new, (b3, _, _) in zip(learner_arr, cases)]
        b3s, slopes, rates = (np.array(column) for column in zip(*cases))
        verdict = _judge(
            learner_arr,
            truth_arr,
            [
                (
                    b3s + rates * slopes,
                    "You step up the slope, which climbs the loss. Step against it: b3 - learning_rate * slope.",
                ),
                (b3s - slopes, "The learning rate is ignored: multiply the slope by it before stepping."),
                (-rates * slopes, "That is the change in b3, not the new b3: add it to b3."),
                (b3s - slopes / rates, "You divide by the learning rate; multiply by it: b3 - learning_rate * slope."),
            ],
        )
        if verdict is None:
            return CheckResult(
                True, f"Right: b3 - learning_rate * slope in all {len(cases)} cases, and every step lowered the total CE."
            )
        i = _worst(learner_arr, truth_arr)
        b3, slope, rate = cases[i]
        climbed = "" if lowered[i] else " (that step raised the total CE)"
        detail = (
            f" From b3 = {b3}, slope {slope:.4f}, learning rate {rate}: you returned {learner_arr[i]:.4f}{climbed};"
            f" descent goes to {truth_arr[i]:.4f}."
        )
        return CheckResult(False, (verdict or "Not yet: move b3 against the slope, by learning_rate times the slope.") + detail)

    return _checked(check)


# --- notebook 07: backpropagation through every parameter ------------------------------------------


def _numerical_gradients(net: Network, X: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """d(total CE)/d(every parameter) by central differences, one parameter at a time."""
    result = {}
    for name, values in net.parameters().items():
        grad = np.empty_like(values)
        for index in np.ndindex(values.shape):

            def loss(t: float, name: str = name, index: tuple = index) -> float:
                params = {key: value.copy() for key, value in net.parameters().items()}
                params[name][index] += t
                return total_cross_entropy(Network(**params), X, y)

            grad[index] = numerical_derivative(loss, 0.0)
        result[name] = grad
    return result


def _backward_cases() -> list[tuple[Network, np.ndarray, np.ndarray]]:
    """The series' network and data, and a 3-hidden-node network on six iris flowers
    (shapes that are not square, so a transpose cannot pass unnoticed)."""
    X, y = training_data()
    rng = np.random.default_rng(3)
    wide = Network(
        w_hidden=rng.normal(0, 1.5, (3, 2)), b_hidden=[0.6, 0.3, 0.9], w_out=rng.normal(0, 1.5, (3, 3)), b_out=[0.2, -0.1, 0.0]
    )
    Xi, yi = iris_data()
    pick = [0, 20, 60, 80, 110, 140]  # two flowers of each species
    return [(Network(), X, y), (wide, Xi[pick], yi[pick])]


_SHAPE_ERROR = re.compile(r"(w_hidden|b_hidden|w_out|b_out) must have shape \(([^)]*)\); got \(([^)]*)\)")


def _backward_hint(error: Exception, line: str) -> str:
    """The likely mistake behind an exception in a learner's backward pass, in words (never
    numpy's own text)."""
    text = str(error)
    shapes = (
        " Shapes, for n flowers and H hidden nodes: P - Y (n, 3), W2 (3, H), H and A (n, H), X (n, 2); "
        "(a, b) @ (b, c) gives (a, c)."
    )
    if "matmul" in text:
        sizes = re.search(r"size (\d+) is different from (\d+)", text)
        differ = f" ({sizes.group(2)} and {sizes.group(1)})" if sizes else ""
        if re.search(r"(w_out|W2)\.T\b", line):
            return (
                "W2 is transposed. Going back through the output weights multiplies by W2 as it is, "
                "(P - Y) @ W2, (n, 3) @ (3, H) -> (n, H); W2^T belongs to the forward pass, Z = H W2^T." + shapes
            )
        return f"a matrix product whose inner sizes differ{differ}. Write each array's shape beside it." + shapes
    if "could not be broadcast" in text:
        return (
            "`*` multiplies entry by entry, so both arrays need the same shape, and here they differ. A product that "
            "sums over flowers or classes, such as (P - Y) back through W2 or dW2 = (P - Y)^T H, is a matrix product: "
            "use `@`. Only the ReLU mask [A > 0] multiplies elementwise." + shapes
        )
    match = _SHAPE_ERROR.search(text)
    if not match:
        return ""
    name, want, got = match.group(1), match.group(2).replace("'", "").rstrip(","), match.group(3).rstrip(",")
    per = "species" if name == "b_out" else "hidden node"
    if name.startswith("b_") and "," in got:
        return (
            f"{text}. {LAYER_NAMES[name]} has one row per flower: a bias's gradient is the sum of every flower's, "
            f"so add them up with .sum(axis=0), one number per {per}."
        )
    if name.startswith("b_"):
        return f"{text}. Sum over the flowers, .sum(axis=0) (rows are flowers), not over the columns: one number per {per}."
    if _transposed(want, got):
        rule = "dW1 = dA^T X, one row per hidden node" if name == "w_hidden" else "dW2 = (P - Y)^T H, one row per species"
        return f"{text}. {LAYER_NAMES[name]} is transposed: {rule}."
    return f"{text}. Each gradient has its parameter's shape." + shapes


def _transposed(want: str, got: str) -> bool:
    """Whether shape `got` ("2, 3") is shape `want` ("H, 2" or "3, H") read backwards."""
    want_sizes, got_sizes = [w.strip() for w in want.split(",")], [g.strip() for g in got.split(",")]
    if len(want_sizes) != 2 or len(got_sizes) != 2:
        return False
    return all(w in ("H", g) for w, g in zip(reversed(want_sizes), got_sizes))


LAYER_NAMES = {"w_hidden": "W1 (w_hidden)", "b_hidden": "b_hidden", "w_out": "W2 (w_out)", "b_out": "b_out"}


def check_backward(fn: Callable[[Network, np.ndarray, np.ndarray], Network]) -> CheckResult:
    """fn(net, X, y) -> a Network holding d(total CE)/d(every parameter), like h.gradients."""

    def check() -> CheckResult:
        for case, (net, X, y) in enumerate(_backward_cases()):
            with _answer_key_hidden():
                answer = _call(fn, net, X.copy(), y.copy(), hint=_backward_hint)
            if answer is None:
                raise _CannotJudgeError(
                    "Not written yet: your function returned None. Finish it (ending with `return h.Network(...)`), "
                    "then run both cells again."
                )
            if not isinstance(answer, Network):
                raise _CannotJudgeError(
                    f"Your function returned a {type(answer).__name__}; "
                    "return h.Network(w_hidden=..., b_hidden=..., w_out=..., b_out=...)."
                )
            truth = _numerical_gradients(net, X, y)
            got = answer.parameters()
            for name, expected in truth.items():
                if got[name].shape != expected.shape:
                    raise _CannotJudgeError(
                        f"{LAYER_NAMES[name]} has shape {got[name].shape}; it must match the parameter, {expected.shape}."
                    )
            wrong = [name for name in truth if not np.allclose(got[name], truth[name], rtol=1e-4, atol=TOLERANCE)]
            if wrong:
                return CheckResult(False, _diagnose_backward(net, X, y, got, truth, wrong, case))
        return CheckResult(
            True,
            "Right: all four arrays match finite differences of the total CE, on the series' network "
            "and on a 3-hidden-node network with six iris flowers.",
        )

    return _checked(check)


def _diagnose_backward(net: Network, X: np.ndarray, y: np.ndarray, got: dict, truth: dict, wrong: list[str], case: int) -> str:
    where = "the series' network" if case == 0 else "a 3-hidden-node network on six iris flowers"
    name = wrong[0]
    worst = np.unravel_index(int(np.argmax(np.abs(got[name] - truth[name]))), truth[name].shape)
    detail = (
        f" (On {where}: {LAYER_NAMES[name]}{[int(i) for i in worst]} is {got[name][worst]:.4f},"
        f" finite differences give {truth[name][worst]:.4f}.)"
    )

    def same(a: np.ndarray, b: np.ndarray) -> bool:
        return np.allclose(a, b, rtol=1e-4, atol=TOLERANCE)

    if all(same(got[n], -truth[n]) for n in truth):
        return "Every sign is flipped: start from P - Y (predicted minus true), not Y - P." + detail
    if all(same(got[n], truth[n] / len(y)) for n in truth):
        return (
            "Every entry is divided by the number of flowers: the total CE is a sum, so sum over flowers, do not average."
            + detail
        )
    if set(wrong) <= {"w_hidden", "b_hidden"}:
        fp = forward(net, X)
        d_hidden = (fp.probs - np.eye(3)[y]) @ net.w_out
        if got["w_hidden"].shape[0] == got["w_hidden"].shape[1] and same(got["w_hidden"], truth["w_hidden"].T):
            return "The output layer is right, but W1 is transposed: dW1 = dA^T X has one row per hidden node." + detail
        if same(got["w_hidden"], d_hidden.T @ X):
            return (
                "The output layer is right, but W1 misses the ReLU mask: multiply by [A > 0] elementwise "
                "after going back through W2." + detail
            )
        return (
            "The output layer (W2, b_out) is right, so the mistake is below it: check the ReLU mask [A > 0], "
            "applied elementwise to (P - Y) W2, and the transpose in dW1 = dA^T X." + detail
        )
    if "b_out" in wrong and np.allclose(got["b_out"], 0, atol=TOLERANCE):
        return (
            "b_out is 0 everywhere: each flower's row of P - Y adds up to 0 (its probabilities sum to 1), so you summed "
            "over the classes (axis=1). A bias's gradient sums over the flowers: .sum(axis=0)." + detail
        )
    if "b_out" in wrong:
        return (
            "b_out is off, so the output error P - Y is: each flower's row is its probabilities minus 1 "
            "for the observed species. Everything below depends on it." + detail
        )
    if "w_out" in wrong:
        return (
            "b_out is right but W2 is off: dW2 = (P - Y)^T H, the output error times the hidden values, "
            "summed over flowers (an outer product per flower)." + detail
        )
    return f"{', '.join(LAYER_NAMES[n] for n in wrong)} differ from finite differences." + detail
