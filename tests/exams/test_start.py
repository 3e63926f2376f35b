"""Planning and starting an attempt: which questions, how many, how long (services.plan_attempt/start_attempt)."""

from collections import Counter
from datetime import timedelta

import pytest

from apps.exams import scoring
from apps.exams.models import Attempt
from apps.exams.services import (
    Plan,
    PracticeRequest,
    plan_attempt,
    save_response,
    start_attempt,
    submit_attempt,
)
from apps.questions.models import Question
from tests.factories import (
    make_attempt,
    make_exam,
    make_question,
    make_question_set,
    make_questions,
    snapshot_for,
)

AIF_DOMAINS = [  # AIF-C01's weights; one task statement per domain is enough here
    (1, "Fundamentals of AI and ML", 20, ["1.1"]),
    (2, "Fundamentals of generative AI", 24, ["2.1"]),
    (3, "Applications of foundation models", 28, ["3.1"]),
    (4, "Guidelines for responsible AI", 14, ["4.1"]),
    (5, "Security, compliance, and governance", 14, ["5.1"]),
]


def practice(exam, mode, **fields):
    return PracticeRequest(exam=exam, mode=mode, **fields)


def domains_of(ids):
    """How many of these questions each domain has."""
    rows = Question.objects.filter(pk__in=ids).values_list("task_statement__domain__number", flat=True)
    return dict(Counter(rows))


@pytest.fixture
def aif(db):
    """An exam shaped like AIF-C01: 50 scored + 15 unscored questions in 90 minutes, five weighted domains."""
    return make_exam(code="AIF-TST", domains=AIF_DOMAINS)


def stock(question_set, per_domain):
    """Fill a set with published questions: {domain number: count} (domain n's task is n.1)."""
    return {
        domain: make_questions(question_set=question_set, count=count, task_statement=f"{domain}.1")
        for domain, count in per_domain.items()
    }


@pytest.fixture
def aif_bank(aif):
    return make_question_set(exam=aif, slug="aif-public", visibility="public")


# --------------------------------------------------------------------------------------------- full mock
def test_a_mock_draws_the_exams_question_count_in_proportion_to_the_domain_weights(aif, aif_bank, student):
    stock(aif_bank, dict.fromkeys(range(1, 6), 20))
    plan = plan_attempt(user=student, request=practice(aif, Attempt.Mode.MOCK), seed="s1")
    assert len(plan.question_ids) == aif.questions_total == 65
    assert len(set(plan.question_ids)) == 65
    assert domains_of(plan.question_ids) == {1: 13, 2: 16, 3: 18, 4: 9, 5: 9}
    assert (plan.unscored_ids, plan.minutes, plan.problem, plan.short) == ([], 90, "", False)


def test_a_started_mock_has_every_question_scored_on_the_real_clock(aif, aif_bank, student, now):
    stock(aif_bank, dict.fromkeys(range(1, 6), 20))
    request = practice(aif, Attempt.Mode.MOCK)
    plan = plan_attempt(user=student, request=request, seed="s1")
    attempt = start_attempt(user=student, request=request, plan=plan, now=now, seed="s1")
    assert (attempt.mode, attempt.feedback, attempt.question_count) == ("mock", "end", 65)
    assert attempt.deadline == now + timedelta(minutes=90)
    assert list(attempt.slots.values_list("position", flat=True)) == list(range(1, 66))
    assert not attempt.slots.filter(scored=False).exists()


def test_a_mock_prefers_questions_the_student_has_not_seen(aif, aif_bank, student, now):
    pools = stock(aif_bank, dict.fromkeys(range(1, 6), 20))
    seen = pools[1][:10]
    make_attempt(user=student, questions=seen, now=now - timedelta(days=1))
    plan = plan_attempt(user=student, request=practice(aif, Attempt.Mode.MOCK), seed="s1")
    drawn = set(plan.question_ids)
    unseen_in_domain_1 = {q.pk for q in pools[1][10:]}
    assert unseen_in_domain_1 <= drawn  # all ten unseen ones, then three seen ones for domain 1's 13
    assert len(drawn & {q.pk for q in seen}) == 3


