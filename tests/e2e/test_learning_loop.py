"""The learning loop in a real browser: mistakes in a custom practice become due, a review clears them, and the
dashboard follows; and axe on the dashboard and the study pages' progress fragments."""

import json
import re

import pytest
from playwright.sync_api import expect

from apps.exams.models import Attempt
from tests.e2e.conftest import screenshot
from tests.e2e.test_accessibility import AXE, violations
from tests.factories import make_exam, make_note, make_question, make_question_set
from tests.progress.factories import practise

PASSWORD = "alice-pass-1234"  # the `student` persona's
RIGHT, WRONG = "Amazon S3", "Amazon EBS"  # the factories' multiple-choice question: S3 is the answer


def make_bank(exam):
    """Four public questions on task statement 1.1 (domain 1) and a note that teaches it."""
    bank = make_question_set(exam=exam, slug="public-bank", visibility="public")
    make_note(exam=exam, slug="object-storage", title="Object storage", tasks=["1.1"])
    return [
        make_question(question_set=bank, stem=f"Question {n}: which service stores objects?")
        for n in range(1, 5)
    ]


def log_in(page, url):
    """Log the `student` persona in from the login page; a student lands on their dashboard."""
    page.goto(url + "/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.wait_for_load_state()


def shows_question(page, position):
    expect(page.locator("#q-heading")).to_have_text(re.compile(rf"^Question {position}\b"))
    expect(page.locator("#exam-main")).not_to_have_class(re.compile(r"\bhtmx-added\b"))


def answer_and_check(page, choice_text, verdict):
    """Choose an answer (saved by HTMX), check it, and read the verdict shown at once."""
    with page.expect_response(lambda r: r.url.endswith("/answer/") and r.request.method == "POST") as saved:
        page.get_by_role("radio", name=choice_text, exact=True).check()
    assert saved.value.ok
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator("#feedback-heading")).to_have_text(verdict)


def work_through(page, count, answers):
    """Answer `count` questions with immediate feedback, then submit; `answers(position)` says which choice."""
    for position in range(1, count + 1):
        shows_question(page, position)
        choice_text = answers(position)
        answer_and_check(page, choice_text, "Correct" if choice_text == RIGHT else "Not quite")
        if position < count:
            page.get_by_role("button", name="Save and next").click()
    page.get_by_role("button", name="Review and submit").click()
    page.get_by_label("I am ready to submit").check()
    page.get_by_role("button", name=re.compile(r"^Submit")).click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/results/$"))


def dashboard(page, url):
    page.goto(url + "/dashboard/")
    page.wait_for_load_state()
    return page.locator(".summary-grid")


