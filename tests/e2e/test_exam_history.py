"""Back, Forward, reload and fast clicks on the exam screen: what is shown is always what the server holds."""

import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.exams import selectors, services
from apps.exams.models import Slot
from tests.e2e.test_exam_flow import (
    MOCK_BANK,
    answer,
    assert_answer_shown,
    go_to_question,
    log_in,
    make_bank,
    make_mock_exam,
    shows_question,
)
from tests.factories import make_attempt

CASES = {case: MOCK_BANK[case] for case in ("mc-1", "mr-1", "ord-1", "match-1")}
SLOW_SAVE = 0.6  # seconds the server takes for every save in these tests


@pytest.fixture
def slow_saves(monkeypatch):
    """Every save takes the server a while (as on a busy classroom server): answers are still on their way
    while the student clicks on."""
    save = services.save_response

    def slow_save(**kwargs):
        time.sleep(SLOW_SAVE)
        return save(**kwargs)

    monkeypatch.setattr(services, "save_response", slow_save)


@pytest.fixture
def exam_attempt(transactional_db, student):
    """A timed attempt with one question of each kind; {case: position} says where each one is."""
    bank = make_bank(exam=make_mock_exam(), owner=student, cases=CASES)
    attempt = make_attempt(user=student, questions=bank.values(), now=timezone.now(), minutes=30)
    where = {case: attempt.slots.get(question=question).position for case, question in bank.items()}
    return attempt, where


def slot(attempt, position):
    return Slot.objects.get(attempt=attempt, position=position)


def mark_page(page):
    """Set a marker that a reload would clear: proves a later step happened without reloading the page."""
    page.evaluate("window.sameDocument = true")


def same_document(page):
    return page.evaluate("window.sameDocument === true")


def change_answer(page, kind):
    """Change the answer on the screen into another one, in the way the kind allows."""
    if kind == "multiple_choice":
        page.locator("#answer-form input[name=choice]:not(:checked)").first.check()
    elif kind == "multiple_response":
        page.locator("#answer-form input[name=choices]:checked").first.uncheck()
    elif kind == "ordering":
        page.locator(".ordering-item").first.get_by_role("button", name="Move down").click()
    else:
        select = page.locator(".match-row select").first
        chosen = select.locator("option:checked").inner_text()
        other = next(
            text for text in select.locator("option").all_inner_texts() if text not in (chosen, "Choose…")
        )
        select.select_option(label=other)


@pytest.mark.parametrize("case", list(CASES))
def test_back_and_forward_show_the_saved_answer_and_a_change_after_back_is_saved(
    live_server, page, exam_attempt, slow_saves, case
):
    attempt, where = exam_attempt
    position = where[case]
    other = 1 if position != 1 else 2
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/{other}/")
    go_to_question(page, position)
    answer(page, case, CASES)
    answered = slot(attempt, position)
    go_to_question(page, other)

    page.go_back()
    shows_question(page, position)
    page.wait_for_load_state()
    assert_answer_shown(page, case, CASES)
    expect(page.locator("#save-status")).to_have_text("Saved")
    expect(page.locator(f"#nav-{position}")).to_have_class(re.compile(r"\bis-answered\b"))
    expect(page.locator(f"#nav-{position} a")).to_have_attribute("aria-current", "step")

    page.go_forward()
    shows_question(page, other)
    page.go_back()
    shows_question(page, position)
    page.wait_for_load_state()
    assert_answer_shown(page, case, CASES)

    # A change after Back is an ordinary save: stored, and not refused as coming from another tab.
    mark_page(page)
    with page.expect_response(lambda r: r.url.endswith("/answer/") and r.request.method == "POST"):
        change_answer(page, CASES[case][0])
    status = page.locator("#save-status")
    expect(status).to_have_attribute("data-outcome", "saved")
    expect(status).to_have_text(re.compile(r"Saved: \w"))
    changed = slot(attempt, position)
    assert changed.response not in (None, answered.response)
    assert changed.seq > answered.seq
    page.wait_for_timeout(1500)  # a refused save would reload the page after 1.2 s
    assert same_document(page)
    assert page.js_errors == []


def test_f_after_back_flags_the_question_once(live_server, page, exam_attempt, slow_saves):
    attempt, where = exam_attempt
    position = where["mc-1"]
    other = 1 if position != 1 else 2
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/{position}/")
    answer(page, "mc-1", CASES)
    go_to_question(page, other)
    page.go_back()
    shows_question(page, position)
    page.wait_for_load_state()

    flag = page.get_by_label("Flag this question for review")
    for flagged in (True, False, True):
        with page.expect_response(lambda r: r.url.endswith("/answer/") and r.request.method == "POST"):
            page.keyboard.press("f")
        expect(flag).to_be_checked(checked=flagged)
        expect(page.locator("#save-status")).to_have_attribute("data-outcome", "saved")
        page.wait_for_timeout(SLOW_SAVE * 1000 + 300)  # a second toggle would have been sent by now
        assert slot(attempt, position).flagged is flagged
        expect(flag).to_be_checked(checked=flagged)
    expect(page.locator(f"#nav-{position}")).to_have_class(re.compile(r"\bis-flagged\b"))
    assert page.js_errors == []


