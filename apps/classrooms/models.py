"""Classrooms, their members (with accommodations), the question sets shared with them, and assignments."""

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse

from apps.content.models import Exam
from apps.exams import modes
from apps.exams.models import Attempt
from apps.exams.modes.base import PracticeMode
from apps.exams.modes.custom import CUSTOM
from apps.questions.models import QuestionSet

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# No 0/O or 1/I/L: codes are read aloud and copied from a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class ClassroomQuerySet(models.QuerySet["Classroom"]):
    def taught_by(self, user: "User") -> "ClassroomQuerySet":
        return self.filter(instructors=user)

    def attended_by(self, user: "User") -> "ClassroomQuerySet":
        return self.filter(memberships__student=user, memberships__left_at__isnull=True)


class Classroom(models.Model):
    name = models.CharField(max_length=120)
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="classrooms")
    join_code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_join_code)
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="classrooms_taught", help_text="The owner and co-instructors."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    question_sets = models.ManyToManyField(
        QuestionSet, blank=True, related_name="classrooms", help_text="Sets shared with the students."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ClassroomQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.exam.code})"

    def get_absolute_url(self) -> str:
        return reverse("classrooms:detail", args=[self.pk])


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(left_at__isnull=True)


class Membership(models.Model):
    """A student in a classroom. Leaving (or being removed) sets `left_at`; joining again clears it."""

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    removed = models.BooleanField(default=False, help_text="Removed by an instructor (not left).")
    extra_time_percent = models.PositiveSmallIntegerField(
        default=0, help_text="Accommodation: extra time on every timed attempt in this class, in percent."
    )
    extra_attempts = models.PositiveSmallIntegerField(
        default=0,
        help_text="Accommodation: attempts allowed on every assignment beyond the assignment's own.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["student__username"]
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="membership_unique_student")
        ]
        indexes = [models.Index(fields=["student", "left_at"])]

    def __str__(self) -> str:
        return f"{self.student} in {self.classroom}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None


class Assignment(models.Model):
    SETS_DELETED = (
        "The question sets this assignment drew from have been deleted, so it has no questions. "
        "Your instructor can choose other sets for it."
    )

    classroom = models.ForeignKey(Classroom, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=120)
    mode = models.CharField(max_length=10, choices=modes.assignable_choices, default=CUSTOM.code)
    domains = models.JSONField(default=list, blank=True, help_text="Domain numbers (custom practice).")
    tasks = models.JSONField(default=list, blank=True, help_text="Task statement numbers (custom practice).")
    question_sets = models.ManyToManyField(
        QuestionSet, blank=True, related_name="+", help_text="Only these sets (custom practice); none: all."
    )
    # Remembers that sets were chosen: once every one of them is deleted, the assignment says so instead of
    # quietly drawing from every set.
    limited_to_sets = models.BooleanField(default=False, help_text="Saved with a choice of question sets.")
    question_count = models.PositiveSmallIntegerField(default=20)
    feedback = models.CharField(max_length=10, choices=Attempt.Feedback.choices, default=Attempt.Feedback.END)
    opens_at = models.DateTimeField()
    due_at = models.DateTimeField()
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Empty: a mock runs on the exam's clock, a custom practice is untimed.",
    )
    attempts_allowed = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def practice_mode(self) -> PracticeMode:
        return modes.get(self.mode)

    @property
    def sets_deleted(self) -> bool:
        """Limited to chosen question sets, and every one of them has been deleted since."""
        if not self.limited_to_sets:
            return False
        count = getattr(self, "set_count", None)  # annotated by the lists that show many assignments
        return (count if count is not None else self.question_sets.count()) == 0


class AssignmentAttempt(models.Model):
    """Links a practice attempt to the assignment it was started from (at most one assignment per attempt)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attempt_links")
    attempt = models.OneToOneField(Attempt, on_delete=models.CASCADE, related_name="assignment_link")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["assignment", "student"])]

    def __str__(self) -> str:
        return f"{self.attempt} for {self.assignment}"
