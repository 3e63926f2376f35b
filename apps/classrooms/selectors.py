"""Reads with a rule: instructors see only their classrooms, students only their own memberships and work."""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404

from apps.classrooms.models import Assignment, AssignmentAttempt, Classroom, Membership
from apps.exams.models import Attempt
from apps.questions.models import QuestionSet
from apps.questions.roles import is_instructor


def can_teach(user):
    """Instructors (the Instructors group's permission) and superusers may create and run classrooms."""
    return is_instructor(user)


def classrooms_for_instructor(user):
    """The classrooms the user may run: those they teach (owner or co-instructor) while they hold the instructor
    role, every one for a superuser, none once the role is taken away (the class still lists them)."""
    classrooms = Classroom.objects.select_related("exam")
    if user.is_superuser:
        return classrooms
    if not can_teach(user):
        return classrooms.none()
    return classrooms.taught_by(user)


def classroom_for_instructor(user, pk):
    """A classroom the user may run (see classrooms_for_instructor), or 404 with no hint it exists."""
    return get_object_or_404(classrooms_for_instructor(user), pk=pk)


def may_manage_instructors(user, classroom):
    """Only the class's owner (who created it) or a superuser removes co-instructors."""
    return user.is_superuser or (classroom.created_by_id is not None and classroom.created_by_id == user.pk)


def co_instructors(classroom):
    """The class's instructors other than its owner: the ones the owner may remove."""
    if classroom.created_by_id is None:
        return classroom.instructors.all()
    return classroom.instructors.exclude(pk=classroom.created_by_id)


def assignable_sets(classroom):
    """Sets an assignment may draw from: those every student of the class can see — public sets of the exam and
    the sets shared with the class."""
    shared = classroom.question_sets.exclude(visibility=QuestionSet.Visibility.PRIVATE).values("pk")
    return QuestionSet.objects.filter(
        Q(visibility=QuestionSet.Visibility.PUBLIC) | Q(pk__in=shared), exam_id=classroom.exam_id
    ).order_by("title")


def membership_for(user, classroom_pk):
    """The user's active membership of a classroom, or 404 (also for an id beyond the column's range)."""
    # The class is matched by its own primary key, which Django bounds (an id beyond the column matches
    # nothing); `classroom_id=` on the foreign key is not bounded and overflowed in the SQLite driver (a 500).
    return get_object_or_404(
        Membership.objects.active().select_related("classroom__exam"),
        classroom__in=Classroom.objects.filter(pk=classroom_pk),
        student=user,
    )


def assignment_in(classroom, pk):
    return get_object_or_404(Assignment.objects.filter(classroom=classroom), pk=pk)


def class_attempts(classroom):
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
    best_domains: list = field(default_factory=list)  # the best attempt's stored results by domain
    minutes: int | None = None  # the time this student gets, extra time included; None: untimed

    @property
    def can_start(self):
        return self.status != "upcoming" and (self.open_attempt_id is not None or self.used < self.allowed)


def _status(assignment, rows, now):
    """upcoming / in progress / done / late / to do, from the student's attempts at the assignment."""
    if now < assignment.opens_at:
        return "upcoming"
    if any(row["attempt__status"] == Attempt.Status.OPEN for row in rows):
        return "in_progress"
    if any(row["attempt__status"] == Attempt.Status.SUBMITTED for row in rows):
        return "done"
    return "late" if now > assignment.due_at else "todo"


def summarize(assignment, rows, allowed, now):
    submitted = [r for r in rows if r["attempt__status"] == Attempt.Status.SUBMITTED]
    best = max(submitted, key=lambda r: (r["attempt__percent"] or 0, -r["attempt_id"]), default=None)
    first_done = min((r["attempt__submitted_at"] for r in submitted), default=None)
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


LINK_FIELDS = (
    "assignment_id",
    "student_id",
    "attempt_id",
    "attempt__status",
    "attempt__percent",
    "attempt__submitted_at",
    "attempt__domain_results",
)


def student_assignments(user, *, now, classroom=None):
    """The user's assignments in the classes they attend (or in one of them): one query when there are none,
    two when there are some."""
    assignments = Assignment.objects.filter(
        classroom__memberships__student=user, classroom__memberships__left_at__isnull=True
    )
    if classroom is not None:
        assignments = assignments.filter(classroom=classroom)
    assignments = list(
        assignments.select_related("classroom__exam").annotate(
            extra_attempts=models.F("classroom__memberships__extra_attempts"),
            set_count=models.Count("question_sets", distinct=True),
            extra_time_percent=models.F("classroom__memberships__extra_time_percent"),
        )
    )
    rows = {}
    if assignments:
        links = AssignmentAttempt.objects.filter(student=user, assignment__in=assignments)
        for row in links.values(*LINK_FIELDS):
            rows.setdefault(row["assignment_id"], []).append(row)
    items = [summarize(a, rows.get(a.pk, []), a.attempts_allowed + a.extra_attempts, now) for a in assignments]
    from apps.classrooms.services import assignment_minutes  # services reads this module's can_teach

    for item in items:
        item.minutes = assignment_minutes(
            assignment=item.assignment, extra_time_percent=item.assignment.extra_time_percent
        )
    order = {"in_progress": 0, "late": 1, "todo": 2, "upcoming": 3, "done": 4}
    return sorted(items, key=lambda item: (order[item.status], item.assignment.due_at))
