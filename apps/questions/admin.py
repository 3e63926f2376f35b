"""Instructor authoring in the admin: own sets only, validated inlines, bulk actions, preview, import."""

import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST

from apps.content.models import Domain, Exam, TaskStatement
from apps.content.problems import ImportFailed
from apps.content.rendering import PrerenderedAdminMixin, RenderedTexts, markdown_field_error
from apps.questions import formats, kinds, validation
from apps.questions.data import FormatError
from apps.questions.kinds import matching, multiple_choice, multiple_response, ordering
from apps.questions.kinds.base import Part
from apps.questions.models import (
    Choice,
    MatchingPair,
    OrderingItem,
    ProblemReport,
    Question,
    QuestionSet,
    Scenario,
)
from apps.questions.sections import SectionIndex
from apps.questions.services import (
    confirm_for_current_guide,
    duplicate_question,
    import_questions,
    move_questions,
    publish_questions,
    refresh_question,
    retire_questions,
)
from apps.questions.versions import record_versions
from config.typing import AuthenticatedRequest

if TYPE_CHECKING:
    # What the mixin extends: the ModelAdmin it is listed before (for any of the models below).
    _AdminBase = admin.ModelAdmin[Any]
else:
    _AdminBase = object


class OwnedByUser(_AdminBase):
    """Instructors see and change only what belongs to their own sets; superusers see everything."""

    owner_path = "question_set__owner"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(**{self.owner_path: request.user})

    def _owns(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        owner_id: object = obj
        for part in self.owner_path.split("__"):
            owner_id = getattr(owner_id, part, None)
        return owner_id == request.user

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._owns(request, obj)


# ------------------------------------------------------------------------------------------ question sets
class ImportForm(forms.Form):
    file = forms.FileField(
        help_text="YAML, JSON, GIFT, Moodle XML, CSV, Markdown or Aiken (see docs/question-format.md)."
    )
    format = forms.ChoiceField(
        choices=[("", "Tell from the file")] + [(f, f) for f in formats.READERS], required=False
    )
    overwrite = forms.BooleanField(
        required=False,
        label="Overwrite questions changed here",
        help_text="Questions edited here since they were imported are kept unless this is ticked.",
    )


@admin.register(QuestionSet)
class QuestionSetAdmin(OwnedByUser, admin.ModelAdmin):
    owner_path = "owner"
    list_display = ("title", "exam", "visibility", "owner", "question_count", "import_link")
    list_filter = ("exam", "visibility")
    search_fields = ("title", "slug", "description")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("owner",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionSet]:
        return super().get_queryset(request).select_related("exam", "owner").annotate(n=Count("questions"))

    @admin.display(description="Questions", ordering="n")
    def question_count(self, obj):  # a QuestionSet annotated with its number of questions, n
        url = reverse("admin:questions_question_changelist") + f"?question_set__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.n)

    @admin.display(description="Import")
    def import_link(self, obj: QuestionSet) -> str:
        return format_html(
            '<a href="{}">Import questions…</a>', reverse("admin:questions_questionset_import", args=[obj.pk])
        )

    def save_model(self, request, obj, form, change):
        if not change and obj.owner_id is None:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_view)
        return [path("<int:pk>/import/", view, name="questions_questionset_import"), *super().get_urls()]

    def import_view(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        question_set = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, question_set):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                fmt, parsed = formats.read(upload.name, upload.read(), form.cleaned_data["format"] or None)
                report = import_questions(
                    question_set=question_set,
                    parsed=parsed,
                    source=upload.name,
                    strict=fmt in formats.STRICT,
                    author=request.user,
                    overwrite=form.cleaned_data["overwrite"],
                )
            except FormatError as exc:
                end = "" if exc.message.endswith(("?", ".", ")")) else "."
                form.add_error("file", f"{upload.name}:{exc.line}: {exc.message}{end} Nothing was imported.")
            except ImportFailed as exc:
                for problem in exc.problems[:50]:
                    form.add_error("file", problem)
                form.add_error("file", "Nothing was imported.")
            else:
                for line in report.lines():
                    messages.info(request, line)
                url = (
                    reverse("admin:questions_question_changelist")
                    + f"?question_set__id__exact={question_set.pk}"
                )
                return HttpResponseRedirect(url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Import questions into {question_set.title}",
            "form": form,
            "question_set": question_set,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/questions/questionset/import.html", context)


# -------------------------------------------------------------------------------------------- questions
def _checked_markdown(text: str) -> str:
    error = markdown_field_error(text)
    if error:
        raise error
    return text


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = (
            "question_set",
            "kind",
            "status",
            "task_statement",
            "difficulty",
            "scenario",
            "stem_md",
            "explanation_md",
            "objectives",
            "section",
            "services",
            "guide_version",
            "external_id",
        )
        widgets = {
            "stem_md": forms.Textarea(attrs={"rows": 6}),
            "explanation_md": forms.Textarea(attrs={"rows": 5}),
        }

    def clean_stem_md(self) -> str:
        return _checked_markdown(self.cleaned_data["stem_md"])

    def clean_explanation_md(self) -> str:
        return _checked_markdown(self.cleaned_data["explanation_md"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        question_set, task = cleaned.get("question_set"), cleaned.get("task_statement")
        if question_set and task and task.exam_id != question_set.exam_id:
            self.add_error(
                "task_statement", f"Choose a task statement of {question_set.exam.code}, the set's exam."
            )
        scenario = cleaned.get("scenario")
        if question_set and scenario and scenario.question_set_id != question_set.pk:
            self.add_error("scenario", "Choose a scenario of the same question set.")
        objectives = cleaned.get("objectives")
        if objectives is None:
            cleaned["objectives"] = objectives = []
        if not isinstance(objectives, list) or not all(isinstance(o, str) for o in objectives):
            self.add_error("objectives", 'A list of objective ids in quotes, e.g. ["1.1.3", "2.2.1"].')
        elif question_set:
            known = validation.objective_ids(
                {t.number: t.objectives for t in question_set.exam.task_statements.all()}
            )
            for objective in objectives:
                if objective not in known:
                    self.add_error("objectives", f"{question_set.exam.code} has no objective {objective!r}.")
        section = (cleaned.get("section") or "").strip()
        if question_set and section:
            _, problem = SectionIndex().resolve(section, exam_slug=question_set.exam.slug)
            if problem and cleaned.get("status") == Question.Status.PUBLISHED:
                self.add_error("section", problem[0].upper() + problem[1:] + ".")
        for error in validation.publish_errors(
            cleaned.get("status", ""), cleaned.get("explanation_md", ""), bool(task)
        ):
            self.add_error("status" if "status" in error else None, f"To publish: {error}.")
        return cleaned


class _PartsFormSet(BaseInlineFormSet):
    """Runs the kind's rules from apps.questions.validation over the rows being saved."""

    def rows(self) -> list[dict[str, Any]]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def rule_errors(self, kind: str, stem: str, rows: list[dict[str, Any]]) -> list[str]:
        """The messages of the kind's rules this formset's part breaks (each subclass knows its part)."""
        raise NotImplementedError

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        for form in self.forms:
            for name in ("text_md", "rationale_md", "prompt_md", "response_md"):
                error = markdown_field_error(form.cleaned_data.get(name, ""))
                if error:
                    form.add_error(name, error)
        if any(self.errors):
            return
        errors = self.rule_errors(self.instance.kind, self.instance.stem_md, self.rows())
        if errors:
            raise ValidationError([error[0].upper() + error[1:] + "." for error in errors])


class ChoiceFormSet(_PartsFormSet):
    def rule_errors(self, kind: str, stem: str, rows: list[dict[str, Any]]) -> list[str]:
        return validation.part_errors(
            kind, stem, "choices", [(row["text_md"], row.get("is_correct", False)) for row in rows]
        )


class OrderingFormSet(_PartsFormSet):
    def rule_errors(self, kind: str, stem: str, rows: list[dict[str, Any]]) -> list[str]:
        rows = sorted(rows, key=lambda row: row["position"])
        errors = validation.part_errors(kind, stem, "items", [row["text_md"] for row in rows])
        if [row["position"] for row in rows] != list(range(1, len(rows) + 1)):
            errors.append("number the items 1, 2, 3 … in their correct order")
        return errors


class PairFormSet(_PartsFormSet):
    def rule_errors(self, kind: str, stem: str, rows: list[dict[str, Any]]) -> list[str]:
        return validation.part_errors(
            kind, stem, "pairs", [(row.get("prompt_md", ""), row["response_md"]) for row in rows]
        )


def _part_classes(part: Part) -> tuple[str, ...]:
    """The inline's CSS classes: admin-question.js shows it for the kinds that keep their parts in it."""
    return ("question-part", *(f"kind-{kind.code}" for kind in kinds.REGISTRY.values() if kind.part == part))


class ChoiceInline(admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ("position", "text_md", "is_correct", "rationale_md")
    extra = 0
    classes = _part_classes("choices")
    verbose_name_plural = (
        f"Choices (multiple choice: {multiple_choice.CHOICES} with {multiple_choice.CORRECT} correct; "
        f"multiple response: {multiple_response.MIN_CHOICES}+ with {multiple_response.MIN_CORRECT}+ correct)"
    )
    formfield_overrides = {
        Choice._meta.get_field("text_md").__class__: {"widget": forms.Textarea(attrs={"rows": 2})}
    }


class OrderingItemInline(admin.TabularInline):
    model = OrderingItem
    formset = OrderingFormSet
    fields = ("position", "text_md")
    extra = 0
    classes = _part_classes("items")
    verbose_name_plural = f"Ordering items ({ordering.MIN_ITEMS} to {ordering.MAX_ITEMS}; position = place in the correct order)"


class MatchingPairInline(admin.TabularInline):
    model = MatchingPair
    formset = PairFormSet
    fields = ("position", "prompt_md", "response_md")
    extra = 0
    classes = _part_classes("pairs")
    verbose_name_plural = (
        f"Matching pairs ({matching.MIN_PROMPTS} to {matching.MAX_PROMPTS} prompts; "
        "a response without a prompt is a distractor)"
    )


class ExamFilter(admin.SimpleListFilter):
    title, parameter_name = "exam", "exam"

    def lookups(self, request: HttpRequest, model_admin: "admin.ModelAdmin[Any]") -> list[tuple[str, str]]:
        return [(exam.code, exam.code) for exam in Exam.objects.all()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Question]) -> QuerySet[Question]:
        return queryset.filter(question_set__exam__code=self.value()) if self.value() else queryset


class DomainFilter(admin.SimpleListFilter):
    title, parameter_name = "domain", "domain"

    def lookups(self, request: HttpRequest, model_admin: "admin.ModelAdmin[Any]") -> list[tuple[str, str]]:
        return [
            (str(d.pk), f"{d.exam.code} {d.number}. {d.title}") for d in Domain.objects.select_related("exam")
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Question]) -> QuerySet[Question]:
        value = self.value()
        if not value:
            return queryset
        # The address can say anything: a value that is no domain's id shows the admin's "invalid filter"
        # notice instead of failing in the query.
        if not (value.isascii() and value.isdigit()) or int(value) > 2_147_483_647:
            raise IncorrectLookupParameters(f"{value!r} is not a domain")
        return queryset.filter(task_statement__domain_id=int(value))


class ObjectiveFilter(admin.SimpleListFilter):
    """Questions that name a blueprint objective ("AIF-C01:1.1.3"); the exam filter narrows the list."""

    title, parameter_name = "objective", "objective"
    VALUE = re.compile(r"(?P<exam>[A-Z0-9][A-Z0-9-]{0,19}):(?P<objective>\d{1,2}\.\d{1,2}\.\d{1,2})")

    def lookups(self, request: HttpRequest, model_admin: "admin.ModelAdmin[Any]") -> list[tuple[str, str]]:
        tasks = TaskStatement.objects.select_related("exam").order_by("exam__order", "position")
        exam = request.GET.get("exam")
        if exam:
            tasks = tasks.filter(exam__code=exam)
        return [
            (f"{task.exam.code}:{task.number}.{n}", f"{task.exam.code} {task.number}.{n} {_short(text)}")
            for task in tasks
            for n, text in enumerate(task.objectives or [], 1)
        ]

    def has_output(self) -> bool:
        # Django skips a filter without choices; a value given in the address must still filter.
        return bool(self.value()) or super().has_output()

    def queryset(self, request: HttpRequest, queryset: QuerySet[Question]) -> QuerySet[Question]:
        value = self.value()
        if not value:
            return queryset
        match = self.VALUE.fullmatch(value)
        if not match:
            return queryset.none()  # a hand-typed or stale value matches nothing rather than failing
        # The ids are stored as a JSON list of strings: the quotes keep "1.1.3" from matching "1.1.30".
        return queryset.filter(
            question_set__exam__code=match["exam"], objectives__icontains=f'"{match["objective"]}"'
        )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RelatedOnlyWithExamFilter(admin.RelatedOnlyFieldListFilter):
    """Only the task statements or sets in use; their names show the exam, fetched in the same query."""

    def field_choices(self, field, request, model_admin):
        pk_qs = model_admin.get_queryset(request).distinct().values_list(f"{self.field_path}__pk", flat=True)
        choices = field.related_model._default_manager.filter(pk__in=pk_qs).select_related("exam")
        ordering = self.field_admin_ordering(field, request, model_admin)
        return [(obj.pk, str(obj)) for obj in (choices.order_by(*ordering) if ordering else choices)]


class NeedsFilter(admin.SimpleListFilter):
    title, parameter_name = "needs attention", "needs"

    def lookups(self, request: HttpRequest, model_admin: "admin.ModelAdmin[Any]") -> list[tuple[str, str]]:
        return [
            ("task", "Needs task statement"),
            ("guide", "Review for the current guide version"),
            ("reports", "Has open problem reports"),
            ("shape", "Not AWS format (imported)"),
        ]

    def queryset(self, request, queryset):  # the Question admin's QuestionQuerySet, with its filters
        if self.value() == "task":
            return queryset.needing_task_statement()
        if self.value() == "guide":
            return queryset.needing_guide_review()
        if self.value() == "reports":
            return queryset.filter(reports__resolved=False).distinct()
        if self.value() == "shape":
            return queryset.exclude(not_aws_format="")
        return queryset


class MoveForm(forms.Form):
    target = forms.ModelChoiceField(queryset=QuestionSet.objects.none(), label="Move to set")


@admin.register(Question)
class QuestionAdmin(PrerenderedAdminMixin, OwnedByUser, admin.ModelAdmin):
    block_fields = (r"stem_md", r"explanation_md")
    inline_fields = (r"(choices|ordering_items|pairs)-\d+-(text_md|rationale_md|prompt_md|response_md)",)
    form = QuestionForm
    inlines = [ChoiceInline, OrderingItemInline, MatchingPairInline]
    list_display = (
        "short_stem",
        "question_set",
        "kind",
        "status",
        "task_statement",
        "difficulty",
        "version",
        "guide_ok",
        "updated_at",
    )
    list_select_related = (
        "question_set",
        "question_set__exam",
        "task_statement",
        "task_statement__exam",
        "current_version",
    )
    list_filter = (
        ExamFilter,
        DomainFilter,
        ("task_statement", RelatedOnlyWithExamFilter),
        ObjectiveFilter,
        "kind",
        "status",
        "difficulty",
        ("question_set", RelatedOnlyWithExamFilter),
        NeedsFilter,
    )
    search_fields = ("stem_md", "choices__text_md", "external_id")
    search_help_text = "Searches stems and answer choices."
    list_per_page = 50
    show_full_result_count = False
    actions = ["publish", "retire", "move_to_set", "confirm_guide", "duplicate"]
    autocomplete_fields = ()
    filter_horizontal = ("services",)
    readonly_fields = ("version", "version_history", "review_note", "not_aws_format")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "question_set",
                    "kind",
                    "status",
                    "task_statement",
                    "difficulty",
                    "scenario",
                    "not_aws_format",
                )
            },
        ),
        ("Text", {"fields": ("stem_md", "explanation_md")}),
        (
            "More",
            {
                "fields": (
                    "objectives",
                    "section",
                    "services",
                    "guide_version",
                    "review_note",
                    "external_id",
                    "version",
                    "version_history",
                ),
                "classes": ("collapse",),
            },
        ),
    )

    class Media:
        js = ("js/admin-question.js",)
        css = {"all": ("css/admin-question.css",)}

    @admin.display(description="Question", ordering="stem_md")
    def short_stem(self, obj: Question) -> str:
        return str(obj)

    @admin.display(description="Version", ordering="current_version__number")
    def version(self, obj: Question) -> int | str:
        """The number of the question's current version (a new one is recorded whenever its content changes)."""
        return obj.current_version.number if obj.current_version is not None else "—"

    @admin.display(description="Versions")
    def version_history(self, obj: Question) -> str:
        """Every version recorded, newest first, with when and how often attempts asked it (read-only: a
        version never changes; editing the question's content records the next one)."""
        if not obj.pk:
            return "—"
        rows = (
            obj.versions.annotate(asked=Count("slots"))
            .order_by("-number")
            .values_list("number", "created_at", "asked")
        )
        lines = (
            (number, date_format(localtime(created_at), "DATETIME_FORMAT"), asked)
            for number, created_at, asked in rows
        )
        return format_html_join(mark_safe("<br>"), "Version {} · {} · asked in {} attempt(s)", lines) or "—"

    @admin.display(description="Current guide", boolean=True)
    def guide_ok(self, obj: Question) -> bool:
        """False when written for an older guide version (filter: Review for the current guide)."""
        current = obj.question_set.exam.guide_version
        return not current or obj.guide_version == current

    @admin.display(description="Guide review")
    def review_note(self, obj: Question) -> str:
        current = obj.question_set.exam.guide_version if obj.pk else ""
        if current and obj.guide_version != current:
            version = f"Version {obj.current_version.number}" if obj.current_version else "It"
            return (
                f"{version} was written for guide v{obj.guide_version or '?'}: review it for guide v{current}, "
                "then save it or use “Confirm for the current guide version”."
            )
        return "Up to date with the exam's current guide."

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question_set":
            kwargs["queryset"] = QuestionSet.objects.owned_by(request.user).select_related("exam")
        if db_field.name == "task_statement":
            kwargs["queryset"] = db_field.related_model.objects.select_related("exam")
        if db_field.name == "scenario":
            kwargs["queryset"] = Scenario.objects.filter(
                question_set__in=QuestionSet.objects.owned_by(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
            obj.guide_version = obj.guide_version or obj.question_set.exam.guide_version  # as imports do
        if change and form.changed_data and obj.guide_version != obj.question_set.exam.guide_version:
            obj.guide_version = obj.question_set.exam.guide_version  # an instructor edited it for this guide
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_question(question=form.instance, rendered=getattr(request, "rendered_markdown", None))

    # -- actions
    @admin.action(description="Publish selected questions", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        published, refused = publish_questions(questions=queryset)
        self.message_user(request, f"{published} question(s) published.", messages.SUCCESS)
        for question, errors in refused[:20]:
            self.message_user(request, f"Not published: “{question}”: {'; '.join(errors)}.", messages.WARNING)

    @admin.action(description="Retire selected questions", permissions=["change"])
    def retire(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        self.message_user(
            request, f"{retire_questions(questions=queryset)} question(s) retired.", messages.SUCCESS
        )

    @admin.action(description="Confirm for the current guide version", permissions=["change"])
    def confirm_guide(self, request: HttpRequest, queryset: QuerySet[Question]) -> None:
        self.message_user(request, f"{confirm_for_current_guide(questions=queryset)} question(s) confirmed.")

    @admin.action(description="Duplicate selected questions (as drafts)", permissions=["add"])
    def duplicate(self, request: AuthenticatedRequest, queryset: QuerySet[Question]) -> None:
        for question in queryset[:100]:
            duplicate_question(question=question, author=request.user)
        self.message_user(request, f"{min(queryset.count(), 100)} draft cop(ies) created.", messages.SUCCESS)

    @admin.action(description="Move selected questions to another set…", permissions=["change"])
    def move_to_set(self, request: AuthenticatedRequest, queryset: QuerySet[Question]) -> HttpResponse | None:
        form = MoveForm(request.POST if "apply" in request.POST else None)
        target = cast(forms.ModelChoiceField, form.fields["target"])
        target.queryset = QuestionSet.objects.owned_by(request.user).select_related("exam")
        if form.is_valid():
            moved, refused = move_questions(questions=queryset, target_set=form.cleaned_data["target"])
            self.message_user(request, f"{moved} question(s) moved.", messages.SUCCESS)
            if refused:
                self.message_user(
                    request,
                    f"{len(refused)} question(s) stayed: the target set is for another exam.",
                    messages.WARNING,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Move questions to another set",
            "form": form,
            "queryset": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/questions/question/move_to_set.html", context)

    # -- preview and per-question duplicate
    def get_urls(self) -> list[URLPattern]:
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", wrap(self.preview_view), name="questions_question_preview"),
            path(
                "<int:pk>/duplicate/",
                wrap(require_POST(self.duplicate_view)),
                name="questions_question_duplicate",
            ),
            *super().get_urls(),
        ]

    def _owned_question(self, request: HttpRequest, pk: int) -> Question:
        question = get_object_or_404(
            self.get_queryset(request)
            .select_related("question_set__exam", "task_statement", "scenario")
            .prefetch_related("choices", "ordering_items", "pairs"),
            pk=pk,
        )
        if not self.has_view_permission(request, question):
            raise PermissionDenied
        return question

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        question = self._owned_question(request, pk)
        notes = question.task_statement.notes.all() if question.task_statement is not None else []
        context = {
            **self.admin_site.each_context(request),
            "title": "Preview as a student",
            "question": question,
            "kind_template": kinds.get(question.kind).template_for("preview"),
            "notes": notes,
            "opts": self.model._meta,
            "original": question,
        }
        return TemplateResponse(request, "admin/questions/question/preview.html", context)

    def duplicate_view(self, request: AuthenticatedRequest, pk: int) -> HttpResponse:
        question = self._owned_question(request, pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        copy = duplicate_question(question=question, author=request.user)
        self.message_user(request, "A draft copy was created; edit it here.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:questions_question_change", args=[copy.pk]))


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ("question_set", "external_id", "title", "text_md")

    def clean_text_md(self) -> str:
        return _checked_markdown(self.cleaned_data["text_md"])


@admin.register(Scenario)
class ScenarioAdmin(PrerenderedAdminMixin, OwnedByUser, admin.ModelAdmin):
    block_fields = (r"text_md",)
    form = ScenarioForm
    list_display = ("title", "question_set", "external_id")
    list_select_related = ("question_set",)
    search_fields = ("title", "text_md")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question_set":
            kwargs["queryset"] = QuestionSet.objects.owned_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        rendered = getattr(request, "rendered_markdown", None) or RenderedTexts()
        obj.text_html = rendered.block(obj.text_md)
        super().save_model(request, obj, form, change)
        record_versions(obj.questions.all())  # its questions show the new text from their next version on


@admin.register(ProblemReport)
class ProblemReportAdmin(OwnedByUser, admin.ModelAdmin):
    owner_path = "question__question_set__owner"
    list_display = ("question_link", "category", "text", "created_at", "resolved")
    list_filter = ("resolved", "category")
    list_select_related = ("question", "question__question_set")
    list_editable = ("resolved",)
    readonly_fields = ("question", "reporter", "category", "text", "version_number", "created_at")
    actions = ["mark_resolved"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="Version")
    def version_number(self, obj: ProblemReport) -> int | str:
        """The version of the question the student reported (empty for an old report no version matched)."""
        return obj.question_version.number if obj.question_version is not None else "—"

    @admin.display(description="Question")
    def question_link(self, obj: ProblemReport) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:questions_question_change", args=[obj.question_id]),
            str(obj.question),
        )

    @admin.action(description="Mark selected reports as resolved", permissions=["change"])
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[ProblemReport]) -> None:
        self.message_user(request, f"{queryset.update(resolved=True)} report(s) resolved.")
