"""Query-count guards on the hot paths, each at two sizes with the same limit: the count must not grow with
the number of questions (or attempts)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.exams.services import PracticeRequest, plan_attempt, save_response, start_attempt, submit_attempt
from tests.factories import make_attempt, make_note, make_questions, on_screen

HTMX = {"HTTP_HX_REQUEST": "true"}
SIZES = [1, 65]


@pytest.fixture
def sized_attempt(request, bank, student):
    """A 90-minute attempt of `size` multiple-choice questions (the test's `size` parameter)."""
    questions = make_questions(question_set=bank, count=request.node.callspec.params["size"])
    return make_attempt(user=student, questions=questions, now=timezone.now(), minutes=90)


def right_choice(slot):
    return next(c["id"] for c in slot.snapshot["choices"] if c["correct"])


@pytest.mark.parametrize("size", SIZES)
def test_an_htmx_save_uses_a_few_queries_whatever_the_attempts_size(
    signed_in, sized_attempt, size, django_assert_max_num_queries
):
    slot = sized_attempt.slots.get(position=1)
    data = {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "fields": "flagged", "flagged": "1"}
    # session, user, the slot with its attempt, the conditional update (the flag in it)
    with django_assert_max_num_queries(4):
        response = signed_in.post(reverse("exams:answer", args=[sized_attempt.pk, 1]), data, **HTMX)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3])
def test_a_save_that_leaves_the_flag_as_it_was_writes_once(
    signed_in, sized_attempt, size, django_assert_num_queries
):
    # Every htmx save sends the flag along; it is written only when it changes (one write per save on SQLite).
    slot = sized_attempt.slots.get(position=1)
    data = {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "fields": "flagged", "flagged": ""}
    # session, user, the slot with its attempt, the conditional update
    with django_assert_num_queries(4):
        signed_in.post(reverse("exams:answer", args=[sized_attempt.pk, 1]), data, **HTMX)
    slot.refresh_from_db()
    assert slot.response == {"choice": right_choice(slot)} and not slot.flagged


@pytest.mark.parametrize("size", SIZES)
def test_a_save_and_next_without_javascript_uses_a_few_queries(
    signed_in, sized_attempt, size, django_assert_max_num_queries
):
    slot = sized_attempt.slots.get(position=1)
    with django_assert_max_num_queries(4):
        response = signed_in.post(
            reverse("exams:answer", args=[sized_attempt.pk, 1]),
            {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "nav": "next"},
        )
    assert response.status_code == 302


@pytest.mark.parametrize("size", SIZES)
def test_the_question_page_uses_the_same_queries_for_1_and_65_questions(
    signed_in, sized_attempt, size, django_assert_max_num_queries
):
    # session, user, the slot with its attempt, the navigator
    with django_assert_max_num_queries(4):
        response = signed_in.get(reverse("exams:question", args=[sized_attempt.pk, 1]))
    assert response.status_code == 200
    assert response.content.decode().count('class="nav-item') == size


@pytest.mark.parametrize("size", SIZES)
def test_the_htmx_question_fragment_uses_the_same_queries_for_1_and_65_questions(
    signed_in, sized_attempt, size, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = signed_in.get(
            reverse("exams:question", args=[sized_attempt.pk, 1]), HTTP_HX_TARGET="exam-main", **HTMX
        )
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_review_page_uses_the_same_queries_for_1_and_65_questions(
    signed_in, sized_attempt, size, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = signed_in.get(reverse("exams:review", args=[sized_attempt.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_results_page_uses_the_same_queries_for_1_and_65_questions(
    signed_in, exam, sized_attempt, size, django_assert_max_num_queries
):
    make_note(exam=exam, slug="one", title="Note one", tasks=["1.1"])
    make_note(exam=exam, slug="two", title="Note two", tasks=["1.1"])
    now = timezone.now()
    for slot in sized_attempt.slots.all():
        save_response(
            attempt=sized_attempt, slot=slot, response={"choice": right_choice(slot)}, seq=1, now=now
        )
    submit_attempt(attempt=sized_attempt, now=now)
    with django_assert_max_num_queries(6):  # one more: the sections the questions link to
        response = signed_in.get(reverse("exams:results", args=[sized_attempt.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("Study: Note two") == size


@pytest.mark.parametrize("size", [1, 20])
def test_the_history_uses_the_same_queries_for_1_and_20_attempts(
    signed_in, bank, student, size, django_assert_max_num_queries
):
    questions = make_questions(question_set=bank, count=2)
    for _ in range(size):
        make_attempt(user=student, questions=questions, now=timezone.now(), minutes=30)
    with django_assert_max_num_queries(4):
        response = signed_in.get(reverse("exams:history"))
    assert response.content.decode().count(">Resume</a>") == size


@pytest.mark.parametrize("size", SIZES)
def test_starting_an_attempt_uses_the_same_queries_for_1_and_65_questions(
    exam, bank, student, size, django_assert_max_num_queries
):
    make_questions(question_set=bank, count=size)
    request = PracticeRequest(exam=exam, mode="custom", count=size, timed=True)
    plan = plan_attempt(user=student, request=request, seed="s1")
    # A savepoint, the attempt, its questions, their three kinds of parts, the slots and the release: eight,
    # and one more at 65 on SQLite, whose cap on parameters per statement splits the slots into two inserts.
    with django_assert_max_num_queries(9):
        attempt = start_attempt(user=student, request=request, plan=plan, now=timezone.now())
    assert attempt.question_count == size


@pytest.mark.parametrize("seen", [False, True])
def test_a_mock_is_planned_in_two_queries_and_started_in_six(
    exam, bank, student, seen, django_assert_max_num_queries
):
    make_questions(question_set=bank, count=45, task_statement="1.1")
    make_questions(question_set=bank, count=30, task_statement="2.1")
    request = PracticeRequest(exam=exam, mode="mock", pilot=True)
    if seen:  # what the student has seen is read with the pool, not apart
        start_attempt(
            user=student,
            request=request,
            plan=plan_attempt(user=student, request=request, seed="s0"),
            now=timezone.now(),
        )
    # The pool with each question's domain and whether the student has seen it (the student's role asked in
    # it), then the domains' weights.
    with django_assert_max_num_queries(2):
        plan = plan_attempt(user=student, request=request, seed="s1")
    # The questions; then a savepoint, the attempt, the slots (two batches on SQLite) and the release.
    with django_assert_max_num_queries(6):
        attempt = start_attempt(user=student, request=request, plan=plan, now=timezone.now())
    assert attempt.question_count == plan.wanted


@pytest.mark.parametrize("size", SIZES)
def test_submitting_uses_the_same_queries_for_1_and_65_questions(
    sized_attempt, size, django_assert_max_num_queries
):
    for slot in sized_attempt.slots.all():
        save_response(
            attempt=sized_attempt,
            slot=slot,
            response={"choice": right_choice(slot)},
            seq=1,
            now=timezone.now(),
        )
    # Before the transaction: the slots with their versions and the review cards (the attempt here has its
    # exam and user already). Inside it (a savepoint in a test): the attempt's state and totals, the slots
    # closed and graded, their save numbers compared, the cards' review counts compared, the cards upserted,
    # the release. The attempt is not read again: it is given the values written.
    with django_assert_max_num_queries(9):
        _, submitted_now = submit_attempt(attempt=sized_attempt, now=timezone.now())
    assert submitted_now is True
