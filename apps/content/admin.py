"""Admin for exams, the service glossary and notes (notes are re-rendered when saved here)."""

from django import forms
from django.contrib import admin

from apps.content.models import Domain, Exam, Note, Service, TaskStatement
from apps.content.rendering import PrerenderedAdminMixin, markdown_field_error
from apps.content.services import save_note


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0
    fields = ("number", "title", "weight")


@admin.register(Exam)
class ExamAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "level", "status", "guide_version", "minutes", "passing_score")
    list_filter = ("status", "level")
    search_fields = ("code", "title")
    inlines = [DomainInline]


@admin.register(TaskStatement)
class TaskStatementAdmin(admin.ModelAdmin):
    list_display = ("__str__", "exam", "domain")
    list_filter = ("exam",)
    list_select_related = ("exam", "domain")
    search_fields = ("number", "title")
    filter_horizontal = ("related",)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "availability")
    list_filter = ("category", "availability", "exams")
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("exams",)


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ("exam", "title", "slug", "summary", "order", "task_statements", "services", "body_md")

    def clean_body_md(self):
        error = markdown_field_error(self.cleaned_data["body_md"])
        if error:
            raise error
        return self.cleaned_data["body_md"]


@admin.register(Note)
class NoteAdmin(PrerenderedAdminMixin, admin.ModelAdmin):
    page_fields = (r"body_md",)
    form = NoteForm
    list_display = ("title", "exam", "order", "word_count", "updated_at")
    list_filter = ("exam",)
    list_select_related = ("exam",)
    search_fields = ("title", "summary", "search_text")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("task_statements", "services")
    readonly_fields = ("source_path", "word_count", "updated_at")
    fields = (
        "exam",
        "title",
        "slug",
        "summary",
        "order",
        "task_statements",
        "services",
        "body_md",
        "source_path",
        "word_count",
        "updated_at",
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Render after the many-to-many links are saved, so the stored HTML is never stale.
        save_note(note=form.instance, rendered=getattr(request, "rendered_markdown", None))
