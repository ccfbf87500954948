"""The series' predict-then-check questions, each asked where a reader should commit to a
guess before the notebook shows the answer: `ask("03.slope-at-start")` in a cell (tagged
`remove-input`, so the web edition shows only the question, and the notebook's code gives
nothing away). The numbers in them are the series' own (article-series.md), printed by the
notebooks' cells that follow each question.

Text is plain (the browser draws it, not MathJax): b₃, pₛ for $b_3$, $p_s$.
"""

from __future__ import annotations

from typing import Any

from helpers.answers import Question

QUESTIONS: dict[str, dict[str, Any]] = {
    # --- 01 The network and cross entropy ---------------------------------------------------
    "01.softmax-shift": dict(
        prompt="Add 5 to all three raw outputs of a flower. What happens to its three probabilities?",
        options=[
            ("They all grow", "No: they still add up to 1, so they cannot all grow."),
            ("They stay exactly the same", "Right: softmax only sees the differences between the raw outputs."),
            (
                "The largest one grows, the others shrink",
                "No: that happens when the raw outputs are spread further apart, not shifted.",
            ),
        ],
        correct=1,
        explanation=(
            "Adding 5 multiplies every e^z by e^5, on the top and in the sum below, so e^5 cancels: "
            "softmax(z + 5) = softmax(z). The next cell shows it."
        ),
    ),
    "01.setosa-ce": dict(
        prompt="The Setosa flower gets pₛ = 0.1509 for its own species. What is its cross entropy, −log pₛ? (two decimals)",
        answer=1.89,
        within=0.006,
        near=[
            (0.82, "That is −log₁₀ 0.1509: log base 10. The series' log is the natural log, ln."),
            (0.15, "That is the probability itself; the cross entropy is minus its logarithm."),
            (-1.89, "The sign: log of a number below 1 is negative, so −log pₛ is positive."),
        ],
        explanation="−ln 0.1509 = 1.89: the worst of the three flowers (0.35 and 0.43), because its probability is the smallest.",
    ),
    # Not asked yet: chapter 1's page is at its weight budget (6 MB) with two questions; ask it
    # before "for b3 in (-2.0, 0.0):" once the pages are lighter.
    "01.other-probabilities": dict(
        prompt="Raise b₃ from −2 to 0 (it moves only zₛ, the green surface). What do the first flower's pᵥₑ and pᵥᵢ do?",
        options=[
            (
                "They stay the same: b₃ does not touch zᵥₑ or zᵥᵢ",
                "No: softmax divides by a sum that contains e^zₛ, so they answer too.",
            ),
            ("They both fall", "Right: pₛ rises, and the three must still add up to 1."),
            ("They both rise", "No: pₛ rises, and the three always add up to 1."),
        ],
        correct=1,
        explanation="e^zₛ grows, so the shared denominator grows, and pᵥₑ and pᵥᵢ shrink (0.40 → 0.12 and 0.45 → 0.14, below).",
    ),
    # --- 02 Setting up the derivative -------------------------------------------------------
    "02.setosa-sign": dict(
        prompt="For the flower observed to be Setosa, is the slope dCE/db₃ at b₃ = −2 positive or negative?",
        options=[
            ("Positive", "No: raising b₃ raises pₛ, the observed species' probability, and −log pₛ falls."),
            ("Negative", "Right: raising b₃ raises pₛ, so the cross entropy falls as b₃ grows."),
            ("Zero", "No: the cross entropy changes with b₃ through pₛ."),
        ],
        correct=1,
        explanation="CE = −log pₛ falls as pₛ rises, and pₛ rises with b₃: the chain's product is negative.",
    ),
    "02.versicolor-sign": dict(
        prompt="Now the flower observed to be Versicolor: is its dCE/db₃ positive or negative?",
        options=[
            ("Positive", "Right: a larger b₃ takes probability away from Versicolor, so its cross entropy rises."),
            ("Negative", "No: b₃ is Setosa's bias; raising it lowers pᵥₑ, the probability that counts here."),
            ("Zero, since b₃ is not Versicolor's bias", "No: b₃ reaches pᵥₑ through softmax's shared denominator."),
        ],
        correct=0,
        explanation="Its slope is small, 0.035, because pₛ is small for this flower: notebook 4 shows the slope is pₛ itself.",
    ),
    # --- 03 The chain rule for Setosa -------------------------------------------------------
    "03.slope-at-start": dict(
        prompt="With pₛ = 0.15, what is dCE/db₃ for the Setosa flower? (two decimals)",
        answer=-0.85,
        within=0.006,
        near=[
            (0.85, "The sign: raising b₃ lowers this flower's cross entropy, so the slope is negative."),
            (-0.37, "That is the slope with log base 10 (times 0.434). The series uses the natural log."),
            (-6.63, "That is link 1 alone, −1/pₛ. Multiply by link 2, pₛ(1 − pₛ)."),
            (0.13, "That is link 2 alone, pₛ(1 − pₛ). Multiply by link 1, −1/pₛ."),
        ],
        explanation="pₛ − 1 = 0.15 − 1 = −0.85: the three links multiply to −(1 − pₛ).",
    ),
    "03.squared-error": dict(
        prompt=(
            "A confidently wrong prediction: pₛ near 0 for a flower that is Setosa. Would a squared-error loss, "
            "(1 − pₛ)², push b₃ harder or more weakly than cross entropy there?"
        ),
        options=[
            ("Harder: the error 1 − pₛ is at its largest", "No: its slope carries the softmax factor pₛ, which is near 0."),
            ("More weakly: its slope shrinks to 0", "Right: −2 pₛ(1 − pₛ)² vanishes as pₛ → 0, while pₛ − 1 nears −1."),
            ("The same", "No: the two losses have different slopes; at pₛ = 0.15 they are −0.85 and −0.22."),
        ],
        correct=1,
        explanation=(
            "Cross entropy's −1/pₛ cancels softmax's pₛ(1 − pₛ), leaving pₛ − 1. Squared error keeps the factor pₛ, so a "
            "confident mistake barely moves it: at pₛ = 0.15 it pushes with −0.22 against cross entropy's −0.85."
        ),
    ),
    # --- 04 The other classes ---------------------------------------------------------------
    "04.b4-setosa": dict(
        prompt="For the flower observed to be Setosa, is dCE/db₄ (Versicolor's bias) positive or negative?",
        options=[
            ("Positive", "Right: b₄ is not the observed species' bias; raising it takes probability from Setosa."),
            ("Negative", "No: raising b₄ raises pᵥₑ and lowers pₛ, the probability that counts here."),
        ],
        correct=0,
        explanation="The rule is pₖ − [k observed]: for b₄ with Setosa observed it is pᵥₑ − 0 = 0.40, positive.",
    ),
    "04.sum-of-three": dict(
        prompt="Add dCE/db₃ + dCE/db₄ + dCE/db₅ for one flower. What do you get?",
        answer=0.0,
        within=0.005,
        near=[
            (1.0, "The probabilities add up to 1, but one of the three terms subtracts 1."),
            (-1.0, "The −1 is there, but the three probabilities add +1 to it."),
        ],
        explanation=(
            "(pₛ + pᵥₑ + pᵥᵢ) − 1 = 1 − 1 = 0, for every flower: raising all three biases together changes no probability."
        ),
    ),
    # --- 05 Optimizing b3 -------------------------------------------------------------------
    "05.minimum-where": dict(
        prompt="The total CE against b₃ is one smooth valley, with slope −0.77 at b₃ = −2. Where is its lowest point?",
        options=[
            ("Below −2", "No: the slope at −2 is negative, so the curve still falls to the right of −2."),
            ("Between −2 and 0", "Right: the lowest point is at b₃ = −0.03."),
            ("Above 2", "No: the Versicolor and Virginica flowers pull b₃ back; the compromise is lower."),
        ],
        correct=1,
        explanation="A negative slope means downhill is to the right. The minimum, at b₃ = −0.03, costs 1.77, down from 2.67.",
    ),
    "05.gradient-at-zve": dict(
        prompt="In the backward pass for the Setosa flower, what is the gradient that arrives at zᵥₑ?",
        options=[
            ("pᵥₑ", "Right: the rule pₖ − [k observed], with Versicolor not observed: pᵥₑ = 0.397."),
            ("pᵥₑ − 1", "No: that is the observed species' form; the flower is Setosa, not Versicolor."),
            ("0, since b₃ does not touch zᵥₑ", "No: zᵥₑ reaches the loss through softmax, so its gradient is not 0."),
        ],
        correct=0,
        explanation="∂CE/∂zₖ = pₖ − [k observed]: 0.397 at zᵥₑ and 0.453 at zᵥᵢ, and pₛ − 1 = −0.849 at zₛ.",
    ),
    # --- 06 Gradient descent ----------------------------------------------------------------
    "06.first-step": dict(
        prompt="The slope of the total CE at b₃ = −2 is −0.77. After one step at learning rate 1, will b₃ go up or down?",
        options=[
            ("Up", "Right: the step goes against the slope; −(−0.77) moves b₃ up, to −1.23."),
            ("Down", "No: that would climb the loss. Descent steps against the slope."),
        ],
        correct=0,
        explanation="b₃ ← b₃ − η × slope = −2 − 1 × (−0.77) = −1.23: a negative slope means downhill is to the right.",
    ),
    "06.rate-3.5": dict(
        prompt="Start from b₃ = −2 with learning rate 3.5. What does gradient descent do?",
        options=[
            ("It settles at the minimum, just more slowly", "No: 3.5 is past the bound 2 / 0.59 ≈ 3.39."),
            ("It zigzags, then settles", "No: that is rates between 1.70 and 3.39."),
            ("It bounces around the minimum for ever", "Right: past 2 / (second derivative) the zigzag never shrinks."),
            ("It flies off to infinity", "No: far from the minimum the curve is flatter, so the steps shrink there."),
        ],
        correct=2,
        explanation=(
            "Near the minimum each step multiplies the distance to it by |1 − 3.5 × 0.59| > 1, so it grows, until "
            "the flatter slopes further out bring it back: descent bounces for ever."
        ),
    ),
    # --- 07 Every parameter, real iris data -------------------------------------------------
    "07.row-2": dict(
        prompt="Row 2, the Virginica with the widest petals, has both hidden nodes off (ReLU gives 0). What does it add to dW1?",
        options=[
            ("Nothing", "Right: ReLU's derivative [a > 0] is 0 for it, so no gradient passes to W1."),
            ("As much as the other flowers", "No: the gradient must pass through ReLU, whose slope is 0 where it is off."),
            ("Only to the bottom node's weights", "No: both of its nodes are off."),
        ],
        correct=0,
        explanation="dA = dH ⊙ [A > 0]: row 2's mask is 0, 0, so its row of dA is zero and adds nothing to dW1 = dAᵀ X.",
    ),
    "07.chance-level": dict(
        prompt=(
            "A network that knows nothing gives each species probability 1/3. What total CE does it get on the "
            "150 iris flowers? (two decimals)"
        ),
        answer=164.79,
        within=0.02,
        near=[
            (71.57, "That is 150 log₁₀ 3: log base 10. The series' log is the natural log."),
            (50.0, "That is 150 × 1/3: the cross entropy is −log of the probability, not the probability."),
            (1.10, "That is one flower's, ln 3. The total adds up 150 of them."),
            (-164.79, "The sign: −log(1/3) = ln 3 is positive."),
        ],
        explanation="Each flower costs −ln(1/3) = ln 3 = 1.0986, so 150 ln 3 = 164.79: the chance level a trained net must beat.",
    ),
    "07.best-accuracy": dict(
        prompt="Could any model that sees only petal width and sepal width classify all 150 flowers right?",
        options=[
            ("Yes, with enough hidden nodes", "No: some flowers of different species have identical widths."),
            ("No", "Right: three Versicolor/Virginica pairs share the very same two widths."),
        ],
        correct=1,
        explanation="Whatever a model says for such a pair, it is wrong for one of the two: 147 of 150 is the best possible.",
    ),
}


def ask(key: str) -> Question:
    """The question `key` ("chapter.name", see QUESTIONS) as a widget.

    Raises
    ------
    ValueError
        If there is no such question (the message lists the chapter's questions).
    """
    if key not in QUESTIONS:
        chapter = key.split(".")[0]
        same = [name for name in QUESTIONS if name.startswith(chapter + ".")] or list(QUESTIONS)
        raise ValueError(f"no question {key!r}; try one of {', '.join(same)}")
    return Question(key=key, **QUESTIONS[key])
