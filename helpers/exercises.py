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

from collections.abc import Callable

import numpy as np

from helpers.checking import (
    LOG10_E,
    CheckResult,
    _call,
    _checked,
    _judge,
    _loss_of_bias,
    _numbers,
    _worst,
)
from helpers.data import training_data
from helpers.exercises_backprop import check_backward
from helpers.network import (
    OUTPUT_BIASES,
    SPECIES,
    Network,
    forward,
    numerical_derivative,
    total_cross_entropy,
)

__all__ = ["CheckResult", "check_backward", "check_bias_rule", "check_dce_db3", "check_descent_step"]


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
                (
                    -np.log(p),
                    "That is the loss itself, CE = -log p_s, not its slope. Differentiate it along the chain: "
                    "link 1 is -1/p_s; multiply by link 2, p_s (1 - p_s), and link 3, 1.",
                ),
                (
                    -(1 - p) / p,
                    "Link 2 has lost its factor p_s: you multiplied -1/p_s by (1 - p_s) only. dp_s/dz_s = p_s (1 - p_s); "
                    "with it, the 1/p_s of link 1 cancels.",
                ),
                (
                    -p * (1 - p),
                    "Link 1 is left out (only its minus sign kept): that is -p_s (1 - p_s). dCE/dp_s = -1/p_s, and its "
                    "1/p_s cancels link 2's p_s.",
                ),
                (
                    -2 * p * (1 - p) ** 2,
                    "That is the slope of the squared error (1 - p_s)^2, not of the cross entropy. Here CE = -log p_s, "
                    "so link 1 is -1/p_s, not -2 (1 - p_s).",
                ),
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
    """fn(k, observed, probs) -> dCE/db_out,k for one flower: k and observed in 0..2 (Setosa,
    Versicolor, Virginica; the bias of class k is b3, b4, b5), probs its three probabilities."""

    def check() -> CheckResult:
        X, _ = training_data()
        nets = [Network(), Network().with_biases(b3=0.5, b4=-1.0)]
        cases, truth, learner = [], [], []
        for net in nets:
            for row in (0, 2):
                probs = forward(net, X[row : row + 1]).probs[0]
                for observed in range(3):
                    for k in range(3):
                        name = OUTPUT_BIASES[k]
                        loss = _loss_of_bias(net, X[row : row + 1], [observed], name)
                        truth.append(numerical_derivative(loss, getattr(net, name)))
                        learner.append(_call(fn, k, observed, probs.copy(), hint=_index_hint(k, observed)))
                        cases.append((k, observed, probs))

        def describe(i: int) -> str:
            return f"for k = {cases[i][0]}, observed = {cases[i][1]}"

        truth_arr, learner_arr = np.array(truth), _numbers(learner, "dCE/db_out,k", describe)
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
                (
                    p_obs - is_k,
                    "You used the observed class's probability. The bias of class k (b3, b4 or b5 for k = 0, 1, 2) "
                    "moves z_k, so the rule uses probs[k].",
                ),
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
            f" For k = {k} (bias b{k + 3}) with {SPECIES[observed]} observed"
            f" and probs = ({', '.join(f'{p:.3f}' for p in probs)}), "
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
