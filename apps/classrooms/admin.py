"""Classrooms in the admin: for the site's administrators only (instructors run classes from their pages,
where every query is scoped to the classes they teach)."""

from django.contrib import admin

from apps.classrooms.models import Assignment, Classroom, Membership


class SuperuserOnly:
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class MembershipInline(SuperuserOnly, admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["student"]


@admin.register(Classroom)
class ClassroomAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "exam", "join_code", "created_at"]
    list_filter = ["exam"]
    search_fields = ["name", "join_code"]
    filter_horizontal = ["instructors", "question_sets"]
    inlines = [MembershipInline]


@admin.register(Assignment)
class AssignmentAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["title", "classroom", "mode", "opens_at", "due_at", "attempts_allowed"]
    list_filter = ["mode", "classroom__exam"]
    search_fields = ["title", "classroom__name"]
    filter_horizontal = ["question_sets"]
