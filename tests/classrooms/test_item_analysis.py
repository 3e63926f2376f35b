"""Item analysis: the statistics against a hand-computed example, the reports' populations and rules, the pages,
who may see them, and a query count that does not grow with the class."""

import math
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.classrooms import item_analysis as ia
from apps.classrooms.item_reports import classroom_report, question_set_report
from apps.classrooms.models import Membership
from apps.classrooms.services import create_classroom
from apps.exams.models import Attempt, Slot
from apps.exams.selection import rng_for
from apps.exams.services import save_response, submit_attempt
from apps.exams.snapshots import layout_for
from apps.questions.models import ProblemReport
from apps.questions.services import refresh_question
from tests.factories import make_attempt, make_question_set, make_questions

NOW = timezone.now().replace(microsecond=0)


# ------------------------------------------------------------------------------ the hand-computed example
# Six students (A–F) each submitted one practice of five scored questions. On the question under study (a
# multiple-choice question with choices R (right), B and C), A, B and C were right; D and E picked B; F left
# it blank. Their attempt scores (correct of 5, this question included) were 5, 4, 2, 3, 1, 0.
EXAMPLE = [
    # (right on the item, correct_count of the attempt, choice picked)
    (True, 5, "R"),
    (True, 4, "R"),
    (True, 2, "R"),
    (False, 3, "B"),
    (False, 1, "B"),
    (False, 0, None),
]
CHOICE_IDS = {"R": 101, "B": 102, "C": 103}
KEY = [(101, True), (102, False), (103, False)]


def example_responses():
    return [
        ia.Response(
            correct=right,
            attempt_correct=correct,
            attempt_scored=5,
            picked=(CHOICE_IDS[pick],) if pick else (),
            answered=pick is not None,
        )
        for right, correct, pick in EXAMPLE
    ]


def test_facility_is_the_share_right_with_blanks_counted_as_wrong():
    # 3 right of 6 responses (F's blank is one of the 6): 3 / 6 = 0.5
    stats = ia.item_stats(example_responses(), kind="multiple_choice", choices=KEY)
    assert (stats.responses, stats.correct, stats.blank) == (6, 3, 1)
    assert stats.facility == 0.5
    assert ia.facility(0, 0) is None


def test_the_rest_score_leaves_the_question_itself_out():
    # A: (5 − 1) / (5 − 1) = 1.0;  D: (3 − 0) / 4 = 0.75;  F: 0 / 4 = 0.0
    assert [round(r.rest_score, 4) for r in example_responses()] == [1.0, 0.75, 0.25, 0.75, 0.25, 0.0]
    assert ia.rest_score(1, 1, True) is None  # a one-question attempt has no rest


def test_discrimination_matches_the_hand_computed_point_biserial():
    # Rest scores: right ones 1.0, 0.75, 0.25 → M1 = 2/3;  wrong ones 0.75, 0.25, 0.0 → M0 = 1/3.
    # Mean of all six = 3 / 6 = 0.5; squared deviations .25 + .0625 + .0625 + .0625 + .0625 + .25 = .75,
    # so the population variance is .75 / 6 = .125 and s = √.125 = 0.35355.  p = q = 0.5, √(pq) = 0.5.
    # r = (2/3 − 1/3) / 0.35355 × 0.5 = √2 / 3 = 0.4714
    stats = ia.item_stats(example_responses(), kind="multiple_choice", choices=KEY)
    assert stats.discrimination == pytest.approx(math.sqrt(2) / 3)
    assert stats.discrimination == pytest.approx(0.4714, abs=1e-4)


def test_the_total_score_would_have_inflated_the_discrimination():
    # Against the whole score (5, 4, 2, 3, 1, 0 of 5 = 1, .8, .4, .6, .2, 0): M1 − M0 = .7333 − .2667 = .4667,
    # variance (.25 + .09 + .01 + .01 + .09 + .25) / 6 = .11667, s = .34157 → r = .4667 / .34157 × .5 = 0.6831.
    # The rest score removes the question's own part of that correlation: 0.4714 < 0.6831.
    items = [right for right, _, _ in EXAMPLE]
    totals = [correct / 5 for _, correct, _ in EXAMPLE]
    assert ia.point_biserial(items, totals) == pytest.approx(0.6831, abs=1e-4)


