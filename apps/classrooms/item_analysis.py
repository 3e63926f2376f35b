"""Item statistics (pure): facility, discrimination on the rest score, choice counts and the "looks broken" flags.

Plain data in, plain data out; the formulas, constants and a worked example are in docs/item-analysis.md.
"""

import math
from collections import Counter
from dataclasses import dataclass, field

from apps.questions import kinds

# Below this many responses (with a rest score) the discrimination is not worked out at all: "—".
MIN_RESPONSES_DISCRIMINATION = 5
# Each flag needs its own minimum number of responses. A negative correlation is easily noise, so it needs
# the most; "nobody correct" and a popular distractor are direct counts and need fewer.
MIN_RESPONSES_NEGATIVE_DISCRIMINATION = 10
MIN_RESPONSES_POPULAR_DISTRACTOR = 5
MIN_RESPONSES_NOBODY_CORRECT = 5

NEGATIVE_DISCRIMINATION = "negative-discrimination"
POPULAR_DISTRACTOR = "popular-distractor"
NOBODY_CORRECT = "nobody-correct"
FLAG_LABELS = {
    NEGATIVE_DISCRIMINATION: "Negative discrimination",
    POPULAR_DISTRACTOR: "Distractor beats the answer",
    NOBODY_CORRECT: "Nobody correct",
}


@dataclass(frozen=True)
class Response:
    """One scored question shown in one attempt: right or not, the attempt's score, and the choices picked."""

    correct: bool
    attempt_correct: int  # the attempt's correct_count, this question included
    attempt_scored: int  # the attempt's scored_count, this question included
    picked: tuple = ()  # choice ids (multiple choice / multiple response); () for a blank or another kind
    answered: bool = True  # False for a blank (which is still a response, and a wrong one)

    @property
    def rest_score(self):
        return rest_score(self.attempt_correct, self.attempt_scored, self.correct)


@dataclass
class ChoiceCount:
    id: int
    correct: bool | None  # None: the choice was picked but no longer exists
    count: int
    share: float | None  # of all responses, blanks included


@dataclass
class ItemStats:
    responses: int
    correct: int
    facility: float | None
    discrimination: float | None
    blank: int
    choices: list[ChoiceCount] | None  # None for ordering and matching
    flags: list[str] = field(default_factory=list)


def facility(correct, responses):
    """The share of responses that were right (blanks count as wrong); None without responses."""
    return correct / responses if responses else None


def rest_score(attempt_correct, attempt_scored, item_correct):
    """The attempt's share correct over its *other* scored questions; None when it had no other."""
    others = attempt_scored - 1
    if others <= 0:
        return None
    return (attempt_correct - (1 if item_correct else 0)) / others


def point_biserial(items, scores):
    """Correlation of a 0/1 item with a score: (M1 − M0) / s × √(p·q), s the population standard deviation.

    None when there are fewer than MIN_RESPONSES_DISCRIMINATION pairs, or when everybody got the item right
    (or wrong), or everybody had the same score: a correlation with a constant is undefined.
    """
    n = len(items)
    if n < MIN_RESPONSES_DISCRIMINATION or n != len(scores):
        return None
    right = [score for item, score in zip(items, scores, strict=True) if item]
    wrong = [score for item, score in zip(items, scores, strict=True) if not item]
    if not right or not wrong:
        return None
    mean = sum(scores) / n
    variance = sum((score - mean) ** 2 for score in scores) / n
    if variance <= 1e-12:
        return None
    p = len(right) / n
    difference = sum(right) / len(right) - sum(wrong) / len(wrong)
    return difference / math.sqrt(variance) * math.sqrt(p * (1 - p))


def discrimination(responses):
    """Point-biserial of the item against the rest score, over the responses that have one."""
    pairs = [(r.correct, r.rest_score) for r in responses if r.rest_score is not None]
    return point_biserial([item for item, _ in pairs], [score for _, score in pairs])


def choice_counts(responses, choices):
    """How often each choice was picked: `choices` is [(id, is_correct)] in display order; a picked id that
    is not among them (removed since) is added at the end with correct=None."""
    n = len(responses)
    counts = Counter(choice for r in responses for choice in set(r.picked))
    known = [choice_id for choice_id, _ in choices]
    rows = [
        ChoiceCount(
            id=choice_id, correct=is_correct, count=counts[choice_id], share=facility(counts[choice_id], n)
        )
        for choice_id, is_correct in choices
    ]
    rows += [
        ChoiceCount(id=choice_id, correct=None, count=count, share=facility(count, n))
        for choice_id, count in sorted(counts.items())
        if choice_id not in known
    ]
    return rows


def flags(*, responses, correct, discrimination, choices):
    """The reasons a question looks broken, each only once it has its minimum number of responses."""
    found = []
    if (
        discrimination is not None
        and discrimination < 0
        and responses >= MIN_RESPONSES_NEGATIVE_DISCRIMINATION
    ):
        found.append(NEGATIVE_DISCRIMINATION)
    if choices and responses >= MIN_RESPONSES_POPULAR_DISTRACTOR:
        keyed = [c.count for c in choices if c.correct]
        # More often than the answer, or than every answer of a multiple-response question.
        if keyed and any(c.correct is False and c.count > max(keyed) for c in choices):
            found.append(POPULAR_DISTRACTOR)
    if responses >= MIN_RESPONSES_NOBODY_CORRECT and correct == 0:
        found.append(NOBODY_CORRECT)
    return found


def item_stats(responses, *, kind, choices=()):
    """Everything the item analysis shows for one question, from its responses.

    `choices` is [(id, is_correct)] of a question whose kind has a choice distribution, in display order; other
    kinds get none.
    """
    responses = list(responses)
    n = len(responses)
    right = sum(1 for r in responses if r.correct)
    r_pb = discrimination(responses)
    counts = choice_counts(responses, choices) if kinds.get(kind).has_choice_distribution else None
    return ItemStats(
        responses=n,
        correct=right,
        facility=facility(right, n),
        discrimination=r_pb,
        blank=sum(1 for r in responses if not r.answered),
        choices=counts,
        flags=flags(responses=n, correct=right, discrimination=r_pb, choices=counts),
    )


def picked_choices(response):
    """The choice ids in a stored response ({"choice": id} or {"choices": [ids]}); () for anything else."""
    if not isinstance(response, dict):
        return ()
    if "choice" in response:
        return (response["choice"],)
    return tuple(response.get("choices") or ())
