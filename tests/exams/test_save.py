"""Saving answers (services.save_response), checking them and flagging: the newest save wins, time is kept."""

from datetime import timedelta

import pytest

from apps.exams.models import Attempt, Slot
from apps.exams.services import (
    Check,
    Outcome,
    PostedAnswer,
    check_answer,
    save_and_check,
    save_response,
    submit_attempt,
)
from tests.factories import make_attempt


def choice_ids(slot):
    """(the right choice, a wrong choice) of a multiple-choice slot."""
    choices = slot.snapshot["choices"]
    return (
        next(c["id"] for c in choices if c["correct"]),
        next(c["id"] for c in choices if not c["correct"]),
    )


@pytest.fixture
def attempt(by_kind, student, now):
    """A 60-minute attempt over one multiple-choice question, started at `now`."""
    return make_attempt(user=student, questions=[by_kind["multiple_choice"]], now=now, minutes=60)


@pytest.fixture
def slot(attempt):
    return attempt.slots.get()


def stored(slot):
    return Slot.objects.values("response", "seq").get(pk=slot.pk)


# ------------------------------------------------------------------------------------------------ saved
def test_a_newer_save_is_stored_with_its_number_and_time(attempt, slot, now):
    right, _ = choice_ids(slot)
    later = now + timedelta(minutes=3)
    assert (
        save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=later)
        is Outcome.SAVED
    )
    slot.refresh_from_db()
    assert (slot.response, slot.seq, slot.answered_at) == ({"choice": right}, 1, later)


def test_saves_may_skip_numbers(attempt, slot, now):
    right, wrong = choice_ids(slot)
    save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=now)
    assert (
        save_response(attempt=attempt, slot=slot, response={"choice": wrong}, seq=5, now=now) is Outcome.SAVED
    )
    assert stored(slot) == {"response": {"choice": wrong}, "seq": 5}


def test_clearing_an_answer_stores_no_answer(attempt, slot, now):
    right, _ = choice_ids(slot)
    save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=now)
    assert save_response(attempt=attempt, slot=slot, response=None, seq=2, now=now) is Outcome.SAVED
    slot.refresh_from_db()
    assert (slot.response, slot.answered_at) == (None, None)


# -------------------------------------------------------------------------------------- unchanged/stale
def test_the_same_save_again_is_unchanged(attempt, slot, now):
    right, _ = choice_ids(slot)
    save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=now)
    outcome = save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=now)
    assert outcome is Outcome.UNCHANGED
    assert stored(slot) == {"response": {"choice": right}, "seq": 1}


def test_a_save_with_a_lower_number_is_stale_and_refused(attempt, slot, now):
    right, wrong = choice_ids(slot)
    save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=3, now=now)
    outcome = save_response(attempt=attempt, slot=slot, response={"choice": wrong}, seq=2, now=now)
    assert outcome is Outcome.STALE
    assert stored(slot) == {"response": {"choice": right}, "seq": 3}


def test_the_same_number_with_another_answer_is_stale_as_from_a_second_tab(attempt, slot, now):
    right, wrong = choice_ids(slot)
    save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=now)  # tab one
    outcome = save_response(attempt=attempt, slot=slot, response={"choice": wrong}, seq=1, now=now)  # tab two
    assert outcome is Outcome.STALE
    assert stored(slot) == {"response": {"choice": right}, "seq": 1}


def test_a_late_save_is_refused_even_when_the_slot_in_hand_is_out_of_date(attempt, slot, now):
    # Another request stored save 4 after this one loaded the slot: the conditional update still refuses 2.
    right, wrong = choice_ids(slot)
    Slot.objects.filter(pk=slot.pk).update(response={"choice": right}, seq=4)
    outcome = save_response(attempt=attempt, slot=slot, response={"choice": wrong}, seq=2, now=now)
    assert outcome is Outcome.STALE
    assert stored(slot) == {"response": {"choice": right}, "seq": 4}


# --------------------------------------------------------------------------------------- locked/closed
def test_a_checked_answer_is_locked(by_kind, student, now):
    attempt = make_attempt(
        user=student, questions=[by_kind["multiple_choice"]], now=now, feedback="immediate"
    )
    slot = attempt.slots.get()
    right, wrong = choice_ids(slot)
    save_response(attempt=attempt, slot=slot, response={"choice": wrong}, seq=1, now=now)
    assert check_answer(attempt=attempt, slot=slot, now=now) is True
    assert (
        save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=2, now=now)
        is Outcome.LOCKED
    )
    assert stored(slot) == {"response": {"choice": wrong}, "seq": 1}


