"""The dashboard's reads: which answers count, the streak, task accuracy, the weakest task statements, the trend."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from apps.exams.models import Attempt
from apps.exams.services import save_response, submit_attempt
from apps.progress import selectors
from apps.progress.selectors import AnswerRow, TaskAccuracy
from tests.factories import make_attempt, make_exam, make_note, make_question_set, make_questions
from tests.progress.factories import answer_all, check_all, choice, practise

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def row(*, task_id=1, correct=True, at=NOW, mode="mock", confidence="", graded=True, scored=True, domain=1):
    return AnswerRow(
        domain=domain,
        task_id=task_id,
        answered=True,
        graded=graded,
        scored=scored,
        correct=correct,
        at=at,
        mode=mode,
        confidence=confidence,
    )


# ------------------------------------------------------------------------------------------- answer rows
def test_a_blank_in_a_submitted_attempt_counts_as_a_wrong_answer_dated_at_submission(
    exam, questions, student
):
    attempt = make_attempt(user=student, questions=questions["1.1"][:2], now=NOW)
    answered = attempt.slots.get(question=questions["1.1"][1])
    save_response(
        attempt=attempt, slot=answered, response={"choice": choice(answered, right=True)}, seq=1, now=NOW
    )
    end = NOW + timedelta(minutes=30)
    submit_attempt(attempt=attempt, now=end)

    rows = selectors.answer_rows(student, exam)
    assert sorted((r.answered, r.graded, r.correct, r.at) for r in rows) == [
        (False, True, False, end),
        (True, True, True, NOW),
    ]
    assert sorted(a.correct for a in selectors.readiness_answers(rows)) == [False, True]


def test_checked_answers_count_before_the_attempt_is_submitted_and_open_blanks_do_not(
    exam, questions, student
):
    attempt = check_all(user=student, questions=questions["1.1"][:2], right=questions["1.1"][:1], now=NOW)
    make_attempt(user=student, questions=questions["1.2"][:3], now=NOW, seed="blank")  # nothing answered
    rows = selectors.answer_rows(student, exam)
    assert attempt.is_open
    assert sorted((r.graded, r.correct) for r in rows) == [(True, False), (True, True)]


def test_an_answer_in_an_open_attempt_is_answered_but_not_graded(exam, questions, student):
    attempt = make_attempt(user=student, questions=questions["1.1"][:1], now=NOW)
    answer_all(attempt, right=questions["1.1"], now=NOW)
    (only,) = selectors.answer_rows(student, exam)
    assert (only.answered, only.graded) == (True, False)
    assert selectors.readiness_answers([only]) == []


def test_answer_rows_hold_only_this_user_s_answers_on_this_exam(exam, questions, student, other_student):
    other_exam = make_exam(code="OTH-C01")
    other_questions = make_questions(question_set=make_question_set(exam=other_exam, slug="o"), count=2)
    practise(user=student, questions=questions["1.1"][:2], now=NOW)
    practise(user=other_student, questions=questions["2.1"], now=NOW)
    practise(user=student, questions=other_questions, now=NOW)
    rows = selectors.answer_rows(student, exam)
    assert len(rows) == 2
    assert {r.domain for r in rows} == {1}


def test_readiness_leaves_out_unscored_pilot_questions(exam, questions, student):
    attempt = make_attempt(
        user=student, questions=questions["1.1"][:1], unscored=questions["2.1"][:1], now=NOW, mode="mock"
    )
    answer_all(attempt, right=[], now=NOW)
    submit_attempt(attempt=attempt, now=NOW)
    rows = selectors.answer_rows(student, exam)
    assert len(rows) == 2
    assert [a.domain for a in selectors.readiness_answers(rows)] == [1]


def test_answers_carry_mode_and_confidence(exam, questions, student):
    practise(
        user=student, questions=questions["1.1"][:1], right=questions["1.1"], now=NOW, confidence="guessed"
    )
    (answer,) = selectors.readiness_answers(selectors.answer_rows(student, exam))
    assert (answer.mode, answer.confidence, answer.correct) == ("custom", "guessed", True)


# ------------------------------------------------------------------------------------------------ streak
@pytest.mark.parametrize(
    "days_ago, streak",
    [
        ([], 0),
        ([0], 1),
        ([0, 1, 2], 3),
        ([1, 2], 2),  # nothing yet today: yesterday's streak still stands until the day is over
        ([0, 2, 3], 1),
        ([2, 3], 0),  # a whole day without answers breaks it
    ],
)
def test_the_streak_counts_consecutive_days_up_to_today(days_ago, streak):
    today = date(2026, 3, 2)
    assert selectors.study_streak({today - timedelta(days=d) for d in days_ago}, today=today) == streak


def test_days_are_counted_in_the_site_s_time_zone(settings):
    late = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    settings.TIME_ZONE = "UTC"
    assert selectors.local_day(late) == date(2026, 3, 1)
    settings.TIME_ZONE = "Europe/Berlin"
    assert selectors.local_day(late) == date(2026, 3, 2)


# --------------------------------------------------------------------------------------- task accuracy
def test_task_accuracy_weighs_recent_answers_more():
    old_wrong = [row(correct=False, at=NOW - timedelta(days=42)) for _ in range(2)]
    fresh_right = [row(correct=True) for _ in range(2)]
    accuracy = selectors.task_accuracy(old_wrong + fresh_right, now=NOW)[1]
    assert accuracy.answers == 4
    assert accuracy.share == pytest.approx(1 / (1 + 0.25))  # 42 days is two half-lives


def test_a_right_guess_counts_mostly_as_wrong():
    accuracy = selectors.task_accuracy([row(confidence="guessed")], now=NOW)[1]
    assert accuracy.share == pytest.approx(0.25)


def test_task_accuracy_skips_ungraded_unscored_and_untasked_answers():
    rows = [row(graded=False), row(scored=False), row(task_id=None), row(task_id=2, correct=False)]
    assert selectors.task_accuracy(rows, now=NOW) == {2: TaskAccuracy(answers=1, share=0.0)}


# --------------------------------------------------------------------------------------- weakest tasks
def task(pk, *, weight, position):
    return SimpleNamespace(pk=pk, domain=SimpleNamespace(weight=weight), position=position)


def test_the_weakest_are_the_three_lowest_with_enough_answers():
    tasks = [task(pk, weight=20, position=pk) for pk in range(1, 7)]
    accuracy = {
        1: TaskAccuracy(5, 0.9),
        2: TaskAccuracy(3, 0.2),
        3: TaskAccuracy(2, 0.0),  # too few answers to call it weak
        4: TaskAccuracy(4, 0.5),
        5: TaskAccuracy(9, 0.4),
        # 6: never answered
    }
    weakest = selectors.weakest_tasks(accuracy, tasks)
    assert [item.task.pk for item in weakest] == [2, 5, 4]


def test_ties_go_to_the_task_statement_worth_more_of_the_exam():
    tasks = [task(1, weight=14, position=1), task(2, weight=28, position=2), task(3, weight=28, position=3)]
    accuracy = {pk: TaskAccuracy(3, 1 / 3) for pk in (1, 2, 3)}
    assert [item.task.pk for item in selectors.weakest_tasks(accuracy, tasks)] == [2, 3, 1]


def test_weakest_tasks_come_with_their_notes(exam, questions, student):
    make_note(exam=exam, slug="about-12", title="About 1.2", tasks=["1.2"])
    make_note(exam=exam, slug="elsewhere", title="Elsewhere", tasks=["1.1"])
    practise(user=student, questions=questions["1.2"][:3], right=[], now=NOW)
    practise(user=student, questions=questions["1.1"][:2], right=[], now=NOW)  # only two answers
    board = selectors.dashboard(student, exam, domains=list(exam.domains.all()), now=NOW)
    assert [(item.task.number, [n.title for n in item.notes]) for item in board.weakest] == [
        ("1.2", ["About 1.2"])
    ]
    assert board.weakest[0].notes[0].get_absolute_url() == "/exams/tst-c01/notes/about-12/"


# --------------------------------------------------------------------------------------------- mastery
def test_mastery_is_the_weighted_share_right_per_domain(exam, questions, student):
    practise(user=student, questions=questions["1.1"][:4], right=questions["1.1"][:3], now=NOW)
    board = selectors.dashboard(student, exam, domains=list(exam.domains.all()), now=NOW)
    assert [(m.number, m.answers, m.percent) for m in board.mastery] == [(1, 4, 75), (2, 0, None)]


# ----------------------------------------------------------------------------------------------- trend
def test_the_trend_holds_submitted_mocks_and_custom_practice_oldest_first(exam, questions, student):
    practise(user=student, questions=questions["1.1"][:2], right=questions["1.1"][:1], now=NOW, mode="mock")
    practise(user=student, questions=questions["1.1"][:2], now=NOW + timedelta(days=1), mode="retry")
    practise(
        user=student, questions=questions["1.2"][:4], right=questions["1.2"], now=NOW + timedelta(days=2)
    )
    make_attempt(user=student, questions=questions["2.1"][:1], now=NOW + timedelta(days=3))  # still open
    trend = selectors.score_trend(student, exam)
    assert [(p["mode"], p["percent"], p["day"]) for p in trend] == [
        ("mock", 50.0, date(2026, 3, 2)),
        ("custom", 100.0, date(2026, 3, 4)),
    ]
    assert trend[1]["scaled_score"] == 1000


def test_the_trend_shows_the_latest_points_only(exam, questions, student):
    for day in range(4):
        practise(user=student, questions=questions["1.1"][:1], now=NOW + timedelta(days=day))
    trend = selectors.score_trend(student, exam, limit=2)
    assert [p["day"] for p in trend] == [date(2026, 3, 4), date(2026, 3, 5)]


# ------------------------------------------------------------------------------------- the whole board
def test_the_board_counts_answers_streak_and_due_reviews(exam, questions, student):
    yesterday = NOW - timedelta(days=1)
    practise(user=student, questions=questions["1.1"][:3], right=questions["1.1"][:1], now=yesterday)
    practise(user=student, questions=questions["2.1"][:2], right=questions["2.1"], now=NOW)
    board = selectors.dashboard(student, exam, domains=list(exam.domains.all()), now=NOW + timedelta(hours=1))
    assert (board.answered, board.streak, board.answered_today) == (5, 2, True)
    assert board.due == 2  # the two wrong answers are due at once; right ones come back in days
    assert board.readiness.status == "not-enough-data"
    assert [m.number for m in board.needs_more] == [1, 2]


def test_an_exam_without_a_passing_score_shows_mastery_but_no_estimate(exam, questions, student):
    exam.passing_score = None
    exam.save()
    practise(user=student, questions=questions["1.1"][:2], right=questions["1.1"], now=NOW)
    board = selectors.dashboard(student, exam, domains=list(exam.domains.all()), now=NOW)
    assert board.readiness is None
    assert board.mastery[0].percent == 100


def test_a_review_counts_as_review_mode(exam, questions, student):
    practise(user=student, questions=questions["1.1"][:1], now=NOW, mode=Attempt.Mode.REVIEW)
    (answer,) = selectors.readiness_answers(selectors.answer_rows(student, exam))
    assert answer.mode == "review"