def test_mistakes_become_due_a_review_clears_them_and_the_dashboard_follows(
    live_server, page, transactional_db, student
):
    exam = make_exam(code="TST-C01")
    make_bank(exam)
    log_in(page, live_server.url)
    summary = page.locator(".summary-grid")
    expect(summary).to_contain_text("0 questions answered")
    expect(page.locator("#due-count")).to_have_text("Due for review: 0 questions")

    # A custom practice of four questions with the answer after each: three wrong, the last one right.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice", exact=True).click()
    page.get_by_label("Custom practice").check()
    page.get_by_text("Custom practice options").click()
    page.get_by_label("Domain 1: Data things (60%)").check()
    page.get_by_label("Number of questions").fill("4")
    page.get_by_label("Timed, at the real exam's pace").uncheck()
    page.get_by_label("After each question").check()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_load_state()
    work_through(page, 4, lambda position: RIGHT if position == 4 else WRONG)

    # The three mistakes are due at once; the right answer comes back in days.
    summary = dashboard(page, live_server.url)
    expect(summary).to_contain_text("4 questions answered")
    expect(summary).to_contain_text("Study streak: 1 day")
    expect(page.locator("#due-count")).to_have_text("Due for review: 3 questions")
    weakest = page.locator(".weakest > li")
    expect(weakest).to_have_count(1)
    expect(weakest).to_contain_text("1.1 Task 1.1 of TST-C01")
    expect(weakest).to_contain_text("25% right over 4 answers")
    expect(weakest.get_by_role("link", name="Object storage")).to_be_visible()
    expect(page.locator(".readiness")).to_contain_text("Not enough data")
    trend = page.get_by_role("region", name="Table of your scores")
    expect(trend.locator("tbody tr")).to_have_count(1)
    expect(trend.locator("tbody tr")).to_contain_text("Custom practice25%")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('trend-chart'))")
    screenshot(page, "dashboard-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "dashboard-phone")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, "the dashboard scrolls sideways on a phone"
    page.set_viewport_size({"width": 1280, "height": 900})

    # The review asks the three due questions, answers shown at once; this time the student gets them right.
    page.get_by_role("button", name="Start the review").click()
    expect(page).to_have_url(re.compile(r"/practice/new/\?exam=TST-C01&mode=review$"))
    expect(page.get_by_label("Spaced review")).to_be_checked()
    page.get_by_role("button", name="Start", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text("answers after each question")).to_be_visible()
    work_through(page, 3, lambda position: RIGHT)
    review = Attempt.objects.get(user=student, mode=Attempt.Mode.REVIEW)
    assert (review.question_count, review.correct_count) == (3, 3)

    summary = dashboard(page, live_server.url)
    expect(summary).to_contain_text("7 questions answered")
    expect(page.locator("#due-count")).to_have_text("Due for review: 0 questions")
    expect(page.get_by_role("button", name="Start the review")).to_have_count(0)
    # The review counts towards mastery and the task statement's accuracy, but is not a score on the trend.
    expect(page.locator(".weakest > li")).to_contain_text("7 answers")
    expect(page.get_by_role("region", name="Table of your scores").locator("tbody tr")).to_have_count(1)
    screenshot(page, "dashboard-after-review")

    # The study pages load the same accuracy, with a practice one click away.
    page.locator(".weakest > li").get_by_role("link", name="1.1 Task 1.1 of TST-C01").click()
    fragment = page.locator("#task-accuracy")
    expect(fragment).to_contain_text("right over 7 answers on this task statement")
    expect(fragment.get_by_role("button", name="Practise this")).to_have_attribute(
        "href", "/practice/new/?exam=TST-C01&task=1.1"
    )
    page.goto(live_server.url + "/exams/tst-c01/")
    rows = page.get_by_role("region", name="Table of your accuracy by task statement").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("7")
    rows.first.get_by_role("link", name="Practise this task statement 1.1").click()
    expect(page.get_by_label("Custom practice")).to_be_checked()
    expect(page.get_by_label("1.1 Task 1.1 of TST-C01")).to_be_checked()
    assert page.js_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_dashboard_and_progress_fragments_have_no_serious_accessibility_violations(
    live_server, browser, transactional_db, student, scheme
):
    assert AXE.exists(), "axe-core is installed by npm ci (package.json devDependencies)"
    exam = make_exam(code="TST-C01")
    questions = make_bank(exam)
    practise(user=student, questions=questions[:3], right=questions[:1], mode="mock")
    practise(user=student, questions=questions, right=questions[:3])
    # axe is injected as a script tag, which the site's Content Security Policy rightly refuses.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    log_in(page, live_server.url)
    found = {}
    for url, ready in [
        ("/dashboard/", "#trend-chart"),
        ("/exams/tst-c01/tasks/1.1/", "#task-accuracy .task-accuracy-actions"),
        ("/exams/tst-c01/", "#exam-accuracy table"),
    ]:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        expect(page.locator(ready)).to_be_visible()
        problems = violations(page)
        if problems:
            found[url] = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:3]]} for v in problems]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/dashboard/")
    page.wait_for_load_state("networkidle")
    if problems := violations(page):
        found["/dashboard/ (phone)"] = [v["id"] for v in problems]
    context.close()
    assert found == {}, json.dumps(found, indent=1)
