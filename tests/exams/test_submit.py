"""Submitting an attempt: grading once, the stored score report, and attempts whose time ran out."""

import threading
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.exams import review_schedule
from apps.exams.models import Attempt, ReviewCard, Slot
from apps.exams.scoring import correct_response
from apps.exams.services import Outcome, check_answer, finalize_if_expired, save_response, submit_attempt
from apps.questions.models import Choice, QuestionVersion
from apps.questions.services import refresh_question
from tests.factories import make_attempt, make_questions


def save(attempt, question, response, now, seq=1):
    slot = attempt.slots.get(question=question)
    return save_response(attempt=attempt, slot=slot, response=response, seq=seq, now=now)


def right_answer(attempt, question):
    return correct_response(attempt.slots.get(question=question).snapshot)


def wrong_choice(attempt, question):
    choices = attempt.slots.get(question=question).snapshot["choices"]
    return {"choice": next(c["id"] for c in choices if not c["correct"])}


# ------------------------------------------------------------------------------------------- grading
@pytest.fixture
def four_kinds(by_kind, student, now):
    """An attempt over one question of each kind: MC and ordering right, MR one short, matching one pair short."""
    attempt = make_attempt(user=student, questions=by_kind.values(), now=now, minutes=60)
    mc, mr, ordering, matching = by_kind.values()
    save(attempt, mc, right_answer(attempt, mc), now)
    save(attempt, mr, {"choices": right_answer(attempt, mr)["choices"][:1]}, now)
    save(attempt, ordering, right_answer(attempt, ordering), now)
    partial = dict(list(right_answer(attempt, matching)["matches"].items())[:2])
    save(attempt, matching, {"matches": partial}, now)
    return attempt


def test_submitting_grades_each_kind_all_or_nothing(four_kinds, by_kind, now):
    attempt, submitted_now = submit_attempt(attempt=four_kinds, now=now + timedelta(minutes=20))
    assert submitted_now is True
    graded = dict(attempt.slots.values_list("kind", "is_correct"))
    assert graded == {
        "multiple_choice": True,
        "multiple_response": False,
        "ordering": True,
        "matching": False,
    }
    assert (attempt.scored_count, attempt.correct_count, attempt.percent) == (4, 2, 50.0)


def test_submitting_closes_the_attempt_and_every_slot(four_kinds, now):
    attempt, _ = submit_attempt(attempt=four_kinds, now=now + timedelta(minutes=20))
    assert (attempt.status, attempt.finish_reason) == ("submitted", "submitted")
    assert attempt.submitted_at == now + timedelta(minutes=20)
    assert attempt.time_used_seconds() == 20 * 60
    assert set(attempt.slots.values_list("closed", flat=True)) == {True}


def test_an_unanswered_question_counts_as_wrong(by_kind, student, now):
    attempt = make_attempt(user=student, questions=[by_kind["multiple_choice"]], now=now)
    attempt, _ = submit_attempt(attempt=attempt, now=now)
    assert attempt.slots.get().is_correct is False
    assert (attempt.correct_count, attempt.scored_count, attempt.percent) == (0, 1, 0.0)


def test_only_scored_questions_count_towards_the_score(bank, student, now):
    scored, pilot = make_questions(question_set=bank, count=2)
    attempt = make_attempt(user=student, questions=[scored], unscored=[pilot], now=now)
    save(attempt, scored, wrong_choice(attempt, scored), now)
    save(attempt, pilot, right_answer(attempt, pilot), now)
    attempt, _ = submit_attempt(attempt=attempt, now=now)
    assert (attempt.question_count, attempt.scored_count, attempt.correct_count) == (2, 1, 0)
    assert attempt.slots.get(question=pilot).is_correct is True  # graded for the review all the same
    assert [row["total"] for row in attempt.domain_results] == [1]


