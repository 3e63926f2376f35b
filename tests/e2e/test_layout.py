"""Every main page at phone, tablet and desktop widths: no sideways scrolling, no text drawn over other text,
the question navigator inside its column, and the signed-in navigation on one line or behind a menu."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.e2e.conftest import screenshot
from tests.e2e.test_accessibility_all_pages import checked_answer
from tests.factories import make_attempt
from tests.security.conftest import build_world

WIDTHS = (375, 768, 1280)

# Every line of visible text as a box: no two boxes of different text may cross (a help text drawn over its label,
# a heading under a sticky bar). Nested elements do not matter: it compares text, not elements.
OVERLAPS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const lines = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.textContent.trim() || !parent || parent.closest(".visually-hidden, script, style, [hidden]")) continue;
    const style = getComputedStyle(parent);
    if (style.visibility === "hidden" || style.opacity === "0" || !parent.checkVisibility()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const box of range.getClientRects()) {
      if (box.width > 1 && box.height > 1) lines.push({node, box, text: node.textContent.trim().slice(0, 40)});
    }
  }
  const found = [];
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const a = lines[i], b = lines[j];
      if (a.node === b.node) continue;
      const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (w > 2 && h > 3) found.push([a.text, b.text]);
    }
  }
  return found;
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def student_pages(w, mock):
    attempt = w.open_attempt
    return {
        "home": "/",
        "exam": reverse("content:exam-detail", args=[w.exam.slug]),
        "note": reverse("content:note-detail", args=[w.exam.slug, w.note.slug]),
        "glossary": reverse("content:service-list"),
        "new-practice": reverse("exams:new"),
        **{
            f"question-{slot.kind}": reverse("exams:question", args=[attempt.pk, slot.position])
            for slot in attempt.slots.all()
        },
        "question-mock": reverse("exams:question", args=[mock.pk, 1]),
        "review": reverse("exams:review", args=[attempt.pk]),
        "results": reverse("exams:results", args=[w.submitted_attempt.pk]),
        "dashboard": reverse("progress:dashboard"),
    }


def instructor_pages(w, mock):
    return {
        "class-dashboard": reverse("classrooms:detail", args=[w.classroom.pk]),
        "item-analysis": reverse("classrooms:items", args=[w.classroom.pk]),
    }


def signed_in_page(browser, live_server, user, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])
    return context, context.new_page()


@pytest.fixture
def world(transactional_db, student, other_student, instructor, other_instructor, admin):
    world = build_world(alice=student, bob=other_student, irene=instructor, oscar=other_instructor, root=admin)
    checked_answer(world)
    mock = make_attempt(
        user=student, questions=list(world.kinds.values()), now=timezone.now(), mode="mock", minutes=30
    )
    return world, mock


@pytest.mark.parametrize("width", WIDTHS)
def test_main_pages_fit_the_screen_without_overlapping_text(live_server, browser, world, width):
    world, mock = world
    found = {}
    for user, pages in ((world.alice, student_pages), (world.irene, instructor_pages)):
        context, page = signed_in_page(browser, live_server, user, width)
        for name, url in pages(world, mock).items():
            response = page.goto(live_server.url + url)
            assert response.status == 200, url
            page.wait_for_load_state("networkidle")
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                overflow = page.evaluate(OVERFLOW)
                if overflow > 0:
                    found[f"{name} {scheme}: {overflow}px wider than the screen"] = url
                overlaps = page.evaluate(OVERLAPS)
                if overlaps:
                    found[f"{name} {scheme}: overlapping text"] = overlaps[:3]
            screenshot(page, f"layout-{width}-{name}")
        context.close()
    assert found == {}, json.dumps(found, indent=1)


def test_the_question_navigator_fits_its_column(live_server, browser, world):
    world, _mock = world
    context, page = signed_in_page(browser, live_server, world.alice, 1280)
    page.goto(live_server.url + reverse("exams:question", args=[world.open_attempt.pk, 1]))
    column = page.locator("nav.navigator").bounding_box()
    for item in page.locator(".nav-item a").all():
        box = item.bounding_box()
        assert column["x"] <= box["x"] and box["x"] + box["width"] <= column["x"] + column["width"] + 0.5
    context.close()


def test_the_signed_in_navigation_fits_on_one_line_and_folds_into_a_menu_on_phones(live_server, browser, world):
    world, _mock = world
    context, page = signed_in_page(browser, live_server, world.alice, 1280)
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    brand = nav.locator(".brand").bounding_box()
    for link in nav.locator("a, button, input:not([type=hidden])").all():
        box = link.bounding_box()
        assert box["y"] < brand["y"] + brand["height"], link.inner_text()  # on the brand's line
    screenshot(page, "nav-1280")
    context.close()

    for width in (1024, 1279):  # narrower than the line needs: the menu, and nothing wider than the screen
        context, page = signed_in_page(browser, live_server, world.alice, width)
        page.goto(live_server.url + "/")
        assert page.get_by_role("navigation", name="Main").get_by_text("Menu").is_visible()
        assert page.evaluate(OVERFLOW) <= 0
        context.close()

    context, page = signed_in_page(browser, live_server, world.alice, 375)
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    dashboard = nav.get_by_role("link", name="Dashboard")
    assert not dashboard.is_visible()
    nav.get_by_text("Menu").click()
    assert dashboard.is_visible()
    assert page.evaluate(OVERFLOW) <= 0
    screenshot(page, "nav-375-open")
    dashboard.click()
    assert page.url.endswith("/dashboard/")
    context.close()


def test_the_score_report_of_each_domain_is_on_a_phone_screen_without_scrolling(live_server, browser, world):
    world, _mock = world
    context, page = signed_in_page(browser, live_server, world.alice, 375)
    page.goto(live_server.url + reverse("exams:results", args=[world.submitted_attempt.pk]))
    table = page.get_by_role("region", name="Results by domain")
    assert table.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
    assert table.get_by_role("columnheader", name="Score report").is_visible()
    context.close()
