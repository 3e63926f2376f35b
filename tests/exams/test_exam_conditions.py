"""Which attempts run under exam conditions (the focused exam screen)."""

from datetime import timedelta

from apps.exams.models import Attempt


def conditions(mode, *, timed=True, assignment=False):
    deadline = timedelta(minutes=30) if timed else None
    return Attempt(mode=mode, deadline=deadline, config={"assignment": assignment}).exam_conditions


def test_a_timed_mock_or_assignment_runs_under_exam_conditions():
    assert conditions(Attempt.Mode.MOCK)
    assert conditions(Attempt.Mode.CUSTOM, assignment=True)


def test_practice_and_untimed_attempts_keep_the_site_around():
    assert not conditions(Attempt.Mode.CUSTOM)
    assert not conditions(Attempt.Mode.RETRY)
    assert not conditions(Attempt.Mode.REVIEW)
    assert not conditions(Attempt.Mode.MOCK, timed=False)
    assert not conditions(Attempt.Mode.CUSTOM, timed=False, assignment=True)
