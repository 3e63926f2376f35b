"""Reads for the student dashboard: one user's answers on one exam, in a fixed number of queries."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypedDict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.functions import Coalesce

from apps.content.models import Domain, Exam, Note, TaskStatement
from apps.exams import modes
from apps.exams import selectors as exam_selectors
from apps.exams.models import Attempt, Slot
from apps.progress import readiness

# A task statement needs this many graded answers before it can be called weak: one unlucky answer is not a
# weakness.
MIN_TASK_ANSWERS = 3
WEAKEST_COUNT = 3
# The trend shows the latest scores; older ones are still in the attempt history.
TREND_POINTS = 30


@dataclass(frozen=True)
class AnswerRow:
    """One slot of the user's attempts on the exam, as the dashboard reads it."""

    domain: int
    task_id: int | None
    answered: bool  # the student gave an answer
    graded: bool  # submitted or checked: is_correct is known
    scored: bool
    correct: bool
    at: datetime  # when it was answered, or when the attempt was submitted for a blank
    mode: str
    confidence: str

    def as_answer(self) -> readiness.Answer:
        return readiness.Answer(self.domain, self.correct, self.at, self.mode, self.confidence)


@dataclass(frozen=True)
class TaskAccuracy:
    answers: int  # graded answers counted
    share: float  # recency- and mode-weighted share right, as the readiness estimate weighs answers

    @property
    def percent(self) -> int:
        return round(100 * self.share)


@dataclass
class MasteryRow:
    number: int
    title: str
    weight: float  # percent of the exam
    answers: int
    share: float | None  # weighted share right; None before any answer
    enough: bool

    @property
    def percent(self) -> int | None:
        return None if self.share is None else round(100 * self.share)


@dataclass
class WeakTask:
    task: TaskStatement
    accuracy: TaskAccuracy
    notes: list[Note] = field(default_factory=list)  # teaching this task statement


class TrendPoint(TypedDict):
    """One submitted attempt on the score trend."""

    pk: int
    mode: str
    submitted_at: datetime
    percent: float
    scaled_score: int | None
    scaled_low: int | None
    scaled_high: int | None
    day: date
    mode_label: str


@dataclass
class Dashboard:
    exam: Exam
    readiness: readiness.Readiness | None  # None when the exam has no weighted domains
    mastery: list[MasteryRow]
    answered: int
    streak: int
    answered_today: bool
    trend: list[TrendPoint]
    weakest: list[WeakTask]
    due: int

    @property
    def needs_more(self) -> list[MasteryRow]:
        """The mastery rows of the domains that hold the estimate back."""
        wanted = set(self.readiness.needs_more) if self.readiness else set()
        return [row for row in self.mastery if row.number in wanted]


def answer_rows(user: User, exam: Exam, *, task: TaskStatement | None = None) -> list[AnswerRow]:
    """The user's graded or answered slots on the exam (optionally one task statement), in one query.

    A blank in a submitted attempt is graded (as wrong) and dated by the submission; a blank in an open
    attempt is neither and is left out.
    """
    slots = Slot.objects.filter(attempt__user=user, attempt__exam=exam).filter(
        Q(is_correct__isnull=False) | Q(response__isnull=False)
    )
    if task is not None:
        slots = slots.filter(task_statement=task)
    rows = slots.annotate(
        has_answer=ExpressionWrapper(Q(response__isnull=False), output_field=BooleanField()),
        at=Coalesce("answered_at", "attempt__submitted_at", "attempt__started_at"),
    ).values_list(
        "domain_number",
        "task_statement_id",
        "has_answer",
        "is_correct",
        "scored",
        "at",
        "attempt__mode",
        "confidence",
    )
    return [
        AnswerRow(
            domain=domain,
            task_id=task_id,
            answered=bool(has_answer),
            graded=is_correct is not None,
            scored=scored,
            correct=bool(is_correct),
            at=at,
            mode=mode,
            confidence=confidence,
        )
        for domain, task_id, has_answer, is_correct, scored, at, mode, confidence in rows.order_by()
    ]


def readiness_answers(rows: Iterable[AnswerRow]) -> list[readiness.Answer]:
    """What the readiness estimate counts: scored, graded answers (a blank is a wrong answer)."""
    return [row.as_answer() for row in rows if row.graded and row.scored]


def local_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def study_streak(days: Iterable[date], *, today: date) -> int:
    """Consecutive days with at least one answer, ending today, or yesterday while today is still open.

    A streak is not lost before the day is over: with answers yesterday and none yet today it still counts.
    """
    dates = set(days)
    day = today if today in dates else today - timedelta(days=1)
    streak = 0
    while day in dates:
        streak += 1
        day -= timedelta(days=1)
    return streak


def task_accuracy(rows: Iterable[AnswerRow], *, now: datetime) -> dict[int, TaskAccuracy]:
    """{task statement id: TaskAccuracy} over scored, graded answers, weighted like the readiness estimate."""
    weights: dict[int, float] = {}
    rights: dict[int, float] = {}
    counts: dict[int, int] = {}
    for row in rows:
        if not (row.graded and row.scored and row.task_id):
            continue
        answer = row.as_answer()
        weight = readiness.answer_weight(answer, now)
        weights[row.task_id] = weights.get(row.task_id, 0.0) + weight
        rights[row.task_id] = rights.get(row.task_id, 0.0) + weight * readiness.credit(answer)
        counts[row.task_id] = counts.get(row.task_id, 0) + 1
    return {
        task_id: TaskAccuracy(answers=counts[task_id], share=rights[task_id] / weights[task_id])
        for task_id in weights
        if weights[task_id] > 0
    }


