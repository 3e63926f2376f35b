"""The readiness estimate: the chance of passing the real exam, from a student's answers (pure).

The method, its constants and its limits are described in docs/readiness.md; keep the two in step.
"""

import random
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from apps.content.models import SCORE_MAX, SCORE_MIN
from apps.exams import modes
from apps.exams.scoring import cut_share, to_scale

# Age at which an answer counts half as much as one given now.
HALF_LIFE_DAYS = 21.0
# How much one answer counts, by the mode it was given in (each mode's evidence_weight): the closer to exam
# conditions, the more.
MODE_WEIGHTS = {mode.code: mode.evidence_weight for mode in modes.all_modes()}
CONFIDENCES = {"", "sure", "unsure", "guessed"}
# A correct answer marked "guessed" is split: this share of its weight counts as right, the rest as wrong.
# 0.25 is the chance of guessing a four-choice question right, so a lucky guess shows little knowledge.
GUESSED_CORRECT_CREDIT = 0.25
# Beta(1, 1) prior per domain: uniform, worth two answers, so a few answers already outweigh it.
PRIOR_RIGHT = 1.0
PRIOR_WRONG = 1.0
# Below this much (decayed, mode-weighted) evidence in any weighted domain, no probability is given.
# One fresh full mock of 65 questions puts about 9 into a 14% domain, so it is just enough on its own.
MIN_EVIDENCE = 8.0
# Monte Carlo draws of the exam share; enough to pin the probability to about one percentage point.
DRAWS = 4000

NOT_ENOUGH_DATA = "not-enough-data"
ESTIMATED = "estimated"


@dataclass(frozen=True)
class Answer:
    """One graded answer, as the progress app reads it from a submitted or checked slot."""

    domain: int
    correct: bool
    answered_at: datetime
    mode: str = "custom"  # the code of a practice mode (apps.exams.modes)
    confidence: str = ""  # "" (not given) | "sure" | "unsure" | "guessed"


@dataclass(frozen=True)
class DomainEstimate:
    number: int
    weight: float  # percent of the exam, as in the blueprint
    answers: int  # answers counted, before any weighting
    evidence: float  # effective answers: the sum of recency x mode weights
    right: float  # the weighted part of the evidence that counts as right
    mean: float  # posterior mean of the share this student gets right in the domain

    @property
    def enough(self) -> bool:
        """Unweighted domains never hold the estimate back."""
        return self.weight == 0 or self.evidence >= MIN_EVIDENCE


@dataclass(frozen=True)
class PassEstimate:
    probability: float  # P(exam share >= cut share)
    share: float  # expected exam share: the weighted sum of the domain means
    share_low: float  # 90% interval of the exam share
    share_high: float
    scaled: int  # the same three numbers on the exam's scale, through apps.exams.scoring.to_scale
    scaled_low: int
    scaled_high: int
    gap: int | None  # the domain to work on first; None when every domain is at or above the cut


@dataclass(frozen=True)
class Readiness:
    domains: list[DomainEstimate]  # every domain of the blueprint, by number
    needs_more: list[int]  # weighted domains below MIN_EVIDENCE
    estimate: PassEstimate | None  # None when needs_more is not empty

    @property
    def status(self) -> str:
        return ESTIMATED if self.estimate else NOT_ENOUGH_DATA


def recency_weight(answered_at: datetime, now: datetime) -> float:
    """Halve an answer's weight every HALF_LIFE_DAYS; answers stamped after `now` count as given now."""
    age_days = max(0.0, (now - answered_at).total_seconds() / 86400)
    return 0.5 ** (age_days / HALF_LIFE_DAYS)


def answer_weight(answer: Answer, now: datetime) -> float:
    if answer.mode not in MODE_WEIGHTS:
        raise ValueError(f"unknown answer mode {answer.mode!r}")
    if answer.confidence not in CONFIDENCES:
        raise ValueError(f"unknown confidence {answer.confidence!r}")
    return recency_weight(answer.answered_at, now) * MODE_WEIGHTS[answer.mode]


