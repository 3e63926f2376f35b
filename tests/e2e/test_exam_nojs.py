"""The exam without JavaScript: every answer, move and step is a plain form post and a new page."""

import re

import pytest
from playwright.sync_api import expect

from apps.exams.models import Attempt
from tests.e2e.conftest import screenshot
from tests.e2e.test_exam_flow import (
    FLAG,
    MATCHES,
    RIGHT_ORDER,
    current_case,
    log_in,
    make_bank,
    make_mock_exam,
    open_navigator,
    order_on_screen,
)

# Case -> (kind, task statement, the answer given); all in domain 1, so a custom practice of domain 1 draws them.
BANK = {
    "mc-1": ("multiple_choice", "1.1", ["Amazon S3"]),  # right
    "mr-1": ("multiple_response", "1.1", ["Amazon S3", "AWS Lambda"]),  # wrong
    "ord-1": ("ordering", "1.2", RIGHT_ORDER),  # right, with the Move buttons
    "match-1": ("matching", "1.1", MATCHES),  # right
}


@pytest.fixture
def nojs_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


def shows_question(page, position):
    expect(page).to_have_url(re.compile(rf"/q/{position}/$"))
    expect(page.locator("#q-heading")).to_have_text(re.compile(rf"^Question {position}\b"))


def reorder_with_move_buttons(page, wanted):
    """Each press posts the form and reloads the page with the item moved and the order saved."""
    expect(page.get_by_text("This order is not saved until you change it")).to_be_visible()
    presses = 0
    while (order := order_on_screen(page)) != wanted:
        i = next(i for i in range(len(order) - 1) if wanted.index(order[i]) > wanted.index(order[i + 1]))
        direction, text = ("down", order[i]) if presses % 2 == 0 else ("up", order[i + 1])
        page.locator(".ordering-item", has_text=text).get_by_role("button", name=f"Move {direction}").click()
        order[i], order[i + 1] = order[i + 1], order[i]
        expect(page.locator(".ordering-item .ordering-text")).to_have_text(order)
        expect(page.locator("#save-status")).to_have_text("Saved")
        presses += 1
    expect(page.get_by_text("This order is not saved until you change it")).to_have_count(0)
    assert presses >= 1


def answer(page, case):
    kind, _task, given = BANK[case]
    if kind == "multiple_choice":
        page.get_by_role("radio", name=given[0], exact=True).check()
    elif kind == "multiple_response":
        for text in given:
            page.get_by_role("checkbox", name=text, exact=True).check()
    elif kind == "ordering":
        reorder_with_move_buttons(page, given)
    else:
        for prompt, response in given.items():
            page.get_by_label(prompt).select_option(label=response)


def assert_answer_shown(page, case):
    kind, _task, given = BANK[case]
    if kind == "ordering":
        expect(page.locator(".ordering-item .ordering-text")).to_have_text(given)
    elif kind == "matching":
        for prompt, response in given.items():
            expect(page.get_by_label(prompt).locator("option:checked")).to_have_text(response)
    else:
        role = "radio" if kind == "multiple_choice" else "checkbox"
        for text in given:
            expect(page.get_by_role(role, name=text, exact=True)).to_be_checked()


def test_a_custom_practice_works_without_javascript(live_server, nojs_page, transactional_db, student):
    page = nojs_page
    exam = make_mock_exam()
    make_bank(exam=exam, owner=student, cases=BANK)
    log_in(page, live_server.url, "/practice/new/")
    page.get_by_label("Custom practice").check()
    page.get_by_text("Custom practice options").click()  # <details> opens without JavaScript
    page.get_by_label("Domain 1: Data things (60%)").check()
    page.get_by_label("Number of questions").fill("4")
    page.get_by_label("Timed, at the real exam's pace").uncheck()
    page.get_by_role("button", name="Start", exact=True).click()
    shows_question(page, 1)
    expect(page.locator(".timer.untimed")).to_have_text("Untimed")

    where = {}
    for position in range(1, 5):
        case = current_case(page)
        where[case] = position
        expect(page.locator("#save-status")).to_have_text("Not answered yet")
        if position == 4:
            # The navigator is made of plain links: question 1 shows its saved answer, and back.
            open_navigator(page)
            page.locator("#nav-1 a").click()
            shows_question(page, 1)
            assert_answer_shown(page, next(c for c, p in where.items() if p == 1))
            expect(page.get_by_label(FLAG)).to_be_checked()
            open_navigator(page)
            page.locator("#nav-4 a").click()
            shows_question(page, 4)
        answer(page, case)
        if position == 1:
            page.get_by_label(FLAG).check()
        if position < 4:
            page.get_by_role("button", name="Save and next").click()
            shows_question(page, position + 1)
            expect(page.locator(f"#nav-{position}")).to_have_class(re.compile(r"\bis-answered\b"))
            expect(page.get_by_text(f"({position} of 4 answered)")).to_be_visible()

    # "Review and submit" saves the last answer on the way.
    page.get_by_role("button", name="Review and submit").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    expect(page.get_by_text("4 questions · 0 not answered · 1 flagged for review.")).to_be_visible()
    expect(page.get_by_role("region", name="Not answered")).to_have_count(0)
    flagged = page.get_by_role("region", name="Flagged for review").get_by_role("link")
    expect(flagged).to_have_text(["Question 1"])
    screenshot(page, "exam-nojs-review")
    flagged.click()
    shows_question(page, 1)
    page.get_by_role("button", name="Review and submit").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    page.get_by_label("I am ready to submit").check()
    page.get_by_role("button", name="Submit the exam").click()

    expect(page).to_have_url(re.compile(r"/results/$"))
    expect(page.get_by_role("status")).to_have_text("Your exam was submitted and graded.")
    expect(page.locator(".big-number").first).to_have_text("3 / 4")
    expect(page.get_by_role("region", name="Results by domain").locator("tbody tr")).to_have_text(
        [re.compile(r"1\. Data things\s*3 of 4\s*75%")]
    )
    wrong = page.locator(".review-item.is-wrong")
    expect(wrong).to_have_count(1)
    expect(wrong.locator(".question-stem")).to_contain_text("Case mr-1:")
    expect(wrong.locator(".is-chosen:not(.is-correct)")).to_contain_text("Your answer")
    expect(wrong.locator(".explanation")).to_contain_text("Explanation of mr-1.")
    screenshot(page, "exam-nojs-results")

    attempt = Attempt.objects.get(user=student)
    assert (attempt.status, attempt.correct_count, attempt.scored_count) == ("submitted", 3, 4)
    assert attempt.slots.filter(response__isnull=True).count() == 0
