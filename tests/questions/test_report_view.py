"""/questions/<pk>/report/: a signed-in student reports a problem with a published question they can see."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from apps.questions.models import ProblemReport, Question
from apps.questions.services import refresh_question
from tests.factories import make_exam, make_question, make_question_set

HTMX = {"HTTP_HX_REQUEST": "true"}
VALID = {"category": "wrong_answer", "text": "  Choice B is also correct, see the S3 docs.  "}


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")


@pytest.fixture
def public_set(exam, instructor):
    return make_question_set(exam=exam, slug="public-bank", visibility="public", owner=instructor)


@pytest.fixture
def question(public_set):
    return make_question(question_set=public_set, stem="Which service stores **objects** for the team?")


@pytest.fixture
def url(question):
    return reverse("questions:report", args=[question.pk])


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


# ------------------------------------------------------------------------------------------------- access
def test_an_anonymous_visitor_is_sent_to_log_in_first(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_an_anonymous_post_is_sent_to_log_in_and_creates_no_report(client, url):
    response = client.post(url, VALID)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize("status", [Question.Status.DRAFT, Question.Status.RETIRED])
def test_a_question_that_is_not_published_cannot_be_reported(signed_in, question, url, status):
    Question.objects.filter(pk=question.pk).update(status=status)
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, VALID).status_code == 404
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize("visibility", ["private", "classrooms"])
def test_a_question_of_another_users_unlisted_set_gives_404(signed_in, exam, other_instructor, visibility):
    hidden_set = make_question_set(
        exam=exam, slug="oscars-set", visibility=visibility, owner=other_instructor
    )
    hidden = make_question(question_set=hidden_set)
    url = reverse("questions:report", args=[hidden.pk])
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, VALID).status_code == 404
    assert not ProblemReport.objects.exists()


def test_the_owner_of_a_private_set_may_report_on_its_questions(client, exam, instructor):
    own_set = make_question_set(exam=exam, slug="irenes-set", visibility="private", owner=instructor)
    own = make_question(question_set=own_set)
    client.force_login(instructor)
    assert client.get(reverse("questions:report", args=[own.pk])).status_code == 200


def test_an_unknown_question_gives_404(signed_in, db):
    assert signed_in.get(reverse("questions:report", args=[999_999])).status_code == 404


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(signed_in, url, method):
    response = getattr(signed_in, method)(url)
    assert response.status_code == 405
    assert sorted(response["Allow"].split(", ")) == ["GET", "HEAD", "OPTIONS", "POST"]


# ----------------------------------------------------------------------------------------------- the form
def test_the_page_shows_the_question_and_an_empty_report_form(signed_in, url):
    response = signed_in.get(url)
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.h1.get_text() == "Report a problem with a question"
    assert soup.select_one("blockquote.reported-question strong").get_text() == "objects"
    form = soup.select_one("#report-form form")
    assert form["method"] == "post" and form["action"] == url and form["hx-post"] == url
    assert [radio["value"] for radio in form.select("input[name=category]")] == [
        "wrong_answer",
        "unclear",
        "outdated",
        "typo",
    ]
    assert not form.select("input[name=category][checked]")
    assert form.select_one("textarea[name=text]").get_text() == ""
    assert form.select_one("input[name=next]")["value"] == ""
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert not form.select("[aria-invalid]")


def test_a_safe_next_address_is_kept_in_the_form(signed_in, url):
    soup = soup_of(signed_in.get(url, {"next": "/exams/tst-c01/"}))
    assert soup.select_one("input[name=next]")["value"] == "/exams/tst-c01/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/path", "javascript:alert(1)"])
def test_an_external_next_address_is_left_out_of_the_form(signed_in, url, target):
    soup = soup_of(signed_in.get(url, {"next": target}))
    assert soup.select_one("input[name=next]")["value"] == ""


def test_an_htmx_get_returns_only_the_form_fragment(signed_in, url):
    response = signed_in.get(url, **HTMX)
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find("html") is None and soup.find("h1") is None
    assert soup.select_one("div#report-form form")
    assert "HX-Request" in response["Vary"]


# ------------------------------------------------------------------------------------------------ sending
def test_a_report_records_the_question_version_reporter_and_stripped_text(signed_in, student, question, url):
    question.stem_md = "Which service stores objects, cheaply?"
    question.save()
    refresh_question(question=question)  # an edit: version 2

    response = signed_in.post(url, VALID)

    report = ProblemReport.objects.get()
    assert (report.question, report.reporter, report.category) == (question, student, "wrong_answer")
    assert report.text == "Choice B is also correct, see the S3 docs."
    assert (report.question_version, report.question_version.number) == (question.current_version, 2)
    assert report.resolved is False
    assert response.status_code == 302
    assert response["Location"] == reverse("content:home")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Thank you: your report was sent to the author of this question."
    ]


def test_after_a_report_the_student_goes_back_to_a_safe_next_address(signed_in, url):
    response = signed_in.post(url, {**VALID, "next": "/exams/tst-c01/tasks/1.1/"})
    assert response.status_code == 302
    assert response["Location"] == "/exams/tst-c01/tasks/1.1/"
    assert ProblemReport.objects.count() == 1


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/path", "http://testserver.evil/"]
)
def test_an_external_next_address_is_ignored_after_a_report(signed_in, url, target):
    response = signed_in.post(url, {**VALID, "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("content:home")
    assert ProblemReport.objects.count() == 1


def test_an_htmx_report_returns_the_thank_you_fragment(signed_in, url):
    response = signed_in.post(url, VALID, **HTMX)
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find("html") is None
    assert soup.select_one("div#report-form [role=status]").get_text() == (
        "Thank you: your report was sent to the author of this question."
    )
    assert soup.find("form") is None
    assert ProblemReport.objects.count() == 1


def test_an_invalid_report_is_shown_again_with_its_errors_and_nothing_is_saved(signed_in, url):
    response = signed_in.post(url, {"category": "", "text": " bad ", "next": "/services/"})
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.h1  # the full page
    assert soup.select_one("#category-error").get_text() == "This field is required."
    assert soup.select_one("#text-error").get_text() == "Please describe the problem in a few words."
    assert soup.select_one("textarea[name=text]")["aria-invalid"] == "true"
    assert soup.select_one("input[name=next]")["value"] == "/services/"
    assert not ProblemReport.objects.exists()


def test_an_unknown_category_is_refused(signed_in, url):
    response = signed_in.post(url, {"category": "spam", "text": "Buy cheap watches here."})
    assert response.status_code == 200
    assert "Select a valid choice." in soup_of(response).select_one("#category-error").get_text()
    assert not ProblemReport.objects.exists()


def test_an_invalid_htmx_report_returns_the_form_fragment_with_errors(signed_in, url):
    response = signed_in.post(url, {"category": "typo", "text": ""}, **HTMX)
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.find("h1") is None
    assert soup.select_one("div#report-form #text-error").get_text() == "This field is required."
    assert soup.select_one("input[value=typo]").has_attr("checked")
    assert not ProblemReport.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(student, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    assert client.post(url, VALID).status_code == 403
    assert not ProblemReport.objects.exists()


def test_a_post_with_the_csrf_token_from_the_form_is_accepted(student, url):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    token = soup_of(client.get(url)).select_one("input[name=csrfmiddlewaretoken]")["value"]
    response = client.post(url, {**VALID, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert ProblemReport.objects.count() == 1


def test_a_report_from_an_attempt_names_the_version_the_student_saw(signed_in, question, url):
    first = question.current_version
    question.stem_md = "Which service stores objects, cheaply?"
    question.save()
    refresh_question(question=question)  # version 2 since the attempt

    page = soup_of(signed_in.get(url, {"version": "1"}))
    assert page.select_one("blockquote.reported-question").decode_contents() == first.content["stem_html"]
    assert page.select_one("input[name=version]")["value"] == "1"
    signed_in.post(url, {**VALID, "version": "1"})
    signed_in.post(url, {**VALID, "version": "99"})  # no such version: the current one

    assert [r.question_version.number for r in ProblemReport.objects.order_by("pk")] == [1, 2]


@pytest.mark.parametrize("number", ["²", "①", "-1", "x", "9999999999"])
def test_a_version_number_that_is_no_number_reports_on_the_current_version(signed_in, question, url, number):
    assert signed_in.get(url, {"version": number}).status_code == 200
    response = signed_in.post(url, {**VALID, "version": number})
    assert response.status_code == 302
    assert ProblemReport.objects.get().question_version == question.current_version
