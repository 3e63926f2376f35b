"""The review schedule: how answers are rated, the intervals FSRS gives after right and wrong answers, and
the review cards every mode keeps up to date, per user."""

from datetime import timedelta

import pytest
from fsrs import Rating, State

from apps.exams.models import ReviewCard
from apps.exams.review_schedule import (
    new_card,
    plan_answers,
    rating_for,
    record_answers,
    record_planned,
    review,
)
from apps.exams.scoring import correct_response
from apps.exams.selectors import due_count
from apps.exams.services import check_answer, save_response, submit_attempt
from tests.factories import make_attempt, make_questions


# ------------------------------------------------------------------------------------------------ ratings
@pytest.mark.parametrize(
    ("correct", "confidence", "rating"),
    [
        (False, "", Rating.Again),
        (False, "sure", Rating.Again),
        (False, "unsure", Rating.Again),
        (False, "guessed", Rating.Again),
        (True, "guessed", Rating.Again),
        (True, "unsure", Rating.Hard),
        (True, "sure", Rating.Good),
        (True, "", Rating.Good),
    ],
)
def test_an_answer_is_rated_by_correctness_and_confidence(correct, confidence, rating):
    assert rating_for(correct, confidence) == rating


# ---------------------------------------------------------------------------------------------- intervals
def answer_in_turn(ratings, now, question_id=1):
    """Answer one question with each rating in turn, each time when it is due (at once when due already).
    Returns the cards after each answer, with the time of that answer."""
    card, cards = new_card(question_id, now), []
    for rating in ratings:
        now = max(now, card.due)
        card, _lapse = review(card, rating, now)
        cards.append((now, card))
    return cards


def intervals(ratings, now):
    return [card.due - at for at, card in answer_in_turn(ratings, now)]


def test_a_wrong_answer_is_due_again_within_a_day(now):
    (gap,) = intervals([Rating.Again], now)
    assert gap <= timedelta(days=1)


def test_a_first_right_answer_is_not_due_again_the_same_day(now):
    (gap,) = intervals([Rating.Good], now)
    assert gap >= timedelta(days=1)


def test_repeated_right_answers_come_back_less_and_less_often(now):
    gaps = intervals([Rating.Good] * 5, now)
    assert all(later > earlier for earlier, later in zip(gaps, gaps[1:], strict=False))
    assert gaps[-1] > timedelta(days=30)


def test_a_wrong_answer_after_a_run_of_right_ones_is_due_again_within_a_day_and_counts_as_a_lapse(now):
    cards = answer_in_turn([Rating.Good] * 4, now)
    at, learnt = cards[-1]
    forgotten, lapse = review(learnt, Rating.Again, learnt.due)
    assert forgotten.due - learnt.due <= timedelta(days=1)
    assert lapse is True
    assert forgotten.state == State.Relearning


def test_a_wrong_first_answer_is_not_a_lapse(now):
    _card, lapse = review(new_card(1, now), Rating.Again, now)
    assert lapse is False


def test_after_a_wrong_answer_right_answers_grow_the_interval_again(now):
    gaps = intervals([Rating.Good, Rating.Good, Rating.Again, Rating.Good, Rating.Good, Rating.Good], now)
    assert gaps[2] <= timedelta(days=1)
    assert gaps[3] < gaps[4] < gaps[5]


def test_a_correct_guess_is_scheduled_like_a_wrong_answer(now):
    guessed = intervals([rating_for(True, "guessed")], now)
    wrong = intervals([rating_for(False, "")], now)
    assert guessed == wrong
    after_a_streak = [Rating.Good, Rating.Good, Rating.Good]
    assert (
        intervals([*after_a_streak, rating_for(True, "guessed")], now)[-1]
        == (intervals([*after_a_streak, rating_for(False, "")], now)[-1])
    )


def test_an_unsure_right_answer_comes_back_sooner_than_a_sure_one(now):
    unsure = intervals([Rating.Good, Rating.Good, rating_for(True, "unsure")], now)
    sure = intervals([Rating.Good, Rating.Good, rating_for(True, "sure")], now)
    assert unsure[-1] < sure[-1]


# ------------------------------------------------------------------------------------------ the service
@pytest.fixture
def questions(bank):
    return make_questions(question_set=bank, count=3)


def test_a_first_answer_creates_a_card_and_later_ones_update_it(student, questions, now):
    question = questions[0]
    record_answers(user=student, answers=[(question.pk, False, "")], now=now)
    card = ReviewCard.objects.get(user=student, question=question)
    assert (card.reps, card.lapses, card.last_rating) == (1, 0, Rating.Again)
    assert card.due <= now + timedelta(days=1)
    assert card.card["card_id"] == question.pk

    later = now + timedelta(hours=1)
    record_answers(user=student, answers=[(question.pk, True, "sure")], now=later)
    card.refresh_from_db()
    assert (card.reps, card.last_rating, card.updated_at) == (2, Rating.Good, later)
    assert card.due >= later + timedelta(days=1)
    assert ReviewCard.objects.filter(user=student).count() == 1

    record_answers(user=student, answers=[(question.pk, False, "")], now=card.due)
    card.refresh_from_db()
    assert (card.reps, card.lapses, card.last_rating) == (3, 1, Rating.Again)  # learnt, then forgotten


def test_answers_without_a_question_are_skipped(student, now):
    assert record_answers(user=student, answers=[(None, True, "")], now=now) == []
    assert not ReviewCard.objects.exists()


