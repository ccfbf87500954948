"""Notebook 07's exercise: backpropagation through every parameter, checked against
finite differences on several networks (re-exported by `helpers.exercises`)."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from helpers.checking import TOLERANCE, CheckResult, _answer_key_hidden, _call, _CannotJudgeError, _checked
from helpers.data import iris_data, training_data
from helpers.network import (
    Network,
    forward,
    numerical_derivative,
    total_cross_entropy,
)

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


# --- notebook 07, typed: one entry of the backward pass ----------------------------------------------


def check_output_weight_entry(fn: Callable[[float, float, float], float]) -> CheckResult:
    """fn(p_k, y_k, h_j) -> dCE/dW2[k, j] for one flower: p_k its probability of species k, y_k 1 if k
    is its observed species (else 0), h_j the value of hidden node j (after ReLU). Checked against
    finite differences on the series' network and on the 3-hidden-node one, every flower, k and j."""
    from helpers.checking import LOG10_E, _judge, _numbers, _worst  # here: this exercise is an addition

    def check() -> CheckResult:
        cases, truth, answers = [], [], []
        for net, X, y in _backward_cases():
            fp = forward(net, X)
            for i in range(len(y)):
                for k in range(3):
                    for j in range(net.w_out.shape[1]):

                        def loss(
                            t: float, net: Network = net, flower: tuple = (X[i : i + 1], y[i : i + 1]), k: int = k, j: int = j
                        ) -> float:
                            w_out = net.w_out.copy()
                            w_out[k, j] += t
                            nudged = Network(w_hidden=net.w_hidden, b_hidden=net.b_hidden, w_out=w_out, b_out=net.b_out)
                            return total_cross_entropy(nudged, *flower)

                        p_k, y_k, h_j = float(fp.probs[i, k]), float(y[i] == k), float(fp.hidden[i, j])
                        truth.append(numerical_derivative(loss, 0.0))
                        answers.append(_call(fn, p_k, y_k, h_j))
                        cases.append((p_k, y_k, h_j, k, j))

        def describe(i: int) -> str:
            return f"for p_k = {cases[i][0]:.3f}, y_k = {cases[i][1]:.0f}, h_j = {cases[i][2]:.3f}"

        truth_arr, learner = np.array(truth), _numbers(answers, "dCE/dW2[k, j]", describe)
        p_k, y_k, h_j = (np.array(column) for column in list(zip(*cases))[:3])
        verdict = _judge(
            learner,
            truth_arr,
            [
                (-truth_arr, "Every sign is flipped: start from P - Y (predicted minus true), not Y - P."),
                (truth_arr * LOG10_E, "Off by a factor of 0.434 everywhere: that is log base 10. CE uses the natural log."),
                (
                    p_k - y_k,
                    "That is b_out's gradient, the output error p_k - y_k alone. W2[k, j] multiplies h_j on its way "
                    "to z_k, so its gradient is the output error times h_j.",
                ),
                (p_k * h_j, "y_k is missing: the output error is P - Y, so subtract y_k (1 for the observed species) from p_k."),
                ((p_k - 1) * h_j, "You subtract 1 for every class: subtract y_k, which is 1 only for the observed species."),
            ],
        )
        if verdict is None:
            return CheckResult(
                True,
                f"Right: (p_k - y_k) h_j matches finite differences in all {len(cases)} cases "
                "(every flower, k and j, on the series' network and on a 3-hidden-node one).",
            )
        i = _worst(learner, truth_arr)
        detail = (
            f" For W2[{cases[i][3]}, {cases[i][4]}] with p_k = {p_k[i]:.3f}, y_k = {y_k[i]:.0f}, h_j = {h_j[i]:.3f}:"
            f" you returned {learner[i]:.4f}; finite differences give {truth_arr[i]:.4f}."
        )
        return CheckResult(False, (verdict or "Not yet: the output error p_k - y_k, times what W2[k, j] multiplies.") + detail)

    return _checked(check)