def test_a_mock_follows_the_published_beta_format_until_the_standard_time_is_known(
    aif, aif_bank, student, now
):
    stock(aif_bank, dict.fromkeys(range(1, 6), 30))
    aif.minutes, aif.beta_questions, aif.beta_minutes = None, 85, 170
    aif.save()
    request = practice(aif, Attempt.Mode.MOCK, pilot=True)
    plan = plan_attempt(user=student, request=request, seed="s1")
    # A beta publishes no unscored share: all 85 questions count, on the beta's 170 minutes.
    assert (len(plan.question_ids), plan.unscored_ids, plan.minutes) == (85, [], 170)
    assert domains_of(plan.question_ids) == {1: 17, 2: 20, 3: 24, 4: 12, 5: 12}
    custom = plan_attempt(user=student, request=practice(aif, Attempt.Mode.CUSTOM, count=17), seed="s1")
    assert custom.minutes == 34  # the beta's pace: 2 minutes a question
    aif.minutes = 90  # AWS publishes the standard format: the blueprint change is enough
    aif.save()
    plan = plan_attempt(user=student, request=practice(aif, Attempt.Mode.MOCK), seed="s1")
    assert (len(plan.question_ids), plan.minutes) == (65, 90)


def test_seven_mocks_in_a_row_repeat_no_question_when_the_bank_holds_seven_mocks(aif, aif_bank, student, now):
    from apps.exams.services import submit_attempt

    # 7 x 65 = 455 questions, in proportion to the weights (13/16/18/9/9 per mock).
    stock(aif_bank, {1: 91, 2: 112, 3: 126, 4: 63, 5: 63})
    seen: set[int] = set()
    for number in range(7):
        started = now + timedelta(days=number)
        request = practice(aif, Attempt.Mode.MOCK)
        plan = plan_attempt(user=student, request=request, seed=f"mock-{number}")
        assert not plan.problem
        assert not seen & set(plan.question_ids), f"mock {number + 1} repeats a question"
        seen |= set(plan.question_ids)
        attempt = start_attempt(user=student, request=request, plan=plan, now=started, seed=f"mock-{number}")
        submit_attempt(attempt=attempt, now=started + timedelta(minutes=30))
    assert len(seen) == 455


def test_a_mock_with_pilot_questions_mixes_unscored_slots_among_the_scored_ones(aif, aif_bank, student, now):
    stock(aif_bank, dict.fromkeys(range(1, 6), 20))
    request = practice(aif, Attempt.Mode.MOCK, pilot=True)
    plan = plan_attempt(user=student, request=request, seed="s1")
    assert len(plan.question_ids) == 50 and len(plan.unscored_ids) == 15
    # The blueprint applies to the scored questions.
    assert domains_of(plan.question_ids) == {1: 10, 2: 12, 3: 14, 4: 7, 5: 7}
    assert not set(plan.question_ids) & set(plan.unscored_ids)
    attempt = start_attempt(user=student, request=request, plan=plan, now=now, seed="s1")
    unscored = list(attempt.slots.filter(scored=False).values_list("position", flat=True))
    assert len(unscored) == 15 and attempt.question_count == 65
    assert unscored != list(range(51, 66))  # not simply appended at the end


def test_a_domain_without_enough_questions_is_reported_and_not_filled_from_others(aif, aif_bank, student):
    stock(aif_bank, {1: 20, 2: 20, 3: 20, 4: 5, 5: 20})
    plan = plan_attempt(user=student, request=practice(aif, Attempt.Mode.MOCK), seed="s1")
    assert plan.problem == "There are not enough questions to follow the blueprint (domain 4: 4 missing)."
    assert plan.short
    assert len(plan.question_ids) == 61
    assert domains_of(plan.question_ids) == {1: 13, 2: 16, 3: 18, 4: 5, 5: 9}


