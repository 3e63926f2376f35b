"""The New practice form offers the registered modes the exam allows and asks each mode what a request holds."""

from apps.exams.forms import NewPracticeForm
from apps.exams.models import Attempt
from apps.exams.modes import MODES


def test_the_form_offers_each_mode_with_its_policy(exam):
    form = NewPracticeForm(exam=exam)
    assert [mode for _radio, mode in form.mode_options()] == list(MODES.values())
    assert form.chosen_mode() is MODES["mock"]
    assert form.pilot_modes() == ["Full mock exam"]


def test_an_exam_without_a_published_clock_offers_no_mock(exam):
    exam.minutes = None
    form = NewPracticeForm(exam=exam)
    assert "mock" not in [mode.code for _radio, mode in form.mode_options()]
    assert form.chosen_mode() is MODES["custom"]


def test_the_request_keeps_only_what_the_chosen_mode_offers(exam):
    data = {"mode": "review", "domains": ["1"], "count": "5", "timed": "on", "feedback": "end", "pilot": "on"}
    form = NewPracticeForm(data, exam=exam)
    assert form.is_valid(), form.errors
    request = form.practice_request()
    assert (request.mode, request.domains, request.count, request.pilot) == ("review", [], 0, False)
    assert (request.timed, request.feedback) == (False, Attempt.Feedback.IMMEDIATE)


def test_a_mode_that_chooses_questions_needs_a_count(exam):
    form = NewPracticeForm({"mode": "custom", "feedback": "end"}, exam=exam)
    assert not form.is_valid()
    assert form.errors["count"] == ["Choose how many questions you want."]
