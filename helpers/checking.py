"""How the exercises judge an answer (`helpers.exercises`): the learner's function called
safely (a missing, printing or raising function gets a message, not a traceback), with the
answer key hidden, and its numbers compared with the truth and with known mistakes."""

from __future__ import annotations

import contextlib
import io
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from helpers import network as network_module
from helpers.network import (
    Network,
    total_cross_entropy,
)

LOG10_E = float(np.log10(np.e))  # what d/dp log10(p) = 1 / (p ln 10) multiplies the slope by: 0.434
TOLERANCE = 1e-5  # finite differences here are good to about 1e-9; answers must match to 1e-5
RELATIVE_TOLERANCE = 1e-4  # and to 1e-4 of the truth's size (numpy's allclose: |a - b| <= atol + rtol |b|)

# While `recorded()` runs, what each check judged (the arguments of every call of the learner's
# function, the truth and the known mistakes): helpers.answers turns it into the page's data, so a
# typed formula meets the same cases and the same diagnoses as a Python function.
_RECORDING: list[dict] | None = None


@contextlib.contextmanager
def recorded() -> Iterator[list[dict]]:
    """Within: each call of the learner's function adds {"call": args} to the list yielded,
    and each judgement {"truth": array, "mistakes": [(array, message), ...]}."""
    global _RECORDING
    saved, _RECORDING = _RECORDING, []
    try:
        yield _RECORDING
    finally:
        _RECORDING = saved


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
    if _RECORDING is not None:
        _RECORDING.append({"call": args})
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
    if _RECORDING is not None:
        _RECORDING.append({"truth": np.asarray(truth, dtype=float), "mistakes": list(mistakes)})
    if np.allclose(learner, truth, rtol=RELATIVE_TOLERANCE, atol=TOLERANCE):
        return None
    for pattern, message in mistakes:
        if np.allclose(learner, pattern, rtol=RELATIVE_TOLERANCE, atol=TOLERANCE):
            return message
    return ""


def _worst(learner: np.ndarray, truth: np.ndarray) -> int:
    return int(np.argmax(np.abs(learner - truth)))


def _checked(check: Callable[[], CheckResult]) -> CheckResult:
    try:
        return check()
    except _CannotJudgeError as stop:
        return CheckResult(False, str(stop))
