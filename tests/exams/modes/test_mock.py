"""The full mock: the exam's count drawn by the domain weights, on the exam's clock, like the real exam."""

from collections import Counter

from apps.exams.models import Attempt
from apps.exams.modes.mock import DEFAULT_MOCK_QUESTIONS, MOCK
from apps.questions.models import Question
from tests.exams.modes.planning import plan_for, request_for
from tests.factories import make_questions


def domains_of(ids):
    rows = Question.objects.filter(pk__in=ids).values_list("task_statement__domain__number", flat=True)
    return dict(Counter(rows))


def test_a_mock_draws_the_exams_count_by_the_domain_weights(student, exam, bank, now):
    make_questions(question_set=bank, count=45, task_statement="1.1")
    make_questions(question_set=bank, count=30, task_statement="2.1")

    plan = plan_for(student, exam, "mock", now=now)

    assert len(plan.question_ids) == plan.wanted == 65
    assert domains_of(plan.question_ids) == {1: 39, 2: 26}  # 60% and 40% of 65
    assert (plan.unscored_ids, plan.problem) == ([], "")


def test_a_mock_with_pilot_questions_keeps_the_blueprint_for_the_scored_ones(student, exam, bank, now):
    make_questions(question_set=bank, count=45, task_statement="1.1")
    make_questions(question_set=bank, count=30, task_statement="2.1")

    plan = plan_for(student, exam, "mock", now=now, pilot=True)

    assert domains_of(plan.question_ids) == {1: 30, 2: 20}  # 50 scored
    assert len(plan.unscored_ids) == 15
    assert not set(plan.question_ids) & set(plan.unscored_ids)


def test_a_mock_says_which_domains_are_short_instead_of_topping_up(student, exam, bank, now):
    make_questions(question_set=bank, count=45, task_statement="1.1")
    make_questions(question_set=bank, count=20, task_statement="2.1")

    plan = plan_for(student, exam, "mock", now=now)

    assert domains_of(plan.question_ids) == {1: 39, 2: 20}
    assert plan.short
    assert plan.problem == "There are not enough questions to follow the blueprint (domain 2: 6 missing)."


def test_a_mock_runs_on_the_exams_clock_plus_extra_time(exam):
    assert MOCK.minutes(request_for(exam, "mock")) == 90
    assert MOCK.minutes(request_for(exam, "mock", extra_time_percent=25)) == 113  # 22.5 rounded up
    assert MOCK.minutes(request_for(exam, "mock", minutes=60)) == 60  # an assignment's own limit wins


def unpublished(exam):
    """The exam as before AWS publishes its time limit (no format a mock could follow)."""
    exam.minutes = None
    return exam


def test_a_mock_without_a_published_format_needs_a_time_limit_of_its_own(exam):
    exam = unpublished(exam)
    assert exam.mock_format is None
    assert not MOCK.available_for(exam)
    assert MOCK.minutes(request_for(exam, "mock")) is None
    assert MOCK.minutes(request_for(exam, "mock", minutes=45)) == 45


def test_a_mock_without_a_format_asks_the_default_count(student, exam, bank, now):
    exam = unpublished(exam)

    plan = plan_for(student, exam, "mock", now=now, minutes=45)

    assert plan.wanted == DEFAULT_MOCK_QUESTIONS


def test_a_mock_request_is_always_timed_with_answers_at_the_end_and_no_topic_choice(exam):
    request = MOCK.request(
        exam=exam, domains=[1], tasks=["1.1"], count=10, timed=False, feedback="immediate", pilot=True
    )
    assert (request.domains, request.tasks, request.count) == ([], [], 0)
    assert (request.timed, request.feedback, request.pilot) == (True, Attempt.Feedback.END, True)


def test_a_mock_screen_is_like_the_real_exams():
    assert not MOCK.asks_confidence
    assert not MOCK.shows_domain
    assert MOCK.exam_conditions
    assert MOCK.shuffles_order
