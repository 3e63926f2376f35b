"""Reading answers, grading them like AWS (all or nothing) and estimating a scaled score (pure)."""

import math
from dataclasses import dataclass

from apps.content.models import SCORE_MAX, SCORE_MIN
from apps.exams.snapshots import id_at_place


class InvalidResponse(ValueError):
    """The submitted answer does not fit the question (tampered or stale ids); nothing is stored."""


def _int(value):
    # Answer ids are places on the screen or small numbers: a long string is refused before int() reads it.
    if isinstance(value, str) and len(value) > 9:
        raise InvalidResponse(f"{value[:20]!r}… is not an answer id")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidResponse(f"{value!r} is not an answer id") from None


def _stored_id(parts, value, what):
    """The stored id of the part the page showed at this place (the page names parts by place)."""
    part_id = id_at_place(parts, _int(value))
    if part_id is None:
        raise InvalidResponse(f"{what} does not belong to this question")
    return part_id


def parse_response(snapshot, data):
    """Turn form data (a QueryDict or {name: [values]}) into a stored response, checking every id.

    The page names choices and matching responses by their place on the screen; they are stored by their
    snapshot ids. Returns None for "no answer". Raises InvalidResponse when a value does not belong to this
    question.
    """
    getlist = data.getlist if hasattr(data, "getlist") else (lambda key: data.get(key, []))
    kind = snapshot["kind"]
    if kind == "multiple_choice":
        values = [v for v in getlist("choice") if v != ""]
        if len(values) > 1:
            raise InvalidResponse("a multiple choice question takes one answer")
        if not values:
            return None
        return {"choice": _stored_id(snapshot["choices"], values[0], "that choice")}
    if kind == "multiple_response":
        chosen = sorted(
            {_stored_id(snapshot["choices"], v, "a choice") for v in getlist("choices") if v != ""}
        )
        return {"choices": chosen} if chosen else None
    if kind == "ordering":
        order = [_int(v) for v in getlist("order") if v != ""]
        ids = [item["id"] for item in snapshot["items"]]
        if not order:
            return None
        if sorted(order) != sorted(ids):
            raise InvalidResponse("the order must list every item of this question once")
        move = (getlist("move") or [""])[-1]
        if move:
            order = apply_move(order, move)
        return {"order": order}
    if kind == "matching":
        matches = {}
        for prompt in snapshot["prompts"]:
            values = [v for v in getlist(f"match-{prompt['id']}") if v != ""]
            if values:
                matches[str(prompt["id"])] = _stored_id(snapshot["responses"], values[-1], "a response")
        return {"matches": matches} if matches else None
    raise InvalidResponse(f"unknown question kind {kind!r}")


def apply_move(order, move):
    """Apply a "<item id>:up" / "<item id>:down" button press (keyboard and no-JavaScript reordering)."""
    item, _, direction = move.partition(":")
    item = _int(item)
    if item not in order or direction not in {"up", "down"}:
        raise InvalidResponse("that move does not fit this question")
    index = order.index(item)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    return order


def correct_response(snapshot):
    kind = snapshot["kind"]
    if kind == "multiple_choice":
        return {"choice": next(c["id"] for c in snapshot["choices"] if c["correct"])}
    if kind == "multiple_response":
        return {"choices": sorted(c["id"] for c in snapshot["choices"] if c["correct"])}
    if kind == "ordering":
        return {
            "order": [item["id"] for item in sorted(snapshot["items"], key=lambda item: item["position"])]
        }
    return {"matches": {str(p["id"]): p["answer"] for p in snapshot["prompts"]}}


def is_correct(snapshot, response):
    """All or nothing, like AWS: every correct choice and no other, the whole order, every pair."""
    if not response:
        return False
    expected = correct_response(snapshot)
    if snapshot["kind"] == "multiple_response":
        return sorted(response.get("choices", [])) == expected["choices"]
    return response == expected


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


def estimate(correct, total, *, passing, low=SCORE_MIN, high=SCORE_MAX):
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


def competency(correct, total, *, passing, high=SCORE_MAX):
    """The score report's per-domain words: at or above the assumed cut share, or below it."""
    if total == 0:
        return "Not assessed"
    return (
        "Meets competencies"
        if correct / total >= cut_share(passing=passing, high=high)
        else "Needs improvement"
    )
