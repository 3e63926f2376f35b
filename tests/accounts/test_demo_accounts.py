"""The demo student is preparing for AIF-C01 when that exam is loaded."""

from apps.accounts.demo import ensure_demo_accounts
from apps.accounts.models import Profile
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