def test_discrimination_is_undefined_with_too_few_responses_or_no_variance():
    responses = example_responses()
    assert ia.discrimination(responses[: ia.MIN_RESPONSES_DISCRIMINATION - 1]) is None
    everybody_right = [ia.Response(True, c, 5, (101,)) for c in (5, 4, 3, 2, 1)]
    assert ia.discrimination(everybody_right) is None
    same_rest = [ia.Response(i % 2 == 0, 2 + (i % 2 == 0), 5, ()) for i in range(6)]  # every rest is 2/4
    assert ia.discrimination(same_rest) is None
    # One-question attempts have no rest score at all.
    single = [ia.Response(i % 2 == 0, int(i % 2 == 0), 1, ()) for i in range(8)]
    assert ia.discrimination(single) is None


def test_choice_counts_follow_the_key_and_keep_removed_choices():
    # R: 3 of 6 = 50%; B: 2 of 6 = 33%; C: 0; F's blank picks nothing.
    stats = ia.item_stats(example_responses(), kind="multiple_choice", choices=KEY)
    assert [(c.id, c.correct, c.count) for c in stats.choices] == [
        (101, True, 3),
        (102, False, 2),
        (103, False, 0),
    ]
    assert stats.choices[1].share == pytest.approx(2 / 6)
    removed = ia.choice_counts([ia.Response(False, 0, 5, (999,))], KEY)
    assert (removed[-1].id, removed[-1].correct, removed[-1].count) == (999, None, 1)


def test_ordering_and_matching_get_no_choice_breakdown():
    responses = [ia.Response(True, 3, 5), ia.Response(False, 2, 5, answered=False)]
    stats = ia.item_stats(responses, kind="ordering")
    assert stats.choices is None
    assert (stats.responses, stats.facility, stats.blank) == (2, 0.5, 1)


def test_the_hand_example_raises_no_flag():
    assert ia.item_stats(example_responses(), kind="multiple_choice", choices=KEY).flags == []


