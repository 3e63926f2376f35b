"""A complete full mock exam of the bundled AIF-C01 bank, from log-in to results, with the keyboard only."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from apps.exams.models import Attempt
from apps.questions.bank import load_bank

PASSWORD = "alice-pass-1234"  # the `student` persona's
MAX_TABS = 80

# Is the element on focus drawn with a visible ring (an outline or a box shadow)?
FOCUS_RING = r"""() => {
  const style = getComputedStyle(document.activeElement);
  const seen = color => !/^(transparent|rgba\(.*,\s*0\))$/.test(color);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 && seen(style.outlineColor);
  const shadow = style.boxShadow.split(/,(?![^(]*\))/).some(layer => {
    const color = (layer.match(/rgba?\([^)]*\)/) || ["transparent"])[0];
    return seen(color) && layer.replace(color, "").trim().split(/\s+/).some(length => parseFloat(length) > 0);
  });
  return outline || shadow;
}"""
# Would a screen reader hear changes of this element: is it (or an ancestor) a live region, and not hidden?
SPOKEN_WHEN_CHANGED = """element => {
  const implicit = {status: "polite", log: "polite", alert: "assertive", marquee: "off", timer: "off"};
  let live = null;  // set by the nearest element that says whether it is a live region
  for (let node = element; node; node = node.parentElement) {
    if (node.getAttribute("aria-hidden") === "true") return false;
    if (live === null) live = node.getAttribute("aria-live") || implicit[node.getAttribute("role")] || null;
  }
  return live !== null && live !== "off";
}"""


@pytest.fixture
def aif_bank(content, tmp_path):
    """The bundled AIF-C01 bank (the other exams' questions are not needed here)."""
    (tmp_path / "aif-c01").symlink_to(Path(settings.CONTENT_DIR) / "questions" / "aif-c01")
    load_bank(root=tmp_path)


# ------------------------------------------------------------------------------------------------ keyboard
def focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, locator, key="Tab"):
    """Press Tab (or another key) until `locator` has the focus."""
    for _ in range(MAX_TABS):
        if focused(locator):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{MAX_TABS} presses of {key} never reached {locator}")


def assert_focus_is_visible(page):
    assert page.evaluate(FOCUS_RING), page.evaluate("document.activeElement.outerHTML.slice(0, 200)")


def log_in_with_keys(page, url):
    page.goto(url + "/accounts/login/?next=/practice/new/")
    tab_to(page, page.get_by_label("Username"))
    page.keyboard.type("alice")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("New practice")


# ------------------------------------------------------------------------------------------------ answering
def kind_on_screen(form):
    for kind, selector in (
        ("multiple_choice", "input[name=choice]"),
        ("multiple_response", "input[name=choices]"),
        ("ordering", ".ordering-item"),
        ("matching", "select"),
    ):
        if form.locator(selector).count():
            return kind
    raise AssertionError("a question of no known kind")


def answer_with_keys(page, position):
    """Answer the question on the screen with number keys, Tab, Space and arrows; wait for each save."""
    form, status = page.locator("#answer-form"), page.locator("#save-status")
    kind = kind_on_screen(form)
    if kind == "multiple_choice":
        count = form.locator("input[name=choice]").count()
        key = str(position % count + 1)
        page.keyboard.press(key)
        expect(status).to_have_text(f"Saved: {chr(64 + int(key))}")
    elif kind == "multiple_response":
        wanted = int(re.search(r"Choose (\d+)", form.locator("legend").first.inner_text()).group(1))
        for number in range(1, wanted + 1):
            page.keyboard.press(str(number))
            expect(status).to_have_text("Saved: " + ", ".join(chr(65 + i) for i in range(number)))
    elif kind == "ordering":
        tab_to(page, form.locator("[data-move=down]:not([disabled])").first)
        assert_focus_is_visible(page)
        page.keyboard.press("Space")
        expect(status).to_have_text("Saved: order saved")
    else:
        selects = form.locator("select")
        for index in range(selects.count()):
            tab_to(page, selects.nth(index))
            page.keyboard.press("ArrowDown")
            expect(status).to_have_text(f"Saved: {index + 1} of {selects.count()} matched")
        assert_focus_is_visible(page)
        page.keyboard.press("Tab")  # shortcuts are off while a list box has the focus
    return kind


