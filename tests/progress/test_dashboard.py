"""The dashboard page and the accuracy fragments: privacy, login, query counts and what the student sees."""

import json
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.services import profile_for
from tests.factories import make_exam, make_note, make_question_set, make_questions
from tests.progress.factories import bulk_attempts, practise

HTMX = {"HTTP_HX_REQUEST": "true"}
DASHBOARD = "/dashboard/"


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def text(soup, selector):
    return " ".join(soup.select_one(selector).get_text().split())


# ------------------------------------------------------------------------------------------ access
def test_anonymous_visitors_are_sent_to_log_in(client, exam):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/dashboard/"


def test_the_dashboard_refuses_post(signed_in, exam):
    assert signed_in.post(DASHBOARD).status_code == 405


def test_the_home_page_sends_signed_in_students_to_their_dashboard(client, signed_in, exam):
    response = signed_in.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:dashboard")


def test_the_home_page_stays_the_exam_list_for_visitors(client, exam):
    assert page(client.get("/")).select_one("article.exam-card")


def test_logging_in_lands_on_the_dashboard(client, student):
    response = client.post(reverse("login"), {"username": "alice", "password": "alice-pass-1234"})
    assert response.status_code == 302
    assert response["Location"] == reverse("progress:dashboard")


def test_a_student_sees_only_their_own_data(signed_in, student, other_student, exam, questions):
    # Bob has answered (mostly wrong), has reviews due and a score trend; Alice has done nothing.
    practise(user=other_student, questions=questions["1.1"][:4], right=questions["1.1"][:1])
    practise(user=other_student, questions=questions["2.1"][:3])
    soup = page(signed_in.get(DASHBOARD))
    assert text(soup, "#due-count") == "Due for review: 0 questions"
    assert "0 questions answered" in text(soup, ".summary-grid")
    assert soup.select("#trend-chart") == []
    assert soup.select(".weakest") == []
    assert [text(li, ".weight-value") for li in soup.select(".mastery li")] == ["—", "—"]
    # The fragments too.
    task = signed_in.get(reverse("progress:task-accuracy", args=["tst-c01", "1.1"]), **HTMX)
    assert "not answered any questions" in task.content.decode()


def test_the_student_s_own_numbers_are_not_mixed_with_anyone_else_s(
    signed_in, student, other_student, exam, questions
):
    practise(user=student, questions=questions["1.1"][:2], right=questions["1.1"])
    practise(user=other_student, questions=questions["1.1"][2:6])
    soup = page(signed_in.get(DASHBOARD))
    assert "2 questions answered" in text(soup, ".summary-grid")
    assert text(soup, "#due-count") == "Due for review: 0 questions"
    assert [text(li, ".weight-value") for li in soup.select(".mastery li")] == ["100%", "—"]


# ----------------------------------------------------------------------------------- what it shows
def test_readiness_says_not_enough_data_then_gives_a_probability(signed_in, student, exam, questions):
    practise(user=student, questions=questions["1.1"][:3], right=questions["1.1"], mode="mock")
    soup = page(signed_in.get(DASHBOARD))
    readiness = text(soup, ".readiness")
    assert "Not enough data" in readiness
    assert "Domain 1: Data things and Domain 2: Model things" in readiness
    assert "estimated chance of passing" not in readiness

    # Nine fresh mock answers in every domain are enough evidence (eight is the minimum); all right, the
    # student looks ready.
    practise(user=student, questions=questions["1.2"], right=questions["1.2"], mode="mock")
    practise(user=student, questions=questions["2.1"], right=questions["2.1"], mode="mock")
    practise(user=student, questions=questions["2.1"][:3], right=questions["2.1"], mode="mock")
    readiness = text(page(signed_in.get(DASHBOARD)), ".readiness")
    assert "Not enough data" not in readiness
    assert re.match(r"Readiness (\d+%|over 99%) estimated chance of passing\.", readiness)
    assert "Every domain is at or above the passing line." in readiness


