"""Multiple response: its rules, reading a posted answer, order-insensitive grading, the card (pure)."""

import pytest
from django.http import QueryDict

from apps.questions import kinds
from apps.questions.data import ChoiceData, QuestionData
from apps.questions.kinds import InvalidResponse
from apps.questions.kinds.multiple_response import MIN_CHOICES

KIND = kinds.MULTIPLE_RESPONSE
SNAPSHOT = {
    "kind": "multiple_response",
    "stem_html": "<p>Which two?</p>",
    "choices": [
        {"id": 21, "html": "A", "correct": True, "rationale_html": ""},
        {"id": 22, "html": "B", "correct": False, "rationale_html": ""},
        {"id": 23, "html": "C", "correct": True, "rationale_html": ""},
        {"id": 24, "html": "D", "correct": False, "rationale_html": ""},
    ],
    "choose": 2,
}


def form(*pairs):
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, str(value))
    return data


def test_the_answer_is_the_sorted_ids_of_the_ticked_places():
    assert KIND.parse(SNAPSHOT, form(("choices", 3), ("choices", 1), ("choices", 3))) == {"choices": [21, 23]}


def test_nothing_ticked_is_no_answer():
    assert KIND.parse(SNAPSHOT, form()) is None


def test_a_place_not_on_the_screen_is_refused():
    with pytest.raises(InvalidResponse):
        KIND.parse(SNAPSHOT, form(("choices", 1), ("choices", 5)))


def test_grading_is_all_or_nothing_in_any_order():
    assert KIND.correct_response(SNAPSHOT) == {"choices": [21, 23]}
    assert KIND.is_correct(SNAPSHOT, {"choices": [23, 21]})
    assert not KIND.is_correct(SNAPSHOT, {"choices": [21]})
    assert not KIND.is_correct(SNAPSHOT, {"choices": [21, 22, 23]})
    assert not KIND.is_correct(SNAPSHOT, None)


def test_the_save_status_names_the_letters_on_the_screen():
    assert KIND.answer_summary(SNAPSHOT, {"choices": [23, 21]}) == "A, C"


def test_the_card_says_how_many_to_pick_only_when_the_stem_does_not():
    assert KIND.card(SNAPSHOT)["select"] == "(Select TWO.)"
    assert KIND.card({**SNAPSHOT, "stem_html": "<p>Which? (Choose TWO.)</p>"})["select"] == ""


def test_the_rules_use_the_named_limits():
    four = QuestionData(
        kind=KIND.code,
        stem="Which two? (Select TWO.)",
        choices=[ChoiceData("a", True), ChoiceData("b", True), ChoiceData("c"), ChoiceData("d")],
    )
    assert KIND.part_rules(four) == [
        (f"a multiple response question has at least {MIN_CHOICES} choices, not 4", True)
    ]
