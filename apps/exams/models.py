"""Practice attempts, their slots (one question version each, in the order the student saw its parts) and
review cards."""

import enum
from functools import cached_property
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from fsrs import Rating

from apps.content.models import Exam, TaskStatement
from apps.exams.snapshots import arranged
from apps.questions.kinds.base import Snapshot
from apps.questions.models import Question, QuestionVersion

if TYPE_CHECKING:
    from apps.exams.modes.base import PracticeMode


def practice_mode(code: str) -> "PracticeMode":
    """The policy of the practice mode `code` (an unknown code raises modes.UnknownMode).

    The modes are imported when first asked for, not with this module: they plan attempts, so they read it.
    """
    from apps.exams import modes

    return modes.get(code)


def mode_choices() -> list[tuple[str, str]]:
    """(code, label) of every practice mode, from the modes registry."""
    from apps.exams import modes

    return modes.choices()


class AttemptQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def open(self):
        return self.filter(status=Attempt.Status.OPEN)


class Attempt(models.Model):
    class Mode(enum.StrEnum):
        """The practice modes' codes, each taken by one policy in apps.exams.modes (a test keeps the two in
        step). What a mode does is its policy's business: ask `attempt.practice_mode`, never compare codes."""

        MOCK = "mock"
        CUSTOM = "custom"
        RETRY = "retry"
        REVIEW = "review"

    class Feedback(models.TextChoices):
        END = "end", "At the end"
        IMMEDIATE = "immediate", "After each question"

    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        SUBMITTED = "submitted", "Submitted"

    class Finish(models.TextChoices):
        SUBMITTED = "submitted", "Submitted by the student"
        TIME_UP = "time_up", "Time ran out"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="attempts")
    mode = models.CharField(max_length=10, choices=mode_choices)
    feedback = models.CharField(max_length=10, choices=Feedback.choices, default=Feedback.END)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    finish_reason = models.CharField(max_length=10, choices=Finish.choices, blank=True)
    config = models.JSONField(
        default=dict, blank=True, help_text="What the student asked for (domains, count …)."
    )
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True, help_text="Empty for untimed practice.")
    submitted_at = models.DateTimeField(null=True, blank=True)
    question_count = models.PositiveSmallIntegerField(default=0)
    # Stored at submission; never recomputed when questions change later.
    scored_count = models.PositiveSmallIntegerField(null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    percent = models.FloatField(null=True, blank=True)
    scaled_score = models.PositiveSmallIntegerField(null=True, blank=True)
    scaled_low = models.PositiveSmallIntegerField(null=True, blank=True)
    scaled_high = models.PositiveSmallIntegerField(null=True, blank=True)
    pass_estimate = models.CharField(max_length=12, blank=True)  # likely-pass | borderline | likely-fail
    domain_results = models.JSONField(default=list, blank=True)
    task_results = models.JSONField(default=list, blank=True)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "status"]), models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.get_mode_display()} {self.exam.code} ({self.user})"

    def get_absolute_url(self):
        return reverse("exams:attempt-detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def practice_mode(self) -> "PracticeMode":
        return practice_mode(self.mode)

    @property
    def asks_confidence(self) -> bool:
        """Whether the student may mark how sure they are (a mock stays like the real exam)."""
        return self.practice_mode.asks_confidence

    @property
    def exam_conditions(self) -> bool:
        """A timed attempt in a mode that runs under exam conditions (a mock), or a timed class assignment, runs
        on the focused exam screen, like the real test's: no site navigation, one compact bar, and leaving takes
        a deliberate click. Practice keeps the site around."""
        return self.deadline is not None and (
            self.practice_mode.exam_conditions or bool(self.config.get("assignment"))
        )

    def remaining_seconds(self, now):
        """Whole seconds left on the server's clock (None when untimed, 0 when past the deadline)."""
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - now).total_seconds()))

    def time_used_seconds(self):
        end = self.submitted_at
        return int((end - self.started_at).total_seconds()) if end else None


class SlotManager(models.Manager["Slot"]):
    def get_queryset(self) -> models.QuerySet["Slot"]:
        # A slot is read for its picture of the question, so its version comes along in the same query (as
        # the per-slot snapshot column did); value queries (.values, counts) leave it out by themselves.
        return super().get_queryset().select_related("version")


class Slot(models.Model):
    """One question of an attempt: the version it asked, the order its parts were shown in, and the answer."""

    class Confidence(models.TextChoices):
        SURE = "sure", "Sure"
        UNSURE = "unsure", "Unsure"
        GUESSED = "guessed", "Guessed"

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, null=True, on_delete=models.SET_NULL, related_name="slots")
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="slots")
    # The version's part ids in the order this student sees them (apps.exams.snapshots.layout_for).
    layout = models.JSONField(default=list)
    task_statement = models.ForeignKey(TaskStatement, null=True, on_delete=models.SET_NULL, related_name="+")
    domain_number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20)
    scored = models.BooleanField(default=True, help_text="False for unscored pilot questions.")
    response = models.JSONField(null=True, blank=True)
    MAX_SEQ = 2_147_483_647  # the largest value a PositiveIntegerField holds on every database
    seq = models.PositiveIntegerField(default=0, help_text="Number of the last accepted save.")
    answered_at = models.DateTimeField(null=True, blank=True)
    flagged = models.BooleanField(default=False)
    # How sure the student said they were (practice modes only); saved with the answer, read by the scheduler.
    confidence = models.CharField(max_length=8, choices=Confidence.choices, blank=True, default="")
    checked = models.BooleanField(
        default=False, help_text="Immediate feedback was shown; the answer is final."
    )
    closed = models.BooleanField(
        default=False, help_text="Set when the attempt is submitted; saves are refused."
    )
    is_correct = models.BooleanField(null=True, blank=True)

    objects = SlotManager()

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "position"], name="slot_unique_position")]
        indexes = [models.Index(fields=["question", "is_correct"])]

    def __str__(self):
        return f"Q{self.position} of attempt {self.attempt_id}"

    @cached_property
    def snapshot(self) -> Snapshot:
        """The question as this student saw it: the version's content with its parts in this slot's order
        (the default manager reads the version with the slot)."""
        return arranged(self.version.content, self.layout)


class ReviewCard(models.Model):
    """One user's spaced-repetition schedule for one question: the FSRS card state and when it is next due."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="review_cards")
    card = models.JSONField(help_text="The fsrs Card as Card.to_dict() gives it.")
    due = models.DateTimeField()
    reps = models.PositiveIntegerField(default=0, help_text="Answers the schedule has learnt from.")
    lapses = models.PositiveIntegerField(
        default=0, help_text="Times a question the student had learnt was answered wrong again."
    )
    last_rating = models.PositiveSmallIntegerField(
        choices=[(rating.value, rating.name) for rating in Rating], null=True, blank=True
    )
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="reviewcard_unique_user_question")
        ]
        # "What is due for this user" is the only hot read: the index leads with the user, then the due date.
        indexes = [models.Index(fields=["user", "due"])]

    def __str__(self):
        return f"Review of question {self.question_id} for {self.user_id} (due {self.due:%Y-%m-%d %H:%M})"
