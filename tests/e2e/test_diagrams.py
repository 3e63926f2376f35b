"""Mermaid diagrams in notes: the content width with readable labels, full screen and zoomable on a click, and
sideways scrolling inside their box on phones."""

import pytest
from playwright.sync_api import expect

from apps.content.models import Note
from tests.e2e.conftest import SCREENSHOTS

MIN_LABEL_PX = 12.5  # Mermaid draws 16 px labels; diagrams.js never scales them below 0.8


def lifecycle_note():
    return Note.objects.get(exam__code="AIF-C01", slug__startswith="1-3", body_html__contains='class="mermaid"')


def smallest_label(page, scope):
    return page.evaluate(
        """scope => Math.min(...Array.from(document.querySelectorAll(scope + ' svg .nodeLabel, ' + scope + ' svg .edgeLabel'))
             .map(el => el.getBoundingClientRect().height).filter(h => h > 0))""",
        scope,
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_the_lifecycle_diagram_is_readable_and_opens_full_screen(live_server, browser, content, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + lifecycle_note().get_absolute_url())
    figure = page.locator(".note-body .mermaid").first
    expect(figure).to_have_attribute("data-enhanced", "1", timeout=20_000)
    figure.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"diagram-{width}.png"))

    # Labels keep a readable size; the page never scrolls sideways, the diagram's box does when it must.
    assert smallest_label(page, ".note-body .mermaid") >= MIN_LABEL_PX
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box, svg = figure.bounding_box(), figure.locator("svg").bounding_box()
    if width == 375:
        assert svg["width"] > box["width"]
        assert figure.evaluate("el => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX === 'auto'")
    else:
        assert svg["width"] >= box["width"] - 2  # it uses the column

    # A click opens it full screen; zooming changes its size; Escape closes it.
    figure.click()
    dialog = page.get_by_role("dialog", name="Diagram, full screen")
    expect(dialog).to_be_visible()
    full = dialog.locator("svg")
    # It opens with labels at least as readable as on the page (a phone scrolls the stage rather than shrink them).
    assert smallest_label(page, ".diagram-dialog") >= MIN_LABEL_PX
    before = full.bounding_box()["width"]
    dialog.get_by_role("button", name="Zoom in").click()
    assert full.bounding_box()["width"] > before * 1.2
    dialog.get_by_role("button", name="Zoom out").click()
    dialog.get_by_role("button", name="Zoom out").click()
    assert full.bounding_box()["width"] < before
    page.screenshot(path=str(SCREENSHOTS / f"diagram-{width}-full.png"))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # So does its button, for the keyboard and screen readers.
    page.get_by_role("button", name="Open the diagram full screen").first.click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close the diagram").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("button", name="Open the diagram full screen").first).to_be_focused()
    assert errors == []
    context.close()
