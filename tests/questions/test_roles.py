"""The "Instructors" group: exactly the permissions an instructor needs, kept that way by every migrate."""

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from apps.questions.roles import INSTRUCTORS

# Written out on purpose (not derived from apps.questions.roles): a change to the role must change this test.
EXPECTED = {
    *(
        ("questions", f"{action}_{model}")
        for model in ("questionset", "question", "choice", "orderingitem", "matchingpair", "scenario")
        for action in ("add", "change", "delete", "view")
    ),
    ("questions", "change_problemreport"),
    ("questions", "view_problemreport"),
    ("content", "view_exam"),
    ("content", "view_taskstatement"),
    ("content", "view_service"),
    ("classrooms", "add_classroom"),  # who may create a classroom
}


def group_permissions():
    group = Group.objects.get(name=INSTRUCTORS)
    return set(group.permissions.values_list("content_type__app_label", "codename"))


def test_the_instructors_group_exists_after_migrate_with_exactly_the_listed_permissions(db):
    assert group_permissions() == EXPECTED
    assert len(EXPECTED) == 30


def test_an_instructor_may_author_questions_but_not_edit_content_or_reports_text(db, instructor):
    instructor.groups.add(Group.objects.get(name=INSTRUCTORS))
    assert instructor.has_perms(["questions.add_question", "questions.delete_choice", "content.view_exam"])
    assert not instructor.has_perm("questions.add_problemreport")
    assert not instructor.has_perm("questions.delete_problemreport")
    assert not instructor.has_perm("content.change_exam")
    assert not instructor.has_perm("content.add_note")
    assert not instructor.has_perm("auth.change_user")


def test_migrate_brings_a_changed_group_back_to_exactly_the_listed_permissions(db):
    group = Group.objects.get(name=INSTRUCTORS)
    group.permissions.remove(Permission.objects.get(codename="add_question"))
    group.permissions.add(Permission.objects.get(codename="change_user"))

    call_command("migrate", verbosity=0)

    assert group_permissions() == EXPECTED


def test_migrate_recreates_a_deleted_instructors_group(db):
    Group.objects.filter(name=INSTRUCTORS).delete()

    call_command("migrate", verbosity=0)

    assert group_permissions() == EXPECTED
