"""Reads with a rule: attempts belong to their owner; which questions a student may practise; mistakes."""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from apps.exams.models import Attempt, Slot
from apps.questions.models import Question
from apps.questions.selectors import sets_visible_to


def attempt_for(user, pk):
    """The user's own attempt, or 404 for anybody else's (no hint that it exists)."""
    return get_object_or_404(Attempt.objects.select_related("exam"), pk=pk, user=user)


def slot_for(attempt, position):
    return get_object_or_404(Slot.objects.filter(attempt=attempt), position=position)


def practice_pool(user, exam, *, domains=(), tasks=()):
    """Published questions of sets the user may use, for this exam, optionally narrowed to domains/tasks."""
    pool = Question.objects.published().filter(
        question_set__in=sets_visible_to(user), question_set__exam=exam
    )
    narrow = Q()
    if domains:
        narrow |= Q(task_statement__domain__number__in=domains)
    if tasks:
        narrow |= Q(task_statement__number__in=tasks)
    return pool.filter(narrow).filter(task_statement__isnull=False)


def pool_by_domain(pool):
    rows = pool.values_list("pk", "task_statement__domain__number")
    pools = {}
    for pk, domain in rows:
        pools.setdefault(domain, []).append(pk)
    return pools


def seen_question_ids(user, exam):
    return set(
        Slot.objects.filter(attempt__user=user, attempt__exam=exam).values_list("question_id", flat=True)
    )


def mistake_question_ids(user, exam):
    """Questions the user got wrong and has not answered correctly since (latest graded answer is wrong)."""
    rows = (
        Slot.objects.filter(
            attempt__user=user, attempt__exam=exam, is_correct__isnull=False, question__isnull=False
        )
        .order_by("attempt__started_at", "answered_at", "pk")
        .values_list("question_id", "is_correct")
    )
    latest = {}
    for question_id, correct in rows:
        latest[question_id] = correct
    return [question_id for question_id, correct in latest.items() if not correct]


def attempt_history(user):
    return (
        Attempt.objects.for_user(user)
        .select_related("exam")
        .annotate(answered=Count("slots", filter=Q(slots__response__isnull=False)))
    )


def navigator(attempt):
    """Per slot: position, answered, flagged (and, after checking, correctness), in one query."""
    return list(
        attempt.slots.values("position", "response", "flagged", "checked", "is_correct").order_by("position")
    )