def test_a_save_to_a_submitted_attempt_is_closed(attempt, slot, now):
    right, _ = choice_ids(slot)
    submit_attempt(attempt=attempt, now=now)
    assert (
        save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=now)
        is Outcome.CLOSED
    )
    assert stored(slot) == {"response": None, "seq": 0}


def test_a_save_is_closed_when_the_attempt_was_submitted_by_another_request(attempt, slot, now):
    right, _ = choice_ids(slot)
    submit_attempt(attempt=Attempt.objects.get(pk=attempt.pk), now=now)  # `attempt` here still says open
    assert (
        save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=now)
        is Outcome.CLOSED
    )
    assert stored(slot) == {"response": None, "seq": 0}


# ---------------------------------------------------------------------------------------------- the clock
def test_a_save_inside_the_grace_period_after_the_deadline_is_accepted(attempt, slot, settings):
    settings.EXAM_SAVE_GRACE_SECONDS = 5
    right, _ = choice_ids(slot)
    at = attempt.deadline + timedelta(seconds=5)
    assert (
        save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=at) is Outcome.SAVED
    )
    attempt.refresh_from_db()
    assert attempt.is_open


def test_a_save_after_the_deadline_and_grace_submits_the_attempt_and_is_refused(attempt, slot, settings):
    settings.EXAM_SAVE_GRACE_SECONDS = 5
    right, wrong = choice_ids(slot)
    save_response(attempt=attempt, slot=slot, response={"choice": wrong}, seq=1, now=attempt.deadline)
    at = attempt.deadline + timedelta(seconds=6)
    assert (
        save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=2, now=at)
        is Outcome.TIME_UP
    )
    attempt.refresh_from_db()
    assert (attempt.status, attempt.finish_reason) == ("submitted", "time_up")
    assert attempt.submitted_at == attempt.deadline
    assert stored(slot) == {"response": {"choice": wrong}, "seq": 1}  # graded on what was saved in time
    assert attempt.correct_count == 0


def test_an_untimed_attempt_never_runs_out_of_time(by_kind, student, now):
    attempt = make_attempt(user=student, questions=[by_kind["multiple_choice"]], now=now)
    slot = attempt.slots.get()
    right, _ = choice_ids(slot)
    outcome = save_response(
        attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=now + timedelta(days=30)
    )
    assert outcome is Outcome.SAVED


# --------------------------------------------------------------------------------------- check and flag
@pytest.fixture
def immediate(by_kind, student, now):
    return make_attempt(user=student, questions=[by_kind["multiple_choice"]], now=now, feedback="immediate")


def test_checking_grades_the_saved_answer_and_makes_it_final(immediate, now):
    slot = immediate.slots.get()
    right, _ = choice_ids(slot)
    save_response(attempt=immediate, slot=slot, response={"choice": right}, seq=1, now=now)
    assert check_answer(attempt=immediate, slot=slot, now=now) is True
    slot.refresh_from_db()
    assert (slot.checked, slot.is_correct) == (True, True)


def test_checking_twice_is_harmless(immediate, now):
    slot = immediate.slots.get()
    _, wrong = choice_ids(slot)
    save_response(attempt=immediate, slot=slot, response={"choice": wrong}, seq=1, now=now)
    check_answer(attempt=immediate, slot=slot, now=now)
    assert check_answer(attempt=immediate, slot=Slot.objects.get(pk=slot.pk), now=now) is True
    assert Slot.objects.get(pk=slot.pk).is_correct is False


def test_an_unanswered_question_cannot_be_checked(immediate, now):
    slot = immediate.slots.get()
    assert check_answer(attempt=immediate, slot=slot, now=now) is False
    assert Slot.objects.get(pk=slot.pk).checked is False


def test_answers_are_not_checked_when_feedback_comes_at_the_end(attempt, slot, now):
    right, _ = choice_ids(slot)
    save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=now)
    assert check_answer(attempt=attempt, slot=slot, now=now) is False
    slot.refresh_from_db()
    assert (slot.checked, slot.is_correct) == (False, None)


def test_a_flag_is_stored_with_the_answer_in_one_update_and_can_be_taken_off(
    attempt, slot, now, django_assert_num_queries
):
    right, _ = choice_ids(slot)
    with django_assert_num_queries(1):
        outcome = save_response(
            attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=now, flagged=True
        )
    assert outcome is Outcome.SAVED
    assert Slot.objects.get(pk=slot.pk).flagged is True
    save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=2, now=now, flagged=False)
    assert Slot.objects.get(pk=slot.pk).flagged is False


