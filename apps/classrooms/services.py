"""Running a classroom: create, join and leave, members and accommodations, co-instructors, sharing question
sets, assignments, and starting an assignment's attempt."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from apps.classrooms.models import (
    CODE_ALPHABET,
    Assignment,
    AssignmentAttempt,
    Classroom,
    Membership,
    new_join_code,
)
from apps.classrooms.selectors import can_teach
from apps.content.models import Exam
from apps.exams import services as exam_services
from apps.exams.models import Attempt
from apps.exams.modes.base import PracticeRequest
from apps.questions.models import QuestionSet

UNKNOWN_CODE = "No class has that code. Check it with your instructor: codes can be changed."


class ClassroomError(Exception):
    """A request that cannot be done, with a message for the person who asked."""


def normalize_code(text: str | None) -> str:
    """What a student typed as a join code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (text or "").upper() if ch in CODE_ALPHABET)


# -------------------------------------------------------------------------------------------- classrooms
@transaction.atomic
def create_classroom(*, instructor: User, name: str, exam: Exam) -> Classroom:
    if not can_teach(instructor):
        raise ClassroomError("Only instructors can create a classroom.")
    classroom = Classroom.objects.create(name=name.strip(), exam=exam, created_by=instructor)
    classroom.instructors.add(instructor)
    return classroom


def regenerate_code(*, classroom: Classroom) -> str:
    """A new join code; the old one stops working at once (students already in the class stay)."""
    for _ in range(5):
        code = new_join_code()
        try:
            with transaction.atomic():
                Classroom.objects.filter(pk=classroom.pk).update(join_code=code)
        except IntegrityError:  # pragma: no cover - 31^8 codes; a clash is next to impossible
            continue
        classroom.join_code = code
        return code
    raise ClassroomError("Could not make a new code; try again.")  # pragma: no cover


def add_co_instructor(*, classroom: Classroom, username: str | None) -> User:
    user = get_user_model().objects.filter(username__iexact=(username or "").strip()).first()
    if user is None or not can_teach(user):
        raise ClassroomError(f"There is no instructor called “{username}”.")
    if classroom.instructors.filter(pk=user.pk).exists():
        raise ClassroomError(f"{user.get_username()} already teaches this class.")
    if Membership.objects.active().filter(classroom=classroom, student=user).exists():
        raise ClassroomError(f"{user.get_username()} is a student of this class.")
    classroom.instructors.add(user)
    return user


def remove_co_instructor(*, classroom: Classroom, user: User) -> None:
    if classroom.instructors.count() <= 1:
        raise ClassroomError("A class needs at least one instructor.")
    classroom.instructors.remove(user)


# ------------------------------------------------------------------------------------------------ members
def join(*, student: User, code: str | None, now: datetime) -> Membership:
    """Join the class with this code. Joining again after leaving restores the membership (and its
    accommodations); a student an instructor removed must ask to be let back in."""
    code = normalize_code(code)
    classroom = Classroom.objects.filter(join_code=code).select_related("exam").first() if code else None
    if classroom is None:
        raise ClassroomError(UNKNOWN_CODE)
    if classroom.instructors.filter(pk=student.pk).exists():
        raise ClassroomError("You teach this class, so you cannot join it as a student.")
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            classroom=classroom, student=student, defaults={"joined_at": now}
        )
        if not created:
            if membership.is_active:
                raise ClassroomError(f"You are already in {classroom.name}.")
            if membership.removed:
                raise ClassroomError(
                    f"An instructor removed you from {classroom.name}; ask them to let you back in."
                )
            Membership.objects.filter(pk=membership.pk).update(joined_at=now, left_at=None)
            membership.joined_at, membership.left_at = now, None
    return membership


def leave(*, membership: Membership, now: datetime) -> None:
    Membership.objects.filter(pk=membership.pk, left_at__isnull=True).update(left_at=now)
    membership.left_at = now


def remove_student(*, membership: Membership, now: datetime) -> None:
    Membership.objects.filter(pk=membership.pk).update(left_at=now, removed=True)
    membership.left_at, membership.removed = now, True


def readmit_student(*, membership: Membership, now: datetime) -> None:
    """Let a removed student back in: they start again from now, as if they had just joined."""
    Membership.objects.filter(pk=membership.pk).update(left_at=None, removed=False, joined_at=now)
    membership.left_at, membership.removed, membership.joined_at = None, False, now


def set_accommodations(*, membership: Membership, extra_time_percent: int, extra_attempts: int) -> None:
    Membership.objects.filter(pk=membership.pk).update(
        extra_time_percent=extra_time_percent, extra_attempts=extra_attempts
    )
    membership.extra_time_percent, membership.extra_attempts = extra_time_percent, extra_attempts


# ------------------------------------------------------------------------------------------ sharing sets
def shareable_sets(*, classroom: Classroom, user: User) -> QuerySet[QuestionSet]:
    """The user's own sets for the class's exam (a superuser: every set with an owner for it)."""
    sets = QuestionSet.objects.filter(exam=classroom.exam, owner__isnull=False)
    return sets if user.is_superuser else sets.filter(owner=user)


