"""Reads with a rule: attempts belong to their owner; which questions a student may practise; mistakes; what
is due for review."""

from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from apps.content.models import Exam, Note
from apps.exams import presenters
from apps.exams.models import Attempt, ReviewCard, Slot
from apps.exams.snapshots import arranged
from apps.questions.kinds.base import Snapshot
from apps.questions.models import Question
from apps.questions.selectors import note_url_maker, section_links, sets_visible_to


def attempt_for(user: User, pk: int) -> Attempt:
    """The user's own attempt, or 404 for anybody else's (no hint that it exists)."""
    # The user comes along in the same query: grading and checking hand it to the review schedule.
    attempt: Attempt = get_object_or_404(Attempt.objects.select_related("exam", "user"), pk=pk, user=user)
    return attempt


def slot_for(attempt: Attempt, position: int) -> Slot:
    return get_object_or_404(Slot.objects.filter(attempt=attempt), position=position)


def _owned_slot(user: User, pk: int, position: int, *, with_exam: bool) -> Slot | None:
    # The version comes with every slot (the default manager). The owner is the user: handed over rather than
    # joined. The exam only where the page shows it; grading (time up) reads it in a query of its own.
    related = "attempt__exam" if with_exam else "attempt"
    try:
        # get(), not first(): first()'s ORDER BY costs more to build than the rest of the query.
        slot: Slot = (
            Slot.objects.select_related(related)
            # attempt__pk, not attempt_id: the attempt's own id field finds nothing for a number beyond its
            # column (the foreign key's lookup would send it and fail with an overflow, a 500).
            .filter(attempt__pk=pk, attempt__user=user, position=position)
            .get()
        )
    except Slot.DoesNotExist:
        return None
    slot.attempt.user = user
    return slot


def owned_slot(user: User, pk: int, position: int, *, with_exam: bool = False) -> Slot:
    """The slot at `position` of the user's own attempt `pk`, with the attempt (`slot.attempt`), in one query
    instead of attempt_for's and slot_for's two; 404 for anybody else's attempt or a position it lacks."""
    slot = _owned_slot(user, pk, position, with_exam=with_exam)
    if slot is None:
        raise Http404("No such question in your attempts.")
    return slot


def owned_slot_or_none(user: User, pk: int, position: int) -> Slot | None:
    """As owned_slot (with the exam), but None where it would be a 404: the caller then asks attempt_for and
    slot_for, which tell the cases apart (another's attempt, a submitted one, a position it lacks)."""
    return _owned_slot(user, pk, position, with_exam=True)


def practice_pool(
    user: User | AnonymousUser,
    exam: Exam,
    *,
    domains: Collection[int] = (),
    tasks: Collection[str] = (),
    sets: Collection[int] = (),
) -> QuerySet[Question]:
    """Published questions of sets the user may use, for this exam, optionally narrowed to domains/tasks and
    to some of those sets."""
    pool: QuerySet[Question] = Question.objects.published().filter(
        question_set__in=sets_visible_to(user), question_set__exam=exam
    )
    if sets:
        pool = pool.filter(question_set__in=sets)
    narrow = Q()
    if domains:
        narrow |= Q(task_statement__domain__number__in=domains)
    if tasks:
        narrow |= Q(task_statement__number__in=tasks)
    return pool.filter(narrow).filter(task_statement__isnull=False)


def seen_question_ids(user: User, exam: Exam) -> set[int]:
    return set(_seen(user, exam).values_list("question_id", flat=True))


def _seen(user: User, exam: Exam) -> QuerySet[Slot]:
    """The slots of the user's attempts at this exam: what they have seen."""
    return Slot.objects.filter(attempt__user=user, attempt__exam=exam)


def pool_with_seen(user: User, exam: Exam, *, sets: Collection[int] = ()) -> list[tuple[int, int, bool]]:
    """(id, domain number, seen by the user) of each question of the practice pool, in the pool's order: the
    pool, its domains and what the user has seen in one query (a mock's plan needs all three)."""
    seen = ExpressionWrapper(Q(pk__in=_seen(user, exam).values("question_id")), output_field=BooleanField())
    rows = (
        practice_pool(user, exam, sets=sets)
        .annotate(seen=seen)
        .values_list("pk", "task_statement__domain__number", "seen")
    )
    return [(pk, domain, bool(was_seen)) for pk, domain, was_seen in rows]


def mistake_question_ids(user: User, exam: Exam) -> list[int]:
    """Questions the user got wrong and has not answered correctly since (latest graded answer is wrong)."""
    rows = (
        Slot.objects.filter(
            attempt__user=user, attempt__exam=exam, is_correct__isnull=False, question__isnull=False
        )
        .order_by("attempt__started_at", "answered_at", "pk")
        .values_list("question_id", "is_correct")
    )
    latest: dict[int, bool | None] = {}
    for question_id, correct in rows:
        latest[question_id] = correct
    return [question_id for question_id, correct in latest.items() if not correct]


