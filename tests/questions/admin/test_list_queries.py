"""The admin lists make as many queries for thousands of rows as for a few."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.questions.models import ProblemReport, Question
from apps.questions.services import report_problem
from tests.factories import make_exam, make_question_set
from tests.questions.admin.helpers import (
    url,
)

BIG_EXAM_TASKS = [
    (1, "Data", 50, [f"1.{n}" for n in range(1, 11)]),
    (2, "Models", 50, [f"2.{n}" for n in range(1, 11)]),
]


def add_questions(sets, count, tasks):
    """Many bare questions, spread over the sets and task statements given (bulk_create: no parts)."""
    Question.objects.bulk_create(
        Question(
            question_set=sets[i % len(sets)],
            kind="multiple_choice",
            stem_md=f"Bulk question number {i}?",
            task_statement=tasks[i % len(tasks)],
            status="published",
            guide_version="2.0",
        )
        for i in range(count)
    )


def repeated(queries):
    """The queries made more than once: what an N+1 looks like."""
    return "\n".join(f"{n} × {sql[:200]}" for sql, n in Counter(queries).most_common() if n > 1)


def changelist_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("who", ["instructor", "admin"])
def test_the_question_list_makes_as_many_queries_for_5000_questions_as_for_10(client, instructor, admin, who):
    exam = make_exam(code="BIG-C01", guide_version="2.0", domains=BIG_EXAM_TASKS)
    tasks = list(exam.task_statements.all())
    sets = [
        make_question_set(exam=exam, slug=f"big-{n}", title=f"Big {n}", owner=instructor) for n in range(3)
    ]
    client.force_login(instructor if who == "instructor" else admin)

    add_questions(sets[:1], 10, tasks[:10])
    small = changelist_queries(client, url("question_changelist"))
    add_questions(sets, 4990, tasks)
    assert Question.objects.count() == 5000
    large = changelist_queries(client, url("question_changelist"))

    assert len(large) == len(small), repeated(large)


def test_the_question_set_list_makes_as_many_queries_for_40_sets_as_for_2(as_superuser, instructor, exam):
    def add_sets(first, count):
        for n in range(first, first + count):
            question_set = make_question_set(exam=exam, slug=f"set-{n}", title=f"Set {n}", owner=instructor)
            add_questions([question_set], 3, list(exam.task_statements.all()))

    add_sets(0, 2)
    small = changelist_queries(as_superuser, url("questionset_changelist"))
    add_sets(2, 38)
    large = changelist_queries(as_superuser, url("questionset_changelist"))
    assert len(large) == len(small), repeated(large)


def test_the_problem_report_list_makes_as_many_queries_for_150_reports_as_for_3(
    as_instructor, own_set, student
):
    def add_reports(count):
        add_questions([own_set], count, list(own_set.exam.task_statements.all()))
        for question in own_set.questions.filter(reports__isnull=True):
            report_problem(question=question, user=student, category="typo", text="A typo somewhere.")

    add_reports(3)
    small = changelist_queries(as_instructor, url("problemreport_changelist"))
    add_reports(147)
    assert ProblemReport.objects.count() == 150
    large = changelist_queries(as_instructor, url("problemreport_changelist"))
    assert len(large) == len(small), repeated(large)
