"""A small world for the security tests: one exam and its bank, student A with an open and a submitted attempt,
instructor X's class (which A joined) with a shared set and an assignment, and everybody else who must not see it.

`build_world` is a plain function so that the browser tests (tests/e2e) can build the same world in the live
server's database.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.classrooms import services as classroom_services
from apps.classrooms.models import Assignment
from apps.exams import services as exam_services
from apps.exams.scoring import correct_response
from apps.questions.roles import ensure_instructor_group
from apps.questions.services import report_problem
from tests.factories import (
    answer_form,
    make_attempt,
    make_exam,
    make_note,
    make_question,
    make_question_set,
    make_questions,
    make_service,
)

KINDS = ("multiple_choice", "multiple_response", "ordering", "matching")


@dataclass
class World:
    now: object
    alice: object  # student A: in X's class, an open and a submitted attempt
    bob: object  # student B: in Y's class
    irene: object  # instructor X: owns a set, teaches A's class
    oscar: object  # instructor Y: teaches another class
    root: object  # superuser
    victor: object  # a revoked instructor: still listed as a co-instructor of X's class, no longer an instructor
    exam: object
    bank: object  # public
    kinds: dict  # kind -> a public question of that kind
    irene_set: object  # Irene's own set, shared with her class
    irene_questions: list
    note: object
    service: object
    classroom: object
    membership: object  # Alice's, active
    removed: object  # Carol's, removed by Irene
    assignment: object
    open_attempt: object  # Alice's, untimed, immediate feedback, one question of each kind
    submitted_attempt: object  # Alice's, the assignment's, submitted
    other_classroom: object  # Oscar's, with Bob in it
    bob_membership: object
    other_assignment: object
    bob_attempt: object  # Bob's own open attempt
    report: object  # Alice's problem report on one of Irene's questions
    reset_uid: str  # Alice's, for password-reset links


def make_instructor(user):
    """The user in the Instructors group, fresh from the database (has_perm caches permissions)."""
    ensure_instructor_group()
    user.groups.add(Group.objects.get(name="Instructors"))
    return type(user).objects.get(pk=user.pk)


def revoke_instructor(user):
    """Take the instructor role away as an administrator would: out of Instructors, no staff status."""
    user.groups.clear()
    user.is_staff = False
    user.save(update_fields=["is_staff"])
    return type(user).objects.get(pk=user.pk)


def answer_data(snapshot):
    """Form data of the right answer to a slot's question, as the question page posts it."""
    return answer_form(snapshot, correct_response(snapshot))


def build_world(*, alice, bob, irene, oscar, root, now=None):
    now = now or timezone.now()
    irene, oscar = make_instructor(irene), make_instructor(oscar)
    carol = type(alice).objects.create_user(username="carol", password="carol-pass-1234")
    exam = make_exam(code="TST-C01")
    bank = make_question_set(exam=exam, slug="public-bank", title="Public bank", visibility="public")
    kinds = {kind: make_question(question_set=bank, kind=kind) for kind in KINDS}
    make_questions(question_set=bank, count=6, task_statement="1.1")
    make_questions(question_set=bank, count=4, task_statement="2.1", prefix="D2 question")
    irene_set = make_question_set(exam=exam, slug="irene-set", title="Irene's set", owner=irene)
    irene_questions = make_questions(question_set=irene_set, count=5, prefix="Irene question")
    service = make_service(exams=[exam])
    note = make_note(exam=exam, slug="a-note", title="A note", tasks=["1.1"], services=[service])

    classroom = classroom_services.create_classroom(instructor=irene, name="Spring cohort", exam=exam)
    classroom_services.share_sets(classroom=classroom, user=irene, sets=[irene_set])
    victor = make_instructor(type(alice).objects.create_user(username="victor", password="victor-pass-1234"))
    classroom_services.add_co_instructor(classroom=classroom, username="victor")
    victor = revoke_instructor(victor)
    membership = classroom_services.join(student=alice, code=classroom.join_code, now=now - timedelta(days=3))
    removed = classroom_services.join(student=carol, code=classroom.join_code, now=now - timedelta(days=3))
    classroom_services.remove_student(membership=removed, now=now - timedelta(days=2))
    assignment = classroom_services.save_assignment(
        assignment=Assignment(
            classroom=classroom,
            title="Week 1 quiz",
            mode="custom",
            question_count=3,
            attempts_allowed=2,
            opens_at=now - timedelta(days=2),
            due_at=now + timedelta(days=5),
        ),
        question_sets=[irene_set],
        by=irene,
    )
    started = now - timedelta(days=1)
    submitted = classroom_services.start_assignment(
        student=alice, assignment=assignment, now=started, seed="w"
    )
    for slot in submitted.slots.order_by("position")[:2]:  # two answers right, the third left blank
        exam_services.save_response(
            attempt=submitted, slot=slot, response=correct_response(slot.snapshot), seq=1, now=started
        )
    submitted, _ = exam_services.submit_attempt(attempt=submitted, now=started + timedelta(minutes=10))
    report = report_problem(
        question=irene_questions[0], user=alice, category="unclear", text="Two choices look right to me."
    )
    open_attempt = make_attempt(
        user=alice, questions=list(kinds.values()), now=now - timedelta(hours=1), feedback="immediate"
    )

    other_classroom = classroom_services.create_classroom(instructor=oscar, name="Other cohort", exam=exam)
    bob_membership = classroom_services.join(student=bob, code=other_classroom.join_code, now=now)
    other_assignment = classroom_services.save_assignment(
        assignment=Assignment(
            classroom=other_classroom,
            title="Their quiz",
            mode="custom",
            question_count=2,
            opens_at=now - timedelta(days=1),
            due_at=now + timedelta(days=5),
        ),
        question_sets=[],
        by=oscar,
    )
    bob_attempt = make_attempt(user=bob, questions=[kinds["multiple_choice"]], now=now - timedelta(hours=1))
    return World(
        now=now,
        alice=alice,
        bob=bob,
        irene=irene,
        oscar=oscar,
        root=root,
        victor=victor,
        exam=exam,
        bank=bank,
        kinds=kinds,
        irene_set=irene_set,
        irene_questions=irene_questions,
        note=note,
        service=service,
        classroom=classroom,
        membership=membership,
        removed=removed,
        assignment=assignment,
        open_attempt=open_attempt,
        submitted_attempt=submitted,
        other_classroom=other_classroom,
        bob_membership=bob_membership,
        other_assignment=other_assignment,
        bob_attempt=bob_attempt,
        report=report,
        reset_uid=urlsafe_base64_encode(force_bytes(alice.pk)),
    )


@pytest.fixture
def world(student, other_student, instructor, other_instructor, admin):
    return build_world(alice=student, bob=other_student, irene=instructor, oscar=other_instructor, root=admin)


# The app's own tables and the users, groups and their links: what a refused request must leave as it was.
# (Sessions and login-throttling records are left out: logging out or a failed log-in may touch them.)
SNAPSHOT_APPS = {"auth", "content", "questions", "exams", "progress", "classrooms", "accounts"}


def snapshot():
    """Every row of every table the app owns (and the users and their groups), for before/after comparisons."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in SNAPSHOT_APPS and model._meta.model_name != "permission"
    ]
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in models}


def changed_tables(before, after):
    return sorted(label for label in before if before[label] != after.get(label))


@contextmanager
def nothing_changes():
    """Fails if any table of the app changed inside the block."""
    before = snapshot()
    yield
    assert changed_tables(before, snapshot()) == []
