"""The demo accounts that `make run` creates for a local try-out (never for a real deployment)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from apps.accounts.services import profile_for
from apps.content.models import Exam

INSTRUCTORS_GROUP = "Instructors"  # kept in step by apps.questions.roles after every migrate
DEMO_STUDENT_EXAM = "AIF-C01"

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
        if role == "student":
            _give_target_exam(user)
        result.append((username, password, role, created))
    return result


def _give_target_exam(user):
    # Only when none is chosen: a target picked while trying the demo survives the next `make run`.
    profile = profile_for(user)
    if profile.target_exam_id is None:
        profile.target_exam = Exam.objects.filter(code=DEMO_STUDENT_EXAM).first()
        if profile.target_exam:
            profile.save(update_fields=["target_exam", "updated"])