def test_the_score_report_has_percentages_per_domain_and_task_statement(bank, student, now):
    a, b = make_questions(question_set=bank, count=2, task_statement="1.1", prefix="A")
    c, d = make_questions(question_set=bank, count=2, task_statement="1.2", prefix="C")
    e, f = make_questions(question_set=bank, count=2, task_statement="2.1", prefix="E")
    attempt = make_attempt(user=student, questions=[a, b, c, d, e, f], now=now)
    for question in (a, c, d):
        save(attempt, question, right_answer(attempt, question), now)
    for question in (b, e):
        save(attempt, question, wrong_choice(attempt, question), now)  # f is left unanswered

    attempt, _ = submit_attempt(attempt=attempt, now=now)
    assert attempt.domain_results == [
        {
            "key": 1,
            "title": "Data things",
            "total": 4,
            "correct": 3,
            "percent": 75,
            "competency": "Meets competencies",
        },
        {
            "key": 2,
            "title": "Model things",
            "total": 2,
            "correct": 0,
            "percent": 0,
            "competency": "Needs improvement",
        },
    ]
    assert [(r["key"], r["correct"], r["total"], r["percent"]) for r in attempt.task_results] == [
        ("1.1", 1, 2, 50),
        ("1.2", 2, 2, 100),
        ("2.1", 0, 2, 0),
    ]
    assert attempt.task_results[0]["title"] == "Task 1.1 of TST-C01"


def test_the_estimated_scaled_score_is_stored(four_kinds, now):
    attempt, _ = submit_attempt(attempt=four_kinds, now=now)
    # 2 of 4 right: 50% maps to 100 + 600 x 0.5 / 0.7; four questions leave a wide band around it.
    assert (attempt.scaled_score, attempt.scaled_low, attempt.scaled_high) == (529, 256, 818)
    assert attempt.pass_estimate == "borderline"


def test_an_exam_without_a_published_passing_score_gets_no_estimate(exam, by_kind, student, now):
    exam.passing_score = None
    exam.save()
    attempt = make_attempt(user=student, questions=[by_kind["multiple_choice"]], now=now)
    attempt, _ = submit_attempt(attempt=Attempt.objects.get(pk=attempt.pk), now=now)
    assert (attempt.scaled_score, attempt.pass_estimate) == (None, "")
    assert "competency" not in attempt.domain_results[0]


# ---------------------------------------------------------------------------------------- only once
def test_submitting_twice_grades_once(four_kinds, by_kind, now):
    first, _ = submit_attempt(attempt=four_kinds, now=now + timedelta(minutes=20))
    # Even if a slot's grade were tampered with, a second submit neither regrades nor moves the end time.
    Slot.objects.filter(attempt=first).update(is_correct=None)
    again, submitted_now = submit_attempt(attempt=first, now=now + timedelta(minutes=40))
    assert submitted_now is False
    assert (again.correct_count, again.scored_count, again.percent) == (2, 4, 50.0)
    assert again.submitted_at == now + timedelta(minutes=20)
    assert set(again.slots.values_list("is_correct", flat=True)) == {None}


def test_two_requests_submitting_the_same_open_attempt_grade_and_schedule_once(four_kinds, now):
    late = Attempt.objects.get(pk=four_kinds.pk)  # another request's copy, read while the attempt was open
    assert submit_attempt(attempt=four_kinds, now=now + timedelta(minutes=20))[1] is True
    attempt, submitted_now = submit_attempt(attempt=late, now=now + timedelta(minutes=30))
    assert submitted_now is False
    assert attempt.submitted_at == now + timedelta(minutes=20)
    assert set(ReviewCard.objects.filter(user=attempt.user).values_list("reps", flat=True)) == {1}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once: PostgreSQL")
def test_concurrent_submits_grade_once(by_kind, student, now):
    attempt = make_attempt(user=student, questions=by_kind.values(), now=now, minutes=60)
    mc = by_kind["multiple_choice"]
    save(attempt, mc, right_answer(attempt, mc), now)
    barrier, outcomes = threading.Barrier(2), []

    def submit():
        try:
            copy = Attempt.objects.get(pk=attempt.pk)
            barrier.wait()
            outcomes.append(submit_attempt(attempt=copy, now=now + timedelta(minutes=5))[1])
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, True]
    assert ReviewCard.objects.get(user=student, question=mc).reps == 1


