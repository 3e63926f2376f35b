"""The modes registry: every mode is found by its code, an unknown one is an error, and the lists of modes
(model choices, assignable modes, readiness weights) are built from it."""

from pathlib import Path

import pytest
from django.conf import settings

from apps.classrooms.models import Assignment
from apps.exams import modes
from apps.exams.models import Attempt
from apps.exams.modes.mock import DEFAULT_MOCK_QUESTIONS
from apps.progress import readiness


def test_each_mode_is_found_by_its_code():
    assert [mode.code for mode in modes.all_modes()] == ["mock", "custom", "retry", "review"]
    for mode in modes.all_modes():
        assert modes.get(mode.code) is mode


def test_an_unknown_mode_is_an_error_never_a_default():
    with pytest.raises(modes.UnknownMode, match="'exam'"):
        modes.get("exam")
    with pytest.raises(modes.UnknownMode):
        Attempt(mode="exam").asks_confidence  # noqa: B018 - the property is the thing under test


def test_the_codes_named_on_the_attempt_are_the_registered_ones():
    assert {str(code) for code in Attempt.Mode} == set(modes.codes())


def test_the_model_choices_and_labels_come_from_the_registry():
    assert list(Attempt._meta.get_field("mode").choices) == modes.choices()
    assert Attempt(mode="retry").get_mode_display() == "Retry mistakes"
    assert list(Assignment._meta.get_field("mode").choices) == [
        ("mock", "Full mock exam"),
        ("custom", "Custom practice"),
    ]


def test_only_modes_with_a_fair_sample_of_the_bank_are_representative():
    assert modes.representative_codes() == ["mock", "custom"]


def test_the_readiness_weights_are_the_modes_own():
    assert readiness.MODE_WEIGHTS == {"mock": 1.0, "custom": 0.8, "retry": 0.6, "review": 0.5}


def test_every_mode_has_its_help_template():
    templates = Path(settings.BASE_DIR) / "templates"
    for mode in modes.all_modes():
        assert (templates / mode.help_template).is_file(), mode.code


def test_the_practice_page_of_the_docs_states_the_modes_limits():
    text = (Path(settings.BASE_DIR) / "docs" / "practice.md").read_text()
    rows = {line.split("|")[1].strip(" *"): line for line in text.splitlines() if line.startswith("| **")}
    assert f"up to {modes.get('custom').max_questions})" in rows["Custom practice"]
    assert f"up to {modes.get('retry').max_questions} at a time" in rows["Retry mistakes"]
    assert f"up to {modes.get('review').max_questions} at a time" in rows["Spaced review"]
    assert (
        f"{DEFAULT_MOCK_QUESTIONS} questions for an exam without a published format" in rows["Full mock exam"]
    )
