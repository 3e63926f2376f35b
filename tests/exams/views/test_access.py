"""Every practice page: another student's attempt is not found, an anonymous visitor is sent to log in, CSRF
is required and wrong methods are refused."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.exams.models import Attempt, Slot
from apps.exams.services import submit_attempt
from tests.exams.views.helpers import HTMX, right_choice, soup_of, url, wrong_choice
from tests.factories import on_screen

ATTEMPT_URLS = [
    ("get", "attempt-detail", False),
    ("get", "question", True),
    ("post", "answer", True),
    ("post", "check", True),
    ("get", "review", False),
    ("post", "submit", False),
    ("get", "results", False),
    ("post", "retry", False),
]


@pytest.mark.parametrize(("method", "name", "per_question"), ATTEMPT_URLS)
def test_every_attempt_url_of_another_student_is_not_found(
    client, other_student, attempt, mc, method, name, per_question
):
    client.force_login(other_student)
    target = url(name, attempt, mc.position) if per_question else url(name, attempt)
    data = {"choice": on_screen(mc, right_choice(mc)), "seq": 1, "confirm": "yes"}
    response = getattr(client, method)(target, data) if method == "post" else client.get(target)
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open
    assert not Slot.objects.filter(attempt=attempt, response__isnull=False).exists()


def test_the_results_of_another_students_submitted_attempt_are_not_found(client, other_student, attempt):
    submit_attempt(attempt=attempt, now=timezone.now())
    client.force_login(other_student)
    assert client.get(url("results", attempt)).status_code == 404


@pytest.mark.parametrize(("method", "name", "per_question"), ATTEMPT_URLS)
def test_an_anonymous_visitor_is_sent_to_log_in(client, attempt, mc, method, name, per_question):
    target = url(name, attempt, mc.position) if per_question else url(name, attempt)
    response = getattr(client, method)(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={target}"


def test_an_anonymous_htmx_save_gets_a_fragment_saying_the_session_ended(client, attempt, mc):
    target = url("answer", attempt, mc.position)
    response = client.post(target, {"choice": on_screen(mc, right_choice(mc)), "seq": 1}, **HTMX)
    assert response.status_code == 200
    status = soup_of(response).select_one("#save-status")
    assert "Your session has ended, so this change was not saved." in status.get_text()
    assert status.a["href"] == f"{reverse('login')}?next={target}"
    assert Slot.objects.get(pk=mc.pk).response is None


def test_a_save_without_the_csrf_token_is_forbidden(student, attempt, mc):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(student)
    response = browser.post(
        url("answer", attempt, mc.position), {"choice": on_screen(mc, right_choice(mc)), "seq": 1}
    )
    assert response.status_code == 403
    assert Slot.objects.get(pk=mc.pk).response is None


def test_a_save_with_the_csrf_token_of_the_page_is_accepted(student, attempt, mc):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(student)
    page = soup_of(browser.get(url("question", attempt, mc.position)))
    token = page.select_one("#answer-form input[name=csrfmiddlewaretoken]")["value"]
    data = {"csrfmiddlewaretoken": token, "choice": on_screen(mc, right_choice(mc)), "seq": 1}
    assert browser.post(url("answer", attempt, mc.position), data).status_code == 302
    # HTMX sends the token in a header (hx-headers on <body>).
    header_token = json.loads(page.body["hx-headers"])["X-CSRFToken"]
    data = {"choice": on_screen(mc, wrong_choice(mc)), "seq": 2}
    response = browser.post(url("answer", attempt, mc.position), data, HTTP_X_CSRFTOKEN=header_token, **HTMX)
    assert response.status_code == 200
    assert Slot.objects.get(pk=mc.pk).response == {"choice": wrong_choice(mc)}


def test_submitting_without_the_csrf_token_is_forbidden(student, attempt):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(student)
    assert browser.post(url("submit", attempt), {"confirm": "yes"}).status_code == 403
    assert Attempt.objects.get(pk=attempt.pk).is_open


@pytest.mark.parametrize(
    ("method", "name", "per_question"),
    [
        ("get", "answer", True),
        ("get", "check", True),
        ("get", "submit", False),
        ("get", "retry", False),
        ("post", "question", True),
        ("post", "review", False),
        ("post", "results", False),
        ("post", "attempt-detail", False),
        ("delete", "answer", True),
    ],
)
def test_the_wrong_method_is_not_allowed(signed_in, attempt, mc, method, name, per_question):
    target = url(name, attempt, mc.position) if per_question else url(name, attempt)
    assert getattr(signed_in, method)(target).status_code == 405


@pytest.mark.parametrize("method", ["post", "put"])
def test_the_history_takes_only_get(signed_in, method):
    assert getattr(signed_in, method)(reverse("exams:history")).status_code == 405


def test_new_practice_takes_no_delete(signed_in, exam):
    assert signed_in.delete(reverse("exams:new")).status_code == 405


def test_a_question_number_past_the_end_is_not_found(signed_in, attempt):
    assert signed_in.get(url("question", attempt, 5)).status_code == 404


def test_a_question_number_past_the_end_of_a_submitted_attempt_goes_to_the_results(signed_in, attempt):
    # No slot there: the attempt, read alone, says that it is closed (as for a question it has).
    submit_attempt(attempt=attempt, now=timezone.now())
    response = signed_in.get(url("question", attempt, 5))
    assert response.status_code == 302 and response["Location"] == url("results", attempt)