def test_back_and_forward_between_a_question_and_the_review_show_the_servers_state(
    live_server, page, exam_attempt, slow_saves
):
    attempt, where = exam_attempt
    position = where["mc-1"]
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/{position}/")
    answer(page, "mc-1", CASES)
    page.get_by_role("button", name="Review and submit").click()
    expect(page.get_by_text("4 questions · 3 not answered · 0 flagged for review.")).to_be_visible()

    page.go_back()
    shows_question(page, position)
    page.wait_for_load_state()
    assert_answer_shown(page, "mc-1", CASES)
    with page.expect_response(lambda r: r.url.endswith("/answer/") and r.request.method == "POST"):
        page.keyboard.press("f")
    expect(page.locator("#save-status")).to_have_attribute("data-outcome", "saved")

    # The review page comes back from the server, with the flag just set; Back again shows it on the question.
    page.go_forward()
    expect(page.get_by_text("4 questions · 3 not answered · 1 flagged for review.")).to_be_visible()
    page.go_back()
    shows_question(page, position)
    expect(page.get_by_label("Flag this question for review")).to_be_checked()
    assert_answer_shown(page, "mc-1", CASES)
    page.reload()
    expect(page.get_by_label("Flag this question for review")).to_be_checked()
    assert page.js_errors == []


def test_the_exam_pages_are_never_stored_by_the_browser(client, exam_attempt, student):
    attempt, _where = exam_attempt
    client.force_login(student)
    for url in (f"/attempts/{attempt.pk}/q/1/", f"/attempts/{attempt.pk}/review/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert b'hx-history="false"' in response.content


# ------------------------------------------------------------------------------------- fast clicks
@pytest.fixture
def slow_question(monkeypatch):
    """The server takes a while to send one question (its position is set by the test)."""
    slow = {"position": None}
    owned_slot_or_none = selectors.owned_slot_or_none  # what the question page reads its slot with

    def slow_owned_slot_or_none(user, pk, position):
        if position == slow["position"]:
            time.sleep(1.5)
        return owned_slot_or_none(user, pk, position)

    monkeypatch.setattr(selectors, "owned_slot_or_none", slow_owned_slot_or_none)
    return slow


def agree_on(page, position):
    """The address, the question on the screen and the navigator's "current" all say `position`."""
    shows_question(page, position)
    expect(page.locator(".nav-item.is-current")).to_have_count(1)
    expect(page.locator(f"#nav-{position}")).to_have_class(re.compile(r"\bis-current\b"))
    expect(page.locator(f"#nav-{position} a")).to_have_attribute("aria-current", "step")


def test_the_latest_navigator_click_wins_over_an_earlier_slow_one(live_server, page, exam_attempt, slow_question):
    attempt, _where = exam_attempt
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/1/")
    slow_question["position"] = 2
    page.locator("#nav-2 a").click()
    page.locator("#nav-3 a").click()
    agree_on(page, 3)
    page.wait_for_timeout(2000)  # the answer for question 2 would have arrived by now
    agree_on(page, 3)
    page.reload()
    agree_on(page, 3)
    assert page.js_errors == []


def test_a_navigator_click_wins_over_an_earlier_save_and_next(
    live_server, page, exam_attempt, slow_saves, slow_question
):
    attempt, where = exam_attempt
    position = where["mc-1"]
    target = next(p for p in (1, 2, 3, 4) if p not in (position, position + 1))
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/{position}/")
    answer(page, "mc-1", CASES)
    if position < 4:
        page.get_by_role("button", name="Save and next").click()  # its save is slow
    else:
        page.get_by_role("button", name="Previous").click()
    page.locator(f"#nav-{target} a").click()
    agree_on(page, target)
    page.wait_for_timeout(2000)  # "Save and next" would have moved on by now
    agree_on(page, target)
    assert slot(attempt, position).response is not None

    # And the other way round: Previous (or Save and next) after a slow navigator click wins.
    slow = next(p for p in (1, 2, 3, 4) if abs(p - target) > 1)
    slow_question["position"] = slow
    page.locator(f"#nav-{slow} a").click()
    if target > 1:
        page.get_by_role("button", name="Previous").click()
        agree_on(page, target - 1)
    else:
        page.get_by_role("button", name="Save and next").click()
        agree_on(page, target + 1)
    page.wait_for_timeout(2000)
    agree_on(page, target - 1 if target > 1 else target + 1)
    assert page.js_errors == []