def test_negative_discrimination_is_flagged_from_its_minimum():
    # The right half scored 1 or 2 of 5 (rest 0 or .25), the wrong half 3 or 4 (rest .75 or 1): r < 0.
    def responses(n):
        right = [ia.Response(True, 1 + i % 2, 5) for i in range(n // 2)]
        return right + [ia.Response(False, 3 + i % 2, 5) for i in range(n - n // 2)]

    n = ia.MIN_RESPONSES_NEGATIVE_DISCRIMINATION
    stats = ia.item_stats(responses(n), kind="ordering")
    assert stats.discrimination < 0
    assert stats.flags == [ia.NEGATIVE_DISCRIMINATION]
    fewer = ia.item_stats(responses(n - 2), kind="ordering")
    assert fewer.discrimination < 0
    assert fewer.flags == []


def test_a_distractor_picked_more_often_than_the_answer_is_flagged():
    # R picked twice, B three times: 3 > 2.
    picks = ["R", "R", "B", "B", "B"]
    responses = [ia.Response(p == "R", 3, 5, (CHOICE_IDS[p],)) for p in picks]
    assert ia.item_stats(responses, kind="multiple_choice", choices=KEY).flags == [ia.POPULAR_DISTRACTOR]
    tie = [ia.Response(p == "R", 3, 5, (CHOICE_IDS[p],)) for p in ["R", "R", "B", "B", "C"]]
    assert ia.item_stats(tie, kind="multiple_choice", choices=KEY).flags == []
    assert ia.item_stats(responses[:4], kind="multiple_choice", choices=KEY).flags == []  # below the minimum


def test_a_multiple_response_distractor_must_beat_every_answer():
    key = [(1, True), (2, True), (3, False)]
    # Answer 1 picked 5 times, answer 2 twice, distractor 3 three times: it beats answer 2 but not answer 1.
    picks = [(1, 3), (1, 3), (1, 3), (1, 2), (1, 2)]
    responses = [ia.Response(p == (1, 2), 3, 5, p) for p in picks]
    assert ia.item_stats(responses, kind="multiple_response", choices=key).flags == []
    # Distractor 3 picked by all five: 5 > 4 (answer 1) and 5 > 1 (answer 2).
    picks = [(1, 3), (1, 3), (1, 3), (1, 2, 3), (3,)]
    responses = [ia.Response(False, 3, 5, p) for p in picks]
    assert ia.POPULAR_DISTRACTOR in ia.item_stats(responses, kind="multiple_response", choices=key).flags


def test_nobody_correct_is_flagged_from_its_minimum():
    wrong = [ia.Response(False, c, 5, (102,)) for c in range(ia.MIN_RESPONSES_NOBODY_CORRECT)]
    assert ia.NOBODY_CORRECT in ia.item_stats(wrong, kind="multiple_choice", choices=KEY).flags
    assert ia.item_stats(wrong[:-1], kind="ordering").flags == []


def test_picked_choices_reads_both_choice_formats():
    assert ia.picked_choices({"choice": 7}) == (7,)
    assert ia.picked_choices({"choices": [7, 8]}) == (7, 8)
    assert ia.picked_choices({"order": [1, 2]}) == ()
    assert ia.picked_choices(None) == ()


# ------------------------------------------------------------------------------------------------ data
# `exam`, `bank` (public), `teacher`, `other_teacher` and `classroom` (taught by the teacher) come from
# tests/classrooms/conftest.py.
@pytest.fixture
def own_set(exam, teacher):
    return make_question_set(exam=exam, slug="irene-set", title="Irene's set", owner=teacher)


@pytest.fixture
def set_questions(own_set):
    """Five multiple-choice questions of the teacher's set: choices "Right choice" (the answer), B and C."""
    return make_questions(question_set=own_set, count=5)


def enrol(classroom, *users, joined_at=None):
    Membership.objects.bulk_create(
        Membership(classroom=classroom, student=user, joined_at=joined_at or NOW - timedelta(days=30))
        for user in users
    )


def make_students(count, prefix="student"):
    return get_user_model().objects.bulk_create(
        get_user_model()(username=f"{prefix}-{i}", password="!") for i in range(count)
    )


def pick(question, letter):
    """The id of a question's choice: "R" (right), "B" or "C" (made by make_questions in that order)."""
    ids = {
        choice.text_md[-1] if choice.text_md != "Right choice" else "R": choice.pk
        for choice in question.choices.all()
    }
    return ids[letter]


def submitted(*, user, exam, answers, mode="custom", started_at=None, unscored=()):
    """A submitted attempt stored directly: answers is [(question, letter or None)], graded on letter "R"."""
    started_at = started_at or NOW - timedelta(days=1)
    correct = sum(1 for _, letter in answers if letter == "R")
    attempt = Attempt.objects.create(
        user=user,
        exam=exam,
        mode=mode,
        status=Attempt.Status.SUBMITTED,
        started_at=started_at,
        submitted_at=started_at + timedelta(minutes=10),
        question_count=len(answers) + len(unscored),
        scored_count=len(answers),
        correct_count=correct,
        percent=100 * correct / len(answers),
    )
    rows = [(q, letter, True) for q, letter in answers] + [(q, letter, False) for q, letter in unscored]
    Slot.objects.bulk_create(
        Slot(
            attempt=attempt,
            position=position,
            question=question,
            version=question.current_version,
            layout=layout_for(question.current_version.content, rng_for("item", question.pk)),  # as shown
            domain_number=1,
            kind=question.kind,
            scored=scored,
            response={"choice": pick(question, letter)} if letter else None,
            closed=True,
            is_correct=letter == "R",
        )
        for position, (question, letter, scored) in enumerate(rows, 1)
    )
    return attempt


def hand_example(*, exam, questions, users):
    """The six attempts of the hand-computed example, on questions[0], with the other four as the rest."""
    item, rest = questions[0], questions[1:]
    for user, (_, correct, letter) in zip(users, EXAMPLE, strict=True):
        others = correct - (letter == "R")
        submitted(
            user=user,
            exam=exam,
            answers=[(item, letter)] + [(q, "R" if i < others else "B") for i, q in enumerate(rest)],
        )


def row_for(report, question):
    return next(row for row in report.rows if row.question_id == question.pk)


def test_a_class_report_reproduces_the_hand_example(exam, classroom, teacher, set_questions):
    students = make_students(6)
    enrol(classroom, *students)
    hand_example(exam=exam, questions=set_questions, users=students)
    report = classroom_report(classroom, user=teacher)
    row = row_for(report, set_questions[0])
    assert report.attempts == 6
    assert (row.responses, row.correct, row.blank, row.facility_percent) == (6, 3, 1, 50)
    assert row.discrimination == pytest.approx(math.sqrt(2) / 3)
    assert [(c.text, c.correct, c.count) for c in row.choices] == [
        ("Right choice", True, 3),
        ("Wrong choice B", False, 2),
        ("Wrong choice C", False, 0),
    ]
    assert row.flags == [] and not row.contested


def test_a_blank_answer_through_the_real_services_is_a_wrong_response(
    exam, classroom, teacher, set_questions, student
):
    enrol(classroom, student)
    attempt = make_attempt(user=student, questions=set_questions[:2], now=NOW)
    slot = attempt.slots.get(question=set_questions[0])
    right = next(c["id"] for c in slot.snapshot["choices"] if c["correct"])
    save_response(attempt=attempt, slot=slot, response={"choice": right}, seq=1, now=NOW)
    submit_attempt(attempt=attempt, now=NOW)
    report = classroom_report(classroom, user=teacher)
    answered, blank = row_for(report, set_questions[0]), row_for(report, set_questions[1])
    assert (answered.responses, answered.correct) == (1, 1)
    assert (blank.responses, blank.correct, blank.blank, blank.facility) == (1, 0, 1, 0.0)


def test_only_scored_slots_of_submitted_mock_and_custom_attempts_of_current_students_count(
    exam, classroom, teacher, set_questions
):
    member, leaver, outsider, newcomer = make_students(4)
    enrol(classroom, member, leaver, outsider)
    Membership.objects.filter(student=leaver).update(left_at=NOW - timedelta(hours=1))
    Membership.objects.filter(student=outsider).delete()
    enrol(classroom, newcomer, joined_at=NOW - timedelta(hours=2))
    q1, q2 = set_questions[0], set_questions[1]
    submitted(user=member, exam=exam, answers=[(q1, "R")], mode="mock", unscored=[(q2, "R")])
    submitted(user=member, exam=exam, answers=[(q1, "B")], mode="retry")
    submitted(user=member, exam=exam, answers=[(q1, "B")], mode="review")
    submitted(user=leaver, exam=exam, answers=[(q1, "B")])
    submitted(user=outsider, exam=exam, answers=[(q1, "B")])
    submitted(
        user=newcomer, exam=exam, answers=[(q1, "B")], started_at=NOW - timedelta(days=1)
    )  # before joining
    still_open = submitted(user=member, exam=exam, answers=[(q1, "B")])
    Attempt.objects.filter(pk=still_open.pk).update(status=Attempt.Status.OPEN)
    report = classroom_report(classroom, user=teacher)
    assert [(row.question_id, row.responses, row.correct) for row in report.rows] == [(q1.pk, 1, 1)]
    assert report.attempts == 1


def test_contested_questions_come_first_then_flagged_then_the_hardest(
    exam, classroom, teacher, set_questions
):
    students = make_students(ia.MIN_RESPONSES_NOBODY_CORRECT)
    enrol(classroom, *students)
    contested, flagged, easy, hard, reported = set_questions
    for i, user in enumerate(students):
        submitted(
            user=user,
            exam=exam,
            answers=[
                (contested, "B"),  # nobody correct, and B beats the answer 5 to 0
                (flagged, "C"),  # the same with C
                (easy, "R"),
                (hard, "RRBBC"[i]),  # 2 of 5 right; B ties with the answer, which is no flag
                (reported, "RRRBB"[i]),  # 3 of 5 right
            ],
        )
    for question in (contested, reported):
        ProblemReport.objects.create(
            question=question,
            reporter=students[0],
            category="wrong_answer",
            text="B is right.",
        )
    ProblemReport.objects.create(
        question=flagged,
        reporter=students[1],
        category="typo",
        text="Fixed already.",
        resolved=True,
    )
    rows = classroom_report(classroom, user=teacher).rows
    assert [row.question_id for row in rows] == [q.pk for q in (contested, flagged, hard, reported, easy)]
    assert [(row.contested, row.flagged) for row in rows] == [
        (True, True),
        (False, True),
        (False, False),
        (False, False),
        (False, False),
    ]
    assert [[f.code for f in row.flags] for row in rows[:2]] == [
        [ia.POPULAR_DISTRACTOR, ia.NOBODY_CORRECT]
    ] * 2
    assert [(n.category, n.text) for n in rows[0].reports] == [("The marked answer is wrong", "B is right.")]
    assert rows[1].reports == []  # resolved reports are not listed
    assert rows[3].reports and not rows[3].contested  # reported but not suspicious: not contested


def test_the_admin_link_is_there_only_for_questions_the_viewer_may_change(
    exam, classroom, teacher, set_questions, bank, admin
):
    public = make_questions(question_set=bank, count=1, prefix="Public")[0]
    user = make_students(1)[0]
    enrol(classroom, user)
    submitted(user=user, exam=exam, answers=[(set_questions[0], "B"), (public, "B")])
    rows = {row.question_id: row for row in classroom_report(classroom, user=teacher).rows}
    assert rows[set_questions[0].pk].admin_url == reverse(
        "admin:questions_question_change", args=[set_questions[0].pk]
    )
    assert rows[public.pk].admin_url == ""
    as_admin = {row.question_id: row for row in classroom_report(classroom, user=admin).rows}
    assert as_admin[public.pk].admin_url


def test_a_class_shows_reports_by_its_students_or_on_the_viewer_s_own_questions(
    exam, classroom, teacher, set_questions, bank
):
    public = make_questions(question_set=bank, count=1, prefix="Public")[0]
    member, stranger = make_students(2)
    enrol(classroom, member)
    submitted(user=member, exam=exam, answers=[(set_questions[0], "R"), (public, "R")])
    for question, reporter, text in [
        (public, member, "From my class"),
        (public, stranger, "From somebody else"),
        (set_questions[0], stranger, "On my own question"),
    ]:
        ProblemReport.objects.create(
            question=question,
            reporter=reporter,
            category="unclear",
            text=text,
        )
    rows = {row.question_id: row for row in classroom_report(classroom, user=teacher).rows}
    assert [n.text for n in rows[public.pk].reports] == ["From my class"]
    assert [n.text for n in rows[set_questions[0].pk].reports] == ["On my own question"]


def test_a_set_report_counts_anybody_s_attempts_on_its_questions_only(
    exam, own_set, teacher, set_questions, bank
):
    public = make_questions(question_set=bank, count=1, prefix="Public")[0]
    unanswered_but_reported = make_questions(question_set=own_set, count=1, prefix="Reported")[0]
    make_questions(question_set=own_set, count=1, prefix="Silent")  # neither answered nor reported: no row
    students = make_students(6)
    hand_example(exam=exam, questions=set_questions, users=students)  # nobody is in a class
    submitted(user=students[0], exam=exam, answers=[(set_questions[0], "B"), (public, "B")], mode="retry")
    ProblemReport.objects.create(
        question=unanswered_but_reported,
        reporter=students[0],
        category="typo",
        text="Typo",
    )
    report = question_set_report(own_set, user=teacher)
    assert {row.question_id for row in report.rows} == {q.pk for q in set_questions} | {
        unanswered_but_reported.pk
    }
    row = row_for(report, set_questions[0])
    assert (row.responses, row.correct) == (6, 3)
    assert row.discrimination == pytest.approx(math.sqrt(2) / 3)
    reported = row_for(report, unanswered_but_reported)
    assert (reported.responses, reported.facility, reported.discrimination) == (0, None, None)
    assert [n.text for n in reported.reports] == ["Typo"]
    assert report.rows[-1] == reported  # no facility: last


# ----------------------------------------------------------------------------------------------- pages
def items_url(classroom):
    return reverse("classrooms:items", args=[classroom.pk])


def set_items_url(question_set):
    return reverse("classrooms:set-items", args=[question_set.pk])


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_class_page_shows_the_table_flags_as_text_and_escaped_reports(
    client, exam, classroom, teacher, set_questions
):
    students = make_students(ia.MIN_RESPONSES_NOBODY_CORRECT)
    enrol(classroom, *students)
    for user in students:
        submitted(user=user, exam=exam, answers=[(set_questions[0], "B"), (set_questions[1], "R")])
    ProblemReport.objects.create(
        question=set_questions[0],
        reporter=students[0],
        category="wrong_answer",
        text="<script>alert(1)</script> B is right",
    )
    client.force_login(teacher)
    response = client.get(items_url(classroom))
    soup = page(response)
    table = soup.select_one(".table-scroll[role=region][tabindex='0'] table")
    assert table.caption and [th["scope"] for th in table.select("thead th")] == ["col"] * 7
    first = table.select("tbody tr")[0]
    assert first["id"] == f"item-{set_questions[0].pk}"
    assert first.select_one("th[scope=row]")
    assert [b.get_text() for b in first.select(".badge-contested, .badge-flag")] == [
        "Contested",
        "Distractor beats the answer",
        "Nobody correct",
    ]
    assert (
        first.select_one("a.item-edit")["href"] == f"/admin/questions/question/{set_questions[0].pk}/change/"
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt; B is right" in response.content.decode()
    assert soup.select("script") == [s for s in soup.select("script") if s.get("src")]
    assert "0%" in first.get_text() and "Wrong choice B" in first.get_text()
    assert students[0].username not in response.content.decode()
    assert "1 contested" in soup.select_one("#item-summary").get_text()


def test_a_class_without_attempts_says_so(client, classroom, teacher):
    client.force_login(teacher)
    soup = page(client.get(items_url(classroom)))
    assert soup.select("table") == []
    assert "No submitted full mock exam or custom practice" in soup.get_text()


def test_the_set_page_shows_the_set_s_questions(client, exam, own_set, teacher, set_questions):
    hand_example(exam=exam, questions=set_questions, users=make_students(6))
    client.force_login(teacher)
    soup = page(client.get(set_items_url(own_set)))
    assert "Item analysis: Irene's set" in soup.select_one("h1").get_text()
    assert len(soup.select("tbody tr")) == 5
    assert "0.47" in soup.select_one(f"#item-{set_questions[0].pk}").get_text()


def test_the_pages_need_a_login_and_refuse_post(client, classroom, own_set, teacher):
    for url in (items_url(classroom), set_items_url(own_set)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(teacher)
    for url in (items_url(classroom), set_items_url(own_set)):
        assert client.post(url).status_code == 405


def test_another_instructor_s_class_or_set_is_404(client, exam, classroom, own_set, other_teacher):
    client.force_login(other_teacher)
    assert client.get(items_url(classroom)).status_code == 404
    assert client.get(set_items_url(own_set)).status_code == 404
    assert client.get(reverse("classrooms:items", args=[classroom.pk + 1000])).status_code == 404


def test_a_student_gets_404_even_for_their_class_and_their_own_set(client, exam, classroom, student):
    enrol(classroom, student)
    students_set = make_question_set(exam=exam, slug="alice-set", owner=student)
    client.force_login(student)
    assert client.get(items_url(classroom)).status_code == 404
    assert client.get(set_items_url(students_set)).status_code == 404


def test_a_superuser_sees_any_class_and_set(client, classroom, own_set, admin):
    client.force_login(admin)
    assert client.get(items_url(classroom)).status_code == 200
    assert client.get(set_items_url(own_set)).status_code == 200


# ------------------------------------------------------------------------------------------- query count
def bulk_class(*, exam, teacher, questions, students, attempts, name):
    """A class of `students` who each submitted `attempts` custom practices over `questions`, stored in bulk;
    every student gets the first question right and the others right by turns."""
    classroom = create_classroom(instructor=teacher, name=name, exam=exam)
    users = make_students(students, prefix=name)
    enrol(classroom, *users)
    started = [NOW - timedelta(hours=i + 1) for i in range(attempts)]
    rows = Attempt.objects.bulk_create(
        Attempt(
            user=user,
            exam=exam,
            mode=Attempt.Mode.CUSTOM,
            status=Attempt.Status.SUBMITTED,
            started_at=start,
            submitted_at=start + timedelta(minutes=5),
            question_count=len(questions),
            scored_count=len(questions),
            correct_count=(len(questions) + 1) // 2,
            percent=50.0,
        )
        for user in users
        for start in started
    )
    right, wrong = {q.pk: pick(q, "R") for q in questions}, {q.pk: pick(q, "B") for q in questions}
    Slot.objects.bulk_create(
        Slot(
            attempt=attempt,
            position=position,
            question=question,
            version=question.current_version,
            domain_number=1,
            kind=question.kind,
            response={"choice": (right if (position + n) % 2 else wrong)[question.pk]},
            closed=True,
            is_correct=bool((position + n) % 2),
        )
        for n, attempt in enumerate(rows)
        for position, question in enumerate(questions, 1)
    )
    ProblemReport.objects.bulk_create(
        ProblemReport(question=questions[0], reporter=user, category="unclear", text="?") for user in users
    )
    return classroom


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_class_page_makes_the_same_queries_for_40_students_x_20_attempts_as_for_2_x_1(
    client, exam, teacher, own_set
):
    small_questions = make_questions(question_set=own_set, count=3, prefix="Small")
    # More questions too, so that a query per question would show as well as one per student or attempt.
    big_questions = make_questions(question_set=own_set, count=8, prefix="Big")
    small = bulk_class(
        exam=exam, teacher=teacher, questions=small_questions, students=2, attempts=1, name="small"
    )
    big = bulk_class(
        exam=exam, teacher=teacher, questions=big_questions, students=40, attempts=20, name="big"
    )
    client.force_login(teacher)
    small_count, small_page = count_queries(client, items_url(small))
    big_count, big_page = count_queries(client, items_url(big))
    assert small_count == big_count
    assert "from 2 attempts" in small_page.content.decode()
    assert "from 800 attempts" in big_page.content.decode()


def test_the_set_page_makes_the_same_queries_for_40_students_x_20_attempts_as_for_2_x_1(
    client, exam, teacher
):
    small_set = make_question_set(exam=exam, slug="small", title="Small", owner=teacher)
    big_set = make_question_set(exam=exam, slug="big", title="Big", owner=teacher)
    bulk_class(
        exam=exam,
        teacher=teacher,
        questions=make_questions(question_set=small_set, count=3),
        students=2,
        attempts=1,
        name="small",
    )
    bulk_class(
        exam=exam,
        teacher=teacher,
        questions=make_questions(question_set=big_set, count=8),
        students=40,
        attempts=20,
        name="big",
    )
    client.force_login(teacher)
    small_count, _ = count_queries(client, set_items_url(small_set))
    big_count, big_page = count_queries(client, set_items_url(big_set))
    assert small_count == big_count
    assert "from 800 attempts" in big_page.content.decode()


# ------------------------------------------------------------------------- only what the class may see
@pytest.fixture
def two_classes(exam, bank, classroom, teacher, other_teacher, other_classroom):
    """A student in the teacher's class and in another instructor's class, who practised there with that
    instructor's set (shared with that class only) and with the public bank."""
    from apps.classrooms.services import share_sets

    oscar_set = make_question_set(
        exam=exam, slug="oscar-set", title="Oscar's secret set", owner=other_teacher
    )
    oscar_question = make_questions(question_set=oscar_set, count=1, prefix="Oscar's private stem")[0]
    share_sets(classroom=other_classroom, user=other_teacher, sets=[oscar_set])
    public = make_questions(question_set=bank, count=1, prefix="Public stem")[0]
    [student] = make_students(1)
    enrol(classroom, student)
    enrol(other_classroom, student)
    submitted(user=student, exam=exam, answers=[(oscar_question, "B"), (public, "R")])
    return oscar_question, public


def test_another_instructor_s_set_is_left_out_of_the_class_analysis_with_its_key(
    client, classroom, teacher, two_classes
):
    oscar_question, public = two_classes
    report = classroom_report(classroom, user=teacher)
    assert [row.question_id for row in report.rows] == [public.pk]
    assert report.withheld == 1
    client.force_login(teacher)
    html = client.get(items_url(classroom)).content.decode()
    assert "Oscar" not in html  # neither the stem, nor the set's title
    assert "Public stem" in html and "Right choice" in html
    assert "1 question your students answered comes from sets shared with other classes" in html


def test_the_set_s_owner_sees_it_in_their_own_class_analysis(other_classroom, other_teacher, two_classes):
    oscar_question, public = two_classes
    report = classroom_report(other_classroom, user=other_teacher)
    assert {row.question_id for row in report.rows} == {oscar_question.pk, public.pk}
    assert report.withheld == 0
    row = row_for(report, oscar_question)
    assert [(c.text, c.correct) for c in row.choices][0] == ("Right choice", True)


def test_the_analysis_reads_the_key_and_texts_the_students_saw_not_the_edited_question(
    exam, classroom, teacher, set_questions
):
    students = make_students(5)
    enrol(classroom, *students)
    question = set_questions[0]
    for student in students:
        submitted(user=student, exam=exam, answers=[(question, "B")])
    # Edited afterwards: B becomes the key and gets a new text. The answers were graded against the old key.
    question.choices.update(is_correct=False)
    question.choices.filter(text_md="Wrong choice B").update(is_correct=True, text_md="Rewritten B")
    row = row_for(classroom_report(classroom, user=teacher), question)
    assert [(c.text, c.correct, c.count) for c in row.choices] == [
        ("Right choice", True, 0),
        ("Wrong choice B", False, 5),
        ("Wrong choice C", False, 0),
    ]
    assert [flag.code for flag in row.flags] == [ia.POPULAR_DISTRACTOR, ia.NOBODY_CORRECT]


def test_a_question_fixed_after_a_report_starts_fresh_statistics(exam, classroom, teacher, set_questions):
    students = make_students(6)
    enrol(classroom, *students)
    question = set_questions[0]
    for student in students[:5]:
        submitted(user=student, exam=exam, answers=[(question, "B")])
    # The key was wrong: B becomes the right choice, saved as an edit (a new version).
    question.choices.update(is_correct=False)
    question.choices.filter(text_md="Wrong choice B").update(is_correct=True, text_md="Rewritten B")
    refresh_question(question=question)
    row = row_for(classroom_report(classroom, user=teacher), question)
    assert (row.version, row.responses, row.earlier, row.flags) == (2, 0, 5, [])
    assert [(c.text, c.correct, c.count) for c in row.choices] == [
        ("Right choice", False, 0),
        ("Rewritten B", True, 0),
        ("Wrong choice C", False, 0),
    ]

    submitted(user=students[5], exam=exam, answers=[(question, "B")])  # the new version's slot counts
    row = row_for(classroom_report(classroom, user=teacher), question)
    assert (row.version, row.responses, row.earlier) == (2, 1, 5)
    assert [c.count for c in row.choices] == [0, 1, 0]
