"""Shaping stored slots for templates: what the exam page may show, and the review rows (pure)."""

from typing import cast

from apps.exams.models import Attempt, Slot
from apps.exams.scoring import cut_percent
from apps.exams.snapshots import public_view
from apps.questions import kinds
from apps.questions.kinds.base import Response, Snapshot


def _response(slot: Slot) -> Response:
    """The stored answer (a JSON column) as the kinds read it; {} for no answer."""
    return cast(Response, slot.response or {})


def question_view(slot: Slot) -> dict[str, object]:
    """The question for the exam screen: no correct answers, parts named by their place on the screen, the
    current answer marked on each input, and the kind's partial that draws it (`template`)."""
    snapshot = slot.snapshot
    kind = kinds.get(snapshot["kind"])
    view = public_view(snapshot)
    kind.mark_answer(snapshot, view, _response(slot))
    view["template"] = kind.template_for("exam")
    return view


def review_row(slot: Slot) -> dict[str, object]:
    """Everything the results review shows for one slot: the student's answer next to the right one, drawn by
    the kind's partial (`template`)."""
    return {"slot": slot, **review_of(slot.snapshot, slot.response)}


def review_of(snap: Snapshot, response: Response | None) -> dict[str, object]:
    """`review_row` from the question as the student saw it and the stored answer (a page of many rows reads
    them as plain values)."""
    kind = kinds.get(snap["kind"])
    return {
        "snap": snap,
        "answered": bool(response),
        **kind.review(snap, response or {}),
        "template": kind.template_for("review"),
    }


def answer_summary(slot: Slot) -> str:
    """A short text of what the server stored, for the save status ("Saved: B, D")."""
    if not slot.response:
        return "no answer"
    return kinds.get(slot.snapshot["kind"]).answer_summary(slot.snapshot, slot.response)


def domain_chart(attempt: Attempt) -> dict[str, object]:
    """Data for the results bar chart: percent right per domain, and the assumed pass mark in percent."""
    exam = attempt.exam
    return {
        "labels": [f"Domain {row['key']}" for row in attempt.domain_results],
        "values": [row["percent"] for row in attempt.domain_results],
        "cut": cut_percent(passing=exam.passing_score, high=exam.score_max),
    }
