"""An imported note as a reader sees it: its own image, a titled callout, content tabs and a nested list, with
no serious accessibility violations in either theme."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from apps.content.models import Note
from tests.content.test_dialects import tiny_png
from tests.e2e.conftest import screenshot
from tests.e2e.test_accessibility import violations
from tests.factories import make_exam

NOTE = """---
title: Choosing an endpoint
---
Options to compare:
- Real-time
  - instances always on
    - billed per hour
- Serverless

> [!tip] Exam trap
> Spiky traffic with idle hours points to **serverless**.

=== "Real-time"

    Lowest latency, always-on instances.

=== "Serverless"

    Scales to zero between requests.

![Latency by option](img/latency.png)
"""


@pytest.fixture
def imported_note(transactional_db, tmp_path):
    make_exam(code="TST-C01")
    folder = tmp_path / "my-notes"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "latency.png").write_bytes(tiny_png(rgb=(30, 120, 200), size=64))
    (folder / "endpoints.md").write_text(NOTE, encoding="utf-8")
    call_command("import_notes", str(folder), "--exam", "TST-C01", stdout=StringIO())
    return Note.objects.get()


def check_reader_view(page, url):
    page.goto(url)
    body = page.locator(".note-body")
    image = body.get_by_role("img", name="Latency by option")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth") == 64  # loaded, not a broken icon
    callout = body.locator(".admonition.tip")
    expect(callout.locator(".admonition-title")).to_have_text("Exam trap")
    expect(callout).to_contain_text("Spiky traffic with idle hours points to serverless.")
    expect(body.locator("ul > li > ul > li > ul > li")).to_have_text("billed per hour")
    expect(body.get_by_text("Lowest latency, always-on instances.")).to_be_visible()
    expect(body.get_by_text("Scales to zero between requests.")).to_be_hidden()
    body.locator(".tabbed-labels label", has_text="Serverless").click()
    expect(body.get_by_text("Scales to zero between requests.")).to_be_visible()
    expect(body.get_by_text("Lowest latency, always-on instances.")).to_be_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_imported_note_shows_its_image_callout_tabs_and_nested_list(
    live_server, browser, imported_note, scheme
):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    check_reader_view(page, live_server.url + imported_note.get_absolute_url())
    body = page.locator(".note-body")
    body.locator(".tabbed-labels label", has_text="Real-time").click()
    screenshot(page, f"imported-note-{scheme}")
    assert errors == []
    context.close()
    # axe is an inline script the site's policy blocks; this context lets the test's own script in.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + imported_note.get_absolute_url())
    assert violations(page) == []
    context.close()


def test_content_tabs_work_without_javascript(live_server, browser, imported_note):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    check_reader_view(page, live_server.url + imported_note.get_absolute_url())
    context.close()