def test_readiness_names_the_domain_to_work_on(signed_in, student, exam, questions):
    practise(user=student, questions=questions["1.1"] + questions["1.2"], right=questions["1.1"], mode="mock")
    practise(user=student, questions=questions["2.1"], right=questions["2.1"], mode="mock")
    practise(user=student, questions=questions["2.1"][:3], right=questions["2.1"], mode="mock")
    readiness = text(page(signed_in.get(DASHBOARD)), ".readiness")
    assert "Work on Domain 1: Data things first" in readiness


def test_questions_answered_and_the_streak(signed_in, student, exam, questions):
    now = timezone.now()
    practise(user=student, questions=questions["1.1"][:2], now=now - timedelta(days=1))
    practise(user=student, questions=questions["1.2"][:3], now=now)
    summary = text(page(signed_in.get(DASHBOARD)), ".summary-grid")
    assert "5 questions answered" in summary
    assert "Study streak: 2 days" in summary


def test_mastery_bars_use_width_classes_not_inline_styles(signed_in, student, exam, questions):
    practise(user=student, questions=questions["1.1"][:4], right=questions["1.1"][:3])
    soup = page(signed_in.get(DASHBOARD))
    bars = soup.select(".mastery .weight-fill")
    assert [bar["class"] for bar in bars] == [["weight-fill", "w-75"], ["weight-fill", "w-0"]]
    assert soup.select("[style]") == []


def test_the_weakest_task_statements_link_to_notes_and_to_a_practice(signed_in, student, exam, questions):
    make_note(exam=exam, slug="about-21", title="About 2.1", tasks=["2.1"])
    practise(user=student, questions=questions["1.1"][:3], right=questions["1.1"][:2])  # 67%
    practise(user=student, questions=questions["1.2"][:3], right=questions["1.2"][:1])  # 33%
    practise(user=student, questions=questions["2.1"][:3], right=questions["2.1"][:1])  # 33%, lighter domain
    soup = page(signed_in.get(DASHBOARD))
    items = soup.select(".weakest > li")
    assert [item.h3.get_text().split()[0] for item in items] == ["1.2", "2.1", "1.1"]
    practise_link = items[1].find("a", role="button")
    assert practise_link["href"] == "/practice/new/?exam=TST-C01&task=2.1"
    assert " ".join(practise_link.get_text().split()) == "Practise this task statement 2.1"
    assert items[1].find("a", string="About 2.1")["href"] == "/exams/tst-c01/notes/about-21/"
    assert "33% right over 3 answers" in items[1].get_text()


def test_due_reviews_are_counted_with_a_button_to_start_them(signed_in, student, exam, questions):
    practise(user=student, questions=questions["1.1"][:3], right=questions["1.1"][:1])
    soup = page(signed_in.get(DASHBOARD))
    assert text(soup, "#due-count") == "Due for review: 2 questions"
    start = soup.find("a", string="Start the review")
    assert start["href"] == "/practice/new/?exam=TST-C01&mode=review"


def test_the_trend_has_a_chart_and_a_table_of_the_same_numbers(signed_in, student, exam, questions):
    practise(user=student, questions=questions["1.1"][:4], right=questions["1.1"][:1], mode="mock")
    practise(user=student, questions=questions["1.1"][:4], right=questions["1.1"][:3])
    soup = page(signed_in.get(DASHBOARD))
    data = json.loads(soup.select_one("#trend-chart-data").string)
    assert data["values"] == [25.0, 75.0]
    assert data["cut"] == 70
    rows = [
        [cell.get_text(strip=True) for cell in tr.select("th, td")] for tr in soup.select("table tbody tr")
    ]
    assert [row[1:3] for row in rows] == [["Full mock exam", "25%"], ["Custom practice", "75%"]]
    assert soup.select_one('script[src*="js/trend-chart."]')


