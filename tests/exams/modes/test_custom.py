"""Custom practice: the student's domains, task statements and count; timed at the real exam's pace or not."""

from apps.exams.models import Attempt
from apps.exams.modes.custom import CUSTOM, MAX_CUSTOM_QUESTIONS
from apps.questions.models import Question
from tests.exams.modes.planning import plan_for, request_for
from tests.factories import make_questions


def tasks_of(ids):
    return set(Question.objects.filter(pk__in=ids).values_list("task_statement__number", flat=True))


def test_custom_practice_draws_only_from_the_chosen_domains_and_task_statements(student, exam, bank, now):
    make_questions(question_set=bank, count=5, task_statement="1.1")
    make_questions(question_set=bank, count=5, task_statement="1.2")
    make_questions(question_set=bank, count=5, task_statement="2.1")

    by_domain = plan_for(student, exam, "custom", now=now, domains=[2], count=3)
    by_task = plan_for(student, exam, "custom", now=now, tasks=["1.2"], count=5)

    assert (len(by_domain.question_ids), tasks_of(by_domain.question_ids)) == (3, {"2.1"})
    assert (len(by_task.question_ids), tasks_of(by_task.question_ids)) == (5, {"1.2"})


def test_custom_practice_says_when_fewer_questions_match_than_asked(student, exam, bank, now):
    make_questions(question_set=bank, count=4, task_statement="2.1")

    plan = plan_for(student, exam, "custom", now=now, domains=[2], count=10)

    assert len(plan.question_ids) == 4
    assert plan.short
    assert plan.problem == "Only 4 question(s) match what you chose, not 10."


def test_custom_practice_without_a_count_is_capped_at_the_limit(student, exam, bank, now):
    make_questions(question_set=bank, count=MAX_CUSTOM_QUESTIONS + 3)

    plan = plan_for(student, exam, "custom", now=now)

    assert len(plan.question_ids) == plan.wanted == MAX_CUSTOM_QUESTIONS


def test_timed_custom_practice_runs_at_the_real_exams_pace(student, exam, bank, now):
    make_questions(question_set=bank, count=10)

    timed = plan_for(student, exam, "custom", now=now, count=10)
    untimed = plan_for(student, exam, "custom", now=now, count=10, timed=False)

    assert timed.minutes == 14  # 90 minutes for 65 questions: 13.8 for 10, rounded up
    assert untimed.minutes is None
    assert CUSTOM.minutes(request_for(exam, "custom", extra_time_percent=50), question_count=10) == 21


def test_a_custom_request_keeps_every_choice_but_pilot_questions(exam):
    request = CUSTOM.request(
        exam=exam, domains=[1], tasks=["1.1"], count=10, timed=False, feedback="immediate", pilot=True
    )
    assert (request.domains, request.tasks, request.count) == ([1], ["1.1"], 10)
    assert (request.timed, request.feedback, request.pilot) == (False, Attempt.Feedback.IMMEDIATE, False)


def test_custom_practice_asks_for_confidence_and_keeps_the_site_around():
    assert CUSTOM.asks_confidence
    assert CUSTOM.shows_domain
    assert not CUSTOM.exam_conditions


def test_custom_practice_needs_no_published_format(exam):
    exam.minutes = None
    assert exam.mock_format is None
    assert CUSTOM.available_for(exam)
    assert CUSTOM.minutes(request_for(exam, "custom"), question_count=10) is None  # untimed, then