# -------------------------------------------------------------------- answers that race the submit
def meanwhile(monkeypatch, action):
    """Run `action` once when the submit has read and graded the answers and worked out the review cards (its
    last step before the transaction)."""
    plan_answers = review_schedule.plan_answers

    def plan_then_act(**kwargs):
        planned = plan_answers(**kwargs)
        monkeypatch.setattr(review_schedule, "plan_answers", plan_answers)
        action()
        return planned

    monkeypatch.setattr(review_schedule, "plan_answers", plan_then_act)


def test_a_save_landing_between_the_grading_and_the_transaction_is_graded(
    four_kinds, by_kind, now, monkeypatch
):
    mr = by_kind["multiple_response"]
    meanwhile(monkeypatch, lambda: save(four_kinds, mr, right_answer(four_kinds, mr), now, seq=2))
    attempt, _ = submit_attempt(attempt=four_kinds, now=now + timedelta(minutes=20))
    assert attempt.slots.get(question=mr).is_correct is True
    assert (attempt.correct_count, attempt.percent) == (3, 75.0)
    assert ReviewCard.objects.get(user=attempt.user, question=mr).last_rating == 3  # Good: right this time


@pytest.mark.parametrize("race", [False, True], ids=["alone", "a save meanwhile"])
def test_the_attempt_returned_holds_what_was_stored_without_reading_it_again(
    four_kinds, by_kind, now, monkeypatch, race
):
    if race:  # the totals are then worked out again inside the transaction
        mr = by_kind["multiple_response"]
        meanwhile(monkeypatch, lambda: save(four_kinds, mr, right_answer(four_kinds, mr), now, seq=2))
    attempt, submitted_now = submit_attempt(attempt=four_kinds, now=now + timedelta(minutes=20))
    assert submitted_now is True
    stored = Attempt.objects.get(pk=attempt.pk)
    for field in Attempt._meta.concrete_fields:
        assert getattr(attempt, field.attname) == getattr(stored, field.attname), field.name


def test_a_check_landing_between_the_grading_and_the_transaction_schedules_once(
    by_kind, student, now, monkeypatch
):
    attempt = make_attempt(
        user=student, questions=by_kind.values(), now=now, minutes=60, feedback="immediate"
    )
    mc = by_kind["multiple_choice"]
    save(attempt, mc, right_answer(attempt, mc), now)
    meanwhile(
        monkeypatch, lambda: check_answer(attempt=attempt, slot=attempt.slots.get(question=mc), now=now)
    )
    submit_attempt(attempt=attempt, now=now + timedelta(minutes=20))
    assert ReviewCard.objects.get(user=student, question=mc).reps == 1


def test_a_card_reviewed_between_the_planning_and_the_transaction_is_reviewed_again(
    four_kinds, by_kind, now, monkeypatch
):
    mc = by_kind["multiple_choice"]  # another attempt of the same student, submitted meanwhile, had it wrong
    meanwhile(
        monkeypatch,
        lambda: review_schedule.record_answers(user=four_kinds.user, answers=[(mc.pk, False, "")], now=now),
    )
    submit_attempt(attempt=four_kinds, now=now + timedelta(minutes=20))
    card = ReviewCard.objects.get(user=four_kinds.user, question=mc)
    assert (card.reps, card.lapses, card.last_rating) == (2, 0, 3)


def test_a_save_after_submitting_is_refused(four_kinds, by_kind, now):
    attempt, _ = submit_attempt(attempt=four_kinds, now=now)
    mr = by_kind["multiple_response"]
    assert save(attempt, mr, right_answer(attempt, mr), now, seq=9) is Outcome.CLOSED
    attempt.refresh_from_db()
    assert attempt.correct_count == 2
    assert attempt.slots.get(question=mr).response != right_answer(attempt, mr)


