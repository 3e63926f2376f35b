"""Exams as data (exam, domain, task statement), the AWS service glossary and study notes."""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.urls import reverse

# AWS reports scaled scores from 100 to 1000; an exam may say otherwise (score_min, score_max).
SCORE_MIN = 100
SCORE_MAX = 1000


@dataclass(frozen=True)
class MockFormat:
    """How many questions a full mock asks (of which scored) and its minutes; `beta` when from the beta."""

    questions: int
    scored: int
    minutes: int
    beta: bool


class Exam(models.Model):
    class Level(models.TextChoices):
        FOUNDATIONAL = "foundational", "Foundational"
        ASSOCIATE = "associate", "Associate"
        PROFESSIONAL = "professional", "Professional"
        SPECIALTY = "specialty", "Specialty"

    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        BETA = "beta", "Beta"
        RETIRING = "retiring", "Retiring"
        RETIRED = "retired", "Retired"

    # The question types an exam guide says the real exam uses (blueprint data, shown on the exam's page). Not
    # certprep's question kinds (apps/questions/kinds), though four share their names: a case study is the
    # guide's name for several questions around one scenario.
    QUESTION_TYPES = {
        "multiple_choice": "Multiple choice",
        "multiple_response": "Multiple response",
        "ordering": "Ordering",
        "matching": "Matching",
        "case_study": "Case study",
    }
    CONFIDENCE_LEVELS = ("medium", "unverified")

    code = models.CharField(max_length=20, unique=True)
    slug = models.SlugField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=Level.choices)
    guide_version = models.CharField(max_length=20, blank=True)
    guide_published = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CURRENT)
    status_note = models.TextField(blank=True)
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    order = models.PositiveSmallIntegerField(default=100)
    questions_scored = models.PositiveSmallIntegerField(null=True, blank=True)
    questions_unscored = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    # The published beta format (a new exam's first months): what a mock uses until AWS publishes the
    # standard exam's time. Leave empty once `minutes` is known.
    beta_questions = models.PositiveSmallIntegerField(null=True, blank=True)
    beta_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    passing_score = models.PositiveSmallIntegerField(null=True, blank=True)
    score_min = models.PositiveSmallIntegerField(default=SCORE_MIN)
    score_max = models.PositiveSmallIntegerField(default=SCORE_MAX)
    scoring_model = models.CharField(max_length=30, blank=True)
    cost_usd = models.PositiveSmallIntegerField(null=True, blank=True)
    question_types = models.JSONField(default=list, blank=True)
    # Field name -> "medium" | "unverified" for facts no official text confirms (shown to students).
    confidence = models.JSONField(default=dict, blank=True)
    facts_note = models.TextField(blank=True)

    # Set for one page: by selectors.exam_overview (one query) and by the home view.
    predecessor_list: list["Exam"]
    read_count: int

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("content:exam-detail", args=[self.slug])

    @property
    def questions_total(self) -> int | None:
        if self.questions_scored is None:
            return None
        return self.questions_scored + (self.questions_unscored or 0)

    @property
    def mock_format(self) -> "MockFormat | None":
        """The format a full mock follows: the standard exam's, else the published beta's, else none."""
        if self.minutes and self.questions_total:
            return MockFormat(
                questions=self.questions_total,
                scored=self.questions_scored or self.questions_total,
                minutes=self.minutes,
                beta=False,
            )
        if self.beta_minutes and self.beta_questions:
            # A beta has no separately published count of unscored questions: every question counts here.
            return MockFormat(
                questions=self.beta_questions,
                scored=self.beta_questions,
                minutes=self.beta_minutes,
                beta=True,
            )
        return None

    def question_type_labels(self) -> list[str]:
        return [self.QUESTION_TYPES.get(kind, kind) for kind in self.question_types]


class Domain(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="domains")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField(help_text="Percent of scored content.")
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["exam__order", "number"]
        constraints = [models.UniqueConstraint(fields=["exam", "number"], name="domain_unique_number")]

    def __str__(self) -> str:
        return f"{self.exam.code} Domain {self.number}: {self.title}"


