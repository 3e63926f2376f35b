"""Shared data for the dashboard tests: a small exam, a public bank of questions, a signed-in student."""

import pytest

from tests.factories import make_exam, make_question_set, make_questions


@pytest.fixture
def exam(db):
    """TST-C01: domain 1 (60%, tasks 1.1 and 1.2) and domain 2 (40%, task 2.1); passing score 700 of 1000."""
    return make_exam(code="TST-C01")


@pytest.fixture
def bank(exam):
    return make_question_set(exam=exam, slug="public-bank", visibility="public")


@pytest.fixture
def questions(bank):
    """Six questions per task statement, keyed by task number; the first choice of each is the right one."""
    return {
        task: make_questions(question_set=bank, count=6, task_statement=task, prefix=f"Q{task}")
        for task in ("1.1", "1.2", "2.1")
    }


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client
