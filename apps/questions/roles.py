"""The "Instructors" group: exactly the permissions an instructor needs to author question sets and run
classrooms."""

from typing import Any

from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.db.models import Exists, Q

INSTRUCTORS = "Instructors"
INSTRUCTOR_PERMISSION = "classrooms.add_classroom"  # what makes an instructor (is_instructor)
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
    return user.is_authenticated and user.has_perm(INSTRUCTOR_PERMISSION)


def instructor_role(user: User | AnonymousUser) -> Q:
    """`is_instructor` as a condition a query checks itself (the rule of Django's ModelBackend, which is the
    only permission backend here: an active user's own permission or one of their groups', or an active
    superuser): a read that needs the role sends no query of its own for it. Once the user's permissions
    have been read (has_perm caches them on the user), they answer."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser or hasattr(user, "_perm_cache"):
        return Q() if is_instructor(user) else Q(pk__in=[])
    app_label, codename = INSTRUCTOR_PERMISSION.split(".")
    held = Permission.objects.filter(content_type__app_label=app_label, codename=codename).filter(
        Q(user=user) | Q(group__user=user)
    )
    return Q(Exists(held))


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
