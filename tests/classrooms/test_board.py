"""The class dashboard and the CSV export: what they count, who is in them, and a bounded number of queries."""

import csv
import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.classrooms import board, services
from apps.classrooms.models import Membership
from apps.exams.services import submit_attempt
from tests.classrooms.test_services import make_assignment
from tests.progress.factories import answer_all, bulk_attempts, practise


def test_heatmap_cells_count_recent_answers_by_domain(member, classroom, questions, student, now):
    d1, d2 = questions[:10], questions[10:]
    practise(user=student, questions=d1[:4] + d2[:2], right=d1[:3] + d2[:2], now=now + timedelta(hours=1))
    practise(user=student, questions=d1[:4], right=d1[:4], now=now - timedelta(hours=1))  # before joining
    row = board.class_board(classroom, now=now + timedelta(days=1)).students[0]
    cell1, cell2 = row.cells
    assert (cell1.answers, cell1.correct, cell1.percent, cell1.band) == (4, 3, 75, "good")
    assert (cell2.answers, cell2.correct, cell2.percent, cell2.band) == (2, 2, 100, "high")
    assert not row.inactive


def test_the_heatmap_key_names_the_percents_of_each_colour_band_its_cells_use():
    assert board.heat_legend() == [
        ("low", "below 50%"),
        ("mid", "50–69%"),
        ("good", "70–84%"),
        ("high", "85% and over"),
    ]
    bands = {percent: board.Cell(100, percent).band for percent in (0, 49, 50, 69, 70, 84, 85, 100)}
    assert bands == {
        0: "low",
        49: "low",
        50: "mid",
        69: "mid",
        70: "good",
        84: "good",
        85: "high",
        100: "high",
    }
    assert board.Cell(0, 0).band == "none"


def test_old_answers_fall_out_of_the_heatmap_and_the_student_counts_as_inactive(
    member, classroom, questions, student, now
):
    practise(user=student, questions=questions[:3], right=questions[:3], now=now + timedelta(hours=1))
    later = now + timedelta(days=board.RECENT_DAYS + 1)
    result = board.class_board(classroom, now=later)
    assert [cell.answers for cell in result.students[0].cells] == [0, 0]
    assert [s.student for s in result.inactive] == [student]


def test_students_who_left_disappear(member, classroom, questions, student, other_student, now):
    services.join(student=other_student, code=classroom.join_code, now=now)
    services.leave(membership=member, now=now + timedelta(hours=1))
    assert [s.student for s in board.class_board(classroom, now=now).students] == [other_student]


def test_completion_and_average_best_score(member, classroom, questions, student, other_student, now):
    services.join(student=other_student, code=classroom.join_code, now=now)
    assignment = make_assignment(classroom, now, question_count=4, domains=[1], attempts_allowed=2)
    for score in (1, 3):  # the best of two attempts counts: 3 of 4
        attempt = services.start_assignment(student=student, assignment=assignment, now=now)
        slots = list(attempt.slots.all())
        answer_all(attempt, right=[s.question for s in slots[:score]], now=now)
        submit_attempt(attempt=attempt, now=now)
    row = board.class_board(classroom, now=now).assignments[0]
    assert (row.done, row.students, row.completion, row.average) == (1, 2, 50, 75.0)


def test_csv_has_a_row_per_student_per_assignment_with_domain_percentages(
    member, classroom, questions, student, other_student, now
):
    services.join(student=other_student, code=classroom.join_code, now=now)
    first = make_assignment(classroom, now, title="Week 1", question_count=4, domains=[1])
    make_assignment(classroom, now, title="=HYPERLINK(evil)", question_count=2)
    attempt = services.start_assignment(student=student, assignment=first, now=now)
    answer_all(attempt, right=[s.question for s in list(attempt.slots.all())[:2]], now=now)
    submit_attempt(attempt=attempt, now=now)
    rows = board.results_table(classroom, now=now)
    assert rows[0] == [
        "username",
        "name",
        "assignment",
        "status",
        "submitted late",
        "attempts used",
        "attempts allowed",
        "best score %",
        "domain 1 %",
        "domain 2 %",
    ]
    assert len(rows) == 1 + 2 * 2
    alice_week1 = next(r for r in rows if r[0] == student.username and r[2] == "Week 1")
    assert alice_week1[3:] == ["Done", "no", 1, 1, 50.0, 50, ""]
    bob_week1 = next(r for r in rows if r[0] == other_student.username and r[2] == "Week 1")
    assert bob_week1[3] == "To do" and bob_week1[7] == ""


def _board_queries(classroom, now):
    with CaptureQueriesContext(connection) as queries:
        board.class_board(classroom, now=now)
    return len(queries)


def _fill(classroom, exam, questions, students, attempts, now):
    User = get_user_model()
    users = User.objects.bulk_create(User(username=f"s{classroom.pk}-{i}") for i in range(students))
    Membership.objects.bulk_create(
        Membership(classroom=classroom, student=user, joined_at=now - timedelta(days=60)) for user in users
    )
    for user in users:
        bulk_attempts(user=user, exam=exam, questions=questions, count=attempts, now=now)
    for i in range(3):
        make_assignment(classroom, now, title=f"A{i}")


def test_dashboard_queries_do_not_grow_with_the_class(teacher, exam, questions, now):
    small = services.create_classroom(instructor=teacher, name="Small", exam=exam)
    big = services.create_classroom(instructor=teacher, name="Big", exam=exam)
    _fill(small, exam, questions[:5], students=2, attempts=1, now=now)
    _fill(big, exam, questions[:5], students=40, attempts=20, now=now)
    assert len(board.class_board(big, now=now).students) == 40
    assert _board_queries(big, now) == _board_queries(small, now) <= 6


def test_csv_view_escapes_formulas(client, teacher, classroom, member, now):
    make_assignment(classroom, now, title="=cmd|' /C calc'!A0")
    client.force_login(teacher)
    response = client.get(f"/classes/{classroom.pk}/results.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][2] == "'=cmd|' /C calc'!A0"


def test_dashboard_and_csv_pages_use_the_same_queries_for_2_and_40_students(
    client, teacher, exam, questions, now
):
    small = services.create_classroom(instructor=teacher, name="Small", exam=exam)
    big = services.create_classroom(instructor=teacher, name="Big", exam=exam)
    _fill(small, exam, questions[:5], students=2, attempts=1, now=now)
    _fill(big, exam, questions[:5], students=40, attempts=20, now=now)
    client.force_login(teacher)
    for suffix in ("", "results.csv"):
        counts = []
        for classroom in (small, big):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/classes/{classroom.pk}/{suffix}").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1] <= 14, suffix
