"""Study pages: content, HTMX fragments, wrong methods and ids, and query counts that do not grow."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.factories import make_exam, make_note, make_service

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01", title="Test Certification")


@pytest.fixture
def note(exam):
    service = make_service(slug="widget-store", name="Amazon Widget Store", exams=[exam])
    return make_note(
        exam=exam,
        slug="storing-widgets",
        title="Storing widgets",
        tasks=["1.1"],
        services=[service],
        body="## Why widgets\n\nAmazon Widget Store keeps **widgets**.\n\n```mermaid\nflowchart LR\n"
        "  A --> B\n```\n\nRecall $\\frac{TP}{TP+FN}$.\n",
    )


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def test_home_lists_exams_with_weights_and_reading_progress(client, note):
    response = client.get(reverse("content:home"))
    assert response.status_code == 200
    card = page(response).select_one("article.exam-card")
    assert "TST-C01" in card.get_text() and "Current" in card.get_text()
    assert [li.select_one(".weight-value").get_text() for li in card.select(".weights li")] == ["60%", "40%"]
    assert card.select_one("progress")["max"] == "1"
    assert card.select_one("progress")["value"] == "0"


def test_exam_overview_shows_facts_domains_tasks_and_services(client, note, exam):
    exam.confidence = {"minutes": "unverified"}
    exam.save()
    soup = page(client.get(exam.get_absolute_url()))
    assert soup.h1.get_text() == "TST-C01: Test Certification"
    facts = soup.select_one("table.facts").get_text(" ")
    assert "65" in facts and "700 on a scale of 100–1000" in facts
    assert "90 minutes" in facts and "(unconfirmed)" in facts
    assert "Domain 1: Data things" in soup.get_text()
    task_links = [a.get_text() for a in soup.select(".task-list-links a")]
    assert task_links == ["1.1 Task 1.1 of TST-C01", "1.2 Task 1.2 of TST-C01", "2.1 Task 2.1 of TST-C01"]
    assert soup.select_one("#services-heading ~ .service-columns a").get_text() == "Amazon Widget Store"


def test_exam_overview_shows_the_beta_format_a_mock_follows_until_the_standard_time_is_published(client, exam):
    exam.minutes, exam.beta_questions, exam.beta_minutes = None, 85, 170
    exam.confidence = {"minutes": "unverified", "beta_minutes": "medium"}
    exam.save()
    page = BeautifulSoup(client.get(exam.get_absolute_url()).content, "html.parser")
    rows = {row.th.get_text(strip=True): row.td.get_text(" ", strip=True) for row in page.select("table.facts tr")}
    assert rows["Time"].startswith("Not published yet")
    assert rows["Beta format"].startswith("85 questions in 170 minutes")
    assert "reported" in rows["Beta format"] and "Full mocks here follow it" in rows["Beta format"]
    exam.minutes = 130
    exam.save()
    page = BeautifulSoup(client.get(exam.get_absolute_url()).content, "html.parser")
    assert "Beta format" not in page.select_one("table.facts").get_text()


def test_task_statement_page_lists_notes_services_and_related(client, note, exam):
    other = make_exam(code="OTH-C01", domains=[(1, "Other", 100, ["1.1"])])
    task = exam.task_statements.get(number="1.1")
    task.related.add(other.task_statements.get())
    soup = page(client.get(task.get_absolute_url()))
    assert "Task statement 1.1" in soup.h1.get_text()
    assert soup.select_one(".note-list a").get_text() == "Storing widgets"
    assert soup.select_one(".note-list .badge").get_text() == "Unread"
    assert "OTH-C01 1.1" in soup.select_one("#related-heading").find_next("ul").get_text()
    assert "Amazon Widget Store" in soup.select_one(".chips").get_text()


def test_note_page_has_toc_breadcrumbs_prev_next_and_loads_mermaid_and_katex(client, note, exam):
    make_note(exam=exam, slug="before", title="Before", order=1)
    make_note(exam=exam, slug="after", title="After", order=999)
    soup = page(client.get(note.get_absolute_url()))
    assert soup.h1.get_text() == "Storing widgets"
    assert [li.get_text(strip=True) for li in soup.select(".breadcrumbs li")] == [
        "Home",
        "TST-C01",
        "Task statement 1.1",
        "Storing widgets",
    ]
    assert soup.select_one(".toc a")["href"] == "#why-widgets"
    assert soup.select_one("a[rel=prev]")["href"].endswith("/notes/before/")
    assert soup.select_one("a[rel=next]")["href"].endswith("/notes/after/")
    scripts = [s["src"] for s in soup.select("script[src]")]
    assert any("mermaid.min" in src for src in scripts) and any("katex.min" in src for src in scripts)


def test_note_without_diagrams_or_math_does_not_load_those_libraries(client, exam):
    plain = make_note(exam=exam, slug="plain", title="Plain", body="Just words.\n")
    scripts = " ".join(s["src"] for s in page(client.get(plain.get_absolute_url())).select("script[src]"))
    assert "mermaid" not in scripts and "katex" not in scripts


@pytest.mark.parametrize(
    "url",
    [
        "/exams/nope/",
        "/exams/tst-c01/tasks/9.9/",
        "/exams/tst-c01/notes/missing/",
        "/exams/oth-c01/notes/storing-widgets/",
        "/services/missing/",
        "/exams/tst-c01/tasks/1.1x/",
    ],
)
def test_unknown_addresses_are_404(client, note, url):
    make_exam(code="OTH-C01")
    assert client.get(url).status_code == 404


def test_marking_a_note_read_without_javascript_redirects_back(client, note):
    url = reverse("content:note-read", args=[note.exam.slug, note.slug])
    response = client.post(url, {"read": "1"})
    assert response.status_code == 302 and response["Location"] == note.get_absolute_url()
    assert client.session["read_notes"] == [note.pk]
    home = page(client.get("/"))
    assert home.select_one("progress")["value"] == "1"
    assert "Notes read: 1 of 1" in home.get_text()


def test_marking_a_note_read_with_htmx_returns_the_toggle_fragment(client, note):
    url = reverse("content:note-read", args=[note.exam.slug, note.slug])
    response = client.post(url, {"read": "1"}, **HTMX)
    soup = page(response)
    assert soup.select_one("form#read-toggle") is not None
    assert soup.select_one("html") is None
    assert "You marked this note as read." in soup.get_text()
    response = client.post(url, {"read": "0"}, **HTMX)
    assert "Mark as read" in response.content.decode()
    assert client.session["read_notes"] == []


def test_mark_read_refuses_get_and_unknown_notes(client, note):
    assert client.get(reverse("content:note-read", args=[note.exam.slug, note.slug])).status_code == 405
    assert client.post(reverse("content:note-read", args=[note.exam.slug, "nope"])).status_code == 404


def test_mark_read_needs_a_csrf_token(note):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("content:note-read", args=[note.exam.slug, note.slug])).status_code == 403


def test_glossary_groups_services_a_to_z_and_filters(client, exam):
    make_service(slug="zeta", name="AWS Zeta", category="Compute", exams=[exam])
    make_service(slug="alpha", name="Amazon Alpha", category="Storage")
    soup = page(client.get(reverse("content:service-list")))
    assert [h.get_text() for h in soup.select(".letter-group h3")] == ["A", "Z"]
    filtered = page(client.get(reverse("content:service-list"), {"exam": "TST-C01"}))
    assert [dt.a.get_text() for dt in filtered.select(".glossary dt")] == ["AWS Zeta"]
    by_category = page(client.get(reverse("content:service-list"), {"category": "Storage"}))
    assert [dt.a.get_text() for dt in by_category.select(".glossary dt")] == ["Amazon Alpha"]


def test_glossary_htmx_filter_returns_only_the_results_fragment(client, exam):
    make_service(slug="zeta", name="AWS Zeta", exams=[exam])
    response = client.get(reverse("content:service-list"), {"exam": "TST-C01"}, **HTMX)
    soup = page(response)
    assert soup.select_one("section#service-results") and soup.select_one("html") is None
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_glossary_ignores_unknown_filter_values(client, exam):
    make_service(slug="zeta", name="AWS Zeta")
    soup = page(client.get(reverse("content:service-list"), {"exam": "<script>", "category": "nope"}))
    assert [dt.a.get_text() for dt in soup.select(".glossary dt")] == ["AWS Zeta"]


def test_service_page_lists_exams_notes_and_task_statements(client, note):
    soup = page(client.get(reverse("content:service-detail", args=["widget-store"])))
    assert soup.h1.get_text() == "Amazon Widget Store"
    assert "TST-C01 Test Certification" in soup.select_one("#scope-heading").find_next("ul").get_text()
    assert soup.select_one("#notes-heading").find_next("ul").a.get_text() == "Storing widgets"
    assert "TST-C01 1.1" in soup.select_one("#tasks-heading").find_next("ul").get_text()


def test_search_finds_notes_and_services_and_highlights_terms(client, note):
    soup = page(client.get(reverse("content:search"), {"q": "widgets"}))
    hits = soup.select(".search-hits li")
    assert [li.a.get_text() for li in hits] == ["Storing widgets", "Amazon Widget Store"]
    assert hits[0].select_one("mark").get_text().lower() == "widgets"


def test_search_needs_every_word(client, note):
    assert page(client.get("/search/", {"q": "widgets zebra"})).select(".search-hits li") == []
    assert "No results" in client.get("/search/", {"q": "widgets zebra"}).content.decode()


def test_search_escapes_the_query_and_snippets(client, note):
    body = client.get("/search/", {"q": "<img src=x onerror=alert(1)> widgets"}).content.decode()
    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


def test_search_htmx_returns_the_results_fragment(client, note):
    response = client.get("/search/", {"q": "widget"}, **HTMX)
    soup = page(response)
    assert soup.select_one("section#search-results") and soup.select_one("html") is None
    assert "HX-Request" in response["Vary"]


def test_content_pages_refuse_post(client, note):
    for url in ["/", note.exam.get_absolute_url(), note.get_absolute_url(), "/services/", "/search/"]:
        assert client.post(url).status_code == 405


def test_health_reports_the_database(client, db):
    assert client.get("/health/").json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("size", [1, 25])
def test_query_counts_do_not_grow_with_the_number_of_notes(client, db, size, django_assert_max_num_queries):
    # Both the notes and the task statements grow with `size`.
    exam = make_exam(
        domains=[(1, "Data", 60, [f"1.{i + 1}" for i in range(size)]), (2, "Models", 40, ["2.1"])]
    )
    service = make_service(exams=[exam])
    for i in range(size):
        make_note(exam=exam, slug=f"n{i}", title=f"Widget note {i}", tasks=[f"1.{i + 1}", "1.1"], order=i)
    for n in exam.notes.all():
        n.services.add(service)
    session = client.session
    session["read_notes"] = list(exam.notes.values_list("pk", flat=True))
    session.save()
    task = exam.task_statements.get(number="1.1")
    middle = exam.notes.get(slug=f"n{size // 2}")
    urls = {
        "/": 4,
        exam.get_absolute_url(): 8,
        task.get_absolute_url(): 6,
        middle.get_absolute_url(): 7,
        "/services/": 5,
        service.get_absolute_url(): 6,
        "/search/?q=widget": 4,
    }
    for url, limit in urls.items():
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200