def shows_question(page, position):
    expect(page.locator("#q-heading")).to_have_text(re.compile(rf"^Question {position}\b"))
    expect(page.locator("#exam-main")).not_to_have_class(re.compile(r"\bhtmx-added\b"))


def seconds_on_timer(page):
    parts = [int(part) for part in page.locator("#timer [data-timer-text]").inner_text().split(":")]
    return sum(part * 60**power for power, part in enumerate(reversed(parts)))


# ---------------------------------------------------------------------------------------------------- test
def test_a_full_mock_exam_can_be_taken_with_the_keyboard_alone(live_server, page, aif_bank, student):
    log_in_with_keys(page, live_server.url)
    expect(page.locator("#exam-select")).to_have_value("AIF-C01")
    expect(page.get_by_label("Full mock exam")).to_be_checked()
    start = page.get_by_role("button", name="Start", exact=True)
    tab_to(page, start)
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/attempts/\d+/q/1/$"))
    page.wait_for_load_state()  # exam.js has started the clock
    total = Attempt.objects.get(user=student).question_count
    assert total == 65

    # The clock is silent for screen readers: the countdown is no live region, and while it ticks the
    # announcer stays empty; T (or a threshold) puts the time left into the announcer.
    countdown, announcer = page.locator("#timer [data-timer-text]"), page.locator("#timer-announcer")
    assert countdown.evaluate(SPOKEN_WHEN_CHANGED) is False
    assert announcer.evaluate(SPOKEN_WHEN_CHANGED) is True
    for _ in range(2):
        shown = countdown.inner_text()
        expect(countdown).not_to_have_text(shown)  # it ticked
    expect(announcer).to_have_text("")
    minutes = seconds_on_timer(page) // 60
    page.keyboard.press("t")
    expect(announcer).to_have_text(re.compile(rf"^({minutes}|{minutes - 1}) minutes left\.$"))

    kinds = set()
    for position in range(1, total + 1):
        kind = answer_with_keys(page, position)
        if kind in ("multiple_choice", "multiple_response") and kind not in kinds:
            # The number key moved the focus to the answer it chose, and the focus shows.
            expect(page.locator("#answer-form input:checked:focus")).to_have_count(1)
            assert_focus_is_visible(page)
        kinds.add(kind)
        expect(page.locator(f"#nav-{position}")).to_have_class(re.compile(r"\bis-answered\b"))
        if position < total:
            page.keyboard.press("n")
            shows_question(page, position + 1)
    # Every kind the draw brought was answered with keys (a mock of the bundled bank has all four, nearly always).
    assert kinds == set(Attempt.objects.get(user=student).slots.values_list("kind", flat=True))
    expect(page.locator("#answered-count")).to_have_text(str(total))

    page.keyboard.press("r")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review before you submit")
    expect(page.get_by_text(f"{total} questions · 0 not answered · 0 flagged for review.")).to_be_visible()
    tab_to(page, page.get_by_label("I am ready to submit"))
    assert_focus_is_visible(page)
    page.keyboard.press("Space")
    expect(page.get_by_label("I am ready to submit")).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Submit the exam"))
    assert_focus_is_visible(page)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/results/$"))
    expect(page.get_by_role("status")).to_have_text("Your exam was submitted and graded.")
    expect(page.get_by_role("region", name="Results by domain").locator("tbody tr")).to_have_count(5)
    attempt = Attempt.objects.get(user=student)
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.slots.filter(response__isnull=True).count() == 0
    assert page.js_errors == []
