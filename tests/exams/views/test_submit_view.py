"""Submitting (the `submit` view): confirmation, grading, HTMX redirect, and a submitted or expired attempt
opened again."""

from datetime import timedelta

from django.utils import timezone

from apps.exams.models import Attempt
from apps.exams.services import submit_attempt
from tests.exams.views.helpers import HTMX, messages_of, url


def test_submitting_needs_the_confirmation(signed_in, three):
    response = signed_in.post(url("submit", three))
    assert response["Location"] == url("review", three)
    assert messages_of(response) == ["Confirm that you want to submit."]
    assert Attempt.objects.get(pk=three.pk).is_open


def test_a_confirmed_submit_grades_the_attempt_and_shows_the_results(signed_in, three):
    response = signed_in.post(url("submit", three), {"confirm": "yes"})
    assert response["Location"] == url("results", three)
    assert messages_of(response) == ["Your exam was submitted and graded."]
    attempt = Attempt.objects.get(pk=three.pk)
    assert (attempt.status, attempt.finish_reason, attempt.scored_count) == ("submitted", "submitted", 3)


def test_an_htmx_submit_redirects_the_whole_page(signed_in, three):
    response = signed_in.post(url("submit", three), {"confirm": "yes"}, **HTMX)
    assert response["HX-Redirect"] == url("results", three)


def test_a_submitted_attempts_question_and_review_pages_go_to_the_results(signed_in, three, now):
    submit_attempt(attempt=three, now=now)
    assert signed_in.get(url("question", three, 1))["Location"] == url("results", three)
    assert signed_in.get(url("review", three))["Location"] == url("results", three)
    assert signed_in.get(url("attempt-detail", three))["Location"] == url("results", three)


def test_an_expired_attempt_opened_again_is_submitted_and_says_so(signed_in, attempt, mc):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    response = signed_in.get(url("question", attempt, mc.position), follow=True)
    assert response.redirect_chain[-1][0] == url("results", attempt)
    assert "Time is up — your saved answers were submitted." in response.content.decode()
    attempt.refresh_from_db()
    assert (attempt.finish_reason, attempt.submitted_at) == ("time_up", attempt.deadline)
