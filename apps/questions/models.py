"""Question sets (banks), questions of the four AWS kinds and their versions, shared scenarios, and students'
problem reports."""

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.content.models import Exam, Note, Service, TaskStatement
from apps.questions import kinds


class QuestionSetQuerySet(models.QuerySet["QuestionSet"]):
    def owned_by(self, user: User) -> "QuestionSetQuerySet":
        return self if user.is_superuser else self.filter(owner=user)

    def public(self) -> "QuestionSetQuerySet":
        return self.filter(visibility=QuestionSet.Visibility.PUBLIC)


class QuestionSet(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        CLASSROOMS = "classrooms", "My classrooms"
        PRIVATE = "private", "Private"

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="question_sets")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="question_sets",
        help_text="Empty for the bank that ships with certprep.",
    )
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.PRIVATE)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionSetQuerySet.as_manager()

    class Meta:
        ordering = ["exam__order", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.exam.code})"


class Scenario(models.Model):
    """A shared case-study text that several questions of a set refer to."""

    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="scenarios")
    external_id = models.SlugField(max_length=100)
    title = models.CharField(max_length=200)
    text_md = models.TextField("text (Markdown)")
    text_html = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["question_set", "external_id"], name="scenario_unique_id")
        ]

    def __str__(self) -> str:
        return self.title


class QuestionQuerySet(models.QuerySet["Question"]):
    def published(self) -> "QuestionQuerySet":
        return self.filter(status=Question.Status.PUBLISHED)

    def owned_by(self, user: User) -> "QuestionQuerySet":
        return self if user.is_superuser else self.filter(question_set__owner=user)

    def needing_task_statement(self) -> "QuestionQuerySet":
        return self.filter(task_statement__isnull=True)

    def needing_guide_review(self) -> "QuestionQuerySet":
        """Written against another guide version than the exam's current one, and not confirmed since."""
        return self.exclude(guide_version=models.F("question_set__exam__guide_version")).exclude(
            question_set__exam__guide_version=""
        )


class Question(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    question_set = models.ForeignKey(QuestionSet, on_delete=models.CASCADE, related_name="questions")
    # The kinds are a registry (apps.questions.kinds): the choices are read from it, so a new kind needs no migration.
    kind = models.CharField(max_length=20, choices=kinds.choices, default=kinds.MULTIPLE_CHOICE.code)
    stem_md = models.TextField("stem (Markdown)")
    stem_html = models.TextField(editable=False, blank=True)
    explanation_md = models.TextField("explanation (Markdown)", blank=True)
    explanation_html = models.TextField(editable=False, blank=True)
    task_statement = models.ForeignKey(
        TaskStatement, null=True, blank=True, on_delete=models.PROTECT, related_name="questions"
    )
    guide_version = models.CharField(
        max_length=20, blank=True, help_text="Exam-guide version it was written for."
    )
    services = models.ManyToManyField(Service, blank=True, related_name="questions")
    objectives = models.JSONField(
        default=list,
        blank=True,
        help_text='Blueprint objectives it tests, e.g. ["1.1.3"]: task statement 1.1, its third objective.',
    )
    section = models.CharField(
        max_length=300,
        blank=True,
        help_text="The note heading that teaches the point: note-slug#heading-id (or exam-slug/note-slug#…).",
    )
    # The note `section` resolved to when the question was last imported or saved (empty when it does not).
    section_note = models.ForeignKey(
        Note,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="linked_questions",
        editable=False,
    )
    difficulty = models.PositiveSmallIntegerField(
        default=2, choices=[(1, "Easy"), (2, "Medium"), (3, "Hard")]
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    scenario = models.ForeignKey(
        Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions"
    )
    external_id = models.CharField(max_length=100, blank=True, help_text="Stable id used by imports.")
    stem_key = models.CharField(max_length=64, editable=False, db_index=True, blank=True)
    content_hash = models.CharField(max_length=64, editable=False, blank=True)
    # What an import wrote, so a re-import can tell a question matching the file from one changed here since:
    # the identity of the imported content (files without ids) and the content and status it imported.
    import_key = models.CharField(max_length=64, editable=False, db_index=True, blank=True)
    import_signature = models.CharField(max_length=64, editable=False, blank=True)
    not_aws_format = models.CharField(
        "not AWS format",
        max_length=500,
        blank=True,
        editable=False,
        help_text="Why an imported question is not in the shape AWS exams use; empty once it is.",
    )
    # The version attempts start from (apps/questions/versions.py records one whenever the content changes).
    current_version = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["question_set", "task_statement__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "external_id"],
                condition=~Q(external_id=""),
                name="question_unique_external_id",
            ),
            models.CheckConstraint(
                condition=Q(difficulty__gte=1, difficulty__lte=3), name="question_difficulty_1_3"
            ),
        ]
        indexes = [
            models.Index(fields=["question_set", "status"]),
            models.Index(fields=["task_statement", "status"]),
        ]

    def __str__(self) -> str:
        text = " ".join(self.stem_md.split())
        return text if len(text) <= 80 else text[:79] + "…"

    def section_url(self) -> str:
        """The address of the note heading that teaches this question's point, or "" when it has none."""
        if "#" not in self.section or (note := self.section_note) is None:
            return ""
        return f"{note.get_absolute_url()}#{self.section.rsplit('#', 1)[1]}"


class QuestionVersion(models.Model):
    """A question's content as students saw it and were graded on it at one moment; never changed once made.

    `content` is apps.questions.versions.version_content: the question unshuffled, with stable part ids.
    A version outlives its question (question=None after a delete): attempts keep grading against it.
    """

    question = models.ForeignKey(Question, null=True, on_delete=models.SET_NULL, related_name="versions")
    number = models.PositiveIntegerField(help_text="1 for the first version of the question, then 2, 3 …")
    kind = models.CharField(max_length=20)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"],
                condition=Q(question__isnull=False),
                name="questionversion_unique_number",
            )
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of question {self.content.get('question_id', self.question_id)}"


class Choice(models.Model):
    """An answer option of a multiple-choice or multiple-response question."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text_md = models.TextField("text")
    text_html = models.TextField(editable=False, blank=True)
    is_correct = models.BooleanField("correct", default=False)
    rationale_md = models.TextField("rationale", blank=True)
    rationale_html = models.TextField(editable=False, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text_md


class OrderingItem(models.Model):
    """An item of an ordering question; `position` is its place in the correct order (1..n)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="ordering_items")
    text_md = models.TextField("text")
    text_html = models.TextField(editable=False, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text_md


class MatchingPair(models.Model):
    """A prompt and its correct response. A row with an empty prompt is a distractor response."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="pairs")
    prompt_md = models.TextField("prompt", blank=True, help_text="Leave empty for a distractor response.")
    prompt_html = models.TextField(editable=False, blank=True)
    response_md = models.TextField("response")
    response_html = models.TextField(editable=False, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.prompt_md or '(distractor)'} → {self.response_md}"


class ProblemReport(models.Model):
    class Category(models.TextChoices):
        WRONG_ANSWER = "wrong_answer", "The marked answer is wrong"
        UNCLEAR = "unclear", "The question is unclear"
        OUTDATED = "outdated", "It is out of date"
        TYPO = "typo", "Typo or formatting"

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.TextField(max_length=2000)
    # The version the student was looking at (empty for reports older than versions that none matched).
    question_version = models.ForeignKey(
        QuestionVersion,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved = models.BooleanField(default=False)

    class Meta:
        ordering = ["resolved", "-created_at"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.question}"
