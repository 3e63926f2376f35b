"""Classroom fixtures: a small exam with a public bank, instructors in the Instructors group, a class."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Group

from apps.classrooms import services
from apps.questions.roles import ensure_instructor_group
from tests.factories import make_exam, make_question_set, make_questions


@pytest.fixture
def now():
    return datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")


@pytest.fixture
def bank(exam):
    return make_question_set(exam=exam, slug="public-bank", visibility="public")


@pytest.fixture
def questions(bank):
    """Ten questions in domain 1 (task 1.1) and five in domain 2 (task 2.1); the first choice is right."""
    return make_questions(question_set=bank, count=10, task_statement="1.1") + make_questions(
        question_set=bank, count=5, task_statement="2.1", prefix="D2 question"
    )


def _instructor(user):
    ensure_instructor_group()
    user.groups.add(Group.objects.get(name="Instructors"))
    # has_perm caches permissions on the user object: hand back a fresh one.
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def teacher(instructor):
    """An instructor (in the Instructors group)."""
    return _instructor(instructor)


@pytest.fixture
def other_teacher(other_instructor):
    return _instructor(other_instructor)


@pytest.fixture
def classroom(teacher, exam):
    return services.create_classroom(instructor=teacher, name="Spring cohort", exam=exam)


@pytest.fixture
def other_classroom(other_teacher, exam):
    return services.create_classroom(instructor=other_teacher, name="Other cohort", exam=exam)


@pytest.fixture
def member(student, classroom, now):
    """The student, in the class since `now`."""
    return services.join(student=student, code=classroom.join_code, now=now)
