"""Shared data for the exam tests: a small exam, a public bank with one question of each kind, a fixed clock."""

from datetime import UTC, datetime

import pytest

from tests.factories import make_exam, make_question, make_question_set

KINDS = ["multiple_choice", "multiple_response", "ordering", "matching"]


@pytest.fixture
def now():
    """The tests' clock: services take `now`, so nothing here depends on when the tests run."""
    return datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def exam(db):
    """TST-C01: domain 1 (60%, tasks 1.1 and 1.2) and domain 2 (40%, task 2.1); 50 + 15 questions in 90
    minutes; passing score 700 of 1000."""
    return make_exam(code="TST-C01")


@pytest.fixture
def bank(exam):
    """The public bank (no owner, like the one certprep ships)."""
    return make_question_set(exam=exam, slug="public-bank", visibility="public")


@pytest.fixture
def by_kind(bank):
    """One published question of each kind in the public bank, with the factories' default texts."""
    return {
        kind: make_question(question_set=bank, kind=kind, stem=f"A {kind.replace('_', ' ')} question?")
        for kind in KINDS
    }


@pytest.fixture
def signed_in(client, student):
    client.force_login(student)
    return client