# ------------------------------------------------------------------------------ frozen questions and scores
def swap_the_key(question):
    """An author's later edit: the right choice becomes wrong and a wrong one right."""
    right = question.choices.get(is_correct=True)
    wrong = question.choices.filter(is_correct=False).first()
    Choice.objects.filter(pk=right.pk).update(is_correct=False)
    Choice.objects.filter(pk=wrong.pk).update(is_correct=True)
    refresh_question(question=question)
    return right, wrong


def test_a_stored_score_never_changes_when_the_question_is_edited_later(by_kind, student, now):
    question = by_kind["multiple_choice"]
    attempt = make_attempt(user=student, questions=[question], now=now)
    save(attempt, question, right_answer(attempt, question), now)
    submit_attempt(attempt=attempt, now=now)

    swap_the_key(question)
    question.refresh_from_db()
    assert question.current_version.number == 2

    attempt = Attempt.objects.get(pk=attempt.pk)
    assert (attempt.correct_count, attempt.percent) == (1, 100.0)
    slot = attempt.slots.get()
    assert (slot.is_correct, slot.version.number) == (True, 1)
    # Submitting again (a double click arriving late) does not regrade against the edited question either.
    assert submit_attempt(attempt=attempt, now=now)[0].correct_count == 1


def test_the_results_page_still_shows_the_original_answer_after_an_edit(by_kind, student, client, now):
    question = by_kind["multiple_choice"]
    attempt = make_attempt(user=student, questions=[question], now=now)
    save(attempt, question, right_answer(attempt, question), now)
    submit_attempt(attempt=attempt, now=now)
    original_right, _ = swap_the_key(question)

    client.force_login(student)
    page = BeautifulSoup(client.get(reverse("exams:results", args=[attempt.pk])).content, "html.parser")
    marked = page.select("li.review-choice.is-correct")
    assert len(marked) == 1
    assert original_right.text_md in marked[0].get_text()
    assert "Your answer" in marked[0].get_text()
    assert page.select_one(".big-number").get_text(strip=True) == "1 / 1"
    # A problem report from here names the version the student answered, not the edited one.
    report = page.find("a", string="Report a problem with this question")["href"]
    assert report.startswith(reverse("questions:report", args=[question.pk]) + "?version=1&")


def test_an_edit_during_the_attempt_does_not_change_how_it_is_graded(by_kind, student, now):
    question = by_kind["multiple_choice"]
    attempt = make_attempt(user=student, questions=[question], now=now)
    answer = right_answer(attempt, question)
    swap_the_key(question)  # edited while the student is answering
    save(attempt, question, answer, now)
    attempt, _ = submit_attempt(attempt=attempt, now=now)
    assert attempt.correct_count == 1


# ------------------------------------------------------------------------------------------ time ran out
@pytest.fixture
def timed(by_kind, student, now):
    """A 30-minute attempt with its multiple-choice question answered right."""
    question = by_kind["multiple_choice"]
    attempt = make_attempt(user=student, questions=[question], now=now, minutes=30)
    save(attempt, question, right_answer(attempt, question), now)
    return attempt


def test_a_submit_after_the_deadline_ends_at_the_deadline(timed, now, settings):
    settings.EXAM_SAVE_GRACE_SECONDS = 5
    attempt, _ = submit_attempt(attempt=timed, now=timed.deadline + timedelta(seconds=3))
    assert attempt.submitted_at == timed.deadline
    assert attempt.time_used_seconds() == 30 * 60


def test_an_attempt_within_its_time_is_not_finalized(timed, settings):
    settings.EXAM_SAVE_GRACE_SECONDS = 5
    assert finalize_if_expired(attempt=timed, now=timed.deadline + timedelta(seconds=5)) is False
    assert Attempt.objects.get(pk=timed.pk).is_open


def test_an_expired_attempt_is_submitted_with_its_saved_answers_at_the_deadline(timed, settings):
    settings.EXAM_SAVE_GRACE_SECONDS = 5
    assert finalize_if_expired(attempt=timed, now=timed.deadline + timedelta(hours=5)) is True
    attempt = Attempt.objects.get(pk=timed.pk)
    assert (attempt.status, attempt.finish_reason) == ("submitted", "time_up")
    assert attempt.submitted_at == timed.deadline
    assert (attempt.correct_count, attempt.scored_count) == (1, 1)


