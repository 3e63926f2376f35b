"""The user admin: the profile edited inline, and "Make instructor" as an action."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from apps.accounts.models import Profile
from apps.questions.roles import INSTRUCTORS, make_instructor


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    fields = ("target_exam", "exam_date", "created", "updated")
    readonly_fields = ("created", "updated")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithProfileAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, ProfileInline]
    actions = ["make_instructor"]

    @admin.action(description=f"Make instructor (staff status + the {INSTRUCTORS} group)", permissions=["change"])
    def make_instructor(self, request, queryset):
        made = [user.get_username() for user in queryset if make_instructor(user=user)]
        if made:
            self.message_user(request, f"Now instructors: {', '.join(made)}.", messages.SUCCESS)
        else:
            self.message_user(request, "They were already instructors.", messages.INFO)
