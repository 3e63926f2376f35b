"""Spaced review: only the due questions, the longest overdue first, capped at one sitting; never timed."""

from datetime import timedelta

from apps.exams.models import Attempt
from apps.exams.modes import review
from apps.exams.modes.review import NOTHING_DUE, REVIEW
from apps.exams.review_schedule import record_answers
from apps.exams.services import plan_attempt, start_attempt
from tests.exams.modes.planning import plan_for, request_for
from tests.factories import make_questions


def missed(user, questions, at):
    record_answers(user=user, answers=[(q.pk, False, "") for q in questions], now=at)


def test_a_review_asks_only_the_due_questions_longest_overdue_first(student, exam, bank, now):
    older, newer, known, never = make_questions(question_set=bank, count=4)
    missed(student, [older], now - timedelta(hours=5))
    missed(student, [newer], now - timedelta(hours=1))
    record_answers(user=student, answers=[(known.pk, True, "sure")], now=now - timedelta(hours=1))

    plan = plan_for(student, exam, "review", now=now)

    assert plan.question_ids == [older.pk, newer.pk]
    assert (plan.minutes, plan.problem) == (None, "")


def test_a_review_is_capped_at_one_sitting(student, exam, bank, now, monkeypatch):
    monkeypatch.setattr(review, "MAX_REVIEW_QUESTIONS", 3)
    questions = make_questions(question_set=bank, count=5)
    for hours, question in enumerate(questions):
        missed(student, [question], now - timedelta(hours=10 - hours))

    plan = plan_for(student, exam, "review", now=now)

    assert plan.question_ids == [q.pk for q in questions[:3]]


def test_nothing_due_says_so(student, exam, bank, now):
    make_questions(question_set=bank, count=2)

    plan = plan_for(student, exam, "review", now=now)

    assert (plan.question_ids, plan.problem) == ([], NOTHING_DUE)


def test_a_started_review_keeps_the_planned_order(student, exam, bank, now):
    questions = make_questions(question_set=bank, count=6)
    for hours, question in enumerate(questions):
        missed(student, [question], now - timedelta(hours=10 - hours))
    request = request_for(exam, "review", timed=False, feedback="immediate")
    plan = plan_attempt(user=student, request=request, seed="s1", now=now)

    attempt = start_attempt(user=student, request=request, plan=plan, now=now, seed="s1")

    assert list(attempt.slots.order_by("position").values_list("question_id", flat=True)) == plan.question_ids


def test_a_review_is_never_timed_and_shows_each_answer_at_once(exam):
    request = REVIEW.request(
        exam=exam, domains=[1], tasks=["1.1"], count=10, timed=True, feedback="end", pilot=True
    )
    assert (request.domains, request.tasks, request.count, request.pilot) == ([], [], 0, False)
    assert (request.timed, request.feedback) == (False, Attempt.Feedback.IMMEDIATE)
    assert REVIEW.minutes(request_for(exam, "review", timed=False)) is None


def test_a_review_asks_for_confidence_and_keeps_the_site_around():
    assert REVIEW.asks_confidence
    assert not REVIEW.exam_conditions
    assert not REVIEW.shuffles_order
