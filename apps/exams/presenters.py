"""Shaping stored slots for templates: what the exam page may show, and the review rows (pure)."""

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any, cast

from django.utils.safestring import SafeString, mark_safe

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


def nav_item_html(item: Mapping[str, Any], *, current: int, oob: bool = False) -> SafeString:
    """One navigator square (an <li>), for the page's navigator and for the save's out-of-band update: one
    place for its markup. `item` is a row of selectors.navigator (or the same keys for the saved slot).

    Plain string building rather than a template partial per item: 65 partials with localized numbers were
    most of the question page's time. The position is an int and the rest constants; the address is escaped
    (the standard library's escape: the same five characters as Django's, without its lazy-string wrapper).
    """
    position = int(item["position"])
    answered, flagged, is_current = bool(item["response"]), bool(item["flagged"]), position == current
    classes = " is-answered" * answered + " is-flagged" * flagged + " is-current" * is_current
    swap = ' hx-swap-oob="true"' if oob else ""
    step = ' aria-current="step"' if is_current else ""
    state = ("answered" if answered else "not answered") + (", flagged" if flagged else "")
    url = escape(item["url"])
    return mark_safe(  # noqa: S308 - every value above is an int, a constant or escaped
        f'<li id="nav-{position}" class="nav-item{classes}"{swap}>\n'
        f'        <a href="{url}" hx-get="{url}" hx-target="#exam-main" hx-swap="outerHTML" hx-push-url="true"{step}\n'
        f'           aria-label="Question {position}, {state}">{position}</a></li>'
    )


def navigator_html(nav: Iterable[Mapping[str, Any]], *, current: int) -> SafeString:
    """The navigator's squares as one fragment, built once per page (see nav_item_html)."""
    return mark_safe("".join(nav_item_html(item, current=current) for item in nav))  # noqa: S308 - as above
