"""Admin for exams, the service glossary and notes (notes are re-rendered when saved here)."""

from django.contrib import admin

from apps.content.models import Domain, Exam, Note, NoteSource, Service, TaskStatement
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


@admin.register(NoteSource)
class NoteSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "location", "updated_at")
    search_fields = ("name", "slug", "location")
    readonly_fields = ("location", "created_at", "updated_at")


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("title", "exam", "source", "order", "word_count", "updated_at")
    list_filter = ("exam", "source")
    list_select_related = ("exam", "source")
    search_fields = ("title", "summary", "search_text")
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("task_statements", "services")
    readonly_fields = ("source", "relative_path", "source_path", "word_count", "updated_at")
    fields = (
        "exam",
        "title",
        "slug",
        "summary",
        "order",
        "task_statements",
        "services",
        "body_md",
        "source",
        "relative_path",
        "source_path",
        "word_count",
        "updated_at",
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Render after the many-to-many links are saved, so the stored HTML is never stale.
        save_note(note=form.instance)
