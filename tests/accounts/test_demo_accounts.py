"""The demo student is preparing for AIF-C01 when that exam is loaded, and sits in the demo class."""

import io

from django.core.management import call_command

from apps.accounts.demo import ensure_demo_accounts
from apps.accounts.models import Profile
from apps.classrooms.models import Assignment, Classroom, Membership
from tests.factories import make_exam


def test_the_demo_student_targets_aif_c01_when_it_exists(db):
    exam = make_exam(code="AIF-C01", title="AI Practitioner")
    ensure_demo_accounts()
    assert Profile.objects.get(user__username="student").target_exam == exam
    assert not Profile.objects.filter(user__username="instructor").exists()


def test_the_demo_student_gets_no_target_without_the_exam(db):
    ensure_demo_accounts()
    assert Profile.objects.get(user__username="student").target_exam is None


def test_a_target_chosen_while_trying_the_demo_survives_a_second_run(db):
    make_exam(code="AIF-C01", title="AI Practitioner")
    other = make_exam(code="MLA-C02", title="ML Engineer")
    ensure_demo_accounts()
    Profile.objects.filter(user__username="student").update(target_exam=other)
    ensure_demo_accounts()
    assert Profile.objects.get(user__username="student").target_exam == other


def test_the_command_sets_up_a_demo_class_once(db, settings):
    settings.DEBUG = True
    make_exam(code="AIF-C01", title="AI Practitioner")
    for _ in range(2):
        call_command("create_demo_accounts", stdout=io.StringIO())
    classroom = Classroom.objects.get()
    assert [u.username for u in classroom.instructors.all()] == ["instructor"]
    assert Membership.objects.active().get().student.username == "student"
    assert Assignment.objects.filter(classroom=classroom).count() == 1
