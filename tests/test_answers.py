"""The answers typed in the page, judged as the Python checks judge functions.

One table of answers per exercise, each written twice, as the LaTeX a reader types in the
page's math field and as the Python function a reader writes in the notebook. The page's own
checker (helpers/js/dist/answer.js, under Node, with the page's LaTeX reader) and the Python
check must give the same verdict and the same diagnosis. Input the page cannot judge gets a
message, never a verdict. The questions' widgets refuse bad specs with a ValueError.
"""

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from helpers import answers
from helpers.answers import EXERCISES, Question, TypedFormula, typed_cases

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "js" / "answer_check.mjs"
LN10 = np.log(10)

# (exercise, LaTeX as typed, the same answer as a Python function)
ANSWERS = [
    ("dce_db3", "p_s-1", lambda p: p - 1),
    ("dce_db3", "-\\left(1-p_s\\right)", lambda p: -(1 - p)),
    ("dce_db3", "-\\frac{1}{p_s}\\cdot p_s\\left(1-p_s\\right)\\cdot1", lambda p: -1 / p * p * (1 - p) * 1),
    ("dce_db3", "1-p_s", lambda p: 1 - p),
    ("dce_db3", "\\frac{p_s-1}{\\ln10}", lambda p: (p - 1) / LN10),
    ("dce_db3", "(p_s-1)/\\ln(10)", lambda p: (p - 1) / LN10),
    ("dce_db3", "-\\frac{1}{p_s}", lambda p: -1 / p),
    ("dce_db3", "p_s\\left(1-p_s\\right)", lambda p: p * (1 - p)),
    ("dce_db3", "-1", lambda p: -1.0),
    ("dce_db3", "p_s", lambda p: p),
    ("dce_db3", "0.5", lambda p: 0.5),
    ("dce_db3", "-\\frac{3}{4}", lambda p: -0.75),
    ("dce_db3", "p_s^2-1", lambda p: p**2 - 1),
    ("dce_db3", "\\frac{p_s-1}{\\log_{10}e}", lambda p: (p - 1) * LN10),
    ("bias_rule", "p_k-y_k", lambda k, o, probs: probs[k] - (k == o)),
    ("bias_rule", "y_k-p_k", lambda k, o, probs: (k == o) - probs[k]),
    ("bias_rule", "p_k-1", lambda k, o, probs: probs[k] - 1),
    ("bias_rule", "p_k", lambda k, o, probs: probs[k]),
    ("bias_rule", "p_k-(1-y_k)", lambda k, o, probs: probs[k] - (k != o)),
    ("bias_rule", "\\frac{p_k-y_k}{\\ln10}", lambda k, o, probs: (probs[k] - (k == o)) / LN10),
    ("bias_rule", "p_k^2-y_k", lambda k, o, probs: probs[k] ** 2 - (k == o)),
    ("descent_step", "b_3-\\eta s", lambda b3, s, eta: b3 - eta * s),
    ("descent_step", "b_3-\\eta\\cdot s", lambda b3, s, eta: b3 - eta * s),
    ("descent_step", "b_3+\\eta s", lambda b3, s, eta: b3 + eta * s),
    ("descent_step", "b_3-s", lambda b3, s, eta: b3 - s),
    ("descent_step", "-\\eta s", lambda b3, s, eta: -eta * s),
    ("descent_step", "b_3-\\frac{s}{\\eta}", lambda b3, s, eta: b3 - s / eta),
    ("descent_step", "\\frac{b_3-\\eta s}{\\ln10}", lambda b3, s, eta: (b3 - eta * s) / LN10),
    ("descent_step", "b_3-2\\eta s", lambda b3, s, eta: b3 - 2 * eta * s),
    ("output_weight_entry", "(p_k-y_k)h_j", lambda p, y, hj: (p - y) * hj),
    ("output_weight_entry", "h_j\\left(p_k-y_k\\right)", lambda p, y, hj: hj * (p - y)),
    ("output_weight_entry", "(y_k-p_k)h_j", lambda p, y, hj: (y - p) * hj),
    ("output_weight_entry", "p_k-y_k", lambda p, y, hj: p - y),
    ("output_weight_entry", "p_k\\cdot h_j", lambda p, y, hj: p * hj),
    ("output_weight_entry", "(p_k-1)h_j", lambda p, y, hj: (p - 1) * hj),
    ("output_weight_entry", "\\frac{(p_k-y_k)h_j}{\\ln10}", lambda p, y, hj: (p - y) * hj / LN10),
    ("output_weight_entry", "(p_k-y_k)^2h_j", lambda p, y, hj: (p - y) ** 2 * hj),
]
# (exercise, LaTeX, what the message must say): input the page must not judge.
UNJUDGED = [
    ("dce_db3", "q-1", "not a symbol this exercise knows"),
    ("dce_db3", "p_s-", "not finished"),
    ("dce_db3", "\\frac{1}{p_s-p_s}", "divides by zero"),
    ("dce_db3", "", "type a formula first"),
    ("dce_db3", "\\ln(p_s-1)", "no value"),
    ("bias_rule", "\\frac{1}{y_k}", "divides by zero"),
    ("descent_step", "b_3-\\alpha s", "not a symbol this exercise knows"),
    ("dce_db3", "\\frac{dCE}{db_3}=p_s-1", "no = sign"),
]
NUMBER_SPEC = {"answer": 164.79, "within": 0.05, "near": [{"value": 71.57, "feedback": "log base 10"}]}
NUMBERS = [("164.79", True, ""), ("164,8", True, ""), ("71.57", False, "log base 10"), ("200", False, "too high")]
NUMBERS += [("\u221250", False, "too low"), ("1 6 4 . 7 9", True, ""), ("abc", None, ""), ("", None, "")]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the page's checker cannot be run outside a browser")
    if not (ROOT / "node_modules" / "@cortex-js" / "compute-engine").exists():
        pytest.skip("node_modules is missing the LaTeX reader: run `npm ci`")
    specs = {name: TypedFormula(name).spec for name in EXERCISES}
    payload = {
        "specs": specs,
        "answers": [{"exercise": name, "latex": latex} for name, latex, _ in ANSWERS]
        + [{"exercise": name, "latex": latex} for name, latex, _ in UNJUDGED],
        "numbers": [{"spec": NUMBER_SPEC, "text": text} for text, _, _ in NUMBERS],
    }
    path = tmp_path_factory.mktemp("answers") / "input.json"
    path.write_text(json.dumps(payload))
    run = subprocess.run([node, str(SCRIPT), str(path)], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("index", range(len(ANSWERS)), ids=[f"{name}:{latex}" for name, latex, _ in ANSWERS])
def test_page_and_python_agree(page, index):
    name, _, function = ANSWERS[index]
    python = EXERCISES[name].check(function)
    typed = page["results"][index]
    assert typed["state"] == ("right" if python.passed else "wrong"), (typed, python)
    if python.passed:
        assert typed["message"] == python.message
    else:
        assert typed["diagnosis"] and python.message.startswith(typed["diagnosis"]), (typed["diagnosis"], python.message)
        assert typed["message"] != typed["diagnosis"]  # a detail follows: where the answer is furthest off


# Diagnoses no formula in the exercise's symbols can reach (the page has no symbol for them).
UNREACHABLE = {"You used the observed class's probability"}  # bias_rule: p_k and y_k cannot name p_observed


def test_every_diagnosis_is_reached_by_some_typed_answer(page):
    """Each exercise's table meets every one of its check's known mistakes (and the fallback)."""
    for name in EXERCISES:
        cases = typed_cases(name)
        said = {page["results"][i]["diagnosis"] for i, (n, _, _) in enumerate(ANSWERS) if n == name}
        wanted = [m.get("message") or m["prefix"] for m in cases["mistakes"]] + [cases["fallback"]]
        missing = [w for w in wanted if not any(s.startswith(w) for s in said) and not w.startswith(tuple(UNREACHABLE))]
        assert not missing, f"{name}: no typed answer in the table reaches {missing}"


def test_the_four_chapter_03_answers_the_issue_names(page):
    said = {latex: page["results"][i] for i, (n, latex, _) in enumerate(ANSWERS) if n == "dce_db3"}
    assert said["p_s-1"]["state"] == "right"
    diagnoses = [said[latex]["diagnosis"] for latex in ("1-p_s", "\\frac{p_s-1}{\\ln10}", "-\\frac{1}{p_s}")]
    assert all(said[latex]["state"] == "wrong" for latex in ("1-p_s", "\\frac{p_s-1}{\\ln10}", "-\\frac{1}{p_s}"))
    assert len(set(diagnoses)) == 3 and "sign" in diagnoses[0] and "log base 10" in diagnoses[1] and "link 1" in diagnoses[2]


@pytest.mark.parametrize("index", range(len(UNJUDGED)), ids=[f"{n}:{latex}" for n, latex, _ in UNJUDGED])
def test_input_the_page_cannot_judge_gets_a_message_not_a_verdict(page, index):
    _, _, says = UNJUDGED[index]
    result = page["results"][len(ANSWERS) + index]
    assert result["state"] == "unjudged" and says in result["message"], result


def test_typed_numbers(page):
    for (text, right, says), result in zip(NUMBERS, page["numbers"]):
        if right is None:
            assert result is None, text
        else:
            assert result["right"] is right and says in result["text"], (text, result)


def test_cases_come_from_the_checks_themselves():
    cases = typed_cases("dce_db3")
    assert len(cases["points"]) == len(cases["truth"]) == len(cases["labels"]) == 5
    assert np.allclose([point["p_s"] - 1 for point in cases["points"]], cases["truth"], atol=1e-8)
    assert cases["right"].startswith("Right") and cases["fallback"] == "Not yet: multiply the three links and simplify."
    with pytest.raises(ValueError, match="dce_db3"):
        typed_cases("no_such_exercise")


def test_question_specs_are_checked():
    question = Question("Up or down?", options=[("Up", "Yes: ..."), ("Down", "No: ...")], correct=0, explanation="Because.")
    assert question.kind == "question" and question.spec["correct"] == 0
    number = Question("How much?", answer=164.79, near=[(71.57, "log 10")], explanation="150 ln 3.")
    assert number.spec["answer"] == 164.79 and number.spec["near"][0]["value"] == 71.57
    with pytest.raises(ValueError, match="correct"):
        Question("Up or down?", options=[("Up", "a"), ("Down", "b")], correct=2, explanation="x")
    with pytest.raises(ValueError, match="answer"):
        Question("How much?", explanation="x")
    with pytest.raises(ValueError, match="prompt"):
        Question(" ", answer=1.0, explanation="x")


def test_the_answer_widgets_stay_small():
    """Each widget saves its own copy of the module in the notebook: it must stay small, and the
    math kit must not be in it (it loads late, by a script tag)."""
    assert answers.QUESTION_BUNDLE.stat().st_size < 8_000 and answers.TYPED_BUNDLE.stat().st_size < 20_000
    assert "mathlive" not in answers.TYPED_BUNDLE.read_text().lower()
    assert answers.MATH_KIT.stat().st_size > 500_000