def test_the_mistakes_can_be_downloaded_for_anki(signed_in, exam):
    link = page(signed_in.get(DASHBOARD)).find("a", string="Download my mistakes for Anki")
    assert link["href"] == reverse("exams:mistakes-deck", args=["TST-C01"])


# ------------------------------------------------------------------------------------- choosing an exam
def test_the_target_exam_is_shown_first_and_another_can_be_chosen(signed_in, student, exam):
    other = make_exam(code="AAA-C01", title="Another exam")  # listed before TST-C01 by code
    assert page(signed_in.get(DASHBOARD)).h1.get_text() == "Your dashboard: AAA-C01"
    profile = profile_for(student)
    profile.target_exam = exam
    profile.save()
    assert page(signed_in.get(DASHBOARD)).h1.get_text() == "Your dashboard: TST-C01"
    assert page(signed_in.get(DASHBOARD + "?exam=AAA-C01")).h1.get_text() == "Your dashboard: AAA-C01"
    assert page(signed_in.get(DASHBOARD + "?exam=NOPE")).h1.get_text() == "Your dashboard: TST-C01"
    assert other.pk


def test_without_a_target_the_dashboard_opens_on_the_exam_last_practised(signed_in, student, exam, questions):
    make_exam(code="AAA-C01", title="Another exam")  # listed first, but never practised
    practise(user=student, questions=questions["1.1"][:2])
    assert page(signed_in.get(DASHBOARD)).h1.get_text() == "Your dashboard: TST-C01"


def test_with_no_exams_the_dashboard_says_so(signed_in, db):
    assert "No exams are loaded yet" in page(signed_in.get(DASHBOARD)).get_text()


# ----------------------------------------------------------------------------------------- query counts
def dashboard_queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DASHBOARD).status_code == 200
    return len(captured)


def test_the_dashboard_uses_the_same_queries_for_1_and_200_attempts(
    signed_in, student, exam, questions, django_assert_max_num_queries
):
    make_note(exam=exam, slug="about-11", title="About 1.1", tasks=["1.1"])
    asked = questions["1.1"][:3] + questions["2.1"][:3]
    now = timezone.now()
    bulk_attempts(user=student, exam=exam, questions=asked, count=1, now=now)
    one = dashboard_queries(signed_in)
    bulk_attempts(user=student, exam=exam, questions=asked, count=199, now=now - timedelta(days=1))
    soup = page(signed_in.get(DASHBOARD))
    assert "1200 questions answered" in text(soup, ".summary-grid")
    assert len(soup.select("table tbody tr")) == 30  # the trend's latest points
    assert soup.select(".weakest > li")  # the weakest task statements (and their notes) were read
    assert dashboard_queries(signed_in) == one
    # session, user, exams (+ domains), profile, the exam last practised (no target is set), slots, task
    # statements, notes, trend, due (and the two permission reads of the instructor role it asks), read notes, counts
    with django_assert_max_num_queries(15):
        signed_in.get(DASHBOARD)


@pytest.mark.parametrize("size", [1, 200])
def test_the_exam_accuracy_fragment_uses_the_same_queries_at_any_size(
    signed_in, student, exam, questions, size, django_assert_max_num_queries
):
    bulk_attempts(user=student, exam=exam, questions=questions["1.1"], count=size, now=timezone.now())
    # session, user, exam, slots, task statements
    with django_assert_max_num_queries(5):
        response = signed_in.get(reverse("progress:exam-accuracy", args=["tst-c01"]), **HTMX)
    assert response.status_code == 200


