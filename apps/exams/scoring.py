"""Reading answers, grading them like AWS (all or nothing) and estimating a scaled score (pure)."""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from apps.content.models import SCORE_MAX, SCORE_MIN
from apps.questions import kinds
from apps.questions.kinds.base import FormData, InvalidResponse, Response, Snapshot, form_data

__all__ = ["InvalidResponse", "correct_response", "is_correct", "normalize_response", "parse_response"]


def parse_response(snapshot: Snapshot, data: FormData | Mapping[str, Iterable[str]]) -> Response | None:
    """Turn form data (a QueryDict or {name: [values]}) into a stored response, checking every id.

    The page names choices and matching responses by their place on the screen; they are stored by their
    snapshot ids. Returns None for "no answer". Raises InvalidResponse when a value does not belong to this
    question.
    """
    return kinds.get(snapshot["kind"]).parse(snapshot, form_data(data))


def normalize_response(
    snapshot: Snapshot, response: Response | None, *, previous: Response | None, deliberate: bool
) -> Response | None:
    """What a parsed answer means given the stored one and whether the student chose it on this screen (the
    kind's rule: an ordering question's order as first shown is no answer until the student touches it)."""
    return kinds.get(snapshot["kind"]).normalize(snapshot, response, previous=previous, deliberate=deliberate)


def correct_response(snapshot: Snapshot) -> Response:
    return kinds.get(snapshot["kind"]).correct_response(snapshot)


def is_correct(snapshot: Snapshot, response: Response | None) -> bool:
    """All or nothing, like AWS: every correct choice and no other, the whole order, every pair."""
    return kinds.get(snapshot["kind"]).is_correct(snapshot, response)


# ------------------------------------------------------------------------------------------ score report
@dataclass
class Estimate:
    scaled: int
    low: int
    high: int
    verdict: str  # "likely-pass" | "borderline" | "likely-fail"


def wilson_interval(correct, total, z=1.645):
    """A 90% interval for the true share correct, sound also for small samples and for 0% or 100%."""
    if total == 0:
        return 0.0, 1.0
    p = correct / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    margin = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


def cut_share(*, passing: int, high: int) -> float:
    """The assumed share correct that passes: the passing score's share of the top of the scale (0.70 for 700
    of 1000). AWS does not publish it; every estimate, report and chart of certprep uses this one rule."""
    return passing / high


def cut_percent(*, passing: int | None, high: int) -> int | None:
    """`cut_share` in whole percent, for pages and charts; None when the exam has no published passing score."""
    return round(100 * cut_share(passing=passing, high=high)) if passing else None


def to_scale(share, *, passing, low=SCORE_MIN, high=SCORE_MAX):
    """Map a share correct onto the exam's scale so that the assumed cut share lands on the passing score.

    AWS does not publish how raw results become scaled scores. We assume the passing line sits at
    `cut_share` and interpolate linearly on each side of it: an estimate, not AWS's equating.
    """
    cut = cut_share(passing=passing, high=high)
    if share <= cut:
        value = low + (passing - low) * share / cut
    else:
        value = passing + (high - passing) * (share - cut) / (1 - cut)
    return round(value)


def estimate(
    correct: int, total: int, *, passing: int, low: int = SCORE_MIN, high: int = SCORE_MAX
) -> Estimate:
    share = correct / total if total else 0.0
    lo_share, hi_share = wilson_interval(correct, total)
    scaled = to_scale(share, passing=passing, low=low, high=high)
    band_low = to_scale(lo_share, passing=passing, low=low, high=high)
    band_high = to_scale(hi_share, passing=passing, low=low, high=high)
    if band_low >= passing:
        verdict = "likely-pass"
    elif band_high < passing:
        verdict = "likely-fail"
    else:
        verdict = "borderline"
    return Estimate(scaled=scaled, low=band_low, high=band_high, verdict=verdict)


def competency(correct: int, total: int, *, passing: int, high: int = SCORE_MAX) -> str:
    """The score report's per-domain words: at or above the assumed cut share, or below it."""
    if total == 0:
        return "Not assessed"
    return (
        "Meets competencies"
        if correct / total >= cut_share(passing=passing, high=high)
        else "Needs improvement"
    )