def test_finalizing_an_already_submitted_attempt_does_nothing(timed, now):
    submit_attempt(attempt=timed, now=now)
    attempt = Attempt.objects.get(pk=timed.pk)
    assert finalize_if_expired(attempt=attempt, now=attempt.deadline + timedelta(hours=5)) is False
    attempt.refresh_from_db()
    assert (attempt.finish_reason, attempt.submitted_at) == ("submitted", now)


def test_the_close_expired_attempts_command_submits_only_expired_open_attempts(bank, student, capsys):
    questions = make_questions(question_set=bank, count=1)
    started = timezone.now() - timedelta(hours=2)
    expired = [make_attempt(user=student, questions=questions, now=started, minutes=30) for _ in range(2)]
    running = make_attempt(user=student, questions=questions, now=timezone.now(), minutes=30)
    untimed = make_attempt(user=student, questions=questions, now=started)

    call_command("close_expired_attempts")

    assert capsys.readouterr().out.strip() == "2 expired attempt(s) submitted."
    for attempt in expired:
        attempt.refresh_from_db()
        assert (attempt.status, attempt.finish_reason) == ("submitted", "time_up")
        assert attempt.submitted_at == attempt.deadline == started + timedelta(minutes=30)
        assert attempt.scored_count == 1
    assert Attempt.objects.get(pk=running.pk).is_open
    assert Attempt.objects.get(pk=untimed.pk).is_open
    call_command("close_expired_attempts")
    assert capsys.readouterr().out.strip() == "0 expired attempt(s) submitted."


def test_a_submit_after_the_deadline_and_its_grace_is_stored_as_time_ran_out(by_kind, student, now, settings):
    attempt = make_attempt(user=student, questions=[by_kind["multiple_choice"]], now=now, minutes=10)
    late = attempt.deadline + timedelta(seconds=settings.EXAM_SAVE_GRACE_SECONDS + 1)
    attempt, submitted = submit_attempt(attempt=attempt, now=late)
    assert submitted and attempt.finish_reason == Attempt.Finish.TIME_UP
    assert attempt.submitted_at == attempt.deadline


def test_a_submit_within_the_grace_is_a_submit(by_kind, student, now, settings):
    attempt = make_attempt(user=student, questions=[by_kind["multiple_choice"]], now=now, minutes=10)
    attempt, _ = submit_attempt(attempt=attempt, now=attempt.deadline + timedelta(seconds=1))
    assert attempt.finish_reason == Attempt.Finish.SUBMITTED


def test_the_submit_button_after_the_deadline_says_time_ran_out(client, by_kind, student, settings):
    started = timezone.now() - timedelta(minutes=30)
    attempt = make_attempt(user=student, questions=[by_kind["multiple_choice"]], now=started, minutes=10)
    client.force_login(student)
    response = client.post(reverse("exams:submit", args=[attempt.pk]), {"confirm": "yes"}, follow=True)
    assert "Time is up" in response.content.decode()
    assert Attempt.objects.get(pk=attempt.pk).finish_reason == Attempt.Finish.TIME_UP


def test_the_close_expired_attempts_command_closes_the_others_when_one_asks_an_unregistered_kind(
    bank, student, capsys
):
    started = timezone.now() - timedelta(hours=2)
    broken, fine = (
        make_attempt(
            user=student,
            questions=make_questions(question_set=bank, count=1, prefix=p),
            now=started,
            minutes=30,
        )
        for p in ("Broken", "Fine")
    )
    version = broken.slots.get().version
    QuestionVersion.objects.filter(pk=version.pk).update(
        kind="essay", content={**version.content, "kind": "essay"}
    )

    call_command("close_expired_attempts")

    assert capsys.readouterr().out.strip() == "1 expired attempt(s) submitted."
    assert Attempt.objects.get(pk=fine.pk).status == Attempt.Status.SUBMITTED
    assert Attempt.objects.get(pk=broken.pk).is_open