@transaction.atomic
def share_sets(*, classroom: Classroom, user: User, sets: Iterable[QuestionSet]) -> list[QuestionSet]:
    """Share exactly `sets` of the user's own sets with the class (sets of co-instructors are left alone).

    A private set that gets shared becomes visible to "my classrooms" — to the classes it is shared with only.
    Returns the sets whose visibility changed.
    """
    mine = shareable_sets(classroom=classroom, user=user)
    chosen = set(mine.filter(pk__in=[s.pk for s in sets]).values_list("pk", flat=True))
    current = set(classroom.question_sets.filter(pk__in=mine.values("pk")).values_list("pk", flat=True))
    classroom.question_sets.remove(*(current - chosen))
    classroom.question_sets.add(*(chosen - current))
    opened = list(mine.filter(pk__in=chosen, visibility=QuestionSet.Visibility.PRIVATE))
    QuestionSet.objects.filter(pk__in=[s.pk for s in opened]).update(
        visibility=QuestionSet.Visibility.CLASSROOMS
    )
    return opened


# -------------------------------------------------------------------------------------------- assignments
def save_assignment(
    *, assignment: Assignment, question_sets: Iterable[QuestionSet], by: User | None = None
) -> Assignment:
    """Create or update an assignment (already validated by its form) and the sets it draws from."""
    if assignment.pk is None:
        assignment.created_by = by
    assignment.limited_to_sets = bool(question_sets)
    assignment.save()
    assignment.question_sets.set(question_sets)
    return assignment


@dataclass
class Allowance:
    used: int
    allowed: int

    @property
    def left(self) -> int:
        return max(0, self.allowed - self.used)


def allowance(*, assignment: Assignment, membership: Membership) -> Allowance:
    used = AssignmentAttempt.objects.filter(assignment=assignment, student_id=membership.student_id).count()
    return Allowance(used=used, allowed=assignment.attempts_allowed + membership.extra_attempts)


def practice_request(*, assignment: Assignment, membership: Membership) -> PracticeRequest:
    """What the assignment asks for, with the student's accommodations applied."""
    return _practice_request(
        assignment,
        extra_time_percent=membership.extra_time_percent,
        question_sets=[s.pk for s in assignment.question_sets.all()],
    )


def assignment_minutes(*, assignment: Assignment, extra_time_percent: int) -> int | None:
    """The minutes a student with this extra time gets for the assignment (None: untimed), as the clock will."""
    request = _practice_request(assignment, extra_time_percent=extra_time_percent, question_sets=[])
    return exam_services.allowed_minutes(request, question_count=assignment.question_count)


def _practice_request(
    assignment: Assignment, *, extra_time_percent: int, question_sets: list[int]
) -> PracticeRequest:
    # The mode keeps what it offers: a mock, say, takes no domains, is always timed and shows answers at the end.
    return assignment.practice_mode.request(
        exam=assignment.classroom.exam,
        domains=list(assignment.domains),
        tasks=list(assignment.tasks),
        count=assignment.question_count,
        timed=bool(assignment.time_limit_minutes),
        feedback=assignment.feedback,
        question_sets=question_sets,
        minutes=assignment.time_limit_minutes,
        extra_time_percent=extra_time_percent,
        assignment=True,
    )


def start_assignment(
    *, student: User, assignment: Assignment, now: datetime, seed: str | None = None
) -> Attempt:
    """The student's attempt at an assignment: the open one if there is one, else a new one if the assignment
    is open and attempts are left. Raises ClassroomError saying why not.

    The questions are chosen and read before the write transaction, which then checks the allowance again:
    a class starting together holds SQLite's write lock for a few milliseconds each.
    """
    membership = Membership.objects.active().filter(classroom=assignment.classroom, student=student).first()
    if membership is None:
        raise ClassroomError("You are not in this class.")
    if now < assignment.opens_at:
        raise ClassroomError(f"“{assignment.title}” opens on {assignment.opens_at:%-d %b %Y at %H:%M}.")
    ongoing = _ongoing(assignment, student, now)
    if ongoing is not None:
        return ongoing
    _check_allowance(assignment, membership)
    if assignment.sets_deleted:
        raise ClassroomError(Assignment.SETS_DELETED)
    request = practice_request(assignment=assignment, membership=membership)
    seed = seed or secrets.token_hex(8)
    plan = exam_services.plan_attempt(user=student, request=request, seed=seed, now=now)
    if not plan.question_ids:
        raise ClassroomError(
            "There are no questions for this assignment yet. Tell your instructor: "
            + (plan.problem or "no question matches what was assigned.")
        )
    prepared = exam_services.prepare_attempt(request=request, plan=plan, seed=seed)
    with transaction.atomic():
        # Lock the membership row so a double click cannot start two attempts past the allowance.
        Membership.objects.select_for_update().filter(pk=membership.pk).first()
        ongoing = _ongoing(assignment, student, now)
        if ongoing is not None:
            return ongoing
        _check_allowance(assignment, membership)
        attempt: Attempt = exam_services.write_attempt(user=student, prepared=prepared, now=now)
        AssignmentAttempt.objects.create(assignment=assignment, attempt=attempt, student=student)
    return attempt


def _ongoing(assignment: Assignment, student: User, now: datetime) -> Attempt | None:
    """The student's open attempt at the assignment, unless its time ran out (then it is submitted now)."""
    ongoing: Attempt | None = (
        Attempt.objects.open()
        .filter(assignment_link__assignment=assignment, user=student)
        .select_related("exam", "user")
        .order_by("-started_at")
        .first()
    )
    if ongoing is None or exam_services.finalize_if_expired(attempt=ongoing, now=now):
        return None
    return ongoing


def _check_allowance(assignment: Assignment, membership: Membership) -> None:
    left = allowance(assignment=assignment, membership=membership)
    if not left.left:
        plural = "s" if left.allowed != 1 else ""
        raise ClassroomError(f"You have used all {left.allowed} attempt{plural} of “{assignment.title}”.")
