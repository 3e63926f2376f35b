"""Moodle's grade values: the only answer fractions Moodle accepts, and the ones our exports write."""

import math

from apps.questions.data import ChoiceData

# Moodle's list of answer grades (question_bank::fraction_options), as fractions of the question's mark.
# Anything else in an imported file is refused, as Moodle refuses it; exports only ever write these.
FRACTIONS = (
    1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333,
    0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05,
)  # fmt: skip
TOLERANCE = 0.00001  # Moodle's own: a grade matches a value within this


def is_allowed(fraction: float) -> bool:
    return fraction == 0 or any(abs(abs(fraction) - value) < TOLERANCE for value in FRACTIONS)


def share(parts: int) -> float:
    """The allowed grade nearest to 1/parts: what each of `parts` right choices is worth."""
    return min(FRACTIONS, key=lambda value: abs(value - 1 / parts))


def penalty(parts: int) -> float:
    """The smallest allowed grade of at least 1/parts (or the full mark): what each of `parts` wrong choices
    costs, so that ticking every choice never scores above 0."""
    at_least = [value for value in FRACTIONS if value >= 1 / parts - TOLERANCE]
    return min(at_least) if at_least else 1.0


def multiple_response_fractions(correct: list[bool]) -> list[float]:
    """Fractions for the choices of a multiple-response question (True = right): right choices share the mark,
    wrong ones take it all back between them."""
    right = sum(1 for is_right in correct if is_right)
    wrong = len(correct) - right
    return [share(right) if is_right else -penalty(wrong) for is_right in correct]


def percent(fraction: float) -> str:
    """A fraction as Moodle writes it in percent: 100, 50, 33.33333, -25."""
    value = round(fraction * 100, 5)
    return str(int(round(value))) if math.isclose(value, round(value)) else f"{value:.7g}"


def partial_credit_notes(choices: list[ChoiceData], weights: list[float], *, single: bool) -> list[str]:
    """Why answer weights (in percent, one per choice) of a single-answer (`single`) or multiple-answer question
    are not all-or-nothing as AWS scores them."""
    if single:
        partial = [c.text for c, w in zip(choices, weights, strict=True) if 0 < w < 100 - TOLERANCE]
        return [f"partial credit for “{text}” dropped (all-or-nothing here)" for text in partial]
    if len({round(w, 3) for w in weights if w > 0}) > 1:
        return ["right choices weigh differently (partial credit); scored all-or-nothing here"]
    return []
