"""The demo accounts that `make run` creates for a local try-out (never for a real deployment)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

INSTRUCTORS_GROUP = "Instructors"  # kept in step by apps.questions.roles after every migrate

DEMO_ACCOUNTS = (
    # username, password, role
    ("admin", "admin-demo-pass", "superuser"),
    ("instructor", "instructor-demo-pass", "instructor"),
    ("student", "student-demo-pass", "student"),
)


def ensure_demo_accounts():
    """Create (or reset the passwords of) the demo accounts. Returns [(username, password, role, created)]."""
    User = get_user_model()
    result = []
    for username, password, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = role in {"superuser", "instructor"}
        user.is_superuser = role == "superuser"
        user.set_password(password)
        user.save()
        if role == "instructor":
            user.groups.add(Group.objects.get_or_create(name=INSTRUCTORS_GROUP)[0])
        result.append((username, password, role, created))
    return result