def test_too_few_questions_left_for_the_pilot_slots_are_reported(aif, aif_bank, student):
    stock(aif_bank, {1: 10, 2: 12, 3: 14, 4: 7, 5: 7})  # exactly the 50 scored ones
    plan = plan_attempt(user=student, request=practice(aif, Attempt.Mode.MOCK, pilot=True), seed="s1")
    assert plan.problem == "Only 0 of 15 unscored questions are available."
    assert (len(plan.question_ids), plan.unscored_ids, plan.short) == (50, [], True)


def test_extra_time_is_added_to_a_mock_rounded_up(aif, aif_bank, student):
    stock(aif_bank, dict.fromkeys(range(1, 6), 20))
    plan = plan_attempt(
        user=student, request=practice(aif, Attempt.Mode.MOCK, extra_time_percent=25), seed="s1"
    )
    assert plan.minutes == 113  # 90 + 22.5 rounded up


def test_extra_time_lengthens_the_deadline_of_the_started_attempt(aif, aif_bank, student, now):
    stock(aif_bank, dict.fromkeys(range(1, 6), 20))
    request = practice(aif, Attempt.Mode.MOCK, extra_time_percent=50)
    plan = plan_attempt(user=student, request=request, seed="s1")
    attempt = start_attempt(user=student, request=request, plan=plan, now=now, seed="s1")
    assert attempt.deadline == now + timedelta(minutes=135)


# ----------------------------------------------------------------------------------------- custom practice
@pytest.fixture
def pools(bank):
    """Three published questions on each task statement of TST-C01 (1.1 and 1.2 in domain 1, 2.1 in domain 2)."""
    return {
        task: make_questions(question_set=bank, count=3, task_statement=task, prefix=f"Q{task}")
        for task in ("1.1", "1.2", "2.1")
    }


def pks(*lists):
    return {q.pk for questions in lists for q in questions}


def test_a_custom_practice_of_one_domain_uses_only_that_domain(exam, pools, student):
    plan = plan_attempt(user=student, request=practice(exam, "custom", domains=[2]), seed="s1")
    assert set(plan.question_ids) == pks(pools["2.1"])


def test_a_custom_practice_of_one_task_statement_uses_only_that_task(exam, pools, student):
    plan = plan_attempt(user=student, request=practice(exam, "custom", tasks=["1.2"]), seed="s1")
    assert set(plan.question_ids) == pks(pools["1.2"])


def test_domains_and_task_statements_are_combined(exam, pools, student):
    plan = plan_attempt(user=student, request=practice(exam, "custom", domains=[2], tasks=["1.2"]), seed="s1")
    assert set(plan.question_ids) == pks(pools["1.2"], pools["2.1"])


def test_a_custom_practice_draws_the_count_asked_for_preferring_unseen_ones(exam, pools, student, now):
    make_attempt(user=student, questions=pools["1.1"] + pools["1.2"], now=now - timedelta(days=1))
    plan = plan_attempt(user=student, request=practice(exam, "custom", count=3), seed="s1")
    assert set(plan.question_ids) == pks(pools["2.1"])
    assert (plan.wanted, plan.short, plan.problem) == (3, False, "")


def test_asking_for_more_questions_than_match_says_how_many_there_are(exam, pools, student):
    plan = plan_attempt(user=student, request=practice(exam, "custom", domains=[2], count=5), seed="s1")
    assert plan.problem == "Only 3 question(s) match what you chose, not 5."
    assert plan.short and len(plan.question_ids) == 3


@pytest.mark.parametrize(
    ("count", "extra", "minutes"),
    [
        (9, 0, 13),  # 90 min for 65 questions: 9 x 90 / 65 = 12.5, rounded up
        (1, 0, 2),  # 1.4, rounded up
        (9, 50, 20),  # 13 + 6.5 rounded up
        (9, 100, 26),
    ],
)
def test_a_timed_custom_practice_gets_the_real_exams_pace(exam, pools, student, count, extra, minutes):
    request = practice(exam, "custom", count=count, timed=True, extra_time_percent=extra)
    assert plan_attempt(user=student, request=request, seed="s1").minutes == minutes


