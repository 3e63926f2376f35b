"""What only a browser shows: diagrams and formulas drawn, search and filters, reading progress, phones."""

import re

from playwright.sync_api import expect

from apps.content.models import Note
from tests.e2e.conftest import screenshot


def test_a_note_with_a_diagram_shows_the_rendered_svg_and_typeset_math(live_server, page, content):
    note = (
        Note.objects.filter(body_html__contains='class="mermaid"')
        .filter(body_html__contains="arithmatex")
        .first()
    )
    assert note is not None, "the bundled notes should include one with both a diagram and formulas"
    page.goto(live_server.url + note.get_absolute_url())
    diagrams = page.locator(".note-body .mermaid")
    expect(diagrams.first.locator("svg")).to_be_visible(timeout=20_000)
    expect(page.locator(".note-body .mermaid svg")).to_have_count(diagrams.count())
    expect(page.locator(".note-body .katex").first).to_be_visible()
    assert page.locator(".note-body .katex-error").count() == 0
    assert page.js_errors == []
    screenshot(page, "note-desktop")


def test_search_for_a_service_from_the_header(live_server, page, content):
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox", name="Search notes and services").fill("Clarify")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Clarify"))
    hits = page.locator(".search-hits li")
    expect(hits.first).to_be_visible()
    expect(page.locator(".search-hits mark").first).to_have_text(re.compile("clarify", re.IGNORECASE))
    page.get_by_role("link", name="SageMaker Clarify", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("SageMaker Clarify")
    screenshot(page, "service-detail")


def test_search_updates_while_typing(live_server, page, content):
    page.goto(live_server.url + "/search/")
    page.get_by_label("Words to look for").press_sequentially("Kinesis", delay=30)
    expect(page.locator("#search-results h2")).to_contain_text("for “Kinesis”")
    expect(page).to_have_url(re.compile(r"q=Kinesis"))
    screenshot(page, "search")


def test_glossary_filters_by_exam_without_a_page_reload(live_server, page, content):
    page.goto(live_server.url + "/services/")
    total = page.locator(".glossary dt").count()
    assert total >= 80
    page.evaluate("window.__marker = 1")
    page.get_by_label("Exam").select_option("MLA-C01")
    expect(page.locator("#results-heading")).to_contain_text("in scope for MLA-C01")
    assert page.evaluate("window.__marker") == 1  # same page: HTMX swapped the list
    assert 0 < page.locator(".glossary dt").count() < total
    expect(page).to_have_url(re.compile(r"exam=MLA-C01"))
    screenshot(page, "glossary")


def test_marking_notes_read_shows_progress_on_the_home_page(live_server, page, content):
    note = Note.objects.filter(exam__code="AIF-C01").first()
    page.goto(live_server.url + note.get_absolute_url())
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_text("You marked this note as read.")).to_be_visible()
    page.goto(live_server.url + "/")
    expect(
        page.locator("article.exam-card", has_text="AIF-C01").get_by_text(re.compile(r"Notes read: 1 of \d+"))
    ).to_be_visible()
    screenshot(page, "home-desktop")


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_main(live_server, page, content):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_pages_fit_a_phone_screen(live_server, phone_page, content):
    note = Note.objects.filter(body_html__contains="<table").first()
    for name, url in [
        ("home", "/"),
        ("exam", "/exams/aif-c01/"),
        ("note", note.get_absolute_url()),
        ("glossary", "/services/"),
    ]:
        phone_page.goto(live_server.url + url)
        overflow = phone_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} scrolls sideways on a phone by {overflow}px"
        screenshot(phone_page, f"{name}-phone")


def test_dark_theme_switch_is_remembered(live_server, page, content):
    page.goto(live_server.url + "/")
    toggle = page.locator("[data-theme-toggle]")
    expect(toggle).to_be_visible()
    toggle.click()
    theme = page.evaluate("document.documentElement.getAttribute('data-theme')")
    page.reload()
    assert page.evaluate("document.documentElement.getAttribute('data-theme')") == theme
    screenshot(page, f"home-{theme}")
