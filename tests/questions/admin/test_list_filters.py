"""The question list's filters and marks: needs a task statement, objective, guide review, open reports."""

import pytest

from apps.questions.models import ProblemReport
from apps.questions.services import report_problem
from tests.factories import make_question
from tests.questions.admin.helpers import listed, soup_of, url


def test_the_needs_task_statement_filter_lists_only_questions_without_one(
    as_instructor, own_set, own_question
):
    loose = make_question(
        question_set=own_set, stem="Which task is this for?", status="draft", task_statement=""
    )
    assert listed(as_instructor.get(url("question_changelist"), {"needs": "task"})) == [loose]
    assert set(listed(as_instructor.get(url("question_changelist")))) == {own_question, loose}


def test_the_objective_filter_lists_the_questions_naming_that_objective(
    as_instructor, exam, own_set, own_question
):
    exam.task_statements.filter(number="1.1").update(objectives=["Store widgets", "Count widgets"])
    exam.task_statements.filter(number="1.2").update(objectives=[f"Objective {n}" for n in range(1, 11)])
    counting = make_question(question_set=own_set, stem="How are widgets counted?", objectives=["1.1.2"])
    both = make_question(question_set=own_set, stem="Count and store?", objectives=["1.1.1", "1.1.2"])
    tenth = make_question(question_set=own_set, stem="The tenth one?", objectives=["1.2.10"])
    response = as_instructor.get(url("question_changelist"), {"objective": "TST-C01:1.1.2"})
    assert set(listed(response)) == {counting, both}
    assert listed(as_instructor.get(url("question_changelist"), {"objective": "TST-C01:1.2.1"})) == []
    assert listed(as_instructor.get(url("question_changelist"), {"objective": "TST-C01:1.2.10"})) == [tenth]
    assert listed(as_instructor.get(url("question_changelist"), {"objective": "OTH-C01:1.1.2"})) == []
    choices = [
        choice["display"] for choice in response.context["cl"].filter_specs[3].choices(response.context["cl"])
    ]
    assert "TST-C01 1.1.2 Count widgets" in choices


@pytest.mark.parametrize("value", ["abc", "TST-C01:1.1", "1.1.2", "TST-C01:1.1.2'--", "x" * 500])
def test_a_garbage_objective_filter_lists_nothing_and_does_not_fail(as_instructor, own_question, value):
    assert listed(as_instructor.get(url("question_changelist"), {"objective": value})) == []


def test_the_objective_filter_offers_only_the_chosen_exams_objectives(
    as_instructor, exam, other_exam, own_question
):
    exam.task_statements.filter(number="1.1").update(objectives=["Store widgets"])
    other_exam.task_statements.update(objectives=["Other thing"])
    response = as_instructor.get(url("question_changelist"), {"exam": "TST-C01"})
    choices = [
        choice["display"] for choice in response.context["cl"].filter_specs[3].choices(response.context["cl"])
    ]
    assert "TST-C01 1.1.1 Store widgets" in choices and "OTH-C01 1.1.1 Other thing" not in choices


def test_the_guide_review_filter_lists_only_questions_written_for_another_guide_version(
    as_instructor, own_set, own_question
):
    older = make_question(question_set=own_set, stem="Written for the old guide?", guide_version="1.0")
    unknown = make_question(question_set=own_set, stem="Written for which guide?", guide_version="")
    flagged = listed(as_instructor.get(url("question_changelist"), {"needs": "guide"}))
    assert set(flagged) == {older, unknown}


def test_the_question_list_marks_questions_written_for_an_older_guide(as_instructor, own_set, own_question):
    make_question(question_set=own_set, stem="Written for the old guide?", guide_version="1.0")
    soup = soup_of(as_instructor.get(url("question_changelist"), {"o": "1"}))
    marks = {
        row.select_one("th.field-short_stem").get_text(): row.select_one("td.field-guide_ok img")["alt"]
        for row in soup.select("#result_list tbody tr")
    }
    assert marks == {
        "Irene asks: which service stores objects?": "True",
        "Written for the old guide?": "False",
    }


def test_the_open_reports_filter_lists_only_questions_with_unresolved_reports(
    as_instructor, own_set, own_question, student
):
    reported = make_question(question_set=own_set, stem="A reported question?")
    for _ in range(2):
        report_problem(question=reported, user=student, category="typo", text="A typo in the stem.")
    report_problem(question=own_question, user=student, category="typo", text="Fixed already.")
    ProblemReport.objects.filter(question=own_question).update(resolved=True)
    assert listed(as_instructor.get(url("question_changelist"), {"needs": "reports"})) == [reported]


@pytest.mark.parametrize("value", ["abc", "²", "①", "-1", "9" * 12])
def test_a_garbage_domain_filter_does_not_fail(as_instructor, own_question, value):
    response = as_instructor.get(url("question_changelist"), {"domain": value})
    assert response.status_code in (200, 302)  # the admin's "invalid filter" redirect