def test_an_untimed_custom_practice_has_no_time_limit(exam, pools, student, now):
    request = practice(exam, "custom", count=3, timed=False, extra_time_percent=50)
    plan = plan_attempt(user=student, request=request, seed="s1")
    assert plan.minutes is None
    assert start_attempt(user=student, request=request, plan=plan, now=now).deadline is None


# ---------------------------------------------------------------------------------------- retry mistakes
def answer_and_submit(attempt, *, right, wrong, now):
    """Answer the questions in `right` correctly and those in `wrong` wrongly, then submit the attempt."""
    for slot in attempt.slots.all():
        key = scoring.correct_response(slot.snapshot)
        if slot.question_id in right:
            response = key
        elif slot.question_id in wrong:
            response = {"choice": next(c["id"] for c in slot.snapshot["choices"] if not c["correct"])}
        else:
            continue
        save_response(attempt=attempt, slot=slot, response=response, seq=1, now=now)
    return submit_attempt(attempt=attempt, now=now)[0]


def test_retry_takes_questions_answered_wrong_and_not_answered_right_since(exam, bank, student, now):
    q1, q2, q3, q4 = make_questions(question_set=bank, count=4)
    first = make_attempt(user=student, questions=[q1, q2, q3, q4], now=now - timedelta(days=2))
    # q4 is left blank
    answer_and_submit(first, right={q3.pk}, wrong={q1.pk, q2.pk}, now=now - timedelta(days=2))
    second = make_attempt(user=student, questions=[q2, q3], now=now - timedelta(days=1))
    answer_and_submit(second, right={q2.pk}, wrong={q3.pk}, now=now - timedelta(days=1))

    plan = plan_attempt(user=student, request=practice(exam, Attempt.Mode.RETRY), seed="s1")
    # q1 wrong; q2 wrong, then right since; q3 right, then wrong since; q4 never answered (counts as wrong).
    assert set(plan.question_ids) == {q1.pk, q3.pk, q4.pk}


def test_retry_leaves_out_mistakes_on_questions_no_longer_published(exam, bank, student, now):
    q1, q2 = make_questions(question_set=bank, count=2)
    attempt = make_attempt(user=student, questions=[q1, q2], now=now - timedelta(days=1))
    answer_and_submit(attempt, right=set(), wrong={q1.pk, q2.pk}, now=now - timedelta(days=1))
    Question.objects.filter(pk=q2.pk).update(status=Question.Status.RETIRED)
    plan = plan_attempt(user=student, request=practice(exam, Attempt.Mode.RETRY), seed="s1")
    assert plan.question_ids == [q1.pk]


def test_retry_does_not_count_another_students_mistakes(exam, bank, student, other_student, now):
    (q1,) = make_questions(question_set=bank, count=1)
    attempt = make_attempt(user=other_student, questions=[q1], now=now - timedelta(days=1))
    answer_and_submit(attempt, right=set(), wrong={q1.pk}, now=now - timedelta(days=1))
    plan = plan_attempt(user=student, request=practice(exam, Attempt.Mode.RETRY), seed="s1")
    assert plan.question_ids == []


# ---------------------------------------------------------------------------------- which questions at all
@pytest.fixture
def mixed_sets(exam, student, other_student, instructor):
    """Questions the student may use, and questions they may not, all for TST-C01."""
    public = make_question_set(exam=exam, slug="public", visibility="public", owner=instructor)
    own = make_question_set(exam=exam, slug="mine", visibility="private", owner=student)
    theirs = make_question_set(exam=exam, slug="theirs", visibility="private", owner=other_student)
    other_exam = make_exam(code="OTH-C01")
    elsewhere = make_question_set(exam=other_exam, slug="other-exam", visibility="public")
    return {
        "usable": make_questions(question_set=public, count=2, prefix="Public")
        + make_questions(question_set=own, count=2, prefix="Mine"),
        "unusable": make_questions(question_set=theirs, count=2, prefix="Theirs")
        + make_questions(question_set=public, count=1, status="draft", prefix="Draft")
        + make_questions(question_set=public, count=1, status="retired", prefix="Retired")
        + make_questions(question_set=elsewhere, count=2, prefix="Other exam"),
    }


