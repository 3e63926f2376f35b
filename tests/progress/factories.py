"""Answers given through the real services (and, for size tests, stored in bulk), for the dashboard tests."""

from datetime import timedelta

from django.utils import timezone

from apps.exams.models import Attempt, Slot
from apps.exams.services import check_answer, save_response, submit_attempt
from tests.factories import make_attempt


def choice(slot, *, right):
    return next(c["id"] for c in slot.snapshot["choices"] if c["correct"] is right)


def answer_all(attempt, *, right, now, confidence=""):
    """Answer every slot of the attempt: right for the questions in `right`, wrong for the others."""
    right = {question.pk for question in right}
    for slot in attempt.slots.all():
        response = {"choice": choice(slot, right=slot.question_id in right)}
        save_response(attempt=attempt, slot=slot, response=response, seq=1, now=now, confidence=confidence)


def practise(*, user, questions, right=(), now=None, mode="custom", confidence=""):
    """A submitted attempt over `questions`, with those in `right` answered right and the rest wrong."""
    now = now or timezone.now()
    attempt = make_attempt(user=user, questions=questions, now=now, mode=mode)
    answer_all(attempt, right=right, now=now, confidence=confidence)
    return submit_attempt(attempt=attempt, now=now)[0]


def check_all(*, user, questions, right=(), now=None, mode="custom"):
    """An open immediate-feedback attempt whose answers were all checked (graded, not submitted)."""
    now = now or timezone.now()
    attempt = make_attempt(user=user, questions=questions, now=now, mode=mode, feedback="immediate")
    answer_all(attempt, right=right, now=now)
    for slot in attempt.slots.all():
        check_answer(attempt=attempt, slot=slot, now=now)
    return attempt


def bulk_attempts(*, user, exam, questions, count, now):
    """`count` submitted custom attempts over `questions` (half right), stored in bulk for size tests."""
    attempts = Attempt.objects.bulk_create(
        Attempt(
            user=user,
            exam=exam,
            mode=Attempt.Mode.CUSTOM,
            status=Attempt.Status.SUBMITTED,
            started_at=now - timedelta(hours=i),
            submitted_at=now - timedelta(hours=i) + timedelta(minutes=5),
            question_count=len(questions),
            scored_count=len(questions),
            correct_count=len(questions) // 2,
            percent=50.0,
            scaled_score=550,
            scaled_low=400,
            scaled_high=700,
        )
        for i in range(count)
    )
    Slot.objects.bulk_create(
        Slot(
            attempt=attempt,
            position=position,
            question=question,
            version=question.current_version,
            task_statement=question.task_statement,
            domain_number=question.task_statement.domain.number,
            kind=question.kind,
            layout=[c["id"] for c in question.current_version.content["choices"]],
            response={"choice": 1},
            seq=1,
            answered_at=attempt.started_at,
            closed=True,
            is_correct=position % 2 == 0,
        )
        for attempt in attempts
        for position, question in enumerate(questions, 1)
    )
    return attempts
