"""The Content Security Policy in a real browser: no violation on the main pages, and what needs scripts and
styles (Mermaid diagrams, KaTeX formulas, the results chart, htmx saves, the admin) still works under it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.content.models import Exam, Note
from apps.exams import services
from tests.factories import make_attempt, make_question_set, make_questions

# Records every violation the page reports, from the first script on (before any of the page's own scripts).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


@pytest.fixture
def csp_page(browser):
    """A page that collects CSP violations from the DOM event and from the console (Chromium logs each one)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console, errors = [], []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))

    def violations():
        reported = page.evaluate("window.__cspViolations || []")
        logged = [text for text in console if "Content Security Policy" in text]
        return reported + logged

    page.violations = violations
    page.js_errors = errors
    yield page
    context.close()


def visit(page, url):
    response = page.goto(url)
    assert response.ok, f"{url}: HTTP {response.status}"
    assert "content-security-policy" in response.headers, f"{url} has no CSP header"
    page.wait_for_load_state("networkidle")
    return response


def assert_clean(page, where):
    assert page.violations() == [], f"CSP violations on {where}"
    assert page.js_errors == [], f"script errors on {where}"


def log_in(page, base, path, username, password):
    page.goto(base + path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_public_pages_and_the_note_renderers_run_under_the_policy(live_server, csp_page, content):
    page, base = csp_page, live_server.url
    note = (
        Note.objects.filter(body_html__contains='class="mermaid"')
        .filter(body_html__contains="arithmatex")
        .first()
    )
    assert note is not None, "the bundled notes should include one with a diagram and formulas"
    exam = note.exam
    for path in ["/", exam.get_absolute_url(), "/services/", "/search/?q=sagemaker", "/accounts/login/"]:
        visit(page, base + path)
        assert_clean(page, path)

    visit(page, base + note.get_absolute_url())
    diagrams = page.locator(".note-body .mermaid")
    expect(diagrams.first.locator("svg")).to_be_visible(timeout=20_000)
    expect(page.locator(".note-body .mermaid svg")).to_have_count(diagrams.count())
    expect(page.locator(".note-body .katex").first).to_be_visible()
    assert page.locator(".note-body .katex-error").count() == 0
    # Mermaid's styles were applied (its <style> inside the SVG was allowed): nodes are filled, not black boxes.
    fill = page.locator(".note-body .mermaid svg .node rect, .note-body .mermaid svg .node polygon").first
    assert fill.evaluate("el => getComputedStyle(el).fill") not in ("", "none", "rgb(0, 0, 0)")
    assert_clean(page, "a note with a diagram and formulas")

    # htmx still works (no eval needed): the search results update while typing.
    visit(page, base + "/search/")
    page.get_by_label("Words to look for").press_sequentially("Kinesis", delay=30)
    expect(page.locator("#search-results h2")).to_contain_text("Kinesis")
    assert_clean(page, "search as you type")


def test_practice_pages_and_the_results_chart_run_under_the_policy(live_server, csp_page, content, student):
    page, base = csp_page, live_server.url
    log_in(page, base, "/accounts/login/?next=/practice/new/", "alice", "alice-pass-1234")
    expect(page).to_have_url(re.compile(r"/practice/new/$"))
    page.wait_for_load_state("networkidle")
    assert_clean(page, "log in and practice new")

    exam = Exam.objects.get(code="AIF-C01")
    questions = make_questions(question_set=make_question_set(exam=exam), count=3)
    attempt = make_attempt(user=student, questions=questions, now=timezone.now())
    visit(page, f"{base}/attempts/{attempt.pk}/q/1/")
    with page.expect_response(lambda r: r.url.endswith("/answer/") and r.request.method == "POST") as saved:
        page.locator("label.choice").first.click()
    assert saved.value.ok
    assert_clean(page, "an exam question with an htmx save")

    services.submit_attempt(attempt=attempt, now=timezone.now())
    visit(page, f"{base}/attempts/{attempt.pk}/results/")
    chart = page.locator("#domain-chart")
    expect(chart).to_be_visible()
    # Chart.js drew on the canvas: some pixel is not transparent.
    drawn = chart.evaluate(
        "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)"
    )
    assert drawn, "the chart canvas is empty"
    assert_clean(page, "results with the chart")

    visit(page, f"{base}/dashboard/")  # the student's home, with its own charts
    assert_clean(page, "the dashboard")


def test_the_admin_works_under_the_policy(live_server, csp_page, admin):
    page, base = csp_page, live_server.url
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("root-pass-1234")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Site administration"))).to_be_visible()
    assert_clean(page, "admin login and index")
    for path in [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        f"/admin/auth/user/{admin.pk}/change/",
        "/admin/questions/question/",
        "/admin/questions/question/add/",
        "/admin/questions/questionset/",
    ]:
        visit(page, base + path)
        assert_clean(page, path)
    # The admin's own scripts run: the filter box on the group permissions widget is built by SelectFilter2.js.
    visit(page, base + "/admin/auth/group/add/")
    expect(page.locator("#id_permissions_filter")).to_be_visible()
    assert_clean(page, "/admin/auth/group/add/")
