"""Spaced review mode (what is due, starting it, nothing due) and the confidence marks saved with answers."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from fsrs import Rating

from apps.exams.models import Attempt, ReviewCard, Slot
from apps.exams.review_schedule import record_answers
from apps.exams.selectors import due_count
from apps.exams.services import MAX_REVIEW_QUESTIONS, PracticeRequest, plan_attempt, save_response
from tests.factories import make_attempt, make_exam, make_question_set, make_questions, on_screen

HTMX = {"HTTP_HX_REQUEST": "true"}


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def right_choice(slot):
    return next(c["id"] for c in slot.snapshot["choices"] if c["correct"])


def missed(user, questions, at):
    """`user` answered each question wrong at `at` (so each is due again from then on)."""
    record_answers(user=user, answers=[(q.pk, False, "") for q in questions], now=at)


def known(user, questions, at):
    """`user` answered each question right at `at` (so none is due for days)."""
    record_answers(user=user, answers=[(q.pk, True, "sure") for q in questions], now=at)


def review_plan(user, exam, now):
    return plan_attempt(user=user, request=PracticeRequest(exam=exam, mode="review"), seed="s1", now=now)


def new_practice(client, **data):
    return client.post(reverse("exams:new"), {"exam": "TST-C01", "feedback": "end", **data})


# ------------------------------------------------------------------------------------------ what is due
def test_a_review_plans_only_the_due_questions_the_longest_overdue_first(student, exam, bank, now):
    first, second, later, never = make_questions(question_set=bank, count=4)
    missed(student, [second], now - timedelta(hours=3))
    missed(student, [first], now - timedelta(hours=1))
    known(student, [later], now - timedelta(hours=1))

    plan = review_plan(student, exam, now)

    assert plan.question_ids == [second.pk, first.pk]
    assert (plan.minutes, plan.short, plan.problem) == (None, False, "")
    assert due_count(student, exam, now=now) == 2


def test_a_question_answered_right_becomes_due_after_a_few_days(student, exam, bank, now):
    question = make_questions(question_set=bank, count=1)[0]
    known(student, [question], now)
    assert review_plan(student, exam, now + timedelta(hours=12)).question_ids == []
    assert review_plan(student, exam, now + timedelta(days=10)).question_ids == [question.pk]


def test_a_review_leaves_out_questions_the_student_may_no_longer_use(student, other_student, exam, bank, now):
    usable, withdrawn = make_questions(question_set=bank, count=2)
    withdrawn.status = "draft"
    withdrawn.save()
    theirs = make_question_set(exam=exam, slug="bobs", owner=other_student)
    private = make_questions(question_set=theirs, count=1)
    elsewhere = make_questions(
        question_set=make_question_set(exam=make_exam(code="OTH-C01"), slug="oth", visibility="public"),
        count=1,
    )
    missed(student, [usable, withdrawn, *private, *elsewhere], now - timedelta(hours=1))

    assert review_plan(student, exam, now).question_ids == [usable.pk]
    assert due_count(student, exam, now=now) == 1


def test_a_review_is_capped_and_leaves_the_rest_due(student, exam, bank, now):
    questions = make_questions(question_set=bank, count=MAX_REVIEW_QUESTIONS + 5)
    for minutes, question in enumerate(questions):
        missed(student, [question], now - timedelta(hours=2) + timedelta(minutes=minutes))
    plan = review_plan(student, exam, now)
    assert plan.question_ids == [q.pk for q in questions[:MAX_REVIEW_QUESTIONS]]


def test_another_students_due_questions_are_not_in_my_review(student, other_student, exam, bank, now):
    questions = make_questions(question_set=bank, count=2)
    missed(other_student, questions, now - timedelta(hours=1))
    assert review_plan(student, exam, now).question_ids == []
    assert due_count(student, exam, now=now) == 0


# ------------------------------------------------------------------------------------------- the pages
def test_new_practice_offers_a_spaced_review_and_says_how_many_are_due(
    signed_in, student, other_student, exam, bank
):
    questions = make_questions(question_set=bank, count=3)
    missed(student, questions[:2], timezone.now() - timedelta(minutes=5))
    missed(other_student, questions, timezone.now() - timedelta(minutes=5))
    page = soup_of(signed_in.get(reverse("exams:new"), {"exam": "TST-C01"}))
    assert page.select_one("input[name=mode][value=review]") is not None
    assert page.select_one("#due-count").get_text() == "2 due now"


def test_starting_a_spaced_review_asks_the_due_questions_in_order_untimed_with_immediate_feedback(
    signed_in, student, exam, bank
):
    first, second, _not_due = make_questions(question_set=bank, count=3)
    missed(student, [second], timezone.now() - timedelta(hours=2))
    missed(student, [first], timezone.now() - timedelta(hours=1))

    response = new_practice(signed_in, mode="review", feedback="end", timed="on")

    attempt = Attempt.objects.get(user=student)
    assert response["Location"] == reverse("exams:question", args=[attempt.pk, 1])
    assert (attempt.mode, attempt.feedback, attempt.deadline) == ("review", "immediate", None)
    assert list(attempt.slots.order_by("position").values_list("question_id", flat=True)) == [
        second.pk,
        first.pk,
    ]
    page = soup_of(signed_in.get(response["Location"]))
    assert "Spaced review" in page.select_one(".exam-title").get_text()
    assert page.select_one("p.untimed") is not None


def test_a_spaced_review_with_nothing_due_says_so_and_starts_nothing(signed_in, student, exam, bank):
    make_questions(question_set=bank, count=2)
    response = new_practice(signed_in, mode="review")
    assert response.status_code == 200
    alert = soup_of(response).select_one("div[role=alert]").get_text()
    assert "Nothing is due for review right now." in alert
    assert not Attempt.objects.exists()


def test_the_review_link_preselects_spaced_review(signed_in, exam):
    page = soup_of(signed_in.get(reverse("exams:new"), {"exam": "TST-C01", "mode": "review"}))
    assert page.select_one("input[name=mode][checked]")["value"] == "review"


def test_a_question_reviewed_right_is_no_longer_due(signed_in, student, exam, bank):
    question = make_questions(question_set=bank, count=1)[0]
    missed(student, [question], timezone.now() - timedelta(hours=1))
    new_practice(signed_in, mode="review")
    attempt = Attempt.objects.get(user=student)
    slot = attempt.slots.get()

    signed_in.post(
        reverse("exams:check", args=[attempt.pk, 1]),
        {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "confidence": "sure"},
    )

    card = ReviewCard.objects.get(user=student, question=question)
    assert (card.reps, card.last_rating) == (2, Rating.Good)
    assert due_count(student, exam) == 0


# ------------------------------------------------------------------------------------------ confidence
@pytest.fixture
def practice(bank, student):
    """An untimed custom practice over two multiple-choice questions."""
    return make_attempt(
        user=student, questions=make_questions(question_set=bank, count=2), now=timezone.now()
    )


def answer_url(attempt, position=1):
    return reverse("exams:answer", args=[attempt.pk, position])


@pytest.mark.parametrize("mode", ["custom", "retry", "review"])
def test_practice_modes_ask_how_sure_the_student_is(signed_in, bank, student, mode):
    attempt = make_attempt(
        user=student, questions=make_questions(question_set=bank, count=1), now=timezone.now(), mode=mode
    )
    page = soup_of(signed_in.get(reverse("exams:question", args=[attempt.pk, 1])))
    form = page.select_one("#answer-form")
    assert "How sure are you?" in form.select_one("fieldset.confidence-marks legend").get_text()
    marks = {radio["value"]: radio["data-confidence"] for radio in form.select("input[name=confidence]")}
    assert marks == {"sure": "s", "unsure": "u", "guessed": "g"}
    assert "mark your answer sure / unsure / guessed" in page.select_one("details.shortcuts").get_text()


def test_a_mock_does_not_ask_how_sure_the_student_is(signed_in, bank, student):
    attempt = make_attempt(
        user=student, questions=make_questions(question_set=bank, count=1), now=timezone.now(), mode="mock"
    )
    page = soup_of(signed_in.get(reverse("exams:question", args=[attempt.pk, 1])))
    assert page.select("input[name=confidence]") == []
    assert "sure / unsure / guessed" not in page.get_text()


def test_the_confidence_mark_is_saved_with_the_answer_and_shown_again(signed_in, practice):
    slot = practice.slots.get(position=1)
    response = signed_in.post(
        answer_url(practice), {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "confidence": "unsure"}, **HTMX
    )
    assert response.status_code == 200
    slot.refresh_from_db()
    assert (slot.confidence, slot.seq) == ("unsure", 1)

    page = soup_of(signed_in.get(reverse("exams:question", args=[practice.pk, 1])))
    assert page.select_one("input[name=confidence][checked]")["value"] == "unsure"


def test_changing_only_the_confidence_mark_is_saved(signed_in, practice):
    slot = practice.slots.get(position=1)
    signed_in.post(
        answer_url(practice), {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "confidence": "sure"}, **HTMX
    )
    signed_in.post(
        answer_url(practice), {"choice": on_screen(slot, right_choice(slot)), "seq": 2, "confidence": "guessed"}, **HTMX
    )
    slot.refresh_from_db()
    assert (slot.confidence, slot.seq) == ("guessed", 2)


def test_the_confidence_mark_is_saved_without_javascript_too(signed_in, practice):
    slot = practice.slots.get(position=1)
    response = signed_in.post(
        answer_url(practice), {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "confidence": "guessed", "nav": "next"}
    )
    assert response.status_code == 302
    assert Slot.objects.get(pk=slot.pk).confidence == "guessed"


@pytest.mark.parametrize("confidence", ["certain", "SURE", "sure guessed"])
def test_an_unknown_confidence_mark_is_refused_and_nothing_is_saved(signed_in, practice, confidence):
    slot = practice.slots.get(position=1)
    response = signed_in.post(
        answer_url(practice), {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "confidence": confidence}, **HTMX
    )
    assert response.status_code == 400
    slot.refresh_from_db()
    assert (slot.response, slot.confidence, slot.seq) == (None, "", 0)


def test_a_mark_sent_to_a_mock_is_ignored(signed_in, bank, student):
    attempt = make_attempt(
        user=student, questions=make_questions(question_set=bank, count=1), now=timezone.now(), mode="mock"
    )
    slot = attempt.slots.get()
    response = signed_in.post(
        answer_url(attempt), {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "confidence": "sure"}
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.response, slot.confidence) == ({"choice": right_choice(slot)}, "")


def test_a_checked_unsure_right_answer_is_rated_hard(signed_in, bank, student):
    attempt = make_attempt(
        user=student,
        questions=make_questions(question_set=bank, count=1),
        now=timezone.now(),
        feedback="immediate",
    )
    slot = attempt.slots.get()
    signed_in.post(
        reverse("exams:check", args=[attempt.pk, 1]),
        {"choice": on_screen(slot, right_choice(slot)), "seq": 1, "confidence": "unsure"},
    )
    slot.refresh_from_db()
    assert (slot.checked, slot.confidence) == (True, "unsure")
    assert ReviewCard.objects.get(user=student).last_rating == Rating.Hard


# ------------------------------------------------------------------------------------------ query count
@pytest.mark.parametrize("size", [1, 65])
def test_submitting_uses_the_same_queries_for_1_and_65_answers(
    signed_in, bank, student, size, django_assert_max_num_queries
):
    questions = make_questions(question_set=bank, count=size)
    now = timezone.now()
    known(student, questions[::2], now - timedelta(days=3))  # some cards exist already, some are new
    attempt = make_attempt(user=student, questions=questions, now=now)
    for slot in attempt.slots.all():
        save_response(
            attempt=attempt,
            slot=slot,
            response={"choice": right_choice(slot)},
            confidence="sure",
            seq=1,
            now=now,
        )
    # Session, user, attempt; in one transaction: mark submitted, close the slots, read, grade, store the
    # results, read the cards, upsert them; then the re-read of the attempt. (Thirteen with the savepoint.)
    with django_assert_max_num_queries(13):
        response = signed_in.post(reverse("exams:submit", args=[attempt.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    assert ReviewCard.objects.filter(user=student, reps__gte=1).count() == size


@pytest.mark.parametrize("size", [1, 60])
def test_new_practice_uses_the_same_queries_for_1_and_60_due_questions(
    signed_in, student, exam, bank, size, django_assert_max_num_queries
):
    questions = make_questions(question_set=bank, count=size)
    missed(student, questions, timezone.now() - timedelta(hours=1))
    # session, user, exams, profile, domains, task statements, mistakes, due count, and the two permission
    # reads of the instructor role (which decides whether the sets of the classes one teaches count)
    with django_assert_max_num_queries(10):
        page = soup_of(signed_in.get(reverse("exams:new"), {"exam": "TST-C01"}))
    assert page.select_one("#due-count").get_text() == f"{size} due now"