def weakest_tasks(
    accuracy: dict[int, TaskAccuracy],
    tasks: Iterable[TaskStatement],
    *,
    limit: int = WEAKEST_COUNT,
    min_answers: int = MIN_TASK_ANSWERS,
) -> list[WeakTask]:
    """The task statements with the lowest weighted accuracy among those with enough answers.

    Ties (the same whole percent, as the page shows it) go to the task statement whose domain weighs more in
    the exam, since fixing it is worth more, then to the guide's order. `tasks` have their domain loaded.
    """
    candidates = [
        task for task in tasks if accuracy.get(task.pk) and accuracy[task.pk].answers >= min_answers
    ]
    candidates.sort(key=lambda task: (accuracy[task.pk].percent, -task.domain.weight, task.position))
    return [WeakTask(task=task, accuracy=accuracy[task.pk]) for task in candidates[:limit]]


def mastery(result: Iterable[readiness.DomainEstimate], titles: dict[int, str]) -> list[MasteryRow]:
    return [
        MasteryRow(
            number=domain.number,
            title=titles.get(domain.number, ""),
            weight=domain.weight,
            answers=domain.answers,
            share=domain.right / domain.evidence if domain.evidence > 0 else None,
            enough=domain.enough,
        )
        for domain in result
    ]


def score_trend(user: User, exam: Exam, *, limit: int = TREND_POINTS) -> list[TrendPoint]:
    """The latest submitted mock and custom attempts, oldest first: date, percent and scaled estimate."""
    rows = list(
        Attempt.objects.filter(
            user=user,
            exam=exam,
            status=Attempt.Status.SUBMITTED,
            mode__in=modes.representative_codes(),  # a retry or a review is chosen to be hard
            percent__isnull=False,
        )
        .order_by("-submitted_at", "-pk")
        .values_list("pk", "mode", "submitted_at", "percent", "scaled_score", "scaled_low", "scaled_high")[
            :limit
        ]
    )
    return [
        TrendPoint(
            pk=pk,
            mode=mode,
            submitted_at=submitted_at,
            percent=percent,
            scaled_score=scaled_score,
            scaled_low=scaled_low,
            scaled_high=scaled_high,
            day=local_day(submitted_at),
            mode_label=modes.get(mode).label,
        )
        for pk, mode, submitted_at, percent, scaled_score, scaled_low, scaled_high in reversed(rows)
    ]


def exam_task_statements(exam: Exam) -> list[TaskStatement]:
    tasks = list(TaskStatement.objects.filter(exam=exam).select_related("domain").order_by("position"))
    for task in tasks:
        task.exam = exam  # their URLs name the exam: no query per task statement
    return tasks


def _attach_notes(weak: list[WeakTask], exam: Exam) -> None:
    """Each weak task statement's notes, in one query (none when there is nothing to attach them to)."""
    if not weak:
        return
    by_task = {item.task.pk: item for item in weak}
    rows = (
        Note.objects.filter(task_statements__in=by_task)
        .order_by("order", "title")
        .values_list("pk", "slug", "title", "task_statements")
    )
    for pk, slug, title, task_id in rows:
        # The notes are the exam's own: building their URLs needs no further query.
        by_task[task_id].notes.append(Note(pk=pk, slug=slug, title=title, exam=exam))


def _readiness(
    exam: Exam, domains: Iterable[Domain], answers: list[readiness.Answer], now: datetime
) -> tuple[readiness.Readiness | None, list[readiness.DomainEstimate]]:
    weights = {domain.number: domain.weight for domain in domains}
    if not weights or sum(weights.values()) <= 0:
        return None, []
    if not exam.passing_score:
        # Without a published passing score there is no line to clear: show mastery, estimate nothing.
        estimates = readiness.domain_estimates(answers, weights=weights, now=now)
        return None, estimates
    result = readiness.estimate_readiness(
        answers,
        weights=weights,
        passing=exam.passing_score,
        now=now,
        score_min=exam.score_min,
        score_max=exam.score_max,
    )
    return result, result.domains


def last_practised_exam_id(user: User) -> int | None:
    """The exam of the student's latest attempt, or None before their first one."""
    return Attempt.objects.filter(user=user).order_by("-started_at").values_list("exam_id", flat=True).first()


def dashboard(user: User, exam: Exam, *, domains: list[Domain], now: datetime) -> Dashboard:
    """Everything the dashboard shows for one user and exam. `domains` are the exam's, already loaded.

    Five queries, however many attempts: the slots, the task statements, their notes, the trend and the
    review cards due.
    """
    rows = answer_rows(user, exam)
    result, estimates = _readiness(exam, domains, readiness_answers(rows), now)
    titles = {domain.number: domain.title for domain in domains}
    today = local_day(now)
    days = {local_day(row.at) for row in rows if row.answered}
    weak = weakest_tasks(task_accuracy(rows, now=now), exam_task_statements(exam))
    _attach_notes(weak, exam)
    return Dashboard(
        exam=exam,
        readiness=result,
        mastery=mastery(estimates, titles),
        answered=sum(1 for row in rows if row.answered),
        streak=study_streak(days, today=today),
        answered_today=today in days,
        trend=score_trend(user, exam),
        weakest=weak,
        due=exam_selectors.due_count(user, exam, now=now),
    )


def accuracy_by_task(
    user: User, exam: Exam, *, now: datetime, task: TaskStatement | None = None
) -> dict[int, TaskAccuracy]:
    """{task statement id: TaskAccuracy} for the exam (or one of its task statements), in one query."""
    return task_accuracy(answer_rows(user, exam, task=task), now=now)