@pytest.mark.parametrize("size", [1, 65])
def test_recording_answers_uses_the_same_queries_for_1_and_65_answers(
    bank, student, now, size, django_assert_max_num_queries
):
    questions = make_questions(question_set=bank, count=size)
    record_answers(user=student, answers=[(q.pk, True, "") for q in questions[::2]], now=now)
    # The read of the existing cards and one upsert (in the test's transaction: no savepoint).
    with django_assert_max_num_queries(2):
        record_answers(user=student, answers=[(q.pk, False, "") for q in questions], now=now)
    assert ReviewCard.objects.filter(user=student, reps__gte=1).count() == size


def test_one_users_answers_never_touch_another_users_cards(student, other_student, questions, now):
    question = questions[0]
    record_answers(user=other_student, answers=[(question.pk, True, "sure")], now=now)
    theirs = ReviewCard.objects.get(user=other_student, question=question)

    record_answers(user=student, answers=[(question.pk, False, "")], now=now)

    untouched = ReviewCard.objects.get(user=other_student, question=question)
    assert (untouched.card, untouched.due, untouched.reps) == (theirs.card, theirs.due, theirs.reps)
    mine = ReviewCard.objects.get(user=student, question=question)
    assert (mine.reps, mine.last_rating) == (1, Rating.Again)  # a history of its own, not built on theirs
    assert due_count(student, question.question_set.exam, now=now) == 1
    assert due_count(other_student, question.question_set.exam, now=now) == 0


# -------------------------------------------------------------------------------- every mode feeds it
def answer(attempt, question, now, *, right, confidence=""):
    slot = attempt.slots.get(question=question)
    key = correct_response(slot.snapshot)
    response = (
        key if right else {"choice": next(c["id"] for c in slot.snapshot["choices"] if not c["correct"])}
    )
    save_response(attempt=attempt, slot=slot, response=response, confidence=confidence, seq=1, now=now)
    return slot


@pytest.mark.parametrize("mode", ["mock", "custom", "retry", "review"])
def test_submitting_an_attempt_in_any_mode_updates_the_schedule(student, questions, now, mode):
    right, wrong, blank = questions
    attempt = make_attempt(user=student, questions=questions, now=now, mode=mode)
    answer(attempt, right, now, right=True)
    answer(attempt, wrong, now, right=False)

    submit_attempt(attempt=attempt, now=now + timedelta(minutes=5))

    cards = {card.question_id: card for card in ReviewCard.objects.filter(user=student)}
    assert cards[right.pk].last_rating == Rating.Good
    assert cards[right.pk].due >= now + timedelta(days=1)
    assert cards[wrong.pk].last_rating == Rating.Again
    assert cards[wrong.pk].due <= now + timedelta(days=1)
    # A blank says nothing about memory: it scores as wrong but gets no card.
    assert blank.pk not in cards


def test_a_correct_guess_is_rated_again_when_the_attempt_is_submitted(student, questions, now):
    attempt = make_attempt(user=student, questions=questions[:1], now=now)
    answer(attempt, questions[0], now, right=True, confidence="guessed")
    submit_attempt(attempt=attempt, now=now)
    card = ReviewCard.objects.get(user=student)
    assert card.last_rating == Rating.Again
    assert attempt.slots.get().is_correct is True  # the score still counts it


def test_submitting_twice_reviews_each_answer_once(student, questions, now):
    attempt = make_attempt(user=student, questions=questions[:1], now=now)
    answer(attempt, questions[0], now, right=True)
    submit_attempt(attempt=attempt, now=now)
    submit_attempt(attempt=attempt, now=now + timedelta(minutes=1))
    assert ReviewCard.objects.get(user=student).reps == 1


def test_checking_an_answer_updates_the_schedule_at_once_and_submitting_does_not_repeat_it(
    student, questions, now
):
    attempt = make_attempt(user=student, questions=questions[:2], now=now, feedback="immediate")
    slot = answer(attempt, questions[0], now, right=False, confidence="sure")

    assert check_answer(attempt=attempt, slot=slot, now=now) is True
    card = ReviewCard.objects.get(user=student, question=questions[0])
    assert (card.reps, card.last_rating) == (1, Rating.Again)

    assert check_answer(attempt=attempt, slot=slot, now=now) is True  # already checked: no second review
    answer(attempt, questions[1], now, right=True)
    submit_attempt(attempt=attempt, now=now + timedelta(minutes=1))
    cards = {c.question_id: c.reps for c in ReviewCard.objects.filter(user=student)}
    assert cards == {questions[0].pk: 1, questions[1].pk: 1}


def test_planned_cards_are_written_as_one_upsert_that_updates_and_adds(
    student, questions, now, django_assert_num_queries
):
    known, new = questions[0], questions[1]
    record_answers(user=student, answers=[(known.pk, False, "")], now=now)
    answers = [(known.pk, True, "sure"), (new.pk, False, "")]
    planned = plan_answers(user=student, answers=answers, now=now + timedelta(hours=1))
    with django_assert_num_queries(2):  # the review counts compared, the upsert
        record_planned(planned, answers)
    cards = {card.question_id: card for card in ReviewCard.objects.filter(user=student)}
    assert (cards[known.pk].reps, cards[known.pk].last_rating) == (2, Rating.Good)
    assert (cards[new.pk].reps, cards[new.pk].last_rating) == (1, Rating.Again)
    assert cards[known.pk].card == next(row.card for row in planned.rows if row.question_id == known.pk)


def test_planned_cards_are_worked_out_again_when_an_answer_changed(student, questions, now):
    question = questions[0]
    planned = plan_answers(user=student, answers=[(question.pk, False, "")], now=now)
    record_planned(planned, [(question.pk, True, "sure")])
    assert ReviewCard.objects.get(user=student, question=question).last_rating == Rating.Good
