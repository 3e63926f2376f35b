"""Attempts the practice page tests share: one question of each kind (60 minutes) and three multiple-choice
questions (untimed)."""

import pytest
from django.utils import timezone

from apps.exams.models import Slot
from apps.exams.services import save_response, submit_attempt
from tests.exams.views.helpers import right_choice, wrong_choice
from tests.factories import make_attempt, make_questions


@pytest.fixture
def attempt(by_kind, student):
    """The student's 60-minute attempt over one question of each kind, started just now."""
    return make_attempt(user=student, questions=by_kind.values(), now=timezone.now(), minutes=60)


@pytest.fixture
def mc(attempt):
    return attempt.slots.get(kind="multiple_choice")


@pytest.fixture
def three(bank, student):
    """An untimed attempt over three multiple-choice questions (slot positions 1, 2, 3)."""
    return make_attempt(
        user=student, questions=make_questions(question_set=bank, count=3), now=timezone.now()
    )


@pytest.fixture
def graded(signed_in, three, now):
    """`three` submitted: question 1 right, question 2 wrong and flagged, question 3 unanswered."""
    one, two = three.slots.get(position=1), three.slots.get(position=2)
    save_response(attempt=three, slot=one, response={"choice": right_choice(one)}, seq=1, now=now)
    save_response(attempt=three, slot=two, response={"choice": wrong_choice(two)}, seq=1, now=now)
    Slot.objects.filter(pk=two.pk).update(flagged=True)
    return submit_attempt(attempt=three, now=now)[0]