def test_a_flag_alone_is_stored_with_an_unchanged_answer(attempt, slot, now):
    assert save_response(attempt=attempt, slot=slot, response=None, seq=0, now=now, flagged=True) is (
        Outcome.UNCHANGED
    )
    assert (slot.flagged, Slot.objects.get(pk=slot.pk).flagged) == (True, True)


def test_an_unchanged_flag_is_not_written_again(attempt, slot, now, django_assert_num_queries):
    Slot.objects.filter(pk=slot.pk).update(flagged=True)
    slot.refresh_from_db()
    with django_assert_num_queries(0):
        save_response(attempt=attempt, slot=slot, response=None, seq=0, now=now, flagged=True)


def test_a_save_without_the_flag_leaves_it_as_it_is(attempt, slot, now):
    right, _ = choice_ids(slot)
    save_response(attempt=attempt, slot=slot, response=None, seq=0, now=now, flagged=True)
    save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=now)
    assert Slot.objects.get(pk=slot.pk).flagged is True


def test_a_stale_save_does_not_change_the_flag(attempt, slot, now):
    right, wrong = choice_ids(slot)
    save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=3, now=now)
    outcome = save_response(
        attempt=attempt, slot=slot, response={"choice": wrong}, seq=2, now=now, flagged=True
    )
    assert outcome is Outcome.STALE
    assert Slot.objects.get(pk=slot.pk).flagged is False


def test_a_submitted_attempt_takes_no_flags(attempt, slot, now):
    submit_attempt(attempt=attempt, now=now)
    assert save_response(attempt=attempt, slot=slot, response=None, seq=1, now=now, flagged=True) is (
        Outcome.CLOSED
    )
    assert Slot.objects.get(pk=slot.pk).flagged is False


# ------------------------------------------------------------------------------- the order as first shown
@pytest.fixture
def ordering(by_kind, student, now):
    return make_attempt(user=student, questions=[by_kind["ordering"]], now=now)


def shown_order(slot):
    return {"order": [item["id"] for item in slot.snapshot["items"]]}


def test_the_order_as_first_shown_riding_along_is_no_answer(ordering, now):
    slot = ordering.slots.get()
    outcome = save_response(
        attempt=ordering,
        slot=slot,
        response=shown_order(slot),
        seq=1,
        now=now,
        flagged=True,
        deliberate=False,
    )
    assert outcome is Outcome.SAVED
    assert (stored(slot), Slot.objects.get(pk=slot.pk).flagged) == ({"response": None, "seq": 1}, True)


def test_the_order_as_first_shown_is_an_answer_when_chosen(ordering, now):
    slot = ordering.slots.get()
    save_response(attempt=ordering, slot=slot, response=shown_order(slot), seq=1, now=now, deliberate=True)
    assert stored(slot) == {"response": shown_order(slot), "seq": 1}


def test_a_saved_order_riding_along_stays_an_answer(ordering, now):
    slot = ordering.slots.get()
    save_response(attempt=ordering, slot=slot, response=shown_order(slot), seq=1, now=now)
    save_response(attempt=ordering, slot=slot, response=shown_order(slot), seq=2, now=now, deliberate=False)
    assert stored(slot) == {"response": shown_order(slot), "seq": 2}


# ------------------------------------------------------------------------------------------ save and check
def test_save_and_check_saves_the_answer_that_came_along_then_checks_it(immediate, now):
    slot = immediate.slots.get()
    right, _ = choice_ids(slot)
    posted = PostedAnswer(response={"choice": right}, seq=1, confidence="", flagged=True, deliberate=True)
    assert save_and_check(attempt=immediate, slot=slot, now=now, posted=posted) is Check.CHECKED
    slot.refresh_from_db()
    assert (slot.response, slot.flagged, slot.checked, slot.is_correct) == (
        {"choice": right},
        True,
        True,
        True,
    )


def test_save_and_check_without_an_answer_checks_nothing(immediate, now):
    slot = immediate.slots.get()
    assert save_and_check(attempt=immediate, slot=slot, now=now) is Check.NOTHING_TO_CHECK


def test_save_and_check_after_the_deadline_says_time_is_up(by_kind, student, now, settings):
    settings.EXAM_SAVE_GRACE_SECONDS = 5
    attempt = make_attempt(
        user=student, questions=[by_kind["multiple_choice"]], now=now, minutes=10, feedback="immediate"
    )
    slot = attempt.slots.get()
    right, _ = choice_ids(slot)
    posted = PostedAnswer(response={"choice": right}, seq=1, confidence="", flagged=None, deliberate=True)
    at = attempt.deadline + timedelta(seconds=6)
    assert save_and_check(attempt=attempt, slot=slot, now=at, posted=posted) is Check.TIME_UP
    assert Slot.objects.get(pk=slot.pk).checked is False
