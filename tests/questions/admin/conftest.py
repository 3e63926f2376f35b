"""The question admin tests' people and objects: instructors in their group, two exams, each instructor's set
and question, signed-in clients."""

import pytest
from django.contrib.auth.models import Group

from apps.questions.roles import INSTRUCTORS
from tests.factories import make_exam, make_question, make_question_set


@pytest.fixture(autouse=True)
def _instructors_in_group(instructor, other_instructor):
    group = Group.objects.get(name=INSTRUCTORS)
    instructor.groups.add(group)
    other_instructor.groups.add(group)


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01", guide_version="2.0")


@pytest.fixture
def other_exam(db):
    return make_exam(code="OTH-C01", title="Other Certification", domains=[(1, "Other things", 100, ["1.1"])])


@pytest.fixture
def own_set(exam, instructor):
    return make_question_set(exam=exam, slug="irene-bank", title="Irene's bank", owner=instructor)


@pytest.fixture
def others_set(exam, other_instructor):
    return make_question_set(exam=exam, slug="oscar-bank", title="Oscar's bank", owner=other_instructor)


@pytest.fixture
def own_question(own_set):
    return make_question(
        question_set=own_set, stem="Irene asks: which service stores objects?", guide_version="2.0"
    )


@pytest.fixture
def others_question(others_set):
    return make_question(
        question_set=others_set, stem="Oscar asks: which service stores objects?", guide_version="2.0"
    )


@pytest.fixture
def as_instructor(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture
def as_superuser(client, admin):
    client.force_login(admin)
    return client