def test_only_published_questions_of_sets_the_student_may_use_are_drawn(exam, mixed_sets, student):
    plan = plan_attempt(user=student, request=practice(exam, "custom", count=20), seed="s1")
    assert set(plan.question_ids) == pks(mixed_sets["usable"])


def test_a_mock_never_uses_another_students_private_set(exam, mixed_sets, student):
    for seed in ("s1", "s2", "s3"):
        plan = plan_attempt(user=student, request=practice(exam, Attempt.Mode.MOCK, pilot=True), seed=seed)
        assert not (set(plan.question_ids) | set(plan.unscored_ids)) & pks(mixed_sets["unusable"])
    assert plan.short  # the private set's questions did not fill the gap


def test_a_question_without_a_task_statement_is_never_drawn(exam, bank, student):
    make_question(question_set=bank, task_statement="")
    assert plan_attempt(user=student, request=practice(exam, "custom", count=5), seed="s1").question_ids == []


# --------------------------------------------------------------------------------------------- starting
def test_each_slot_freezes_its_question_as_it_was_at_the_start(exam, by_kind, student, now):
    questions = list(by_kind.values())
    attempt = make_attempt(user=student, questions=questions, now=now, seed="frozen")
    assert attempt.question_count == 4
    for question in questions:
        slot = attempt.slots.get(question=question)
        assert slot.snapshot == snapshot_for(question, seed="frozen")
        assert (slot.kind, slot.version) == (question.kind, question.current_version)
        assert (slot.task_statement, slot.domain_number) == (question.task_statement, 1)
        assert slot.response is None and slot.scored


def test_a_question_deleted_between_planning_and_starting_is_left_out(exam, by_kind, student, now):
    questions = list(by_kind.values())
    request = practice(exam, "custom", count=len(questions), timed=False)
    plan = Plan([q.pk for q in questions], [], None, len(questions))
    questions[0].delete()
    attempt = start_attempt(user=student, request=request, plan=plan, now=now, seed="s1")
    assert attempt.question_count == 3
    assert sorted(attempt.slots.values_list("position", flat=True)) == [1, 2, 3]


def test_an_attempt_records_what_the_student_asked_for(exam, pools, student, now):
    request = practice(exam, "custom", domains=[2], tasks=["1.2"], count=4, timed=False, feedback="immediate")
    plan = plan_attempt(user=student, request=request, seed="s1")
    attempt = start_attempt(user=student, request=request, plan=plan, now=now, seed="s1")
    assert attempt.config == {
        "domains": [2],
        "tasks": ["1.2"],
        "count": 4,
        "timed": False,
        "pilot": False,
        "sets": [],
        "minutes": None,
        "seed": "s1",
        "assignment": False,
    }
    assert (attempt.feedback, attempt.started_at, attempt.status) == ("immediate", now, "open")


def test_an_attempt_without_questions_is_refused(exam, student, now):
    with pytest.raises(ValueError):
        start_attempt(user=student, request=practice(exam, "custom"), plan=Plan([], [], None, 5), now=now)
    assert not Attempt.objects.exists()


def test_a_retry_started_from_the_form_takes_every_mistake_not_the_default_twenty(exam, bank, student, now):
    from apps.exams.forms import NewPracticeForm

    questions = make_questions(question_set=bank, count=25)
    attempt = make_attempt(user=student, questions=questions, now=now - timedelta(days=1))
    answer_and_submit(attempt, right=set(), wrong={q.pk for q in questions}, now=now - timedelta(days=1))
    form = NewPracticeForm({"mode": "retry", "count": "20", "feedback": "end"}, exam=exam)
    assert form.is_valid(), form.errors
    plan = plan_attempt(user=student, request=form.practice_request(), seed="s1")
    assert len(plan.question_ids) == 25 and not plan.short


def test_a_student_without_mistakes_is_told_so(exam, bank, student):
    plan = plan_attempt(user=student, request=practice(exam, Attempt.Mode.RETRY), seed="s1")
    assert plan.question_ids == []
    assert plan.problem.startswith("You have no mistakes to retry")
