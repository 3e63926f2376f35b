"""Checking an answer (immediate feedback, the `check` view): right or wrong and why, locked, with and without
JavaScript."""

import json

import pytest
from django.utils import timezone

from apps.exams.models import Slot
from tests.exams.views.helpers import EXPLANATION, HTMX, messages_of, right_choice, soup_of, url, wrong_choice
from tests.factories import make_attempt, on_screen


@pytest.fixture
def immediate(by_kind, student):
    return make_attempt(
        user=student, questions=[by_kind["multiple_choice"]], now=timezone.now(), feedback="immediate"
    )


def test_checking_shows_whether_the_answer_is_right_and_locks_it(signed_in, immediate):
    slot = immediate.slots.get()
    signed_in.post(url("answer", immediate, 1), {"choice": on_screen(slot, wrong_choice(slot)), "seq": 1})
    response = signed_in.post(url("check", immediate, 1))
    assert response["Location"] == url("question", immediate, 1)

    page = soup_of(signed_in.get(url("question", immediate, 1)))
    feedback = page.select_one("section.feedback")
    assert feedback.h2.get_text() == "Not quite"
    assert "S3 is object storage." in feedback.get_text() and EXPLANATION in feedback.get_text()
    assert all(radio.has_attr("disabled") for radio in page.select("input[name=choice]"))
    assert page.find("button", string="Check answer") is None

    response = signed_in.post(
        url("answer", immediate, 1), {"choice": on_screen(slot, right_choice(slot)), "seq": 2}
    )
    assert messages_of(response) == ["You already checked this answer; it can no longer change."]
    slot.refresh_from_db()
    assert (slot.response, slot.checked, slot.is_correct) == ({"choice": wrong_choice(slot)}, True, False)


def test_a_right_answer_checked_says_correct(signed_in, immediate):
    slot = immediate.slots.get()
    signed_in.post(url("answer", immediate, 1), {"choice": on_screen(slot, right_choice(slot)), "seq": 1})
    signed_in.post(url("check", immediate, 1))
    page = soup_of(signed_in.get(url("question", immediate, 1)))
    assert page.select_one("section.feedback").h2.get_text() == "Correct"


def test_check_answer_without_javascript_saves_the_chosen_answer_first(signed_in, immediate):
    # Without JavaScript nothing saved the choice on change: "Check answer" posts the form to the check URL.
    slot = immediate.slots.get()
    signed_in.post(url("check", immediate, 1), {"choice": on_screen(slot, right_choice(slot)), "seq": 1})
    slot.refresh_from_db()
    assert (slot.response, slot.checked, slot.is_correct) == ({"choice": right_choice(slot)}, True, True)


def test_check_answer_without_javascript_also_keeps_the_flag_ticked_with_it(signed_in, immediate):
    slot = immediate.slots.get()
    form = {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "fields": "flagged", "flagged": "1"}
    signed_in.post(url("check", immediate, 1), form)
    slot.refresh_from_db()
    assert (slot.flagged, slot.checked) == (True, True)


def test_a_tampered_answer_posted_to_check_is_refused_and_nothing_is_checked(signed_in, immediate):
    response = signed_in.post(url("check", immediate, 1), {"choice": 10**6, "seq": 1})
    assert response.status_code == 400
    slot = Slot.objects.get(attempt=immediate)
    assert (slot.response, slot.checked) == (None, False)


def test_an_htmx_check_answers_with_the_question_location(signed_in, immediate):
    slot = immediate.slots.get()
    signed_in.post(
        url("answer", immediate, 1), {"choice": on_screen(slot, right_choice(slot)), "seq": 1}, **HTMX
    )
    response = signed_in.post(
        url("check", immediate, 1), {"choice": on_screen(slot, right_choice(slot)), "seq": 2}, **HTMX
    )
    assert json.loads(response["HX-Location"])["path"] == url("question", immediate, 1)
    assert Slot.objects.get(pk=slot.pk).checked is True


def test_checking_an_unanswered_question_asks_for_an_answer_first(signed_in, immediate):
    response = signed_in.post(url("check", immediate, 1))
    assert messages_of(response) == ["Save an answer first; then you can check it."]
    assert Slot.objects.get(attempt=immediate).checked is False


def test_nothing_is_checked_when_answers_come_at_the_end(signed_in, attempt, mc):
    signed_in.post(url("answer", attempt, mc.position), {"choice": on_screen(mc, right_choice(mc)), "seq": 1})
    signed_in.post(url("check", attempt, mc.position))
    assert Slot.objects.get(pk=mc.pk).checked is False
    html = signed_in.get(url("question", attempt, mc.position)).content.decode()
    assert "S3 is object storage." not in html
    assert "Check answer" not in html
