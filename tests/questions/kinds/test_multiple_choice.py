"""Multiple choice: its rules, reading a posted answer, grading, and what the review and the card show (pure)."""

import random

import pytest
from django.http import QueryDict

from apps.questions import kinds
from apps.questions.data import ChoiceData, QuestionData
from apps.questions.kinds import InvalidResponse
from apps.questions.kinds.multiple_choice import CHOICES

KIND = kinds.MULTIPLE_CHOICE
# As a slot stores it, shown in this order: the page posts places (1, 2, 3); the answer holds the choice ids.
SNAPSHOT = {
    "kind": "multiple_choice",
    "stem_html": "<p>Which?</p>",
    "choices": [
        {"id": 11, "html": "S3", "correct": False, "rationale_html": "Object storage."},
        {"id": 12, "html": "EBS &amp; co", "correct": True, "rationale_html": "Block storage."},
        {"id": 13, "html": "RDS", "correct": False, "rationale_html": ""},
    ],
    "choose": 1,
}


def form(*pairs):
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, str(value))
    return data


def test_the_answer_is_the_id_of_the_choice_at_the_posted_place():
    assert KIND.parse(SNAPSHOT, form(("choice", 2))) == {"choice": 12}


def test_no_choice_is_no_answer():
    assert KIND.parse(SNAPSHOT, form(("choice", ""))) is None


def test_two_choices_are_refused():
    with pytest.raises(InvalidResponse, match="takes one answer"):
        KIND.parse(SNAPSHOT, form(("choice", 1), ("choice", 2)))


@pytest.mark.parametrize("value", [0, 4, 12, "x", "9" * 20])
def test_a_place_not_on_the_screen_is_refused(value):
    with pytest.raises(InvalidResponse):
        KIND.parse(SNAPSHOT, form(("choice", value)))


def test_normalizing_keeps_the_parsed_answer():
    assert KIND.normalize(SNAPSHOT, {"choice": 12}, previous=None, deliberate=False) == {"choice": 12}


def test_only_the_correct_choice_is_right():
    assert KIND.correct_response(SNAPSHOT) == {"choice": 12}
    assert KIND.is_correct(SNAPSHOT, {"choice": 12})
    assert not KIND.is_correct(SNAPSHOT, {"choice": 11})
    assert not KIND.is_correct(SNAPSHOT, None)


def test_the_review_marks_the_chosen_and_the_correct_choice():
    rows = KIND.review(SNAPSHOT, {"choice": 11})["choices"]
    assert [(c["id"], c["chosen"], c["correct"]) for c in rows] == [
        (11, True, False),
        (12, False, True),
        (13, False, False),
    ]


def test_the_save_status_names_the_letter_on_the_screen():
    assert KIND.answer_summary(SNAPSHOT, {"choice": 12}) == "B"


def test_the_card_lists_the_choices_as_text_and_the_answer():
    card = KIND.card(SNAPSHOT)
    assert card["choices"] == ["A. S3", "B. EBS & co", "C. RDS"]
    assert card["answer"] == ["B. EBS & co"]


def test_the_rules_use_the_named_limits():
    three = QuestionData(
        kind=KIND.code, stem="Which?", choices=[ChoiceData("a", True), ChoiceData("b"), ChoiceData("c")]
    )
    assert (f"a multiple choice question has exactly {CHOICES} choices, not 3", True) in KIND.part_rules(
        three
    )
    true_false = QuestionData(
        kind=KIND.code, stem="True?", choices=[ChoiceData("True", True), ChoiceData("False")]
    )
    assert KIND.part_rules(true_false) == []


def test_layout_shuffles_the_choice_ids_and_arranged_follows_it():
    content = {"choices": SNAPSHOT["choices"], "choose": 1}
    layout = KIND.layout(content, random.Random("seed"))
    assert sorted(layout) == [11, 12, 13]
    assert [c["id"] for c in KIND.arranged(content, layout)["choices"]] == layout
    assert KIND.arranged(content, layout)["choose"] == 1
