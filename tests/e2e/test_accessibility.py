"""axe-core (from npm) on the study pages, in light and dark themes: no serious or critical violations."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from apps.content.models import Note, Service

AXE = Path(settings.BASE_DIR, "node_modules", "axe-core", "axe.min.js")


def violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_study_pages_have_no_serious_accessibility_violations(live_server, browser, content, scheme):
    assert AXE.exists(), "axe-core is installed by npm ci (package.json devDependencies)"
    note = Note.objects.filter(body_html__contains='class="mermaid"').first()
    pages = [
        "/",
        "/exams/aif-c01/",
        "/exams/mla-c02/",
        "/exams/aif-c01/tasks/1.3/",
        note.get_absolute_url(),
        "/services/",
        Service.objects.get(slug="sagemaker-clarify").get_absolute_url(),
        "/search/?q=bedrock",
        "/no-such-page/",
    ]
    # axe is injected as an inline <script>, which the site's Content Security Policy rightly blocks; the policy
    # itself is tested in test_csp.py, so this context lets the test's own script in.
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    found = {}
    for url in pages:
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        problems = violations(page)
        if problems:
            found[url] = [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"][:3]]} for v in problems]
    context.close()
    assert found == {}, json.dumps(found, indent=1)
