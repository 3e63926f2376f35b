"""Problem reports in the admin: each instructor sees and resolves only the reports on their own sets."""

import pytest

from apps.questions.services import report_problem
from tests.questions.admin.helpers import (
    assert_refused,
    listed,
    management_form,
    messages_of,
    url,
)


@pytest.fixture
def reports(own_question, others_question, student):
    own = report_problem(question=own_question, user=student, category="typo", text="Irene's typo here.")
    other = report_problem(
        question=others_question, user=student, category="unclear", text="Oscar's unclear."
    )
    return own, other


def list_edit_post(*reports):
    """The problem report list's own form: a `resolved` checkbox per row, saved with one button."""
    data = {**management_form("form", len(reports), initial=len(reports)), "_save": "Save"}
    for i, report in enumerate(reports):
        data |= {f"form-{i}-id": report.pk, f"form-{i}-resolved": "on"}
    return data


def test_problem_reports_are_listed_only_for_the_owner_of_the_set(as_instructor, reports):
    own, _ = reports
    response = as_instructor.get(url("problemreport_changelist"))
    assert listed(response) == [own]
    assert "Oscar&#x27;s unclear." not in response.text


def test_the_superuser_sees_every_problem_report(as_superuser, reports):
    assert set(listed(as_superuser.get(url("problemreport_changelist")))) == set(reports)


def test_an_instructor_cannot_open_another_instructors_problem_report(as_instructor, reports):
    _, other = reports
    assert_refused(as_instructor.get(url("problemreport_change", other.pk)))


def test_mark_resolved_resolves_only_own_reports(as_instructor, reports):
    own, other = reports
    data = {"action": "mark_resolved", "index": "0", "_selected_action": [own.pk, other.pk]}
    response = as_instructor.post(url("problemreport_changelist"), data)
    assert messages_of(response) == ["1 report(s) resolved."]
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.resolved, other.resolved) == (True, False)


def test_instructors_cannot_add_problem_reports_in_the_admin(as_instructor, reports):
    assert as_instructor.get(url("problemreport_add")).status_code == 403


def test_ticking_resolved_in_the_report_list_saves_it(as_instructor, reports):
    own, _ = reports
    response = as_instructor.post(url("problemreport_changelist"), list_edit_post(own))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.resolved is True


def test_ticking_resolved_on_another_instructors_report_in_the_list_changes_nothing(as_instructor, reports):
    _, other = reports
    as_instructor.post(url("problemreport_changelist"), list_edit_post(other))
    other.refresh_from_db()
    assert other.resolved is False