class TaskStatement(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="task_statements")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="task_statements")
    number = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    aliases = models.JSONField(default=list, blank=True)
    objectives = models.JSONField(default=list, blank=True)
    related = models.ManyToManyField("self", blank=True, symmetrical=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Sort key derived from the number.")

    class Meta:
        ordering = ["exam__order", "position"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "number"], name="task_statement_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.exam.code} {self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("content:task-statement-detail", args=[self.exam.slug, self.number])


class Service(models.Model):
    class Availability(models.TextChoices):
        AVAILABLE = "available", "Available"
        CLOSED = "closed-to-new-customers", "Closed to new customers"
        DISCONTINUED = "discontinued", "Discontinued"

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=80)
    aliases = models.JSONField(default=list, blank=True)
    summary = models.TextField()
    availability = models.CharField(
        max_length=30, choices=Availability.choices, default=Availability.AVAILABLE
    )
    availability_note = models.TextField(blank=True)
    scope_note = models.TextField(blank=True)
    exams = models.ManyToManyField(Exam, blank=True, related_name="services", help_text="In scope for")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("content:service-detail", args=[self.slug])

    @property
    def sort_name(self) -> str:
        """The name without the vendor prefix, which is what an A-Z glossary sorts by."""
        for prefix in ("Amazon ", "AWS "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


class NoteSource(models.Model):
    """Where notes come from: the bundled content or one imported folder.

    A note's identity on import is (source, path inside the source), so importing one folder never replaces
    the notes of another, and `load_content` touches only the bundled source."""

    BUNDLED = "bundled"
    LEGACY = "legacy"

    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    name = models.CharField(max_length=200)
    location = models.CharField(max_length=1000, blank=True, help_text="Folder last imported from.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_bundled(self) -> bool:
        return self.slug == self.BUNDLED


class NoteQuerySet(models.QuerySet["Note"]):
    def for_listing(self) -> "NoteQuerySet":
        return self.defer("body_md", "body_html", "toc_html", "search_text")


class Note(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="notes")
    slug = models.SlugField(max_length=200, allow_unicode=True)
    title = models.CharField(max_length=300)
    summary = models.CharField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=1000)
    # Notes written in the admin have no source; imports find their notes by (source, relative_path).
    source = models.ForeignKey(
        NoteSource, null=True, blank=True, on_delete=models.CASCADE, related_name="notes"
    )
    relative_path = models.CharField(max_length=500, blank=True, help_text="Path inside its source.")
    tags = models.JSONField(default=list, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    # Front-matter keys of other tools (date, sidebar_position, ...): kept so nothing is lost, shown nowhere.
    extra_front_matter = models.JSONField(default=dict, blank=True, editable=False)
    # Image reference as written in the note -> address of the stored copy, so an edit in the admin renders
    # the same images without the imported folder.
    image_urls = models.JSONField(default=dict, blank=True, editable=False)
    task_statements = models.ManyToManyField(TaskStatement, blank=True, related_name="notes")
    services = models.ManyToManyField(Service, blank=True, related_name="notes")
    source_path = models.CharField(max_length=500, blank=True, help_text="File the note was imported from.")
    body_md = models.TextField("Markdown")
    # Rendered and sanitized once, when the note is saved or imported; never per request.
    body_html = models.TextField(editable=False)
    toc_html = models.TextField(editable=False, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    content_hash = models.CharField(max_length=64, editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["exam__order", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "slug"], name="note_unique_slug"),
            models.UniqueConstraint(
                fields=["source", "relative_path"],
                condition=models.Q(source__isnull=False),
                name="note_unique_source_path",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:note-detail", args=[self.exam.slug, self.slug])

    @property
    def uses_mermaid(self) -> bool:
        return 'class="mermaid"' in self.body_html

    @property
    def uses_math(self) -> bool:
        return 'class="arithmatex"' in self.body_html


class NoteMedia(models.Model):
    """An image that came along with imported notes, stored by the SHA-256 of its bytes (so it is stored once
    and its address never changes) and served by `content:note-media`. In the database, so backups hold it."""

    digest = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.digest[:12]} ({self.content_type}, {self.size} bytes)"


class NoteRead(models.Model):
    """A note a signed-in student marked as read; anonymous visitors keep theirs in the session."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_reads")
    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "note"], name="note_read_unique_user_note")]

    def __str__(self) -> str:
        return f"{self.user} read {self.note}"
