"""Reads with a rule: instructors see only their classrooms, students only their own memberships and work."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypedDict, cast

from django.contrib.auth.models import AnonymousUser, User
from django.db import models
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from apps.classrooms.models import Assignment, AssignmentAttempt, Classroom, ClassroomQuerySet, Membership
from apps.exams.models import Attempt
from apps.questions.models import QuestionSet
from apps.questions.roles import is_instructor


def can_teach(user: User | AnonymousUser) -> bool:
    """Instructors (the Instructors group's permission) and superusers may create and run classrooms."""
    return is_instructor(user)


def classrooms_for_instructor(user: User) -> ClassroomQuerySet:
    """The classrooms the user may run: those they teach (owner or co-instructor) while they hold the instructor
    role, every one for a superuser, none once the role is taken away (the class still lists them)."""
    classrooms = Classroom.objects.select_related("exam")
    if user.is_superuser:
        return classrooms
    if not can_teach(user):
        return classrooms.none()
    return classrooms.taught_by(user)


def classroom_for_instructor(user: User, pk: int) -> Classroom:
    """A classroom the user may run (see classrooms_for_instructor), or 404 with no hint it exists."""
    return get_object_or_404(classrooms_for_instructor(user), pk=pk)


def may_manage_instructors(user: User, classroom: Classroom) -> bool:
    """Only the class's owner (who created it) or a superuser removes co-instructors."""
    return user.is_superuser or (classroom.created_by_id is not None and classroom.created_by_id == user.pk)


def co_instructors(classroom: Classroom) -> QuerySet[User]:
    """The class's instructors other than its owner: the ones the owner may remove."""
    if classroom.created_by_id is None:
        return classroom.instructors.all()
    return classroom.instructors.exclude(pk=classroom.created_by_id)


def assignable_sets(classroom: Classroom) -> QuerySet[QuestionSet]:
    """Sets an assignment may draw from: those every student of the class can see — public sets of the exam and
    the sets shared with the class."""
    shared = classroom.question_sets.exclude(visibility=QuestionSet.Visibility.PRIVATE).values("pk")
    return QuestionSet.objects.filter(
        Q(visibility=QuestionSet.Visibility.PUBLIC) | Q(pk__in=shared), exam_id=classroom.exam_id
    ).order_by("title")


def membership_for(user: User, classroom_pk: int) -> Membership:
    """The user's active membership of a classroom, or 404 (also for an id beyond the column's range)."""
    # The class is matched by its own primary key, which Django bounds (an id beyond the column matches
    # nothing); `classroom_id=` on the foreign key is not bounded and overflowed in the SQLite driver (a 500).
    return get_object_or_404(
        Membership.objects.active().select_related("classroom__exam"),
        classroom__in=Classroom.objects.filter(pk=classroom_pk),
        student=user,
    )


def assignment_in(classroom: Classroom, pk: int) -> Assignment:
    return get_object_or_404(Assignment.objects.filter(classroom=classroom), pk=pk)


def class_attempts(classroom: Classroom) -> QuerySet[Attempt]:
    """Submitted attempts on the class's exam by its current students, started since each of them joined.

    This is what a class's instructors may see of a student's practice: their own practice on the class's
    exam while they are in the class (the join page says so). A student who leaves drops out of it.
    """
    return Attempt.objects.filter(
        exam_id=classroom.exam_id,
        status=Attempt.Status.SUBMITTED,
        user__memberships__classroom=classroom,
        user__memberships__left_at__isnull=True,
        started_at__gte=models.F("user__memberships__joined_at"),
    )


# ------------------------------------------------------------------------------------- student's to-do list
@dataclass
class StudentAssignment:
    """One assignment as a student sees it on their dashboard."""

    assignment: Assignment
    status: str  # upcoming | todo | in_progress | done | late
    used: int
    allowed: int
    best_percent: float | None = None
    best_attempt_id: int | None = None
    open_attempt_id: int | None = None
    submitted_late: bool = False
    best_domains: list[dict[str, Any]] = field(
        default_factory=list
    )  # the best attempt's stored results by domain
    minutes: int | None = None  # the time this student gets, extra time included; None: untimed

    @property
    def can_start(self) -> bool:
        return self.status != "upcoming" and (self.open_attempt_id is not None or self.used < self.allowed)


def _status(assignment: Assignment, rows: list["AttemptLink"], now: datetime) -> str:
    """upcoming / in progress / done / late / to do, from the student's attempts at the assignment."""
    if now < assignment.opens_at:
        return "upcoming"
    if any(row["attempt__status"] == Attempt.Status.OPEN for row in rows):
        return "in_progress"
    if any(row["attempt__status"] == Attempt.Status.SUBMITTED for row in rows):
        return "done"
    return "late" if now > assignment.due_at else "todo"


def summarize(
    assignment: Assignment, rows: list["AttemptLink"], allowed: int, now: datetime
) -> StudentAssignment:
    submitted = [r for r in rows if r["attempt__status"] == Attempt.Status.SUBMITTED]
    best = max(submitted, key=lambda r: (r["attempt__percent"] or 0, -r["attempt_id"]), default=None)
    first_done = min(
        (r["attempt__submitted_at"] for r in submitted if r["attempt__submitted_at"]), default=None
    )
    return StudentAssignment(
        assignment=assignment,
        status=_status(assignment, rows, now),
        used=len(rows),
        allowed=allowed,
        best_percent=best["attempt__percent"] if best else None,
        best_attempt_id=best["attempt_id"] if best else None,
        open_attempt_id=next(
            (r["attempt_id"] for r in rows if r["attempt__status"] == Attempt.Status.OPEN), None
        ),
        submitted_late=bool(first_done and first_done > assignment.due_at),
        best_domains=best["attempt__domain_results"] if best else [],
    )


class AttemptLink(TypedDict):
    """A row of `AssignmentAttempt.objects.values(*LINK_FIELDS)`: one attempt at an assignment."""

    assignment_id: int
    student_id: int
    attempt_id: int
    attempt__status: str
    attempt__percent: float | None
    attempt__submitted_at: datetime | None
    attempt__domain_results: list[dict[str, Any]]


LINK_FIELDS = (
    "assignment_id",
    "student_id",
    "attempt_id",
    "attempt__status",
    "attempt__percent",
    "attempt__submitted_at",
    "attempt__domain_results",
)


def student_assignments(
    user: User, *, now: datetime, classroom: Classroom | None = None
) -> list[StudentAssignment]:
    """The user's assignments in the classes they attend (or in one of them): one query when there are none,
    two when there are some."""
    query = Assignment.objects.filter(
        classroom__memberships__student=user, classroom__memberships__left_at__isnull=True
    )
    if classroom is not None:
        query = query.filter(classroom=classroom)
    assignments = list(
        query.select_related("classroom__exam").annotate(
            extra_attempts=models.F("classroom__memberships__extra_attempts"),
            set_count=models.Count("question_sets", distinct=True),
            extra_time_percent=models.F("classroom__memberships__extra_time_percent"),
        )
    )
    rows: dict[int, list[AttemptLink]] = {}
    if assignments:
        links = AssignmentAttempt.objects.filter(student=user, assignment__in=assignments)
        for row in links.values(*LINK_FIELDS):
            rows.setdefault(row["assignment_id"], []).append(cast(AttemptLink, row))
    items = [
        summarize(a, rows.get(a.pk, []), a.attempts_allowed + a.extra_attempts, now) for a in assignments
    ]
    from apps.classrooms.services import assignment_minutes  # services reads this module's can_teach

    for assignment, item in zip(assignments, items, strict=True):
        item.minutes = assignment_minutes(
            assignment=assignment, extra_time_percent=assignment.extra_time_percent
        )
    order = {"in_progress": 0, "late": 1, "todo": 2, "upcoming": 3, "done": 4}
    return sorted(items, key=lambda item: (order[item.status], item.assignment.due_at))
