"""Answers in the page: predict-then-check questions, and the exercises by typed formula.

Two widgets, drawn by the browser alone from their saved state (in JupyterLab with or without
a kernel, and in the web edition with none), so a reader who never runs Python can still
commit to an answer and have it judged:

- `Question`: a question with options or a number, asked before the notebook shows the
  answer; feedback that says why, and an explanation that unfolds after an attempt.
- `TypedFormula`: an exercise answered by a formula in a math field (MathLive, loaded only
  when the reader reaches it). The page judges it at the **same cases** the Python check
  uses, against the **same known mistakes**, with the same messages: `typed_cases` runs the
  Python check itself (`helpers.checking.recorded`) and sends what it judged as data. A
  diagnosis added to a check reaches the page with no change here.

What a reader answers stays in their browser (localStorage, per page, with a button to clear
it): nothing is sent to the kernel or saved in the notebook.

    from helpers.answers import Question, TypedFormula
    Question("After one step from b3 = -2, will b3 go up or down?",
             options=[("Up", "Right: ..."), ("Down", "No: ...")], correct=0, explanation="...")
    TypedFormula("dce_db3")
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets

from helpers import checking, exercises, exercises_backprop

JS_DIR = Path(__file__).parent / "js"
QUESTION_BUNDLE = JS_DIR / "dist" / "question.js"  # helpers/js/answer/*.js, bundled by `npm run build`
TYPED_BUNDLE = JS_DIR / "dist" / "typed.js"
MATH_KIT = JS_DIR / "dist" / "mathkit.js"  # MathLive and the LaTeX reader: loaded late, by a script tag


@dataclass(frozen=True)
class Symbol:
    """A symbol a typed answer may use: its name as the LaTeX reader gives it (`p_s`, `eta`),
    how it is written (LaTeX), and what it stands for (said beside the field)."""

    name: str
    latex: str
    meaning: str


@dataclass(frozen=True)
class FormulaExercise:
    """An exercise's typed form: the Python check it shares, the symbols, how the check's
    arguments become the symbols' values and a case's label, and what the field asks."""

    check: Callable[[Callable], checking.CheckResult]
    symbols: tuple[Symbol, ...]
    point: Callable[..., dict[str, float]]
    label: Callable[..., str]
    prompt: str
    answer_name: str  # the field's accessible name
    solution: str  # LaTeX of one right answer, for the tests


def _bias_point(k: int, observed: int, probs: np.ndarray) -> dict[str, float]:
    return {"p_k": float(probs[k]), "y_k": float(k == observed)}


EXERCISES: dict[str, FormulaExercise] = {
    "dce_db3": FormulaExercise(
        check=exercises.check_dce_db3,
        symbols=(Symbol("p_s", "p_s", "the probability the network gives Setosa, the observed species"),),
        point=lambda p_s: {"p_s": float(p_s)},
        label=lambda p_s: f"At p_s = {p_s:.3f}",
        prompt="Type dCE/db3 for a flower observed to be Setosa, in terms of its probability p_s.",
        answer_name="Your formula for dCE/db3",
        solution="p_s-1",
    ),
    "bias_rule": FormulaExercise(
        check=exercises.check_bias_rule,
        symbols=(
            Symbol("p_k", "p_k", "the probability the network gives species k"),
            Symbol("y_k", "y_k", "1 if k is the observed species, else 0 (the one-hot y of notebook 1)"),
        ),
        point=_bias_point,
        label=lambda k, observed, probs: (
            f"For b{k + 3} with {('Setosa', 'Versicolor', 'Virginica')[observed]} observed "
            f"(p_k = {probs[k]:.3f}, y_k = {int(k == observed)})"
        ),
        prompt="Type dCE/db_k, the rule for every output bias, in terms of p_k and y_k.",
        answer_name="Your formula for dCE/db_k",
        solution="p_k-y_k",
    ),
    "descent_step": FormulaExercise(
        check=exercises.check_descent_step,
        symbols=(
            Symbol("b_3", "b_3", "the bias now"),
            Symbol("eta", "\\eta", "the learning rate (type \\eta, or pick η on the keyboard)"),
            Symbol("s", "s", "the slope of the total CE at b_3, d(total CE)/db_3"),
        ),
        point=lambda b3, slope, rate: {"b_3": float(b3), "s": float(slope), "eta": float(rate)},
        label=lambda b3, slope, rate: f"From b_3 = {b3}, slope s = {slope:.4f}, learning rate η = {rate}",
        prompt="Type the next b3 of gradient descent, from b_3, the learning rate η and the slope s.",
        answer_name="Your formula for the next b3",
        solution="b_3-\\eta s",
    ),
    "output_weight_entry": FormulaExercise(
        check=exercises_backprop.check_output_weight_entry,
        symbols=(
            Symbol("p_k", "p_k", "the flower's probability of species k"),
            Symbol("y_k", "y_k", "1 if k is the flower's observed species, else 0"),
            Symbol("h_j", "h_j", "the value of hidden node j for this flower (after ReLU)"),
        ),
        point=lambda p_k, y_k, h_j: {"p_k": float(p_k), "y_k": float(y_k), "h_j": float(h_j)},
        label=lambda p_k, y_k, h_j: f"For p_k = {p_k:.3f}, y_k = {y_k:.0f}, h_j = {h_j:.3f}",
        prompt="Type one entry of the backward pass, dCE/dW2[k, j] for one flower, from p_k, y_k and h_j.",
        answer_name="Your formula for dCE/dW2[k, j]",
        solution="(p_k-y_k)h_j",
    ),
}


def _record(check: Callable, answer: Callable[[int, tuple], float]) -> tuple[list[dict], checking.CheckResult]:
    """Run a Python check on answer(i, args) (i counts the calls), recording what it judged."""
    calls = iter(range(10**6))
    with checking.recorded() as record:
        result = check(lambda *args: answer(next(calls), args))
    return record, result


def _common_prefix(a: str, b: str) -> str:
    return a[: next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))]


def typed_cases(name: str) -> dict[str, Any]:
    """What the page needs to judge a typed answer to exercise `name` as its Python check does:
    the symbols' values at each case the check tries, each case's label, the truth, the known
    mistakes' values and messages (in the check's order), its "right" and "not yet" messages,
    and the tolerance. Recorded from the check itself, so nothing here restates a diagnosis.

    Raises
    ------
    ValueError
        If `name` is not an exercise with a typed form (the message lists those).
    """
    if name not in EXERCISES:
        raise ValueError(f"{name!r} is not an exercise with a typed form; try one of {', '.join(EXERCISES)}")
    form = EXERCISES[name]
    runs = {constant: _record(form.check, lambda i, args, c=constant: c) for constant in (0.0, 0.5)}
    (record, _), (other, _) = runs[0.0], runs[0.5]
    args = [entry["call"] for entry in record if "call" in entry]
    judged = [entry for entry in record if "truth" in entry]
    if len(judged) != 1:
        raise ValueError(f"the check for {name!r} judged {len(judged)} times; a typed form needs exactly one judgement")
    truth = judged[0]["truth"]
    mistakes: list[dict[str, Any]] = []
    other_mistakes = next(entry for entry in other if "truth" in entry)["mistakes"]
    for (values, message), (other_values, other_message) in zip(judged[0]["mistakes"], other_mistakes):
        values, other_values = np.asarray(values, float), np.asarray(other_values, float)
        if message == other_message and np.array_equal(values, other_values):
            mistakes.append({"values": values.tolist(), "message": message})
        elif np.all(values == 0.0) and np.all(other_values == 0.5):  # "the same number whatever the input"
            prefix = _common_prefix(message, other_message)
            suffix = _common_prefix(message[::-1], other_message[::-1])[::-1]
            prefix, suffix = prefix.rstrip("0123456789.-"), suffix.lstrip("0123456789.")  # the whole number differs
            number = message[len(prefix) : len(message) - len(suffix)]
            decimals = len(number.split(".")[1]) if "." in number else 0
            mistakes.append({"prefix": prefix, "suffix": suffix, "decimals": decimals})
        else:
            raise ValueError(f"a diagnosis of {name!r} depends on the answer in a way the page cannot repeat: {message!r}")
    right = _record(form.check, lambda i, args: float(truth[i]))[1]
    off = [_record(form.check, lambda i, args, d=d: float(truth[i]) + d)[1].message for d in (1000.0, 2000.0)]
    shared = _common_prefix(*off)
    fallback = shared[: shared.rfind(". ") + 1] if ". " in shared else shared
    if not right.passed:
        raise ValueError(f"the check for {name!r} does not accept its own truth: {right.message}")
    return {
        "points": [form.point(*call) for call in args],
        "labels": [form.label(*call) for call in args],
        "truth": truth.tolist(),
        "mistakes": mistakes,
        "right": right.message,
        "fallback": fallback,
        "tolerance": {"rtol": checking.RELATIVE_TOLERANCE, "atol": checking.TOLERANCE},
    }


# --- the widgets --------------------------------------------------------------------------


class _Answer(anywidget.AnyWidget):
    """An answer widget: `spec` says everything; `kind` is "question" or "typed". Each kind has
    its own small bundle (every instance saves its own copy in its notebook)."""

    _css = JS_DIR / "dist" / "answer.css"  # answer/answer.css, minified: it too is saved per widget
    kind = traitlets.Unicode().tag(sync=True)
    spec = traitlets.Dict().tag(sync=True)

    def __repr__(self) -> str:
        # What a viewer that draws no widgets shows in its place (also JupyterLab, for a notebook
        # it does not trust); ipywidgets cuts the text after 110 characters. No answer in it.
        what = self.spec.get("prompt", "")
        head = "Question" if self.kind == "question" else "Type the answer as a formula"
        return f"{head} (run the notebook to answer here): {what}"[:110]


def _plain(text: str, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{what} must be non-empty text; got {text!r}")
    return text.strip()


class Question(_Answer):
    """A question to answer before the notebook shows the answer: options, or a number.

    Parameters
    ----------
    prompt : str
        The question, in plain text (it is drawn by the browser, not typeset).
    options : sequence of (text, feedback), optional
        The choices, each with what the reader is told on choosing it (say why).
    correct : int, optional
        Which option is right (with `options`).
    answer : float, optional
        The right number (without `options`): the reader types a number.
    within : float, default 0.01
        How far a typed number may be from `answer` and still count as right.
    near : sequence of (value, feedback), optional
        Known wrong numbers, each with what the reader is told (say why).
    explanation : str
        Shown after the first attempt, right or wrong.
    key : str, optional
        A name for the reader's stored answer, unique in its notebook (default: from the prompt).
    """

    _esm = QUESTION_BUNDLE

    def __init__(
        self,
        prompt: str,
        *,
        options: Sequence[tuple[str, str]] | None = None,
        correct: int | None = None,
        answer: float | None = None,
        within: float = 0.01,
        near: Sequence[tuple[float, str]] = (),
        explanation: str,
        key: str | None = None,
        **kwargs: Any,
    ) -> None:
        prompt, explanation = _plain(prompt, "prompt"), _plain(explanation, "explanation")
        spec: dict[str, Any] = {"prompt": prompt, "explanation": explanation, "key": key or prompt[:60]}
        if options is not None:
            if answer is not None or len(options) < 2:
                raise ValueError("give either options (two or more) with `correct`, or a number `answer`")
            if correct is None or not 0 <= correct < len(options):
                raise ValueError(f"correct must be the index of the right option, 0 to {len(options) - 1}; got {correct!r}")
            spec["options"] = [{"text": _plain(text, "an option"), "feedback": _plain(why, "feedback")} for text, why in options]
            spec["correct"] = int(correct)
        else:
            if answer is None or not np.isfinite(answer):
                raise ValueError("a question without options needs a finite number `answer`")
            if not within > 0:
                raise ValueError(f"within must be positive; got {within!r}")
            spec.update(answer=float(answer), within=float(within))
            spec["near"] = [{"value": float(value), "feedback": _plain(why, "feedback")} for value, why in near]
        super().__init__(kind="question", spec=spec, **kwargs)


class TypedFormula(_Answer):
    """Exercise `name` answered by a typed formula, judged in the page as its Python check
    judges a function (see `typed_cases`). `name`: "dce_db3" (notebook 03), "bias_rule" (04),
    "descent_step" (06) or "output_weight_entry" (07)."""

    _esm = TYPED_BUNDLE

    def __init__(self, name: str, **kwargs: Any) -> None:
        cases = typed_cases(name)
        form = EXERCISES[name]
        spec = {
            "key": f"typed:{name}",
            "prompt": form.prompt,
            "answer_name": form.answer_name,
            "symbols": [{"name": s.name, "latex": s.latex, "meaning": s.meaning} for s in form.symbols],
            "cases": cases,
            # Where the math field's script is, from the notebook's folder (JupyterLab serves it
            # under files/); the web edition has its own copy and says where (build_site.py).
            "kit": os.path.relpath(MATH_KIT, Path.cwd()).replace(os.sep, "/"),
        }
        super().__init__(kind="typed", spec=spec, **kwargs)
