"""Spaced review in a real browser: confidence marks from the keyboard, mistakes coming due, reviewing them."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from apps.exams import services
from apps.exams.models import Attempt, ReviewCard, Slot
from tests.e2e.test_exam_flow import MOCK_BANK, current_case, log_in, make_bank, make_mock_exam, saving


def choose(page, text):
    saving(page, lambda: page.get_by_role("radio", name=text, exact=True).check())


def test_marked_and_missed_questions_come_due_and_are_reviewed(live_server, page, transactional_db, student):
    exam = make_mock_exam()
    cases = {"mc-1": MOCK_BANK["mc-1"], "mc-3": MOCK_BANK["mc-3"]}
    bank = make_bank(exam=exam, owner=student, cases=cases)
    request = services.PracticeRequest(exam=exam, mode=Attempt.Mode.CUSTOM, count=2, timed=False)
    plan = services.Plan([q.pk for q in bank.values()], [], minutes=None, wanted=2)
    attempt = services.start_attempt(user=student, request=request, plan=plan, now=timezone.now())
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/1/")
    expect(page.get_by_role("group", name=re.compile("How sure are you?"))).to_be_visible()

    # Question 1: right, but a guess (G); question 2: wrong, and sure of it (S, then U, then S again).
    first = current_case(page)
    choose(page, "Amazon S3")
    saving(page, lambda: page.keyboard.press("g"))
    expect(page.get_by_role("radio", name="Guessed")).to_be_checked()
    saving(page, lambda: page.keyboard.press("g"))  # the same key again clears the mark
    expect(page.locator("input[name=confidence]:checked")).to_have_count(0)
    saving(page, lambda: page.keyboard.press("g"))
    page.keyboard.press("n")
    expect(page.locator("#q-heading")).to_contain_text("Question 2")
    choose(page, "Amazon EBS")
    saving(page, lambda: page.keyboard.press("u"))
    saving(page, lambda: page.keyboard.press("s"))
    expect(page.get_by_role("radio", name="Sure", exact=True)).to_be_checked()
    marks = dict(Slot.objects.filter(attempt=attempt).values_list("position", "confidence"))
    assert marks == {1: "guessed", 2: "sure"}

    page.keyboard.press("r")
    expect(page).to_have_url(re.compile(r"/review/$"))
    page.get_by_label("I am ready to submit").check()
    page.get_by_role("button", name="Submit the exam").click()
    expect(page).to_have_url(re.compile(r"/results/$"))
    expect(page.get_by_role("link", name="Download my mistakes for Anki")).to_be_visible()

    # Both are due: the wrong answer and the lucky guess.
    page.goto(live_server.url + "/practice/new/?exam=TST-C01")
    expect(page.locator("#due-count")).to_have_text("2 due now")
    page.get_by_label("Spaced review").check()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/q/1/$"))
    page.wait_for_load_state()
    expect(page.locator(".exam-title")).to_contain_text("Spaced review")
    expect(page.locator(".timer.untimed")).to_have_text("Untimed")

    for position in (1, 2):
        expect(page.locator("#q-heading")).to_contain_text(f"Question {position}")
        choose(page, "Amazon S3")
        saving(page, lambda: page.keyboard.press("s"))
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator("#feedback-heading")).to_have_text("Correct")
        expect(page.get_by_role("radio", name="Sure", exact=True)).to_be_disabled()
        if position == 1:
            page.keyboard.press("n")

    page.goto(live_server.url + "/practice/new/?exam=TST-C01")
    expect(page.locator("#due-count")).to_have_text("0 due now")
    reviewed = ReviewCard.objects.get(user=student, question=bank[first])
    assert (reviewed.reps, reviewed.due > timezone.now()) == (2, True)
    assert page.js_errors == []
