"""Exam conditions: a timed mock or assignment hides the site's navigation behind one compact exam bar."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.exams.models import Slot
from tests.e2e.conftest import screenshot
from tests.e2e.test_exam_flow import MOCK_BANK, log_in, make_bank, make_mock_exam, shows_question
from tests.factories import make_attempt

CASES = {case: MOCK_BANK[case] for case in ("mc-1", "mc-2", "mc-3", "mc-4")}


@pytest.fixture
def questions(transactional_db, student):
    return list(make_bank(exam=make_mock_exam(), owner=student, cases=CASES).values())


def test_a_timed_mock_shows_only_the_exam_bar(live_server, page, questions, student):
    attempt = make_attempt(user=student, questions=questions, now=timezone.now(), mode="mock", minutes=30)
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/1/")
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    expect(page.locator(".site-footer")).to_have_count(0)
    bar = page.locator(".focus-bar")
    expect(bar.locator(".exam-title")).to_contain_text("TST-C01")
    expect(bar.get_by_role("heading", level=1)).to_have_text("Question 1 of 4")
    expect(bar.locator("#timer [data-timer-text]")).to_have_text(re.compile(r"^(30:00|29:5\d)$"))
    screenshot(page, "exam-focus")

    # The flag in the bar is saved like any change.
    with page.expect_response(lambda r: r.url.endswith("/answer/")):
        bar.get_by_label("Flag for review").check()
    expect(page.locator("#save-status")).to_have_attribute("data-outcome", "saved")
    assert Slot.objects.get(attempt=attempt, position=1).flagged

    # The navigator opens from the bar; the bar follows the question.
    bar.get_by_text("Questions", exact=True).click()
    expect(page.locator("#nav-3 a")).to_be_visible()
    screenshot(page, "exam-focus-navigator")
    page.locator("#nav-3 a").click()
    shows_question(page, 3)
    expect(page.locator(".focus-bar h1")).to_have_text("Question 3 of 4")
    expect(page.locator(".focus-bar").get_by_label("Flag for review")).not_to_be_checked()
    page.wait_for_timeout(1100)
    expect(page.locator("#timer [data-timer-text]")).to_have_text(re.compile(r"^(29:\d\d)$"))

    page.locator(".focus-bar").get_by_role("button", name="Review and submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review before you submit")
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)

    # Leaving takes a deliberate click, and says the answers are saved.
    leave = page.get_by_role("button", name="Leave — my answers are saved")
    expect(leave).to_be_hidden()
    page.get_by_text("Leave the exam").click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    leave.click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert page.js_errors == []


def test_practice_keeps_the_sites_layout(live_server, page, questions, student):
    attempt = make_attempt(user=student, questions=questions, now=timezone.now(), minutes=None)
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/1/")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator(".focus-bar")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Questions of this attempt")).to_be_visible()
    expect(page.get_by_label("Flag this question for review")).to_be_visible()


def test_exam_conditions_work_without_javascript(live_server, browser, questions, student):
    attempt = make_attempt(user=student, questions=questions, now=timezone.now(), mode="mock", minutes=30)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/1/")
        expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
        page.locator("#answer-form input[name=choice]").first.check()
        page.locator(".focus-bar").get_by_label("Flag for review").check()
        page.get_by_role("button", name="Save and next").click()
        expect(page).to_have_url(re.compile(r"/q/2/$"))
        first = Slot.objects.get(attempt=attempt, position=1)
        assert first.flagged and first.response is not None
        page.get_by_text("Questions", exact=True).click()
        page.locator("#nav-4 a").click()
        expect(page.locator("#q-heading")).to_have_text("Question 4 of 4")
        page.locator(".focus-bar").get_by_role("button", name="Review and submit").click()
        expect(page.get_by_text("4 questions · 3 not answered · 1 flagged for review.")).to_be_visible()
        page.get_by_text("Leave the exam").click()
        page.get_by_role("button", name="Leave — my answers are saved").click()
        expect(page).to_have_url(re.compile(r"/dashboard/$"))
    finally:
        context.close()
