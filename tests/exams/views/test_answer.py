"""Saving an answer (the `answer` view): refused answers, without JavaScript (save and go) and with HTMX (the
save status)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.exams.models import Attempt, Slot
from apps.exams.services import save_response
from tests.exams.views.helpers import HTMX, messages_of, right_choice, soup_of, url, wrong_choice
from tests.factories import on_screen


def letter_of(slot, choice_id):
    return "ABCDEF"[[c["id"] for c in slot.snapshot["choices"]].index(choice_id)]


def test_a_choice_of_another_question_is_refused_and_nothing_is_stored(signed_in, attempt, mc):
    other = attempt.slots.get(kind="multiple_response")
    response = signed_in.post(
        url("answer", attempt, mc.position), {"choice": other.snapshot["choices"][0]["id"], "seq": 1}
    )
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert Slot.objects.values("response", "seq").get(pk=mc.pk) == {"response": None, "seq": 0}


@pytest.mark.parametrize(
    ("choice", "seq"),
    [("1 OR 1=1", "1"), ("right", "x"), ("right", None)],  # not an id; not a save number; no save number
)
def test_a_malformed_save_is_refused(signed_in, attempt, mc, choice, seq):
    data = {"choice": on_screen(mc, right_choice(mc)) if choice == "right" else choice}
    if seq is not None:
        data["seq"] = seq
    assert signed_in.post(url("answer", attempt, mc.position), data).status_code == 400
    assert Slot.objects.get(pk=mc.pk).response is None


def test_an_ordering_answer_missing_an_item_is_refused(signed_in, attempt):
    slot = attempt.slots.get(kind="ordering")
    ids = [item["id"] for item in slot.snapshot["items"]]
    response = signed_in.post(url("answer", attempt, slot.position), {"order": ids[:-1], "seq": 1})
    assert response.status_code == 400
    assert Slot.objects.get(pk=slot.pk).response is None


def test_save_and_next_stores_the_answer_and_goes_to_the_next_question(signed_in, three):
    slot = three.slots.get(position=1)
    response = signed_in.post(
        url("answer", three, 1), {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "nav": "next"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("question", three, 2)
    assert Slot.objects.get(pk=slot.pk).response == {"choice": right_choice(slot)}


@pytest.mark.parametrize(
    ("position", "nav", "goes_to"),
    [
        (2, "prev", ("question", 1)),
        (3, "next", ("question", 3)),
        (2, "", ("question", 2)),
        (2, "review", ("review",)),
    ],
)
def test_the_buttons_go_where_they_say(signed_in, three, position, nav, goes_to):
    response = signed_in.post(url("answer", three, position), {"seq": 1, "nav": nav})
    assert response["Location"] == url(goes_to[0], three, *goes_to[1:])


def test_the_move_buttons_reorder_the_items_and_stay_on_the_question(signed_in, attempt):
    slot = attempt.slots.get(kind="ordering")
    ids = [item["id"] for item in slot.snapshot["items"]]
    data = {"order": ids, "move": f"{ids[2]}:up", "seq": 1, "nav": "next"}  # Enter in the form: the move wins
    response = signed_in.post(url("answer", attempt, slot.position), data)
    assert response["Location"] == url("question", attempt, slot.position)
    assert Slot.objects.get(pk=slot.pk).response == {"order": [ids[0], ids[2], ids[1]]}

    page = soup_of(signed_in.get(url("question", attempt, slot.position)))
    assert [int(i["value"]) for i in page.select("input[name=order]")] == [ids[0], ids[2], ids[1]]
    assert page.select_one("input[name=seq]")["value"] == "2"
    first = page.select(".ordering-item")[0]
    assert first.select_one("[data-move=up]").has_attr("disabled")


@pytest.mark.parametrize(("nav", "saved"), [("next", False), ("review", False), ("stay", True)])
def test_the_order_as_first_shown_is_an_answer_only_once_the_student_saves_it(signed_in, attempt, nav, saved):
    slot = attempt.slots.get(kind="ordering")
    shown = [item["id"] for item in slot.snapshot["items"]]
    signed_in.post(url("answer", attempt, slot.position), {"order": shown, "seq": 1, "nav": nav})
    assert Slot.objects.get(pk=slot.pk).response == ({"order": shown} if saved else None)


def test_the_flag_is_saved_with_the_answer_and_taken_off_again(signed_in, three):
    slot = three.slots.get(position=1)
    signed_in.post(url("answer", three, 1), {"seq": 1, "fields": "flagged", "flagged": "1"})
    assert Slot.objects.get(pk=slot.pk).flagged is True
    signed_in.post(url("answer", three, 1), {"seq": 2, "fields": "flagged"})
    assert Slot.objects.get(pk=slot.pk).flagged is False


def test_a_stale_save_without_javascript_stays_on_the_question_and_says_why(signed_in, three, now):
    slot = three.slots.get(position=1)
    save_response(attempt=three, slot=slot, response={"choice": right_choice(slot)}, seq=2, now=now)
    data = {"choice": on_screen(slot, wrong_choice(slot)), "seq": 2, "nav": "next"}
    response = signed_in.post(url("answer", three, 1), data)
    assert response["Location"] == url("question", three, 1)
    assert "changed in another tab or window" in messages_of(response)[0]
    assert Slot.objects.get(pk=slot.pk).response == {"choice": right_choice(slot)}


def test_a_save_after_the_time_is_up_goes_to_the_results(signed_in, attempt, mc):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    response = signed_in.post(
        url("answer", attempt, mc.position), {"choice": on_screen(mc, right_choice(mc)), "seq": 1}
    )
    assert response["Location"] == url("results", attempt)
    assert messages_of(response) == ["Time is up — your saved answers were submitted."]
    attempt.refresh_from_db()
    assert (attempt.status, attempt.finish_reason) == ("submitted", "time_up")
    assert Slot.objects.get(pk=mc.pk).response is None


def test_an_htmx_save_returns_the_save_status_and_the_navigator_item(signed_in, attempt, mc):
    choice = right_choice(mc)
    response = signed_in.post(
        url("answer", attempt, mc.position), {"choice": on_screen(mc, choice), "seq": 1}, **HTMX
    )
    assert response.status_code == 200
    page = soup_of(response)
    assert page.find("html") is None
    assert page.select_one("#save-status").get_text(strip=True) == f"Saved: {letter_of(mc, choice)}"
    item = page.select_one(f"#nav-{mc.position}")
    assert item["hx-swap-oob"] == "true"
    assert "is-answered" in item["class"]
    assert f"Question {mc.position}, answered" in item.a["aria-label"]


def test_the_saves_navigator_item_is_the_question_pages_item(signed_in, attempt, mc):
    # One place draws a navigator square (presenters.nav_item_html): the out-of-band copy swaps in unchanged.
    data = {"choice": on_screen(mc, right_choice(mc)), "seq": 1, "fields": "flagged", "flagged": "1"}
    saved = soup_of(signed_in.post(url("answer", attempt, mc.position), data, **HTMX))
    item = saved.select_one(f"#nav-{mc.position}")
    del item["hx-swap-oob"]
    page = soup_of(signed_in.get(url("question", attempt, mc.position)))
    assert str(item) == str(page.select_one(f"#nav-{mc.position}"))
    assert item["class"] == ["nav-item", "is-answered", "is-flagged", "is-current"]


def test_an_htmx_save_resyncs_the_timer_from_the_servers_clock(signed_in, attempt, mc):
    response = signed_in.post(
        url("answer", attempt, mc.position), {"choice": on_screen(mc, right_choice(mc)), "seq": 1}, **HTMX
    )
    remaining = json.loads(response["HX-Trigger"])["timer-sync"]["remaining"]
    assert 59 * 60 < remaining <= 60 * 60


def test_an_htmx_save_in_an_untimed_attempt_sends_no_timer(signed_in, three):
    response = signed_in.post(url("answer", three, 1), {"seq": 1}, **HTMX)
    assert response.status_code == 200
    assert "HX-Trigger" not in response


def test_htmx_navigation_saves_and_answers_with_the_next_location(signed_in, three):
    slot = three.slots.get(position=2)
    data = {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "nav": "next"}
    response = signed_in.post(url("answer", three, 2), data, **HTMX)
    assert response.status_code == 200
    assert json.loads(response["HX-Location"]) == {
        "path": url("question", three, 3),
        "target": "#exam-main",
        "select": "#exam-main",
        "swap": "outerHTML",
    }
    assert Slot.objects.get(pk=slot.pk).response == {"choice": right_choice(slot)}


def test_a_stale_htmx_save_tells_the_page_to_reload_the_saved_answer(signed_in, attempt, mc, now):
    save_response(attempt=attempt, slot=mc, response={"choice": right_choice(mc)}, seq=3, now=now)
    data = {"choice": on_screen(mc, wrong_choice(mc)), "seq": 2}
    response = signed_in.post(url("answer", attempt, mc.position), data, **HTMX)
    assert "answer-stale" in json.loads(response["HX-Trigger"])
    assert "changed in another tab or window" in soup_of(response).select_one("#save-status").get_text()
    assert Slot.objects.get(pk=mc.pk).response == {"choice": right_choice(mc)}


def test_an_htmx_save_after_the_time_is_up_redirects_the_whole_page_to_the_results(signed_in, attempt, mc):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    response = signed_in.post(
        url("answer", attempt, mc.position), {"choice": on_screen(mc, right_choice(mc)), "seq": 1}, **HTMX
    )
    assert response["HX-Redirect"] == url("results", attempt)
    assert not Attempt.objects.get(pk=attempt.pk).is_open
