"""Page weight: the JavaScript and CSS pages load, gzipped, stay within budgets; Mermaid and KaTeX load only on
the notes that use them. The sizes measured are in docs/page-weight.md (bench/page_weight.py prints them)."""

import pytest

from bench.page_weight import KB, make_pages, total, weigh

# Gzipped budgets, in bytes: docs/page-weight.md has what was measured, and why each budget is what it is.
OWN_ON_EXAM_PAGE = 17 * KB  # static/js + static/css on the exam screen
JS_ON_EXAM_PAGE = 40 * KB  # htmx, Sortable and ours (docs/page-weight.md: perf target)
ALL_ON_EXAM_PAGE = 60 * KB
ALL_ON_NOTE = {"note (plain)": 40 * KB, "note (math)": 125 * KB, "note (diagram)": 1100 * KB}
LIBRARIES = {"mermaid": ("vendor/mermaid/", "js/diagrams."), "katex": ("vendor/katex/", "js/math.")}


@pytest.fixture
def weights(client, student):
    """{page name: the JS and CSS files it loads, with their gzipped sizes}."""
    client.force_login(student)
    pages = {}
    for page, url in make_pages(user=student).items():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[page] = weigh(response.content.decode())
    return pages


def libraries(assets):
    return {
        library
        for library, prefixes in LIBRARIES.items()
        for asset in assets
        if asset.name.startswith(prefixes)
    }


def test_the_exam_page_loads_at_most_17_kb_of_our_own_js_and_css_gzipped(weights):
    exam_page = weights["exam question"]
    assert {asset.name.split("/")[0] for asset in exam_page if asset.own} == {"js", "css"}
    assert total(exam_page, own=True) <= OWN_ON_EXAM_PAGE


def test_the_exam_page_stays_within_its_js_and_total_budgets(weights):
    exam_page = weights["exam question"]
    assert total(exam_page, kind="js") <= JS_ON_EXAM_PAGE
    assert total(exam_page) <= ALL_ON_EXAM_PAGE


def test_note_pages_stay_within_their_budgets(weights):
    for page, budget in ALL_ON_NOTE.items():
        assert total(weights[page]) <= budget, page


def test_mermaid_and_katex_load_only_on_the_notes_that_use_them(weights):
    assert {page: libraries(assets) for page, assets in weights.items()} == {
        "exam question": set(),
        "note (plain)": set(),
        "note (diagram)": {"mermaid"},
        "note (math)": {"katex"},
    }
    katex = [asset.kind for asset in weights["note (math)"] if asset.name.startswith("vendor/katex/")]
    assert sorted(katex) == ["css", "js"]
