"""Making someone an instructor in one step: the admin action and `manage.py add_instructor`."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from apps.questions.roles import INSTRUCTORS


def is_instructor(user):
    user.refresh_from_db()
    return user.is_staff and user.groups.filter(name=INSTRUCTORS).exists()


def test_the_admin_action_gives_staff_status_and_the_group(client, admin, student, other_student):
    client.force_login(admin)
    response = client.post(
        "/admin/auth/user/",
        {"action": "make_instructor", "_selected_action": [student.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Now instructors: alice." in response.content.decode()
    assert is_instructor(student)
    assert not is_instructor(other_student)
    # The instructor reaches the admin and sees question sets there.
    client.force_login(student)
    assert client.get("/admin/questions/questionset/").status_code == 200


def test_the_admin_action_needs_the_right_to_change_users(client, instructor, student):
    client.force_login(instructor)  # staff, but no permission on users
    client.post("/admin/auth/user/", {"action": "make_instructor", "_selected_action": [student.pk]})
    assert not is_instructor(student)


def test_add_instructor_command(student):
    out = StringIO()
    call_command("add_instructor", student.username, stdout=out)
    assert is_instructor(student)
    assert out.getvalue() == f"{student.username} is now an instructor (staff status, group {INSTRUCTORS}).\n"
    again = StringIO()
    call_command("add_instructor", student.username, stdout=again)
    assert "already was an instructor" in again.getvalue()
    assert Group.objects.filter(name=INSTRUCTORS).count() == 1


def test_add_instructor_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("add_instructor", "nobody")
