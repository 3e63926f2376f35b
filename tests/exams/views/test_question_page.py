"""The question page: whole or as the #exam-main fragment, the saved answer, nothing given away before
checking, the timer's grace."""

import json

import pytest
from django.utils import timezone

from apps.exams.models import Attempt
from apps.exams.services import save_response
from tests.exams.views.helpers import EXPLANATION, HTMX, soup_of, url, wrong_choice
from tests.factories import on_screen

RATIONALES = ["S3 is object storage.", "EBS is block storage.", "Object storage.", "A key-value database."]


def test_the_question_page_is_whole_without_htmx(signed_in, attempt, mc):
    response = signed_in.get(url("question", attempt, mc.position))
    page = soup_of(response)
    assert page.find("html") is not None
    assert page.select_one("#q-heading").get_text(" ", strip=True) == f"Question {mc.position} of 4"
    assert 59 * 60 < int(page.select_one("#timer")["data-remaining"]) <= 60 * 60
    assert "HX-Request" in response["Vary"]


def test_an_htmx_question_request_gets_only_the_exam_main_fragment(signed_in, attempt, mc):
    response = signed_in.get(url("question", attempt, mc.position), HTTP_HX_TARGET="exam-main", **HTMX)
    page = soup_of(response)
    assert page.find("html") is None
    assert page.find().get("id") == "exam-main"
    assert "timer-sync" in json.loads(response["HX-Trigger"])
    assert "HX-Request" in response["Vary"]


def test_the_question_page_shows_the_saved_answer(signed_in, attempt, mc, now):
    save_response(attempt=attempt, slot=mc, response={"choice": wrong_choice(mc)}, seq=1, now=now)
    page = soup_of(signed_in.get(url("question", attempt, mc.position)))
    assert [int(r["value"]) for r in page.select("input[name=choice][checked]")] == [
        on_screen(mc, wrong_choice(mc))
    ]
    assert "is-answered" in page.select_one(f"#nav-{mc.position}")["class"]


@pytest.mark.parametrize("kind", ["multiple_choice", "multiple_response", "ordering", "matching"])
def test_the_question_page_never_shows_the_answer_before_checking(signed_in, attempt, kind):
    slot = attempt.slots.get(kind=kind)
    html = signed_in.get(url("question", attempt, slot.position)).content.decode()
    assert '"correct"' not in html
    assert "is-correct" not in html and "Correct answer" not in html
    assert EXPLANATION not in html
    for rationale in RATIONALES:
        assert rationale not in html


def test_an_ordering_question_is_not_shown_in_the_correct_order(signed_in, attempt):
    slot = attempt.slots.get(kind="ordering")
    page = soup_of(signed_in.get(url("question", attempt, slot.position)))
    shown = [text.get_text(strip=True) for text in page.select(".ordering-text")]
    assert sorted(shown) == sorted(["Collect the data.", "Train the model.", "Evaluate the model."])
    assert shown != ["Collect the data.", "Train the model.", "Evaluate the model."]


def test_the_timer_waits_for_the_configured_grace_before_going_to_the_results(
    signed_in, exam, by_kind, student, settings
):

    from apps.exams.services import PracticeRequest, plan_attempt, start_attempt

    settings.EXAM_SAVE_GRACE_SECONDS = 12
    request = PracticeRequest(exam=exam, mode=Attempt.Mode.CUSTOM, count=2, timed=True)
    plan = plan_attempt(user=student, request=request, seed="grace")
    attempt = start_attempt(user=student, request=request, plan=plan, now=timezone.now(), seed="grace")
    for path in (f"/attempts/{attempt.pk}/q/1/", f"/attempts/{attempt.pk}/review/"):
        assert 'data-grace="12"' in signed_in.get(path).content.decode()