def mistake_snapshots(user: User, exam: Exam) -> list[tuple[int, Snapshot]]:
    """The user's missed questions (as mistake_question_ids) as they last saw them: [(question id, snapshot)].

    The versions asked, not the live questions: they hold only what the student was shown, even if a set has
    been made private since. Two queries, however many attempts.
    """
    ids = mistake_question_ids(user, exam)
    rows = (
        Slot.objects.filter(attempt__user=user, attempt__exam=exam, question_id__in=ids, is_correct=False)
        .order_by("attempt__started_at", "answered_at", "pk")
        .values_list("question_id", "version__content", "layout")
    )
    # Later rows overwrite earlier ones: the last wrong answer's version and layout.
    latest = {pk: (content, layout) for pk, content, layout in rows}
    return [(pk, arranged(*latest[pk])) for pk in ids if pk in latest]


def _due_cards(user: User, exam: Exam, now: datetime) -> QuerySet[ReviewCard]:
    """The user's review cards due by `now`, for questions of this exam they may still practise."""
    return ReviewCard.objects.filter(
        user=user, due__lte=now, question__in=practice_pool(user, exam).values("pk")
    )


def due_question_ids(user: User, exam: Exam, *, now: datetime, limit: int) -> list[int]:
    """Up to `limit` due questions, the longest overdue first."""
    return list(
        _due_cards(user, exam, now).order_by("due", "pk").values_list("question_id", flat=True)[:limit]
    )


def due_count(user: User, exam: Exam, *, now: datetime | None = None) -> int:
    """How many questions are due for review now (one query)."""
    return _due_cards(user, exam, now or timezone.now()).count()


def attempt_history(user: User) -> QuerySet[Attempt]:
    history: QuerySet[Attempt] = (
        Attempt.objects.for_user(user)
        .select_related("exam")
        .annotate(answered=Count("slots", filter=Q(slots__response__isnull=False)))
    )
    return history


def question_url(attempt: Attempt, position: int, *, prefix: str | None = None) -> str:
    """The address of one question of the attempt; pass `prefix` (from question_url_prefix) in a loop."""
    return f"{prefix or question_url_prefix(attempt)}{position}/"


def question_url_prefix(attempt: Attempt) -> str:
    # One reversal for the whole navigator: 65 {% url %} tags were a third of the question page's time.
    return reverse("exams:question", args=[attempt.pk, 0]).removesuffix("0/")


def navigator(attempt: Attempt) -> list[dict[str, Any]]:
    """Per slot: position, address, answer (None when unanswered) and flag, in one query: what the
    navigator and the review page show, nothing more (each column read is converted 65 times)."""
    prefix = question_url_prefix(attempt)
    return [
        {**item, "url": question_url(attempt, item["position"], prefix=prefix)}
        for item in attempt.slots.values("position", "response", "flagged").order_by("position")
    ]


# What the results review reads of each slot, as plain values (no slot or version instances).
REVIEW_VALUES = (
    "position",
    "is_correct",
    "flagged",
    "scored",
    "question_id",
    "task_statement_id",
    "response",
    "layout",
    "version__content",
    "version__number",
)


def results_review(attempt: Attempt, *, show: str = "all") -> tuple[list[dict[str, Any]], int]:
    """Review rows of a submitted attempt (all, incorrect or flagged) with a link to the note section that
    teaches each question (else the notes of its task statement), and how many answers were wrong — in three
    queries whatever the number of questions.

    The slots are read as plain values, and each row carries what the page prints as plain keys, with its
    report link built from one reversal: the template then reads dictionaries only (65 rows of model
    instances, attribute lookups and {% url %} tags were most of the page's time)."""
    slots = list(attempt.slots.order_by("position").values(*REVIEW_VALUES))
    shown = {
        "incorrect": [s for s in slots if not s["is_correct"]],
        "flagged": [s for s in slots if s["flagged"]],
    }.get(show, slots)
    task_ids = {s["task_statement_id"] for s in slots if s["task_statement_id"]}
    notes: dict[int | None, list[dict[str, str]]] = {}
    note_url = note_url_maker()
    for note in Note.objects.filter(task_statements__in=task_ids).values(
        "slug", "title", "exam__slug", "task_statements"
    ):
        url = note_url(note["exam__slug"], note["slug"])
        notes.setdefault(note["task_statements"], []).append({"title": note["title"], "url": url})
    sections = section_links([s["question_id"] for s in shown if s["question_id"]])
    head, tail = reverse("questions:report", args=[0]).split("/0/", 1)
    rows = []
    for slot in shown:
        question_id = slot["question_id"]
        rows.append(
            {
                **presenters.review_of(arranged(slot["version__content"], slot["layout"]), slot["response"]),
                "position": slot["position"],
                "is_correct": slot["is_correct"],
                "flagged": slot["flagged"],
                "scored": slot["scored"],
                "report_url": (
                    f"{head}/{question_id}/{tail}?version={slot['version__number']}" if question_id else ""
                ),
                "section": sections.get(question_id) if question_id else None,
                "notes": notes.get(slot["task_statement_id"], []),
            }
        )
    return rows, sum(1 for s in slots if not s["is_correct"])
