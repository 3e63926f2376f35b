"""Admin for exams, the service glossary and notes (notes are re-rendered when saved here)."""

from django import forms
from django.contrib import admin

from apps.content.models import Domain, Exam, Note, NoteSource, Service, TaskStatement
from apps.content.rendering import PrerenderedAdminMixin, markdown_field_error
from apps.content.services import prerender_note, save_note


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
    form = NoteForm
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
        rendered = getattr(request, "rendered_note", None)
        if rendered is not None and form.instance.body_md != request.POST.get("body_md", "").strip():
            rendered = None  # the form changed the text (it never does today): render what is stored
        save_note(note=form.instance, rendered=rendered)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            # Rendered before the admin's transaction opens, with the note's links and images.
            request.rendered_note = prerender_note(
                note_id=object_id, body=request.POST.get("body_md", ""), exam_id=request.POST.get("exam")
            )
        return super().changeform_view(request, object_id, form_url, extra_context)