# --------------------------------------------------------------------------------------------- fragments
def test_the_task_fragment_shows_accuracy_and_a_practise_link(signed_in, student, exam, questions):
    practise(user=student, questions=questions["1.1"][:4], right=questions["1.1"][:1])
    response = signed_in.get(reverse("progress:task-accuracy", args=["tst-c01", "1.1"]), **HTMX)
    soup = page(response)
    assert soup.section["id"] == "task-accuracy"
    assert "25% right over 4 answers" in text(soup, "section")
    assert soup.find("a", string="Practise this")["href"] == "/practice/new/?exam=TST-C01&task=1.1"
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_the_exam_fragment_lists_every_task_statement_with_a_practise_link(
    signed_in, student, exam, questions
):
    practise(user=student, questions=questions["2.1"][:2], right=questions["2.1"][:1])
    soup = page(signed_in.get(reverse("progress:exam-accuracy", args=["tst-c01"]), **HTMX))
    rows = [
        [tr.th.a.get_text(), *(td.get_text(strip=True) for td in tr.select("td"))]
        for tr in soup.select("tbody tr")
    ]
    assert rows == [
        ["1.1 Task 1.1 of TST-C01", "0", "—"],
        ["1.2 Task 1.2 of TST-C01", "0", "—"],
        ["2.1 Task 2.1 of TST-C01", "2", "50%"],
    ]
    practise_links = [tr.select_one(".practise-link a") for tr in soup.select("tbody tr")]
    assert practise_links[2]["href"] == "/practice/new/?exam=TST-C01&task=2.1"
    assert " ".join(practise_links[2].get_text().split()) == "Practise this task statement 2.1"


def test_fragments_without_htmx_go_to_the_dashboard(signed_in, exam):
    for url in (reverse("progress:task-accuracy", args=["tst-c01", "1.1"]), "/dashboard/tasks/tst-c01/"):
        response = signed_in.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/dashboard/?exam=TST-C01"


def test_a_fragment_for_a_signed_out_visitor_offers_to_log_in(client, exam):
    response = client.get(
        reverse("progress:task-accuracy", args=["tst-c01", "1.1"]),
        HTTP_HX_CURRENT_URL="http://testserver/exams/tst-c01/tasks/1.1/",
        **HTMX,
    )
    soup = page(response)
    assert (
        soup.find("a", string="Log in again")["href"]
        == "/accounts/login/?next=%2Fexams%2Ftst-c01%2Ftasks%2F1.1%2F"
    )
    assert "%" not in soup.get_text()


@pytest.mark.parametrize(
    "url", ["/dashboard/task/tst-c01/9.9/", "/dashboard/task/nope/1.1/", "/dashboard/tasks/nope/"]
)
def test_fragments_for_unknown_exams_or_task_statements_are_404(signed_in, exam, url):
    assert signed_in.get(url, **HTMX).status_code == 404


def test_fragments_refuse_post(signed_in, exam):
    assert signed_in.post("/dashboard/task/tst-c01/1.1/", **HTMX).status_code == 405
    assert signed_in.post("/dashboard/tasks/tst-c01/", **HTMX).status_code == 405


def test_the_study_pages_load_the_fragments_only_for_signed_in_students(client, signed_in, exam):
    task_url, exam_url = "/exams/tst-c01/tasks/1.1/", "/exams/tst-c01/"
    task = page(signed_in.get(task_url)).select_one("#task-accuracy")
    assert (task["hx-get"], task["hx-trigger"]) == ("/dashboard/task/tst-c01/1.1/", "load")
    assert task.noscript.a["href"] == "/dashboard/?exam=TST-C01"
    overview = page(signed_in.get(exam_url)).select_one("#exam-accuracy")
    assert (overview["hx-get"], overview["hx-trigger"]) == ("/dashboard/tasks/tst-c01/", "load")
    signed_in.logout()
    assert page(client.get(task_url)).select("#task-accuracy") == []
    assert page(client.get(exam_url)).select("#exam-accuracy") == []


def test_another_exam_s_answers_never_count(signed_in, student, exam, questions):
    other = make_exam(code="OTH-C01")
    other_questions = make_questions(question_set=make_question_set(exam=other, slug="o"), count=3)
    practise(user=student, questions=other_questions)
    soup = page(signed_in.get(DASHBOARD + "?exam=TST-C01"))
    assert "0 questions answered" in text(soup, ".summary-grid")
