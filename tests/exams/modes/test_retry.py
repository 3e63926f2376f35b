"""Retry mistakes: only the questions the student got wrong and has not answered correctly since."""

from datetime import timedelta

from apps.exams.modes.retry import MAX_RETRY_QUESTIONS, NO_MISTAKES, RETRY
from apps.exams.services import save_response, submit_attempt
from tests.exams.modes.planning import plan_for
from tests.factories import make_attempt, make_questions


def submitted(user, questions, *, right=(), now):
    """An attempt over `questions`, submitted at `now` with `right` answered right and the rest left blank."""
    attempt = make_attempt(user=user, questions=questions, now=now)
    for slot in attempt.slots.filter(question__in=right):
        choice = next(c["id"] for c in slot.snapshot["choices"] if c["correct"])
        save_response(attempt=attempt, slot=slot, response={"choice": choice}, seq=1, now=now)
    return submit_attempt(attempt=attempt, now=now)[0]


def test_a_retry_asks_only_past_mistakes_still_wrong(student, exam, bank, now):
    wrong, fixed, right, unseen = make_questions(question_set=bank, count=4)
    submitted(student, [wrong, fixed, right], right=[right], now=now - timedelta(days=2))
    submitted(student, [fixed], right=[fixed], now=now - timedelta(days=1))

    plan = plan_for(student, exam, "retry", now=now)

    assert plan.question_ids == [wrong.pk]
    assert (plan.short, plan.problem) == (False, "")


def test_a_retry_without_mistakes_says_so(student, exam, bank, now):
    (question,) = make_questions(question_set=bank, count=1)
    submitted(student, [question], right=[question], now=now - timedelta(days=1))

    plan = plan_for(student, exam, "retry", now=now)

    assert plan.question_ids == []
    assert plan.problem == NO_MISTAKES


def test_a_retry_takes_no_topic_or_count_but_the_student_chooses_timing_and_feedback(exam):
    request = RETRY.request(
        exam=exam, domains=[1], tasks=["1.1"], count=10, timed=True, feedback="immediate", pilot=True
    )
    assert (request.domains, request.tasks, request.count, request.pilot) == ([], [], 0, False)
    assert (request.timed, request.feedback) == (True, "immediate")
    assert RETRY.max_questions == MAX_RETRY_QUESTIONS


def test_a_timed_retry_runs_at_the_real_exams_pace(student, exam, bank, now):
    questions = make_questions(question_set=bank, count=5)
    submitted(student, questions, now=now - timedelta(days=1))

    assert plan_for(student, exam, "retry", now=now).minutes == 7  # 90 / 65 x 5 = 6.9, rounded up
    assert plan_for(student, exam, "retry", now=now, timed=False).minutes is None


def test_a_retry_asks_for_confidence_and_keeps_the_site_around():
    assert RETRY.asks_confidence
    assert not RETRY.exam_conditions
    assert RETRY.shuffles_order