def credit(answer: Answer) -> float:
    """The share of an answer's weight that counts as right."""
    if not answer.correct:
        return 0.0
    return GUESSED_CORRECT_CREDIT if answer.confidence == "guessed" else 1.0


def domain_estimates(
    answers: Iterable[Answer], *, weights: dict[int, int], now: datetime
) -> list[DomainEstimate]:
    """Weigh each answer and sum them per domain; answers outside the blueprint are ignored."""
    evidence = dict.fromkeys(weights, 0.0)
    right = dict.fromkeys(weights, 0.0)
    counts = dict.fromkeys(weights, 0)
    for answer in answers:
        weight = answer_weight(answer, now)  # validates mode and confidence for every answer
        if answer.domain not in weights:
            continue
        evidence[answer.domain] += weight
        right[answer.domain] += weight * credit(answer)
        counts[answer.domain] += 1
    result: list[DomainEstimate] = []
    for number in sorted(weights):
        alpha = PRIOR_RIGHT + right[number]
        beta = PRIOR_WRONG + evidence[number] - right[number]
        result.append(
            DomainEstimate(
                number=number,
                weight=weights[number],
                answers=counts[number],
                evidence=evidence[number],
                right=right[number],
                mean=alpha / (alpha + beta),
            )
        )
    return result


def estimate_readiness(
    answers: Iterable[Answer],
    *,
    weights: dict[int, int],
    passing: int,
    now: datetime,
    score_min: int = SCORE_MIN,
    score_max: int = SCORE_MAX,
    draws: int = DRAWS,
    seed: int = 0,
) -> Readiness:
    """Estimate how likely the student is to pass, or say which domains need more answers first.

    `weights` is {domain number: percent of the exam}; they need not add up to exactly 100.
    The same inputs and seed always give the same result.
    """
    total_weight = sum(weights.values())
    if total_weight <= 0 or any(w < 0 for w in weights.values()):
        raise ValueError("the exam needs non-negative domain weights, at least one of them above zero")
    domains = domain_estimates(answers, weights=weights, now=now)
    needs_more = [d.number for d in domains if not d.enough]
    if needs_more:
        return Readiness(domains=domains, needs_more=needs_more, estimate=None)

    cut = cut_share(passing=passing, high=score_max)
    weighted = [d for d in domains if d.weight > 0]
    shares_of_exam = {d.number: d.weight / total_weight for d in weighted}
    posteriors = [
        (shares_of_exam[d.number], PRIOR_RIGHT + d.right, PRIOR_WRONG + d.evidence - d.right)
        for d in weighted
    ]
    rng = random.Random(seed)
    samples = [sum(w * rng.betavariate(a, b) for w, a, b in posteriors) for _ in range(draws)]
    probability = sum(share >= cut for share in samples) / draws
    twentieths = statistics.quantiles(samples, n=20, method="inclusive")  # 5th, 10th, ... 95th percentile
    share_low, share_high = twentieths[0], twentieths[-1]  # the 90% interval
    share = sum(shares_of_exam[d.number] * d.mean for d in weighted)

    # The share each domain is short of the cut, scaled by how much of the exam it is.
    shortfall = {d.number: shares_of_exam[d.number] * max(0.0, cut - d.mean) for d in weighted}
    worst = max(shortfall, key=lambda number: (shortfall[number], -number))
    gap = None if shortfall[worst] == 0 else worst

    def scaled(value: float) -> int:
        return to_scale(value, passing=passing, low=score_min, high=score_max)

    return Readiness(
        domains=domains,
        needs_more=[],
        estimate=PassEstimate(
            probability=probability,
            share=share,
            share_low=share_low,
            share_high=share_high,
            scaled=scaled(share),
            scaled_low=scaled(share_low),
            scaled_high=scaled(share_high),
            gap=gap,
        ),
    )
