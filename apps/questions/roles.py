"""The "Instructors" group: exactly the permissions an instructor needs to author question sets and run
classrooms."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, Permission, User

INSTRUCTORS = "Instructors"
PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "questions": {
        "questionset": ("add", "change", "delete", "view"),
        "question": ("add", "change", "delete", "view"),
        "choice": ("add", "change", "delete", "view"),
        "orderingitem": ("add", "change", "delete", "view"),
        "matchingpair": ("add", "change", "delete", "view"),
        "scenario": ("add", "change", "delete", "view"),
        "problemreport": ("change", "view"),
    },
    "content": {"exam": ("view",), "taskstatement": ("view",), "service": ("view",)},
    # Classrooms are run from the instructor pages; the permission says who may create one.
    "classrooms": {"classroom": ("add",)},
}


def instructor_permissions() -> list[Permission]:
    codenames = [
        (app, f"{action}_{model}")
        for app, models in PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]
    permissions = Permission.objects.filter(content_type__app_label__in=PERMISSIONS).select_related(
        "content_type"
    )
    wanted = {(p.content_type.app_label, p.codename): p for p in permissions}
    return [wanted[key] for key in codenames if key in wanted]


def ensure_instructor_group(**kwargs: Any) -> Group:
    """Create the group or bring its permissions back to exactly the list above (runs after every migrate)."""
    group, _ = Group.objects.get_or_create(name=INSTRUCTORS)
    group.permissions.set(instructor_permissions())
    return group


def is_instructor(user: User | AnonymousUser) -> bool:
    """The instructor role: the Instructors group's permission to run classrooms (a superuser has every one).

    Taking someone out of the group takes the role away everywhere at once: their classes' pages, the sets
    shared with those classes and creating new classes all ask this.
    """
    return user.is_authenticated and user.has_perm("classrooms.add_classroom")


def make_instructor(*, user: User) -> bool:
    """Staff status (to reach the admin) and the Instructors group, in one step. Returns False when the user
    already was both (safe to call twice)."""
    group = ensure_instructor_group()
    changed = not user.is_staff or not user.groups.filter(pk=group.pk).exists()
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(group)
    return changed
