"""The attempt history: listing, resuming, and closing attempts whose time ran out."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from apps.exams.models import Attempt
from apps.exams.services import save_response
from apps.questions.models import QuestionVersion
from tests.exams.views.helpers import right_choice, soup_of, url
from tests.factories import make_attempt, make_questions


def test_the_history_lists_the_students_attempts_and_resumes_open_ones(
    signed_in, graded, bank, student, other_student
):
    open_one = make_attempt(
        user=student, questions=make_questions(question_set=bank, count=2, prefix="New"), now=timezone.now()
    )
    theirs = make_attempt(
        user=other_student,
        questions=make_questions(question_set=bank, count=1, prefix="Theirs"),
        now=timezone.now(),
    )
    page = soup_of(signed_in.get(reverse("exams:history")))
    links = {a["href"]: a.get_text() for a in page.select("tbody a")}
    assert links == {url("attempt-detail", open_one): "Resume", url("results", graded): "Results"}
    assert url("attempt-detail", theirs) not in links
    assert "1 / 3 (33%)" in page.get_text()


def test_resuming_goes_to_the_first_unanswered_question(signed_in, three, now):
    slot = three.slots.get(position=1)
    save_response(attempt=three, slot=slot, response={"choice": right_choice(slot)}, seq=1, now=now)
    assert signed_in.get(url("attempt-detail", three))["Location"] == url("question", three, 2)


def test_the_history_submits_attempts_whose_time_ran_out(signed_in, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
    page = soup_of(signed_in.get(reverse("exams:history")))
    assert [a["href"] for a in page.select("tbody a")] == [url("results", attempt)]
    assert Attempt.objects.get(pk=attempt.pk).finish_reason == "time_up"


def test_an_empty_history_points_to_new_practice(signed_in):
    page = soup_of(signed_in.get(reverse("exams:history")))
    assert "No attempts yet." in page.get_text()


def _asking_an_unregistered_kind(attempt):
    """`attempt` with its first slot's version rewritten to a kind no module registers (a kind removed)."""
    version = attempt.slots.get(position=1).version
    QuestionVersion.objects.filter(pk=version.pk).update(
        kind="essay", content={**version.content, "kind": "essay"}
    )
    return attempt


def test_an_expired_attempt_asking_an_unregistered_kind_does_not_break_the_history(signed_in, bank, student):
    started = timezone.now() - timedelta(hours=3)
    broken = _asking_an_unregistered_kind(
        make_attempt(
            user=student, questions=make_questions(question_set=bank, count=2), now=started, minutes=60
        )
    )
    other = make_attempt(
        user=student,
        questions=make_questions(question_set=bank, count=1, prefix="Other"),
        now=started,
        minutes=60,
    )
    response = signed_in.get(reverse("exams:history"))
    assert response.status_code == 200
    assert Attempt.objects.get(pk=other.pk).status == Attempt.Status.SUBMITTED
    assert Attempt.objects.get(pk=broken.pk).status == Attempt.Status.OPEN
