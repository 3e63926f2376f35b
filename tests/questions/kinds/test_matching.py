"""Matching: reading posted matches by place, grading every pair, the review and the card (pure)."""

import random

import pytest
from django.http import QueryDict

from apps.questions import kinds
from apps.questions.data import PairData, QuestionData
from apps.questions.kinds import InvalidResponse
from apps.questions.kinds.matching import MAX_PROMPTS, MIN_PROMPTS

KIND = kinds.MATCHING
SNAPSHOT = {  # prompt 1 -> response 41, 2 -> 42, 3 -> 43; 44 is a distractor; responses shown in this order
    "kind": "matching",
    "prompts": [
        {"id": 1, "html": "P1", "answer": 41},
        {"id": 2, "html": "P2", "answer": 42},
        {"id": 3, "html": "P3", "answer": 43},
    ],
    "responses": [
        {"id": 41, "html": "R1"},
        {"id": 42, "html": "R2"},
        {"id": 43, "html": "R3"},
        {"id": 44, "html": "R4"},
    ],
}


def form(*pairs):
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, str(value))
    return data


def test_each_match_is_the_id_of_the_response_at_the_posted_place():
    posted = form(("match-1", 1), ("match-2", 4), ("match-3", ""))
    assert KIND.parse(SNAPSHOT, posted) == {"matches": {"1": 41, "2": 44}}


def test_no_match_is_no_answer():
    assert KIND.parse(SNAPSHOT, form(("match-1", ""))) is None


@pytest.mark.parametrize("value", [0, 5, 41, "x"])
def test_a_response_not_on_the_screen_is_refused(value):
    with pytest.raises(InvalidResponse):
        KIND.parse(SNAPSHOT, form(("match-1", value)))


def test_every_pair_must_be_right():
    assert KIND.correct_response(SNAPSHOT) == {"matches": {"1": 41, "2": 42, "3": 43}}
    assert KIND.is_correct(SNAPSHOT, {"matches": {"1": 41, "2": 42, "3": 43}})
    assert not KIND.is_correct(SNAPSHOT, {"matches": {"1": 41, "2": 42}})


def test_the_review_shows_each_pair_with_the_students_match():
    pairs = KIND.review(SNAPSHOT, {"matches": {"1": 41, "2": 44}})["pairs"]
    assert [(p["yours"], p["right"], p["ok"]) for p in pairs] == [
        ("R1", "R1", True),
        ("R4", "R2", False),
        (None, "R3", False),
    ]


def test_the_save_status_counts_the_matches():
    assert KIND.answer_summary(SNAPSHOT, {"matches": {"1": 41}}) == "1 of 3 matched"


def test_the_card_lists_prompts_responses_and_the_pairs():
    card = KIND.card(SNAPSHOT)
    assert card["answer"] == ["P1 → R1", "P2 → R2", "P3 → R3"]
    assert card["responses"] == ["R1", "R2", "R3", "R4"]


def test_layout_shuffles_the_prompts_and_arranged_numbers_them_by_place():
    content = {"prompts": [{"id": pk, "html": f"P{pk}", "answer": pk} for pk in (7, 8, 9)], "responses": []}
    layout = KIND.layout(content, random.Random(3))
    arranged = KIND.arranged(content, layout)
    assert [p["answer"] for p in arranged["prompts"]] == layout
    assert [p["id"] for p in arranged["prompts"]] == [1, 2, 3]


def test_the_rules_use_the_named_limits():
    two = QuestionData(
        kind=KIND.code, stem="Match", pairs=[PairData("a", "1"), PairData("b", "2"), PairData("", "3")]
    )
    assert KIND.part_rules(two) == [
        (f"a matching question has {MIN_PROMPTS} to {MAX_PROMPTS} prompts, not 2", True)
    ]
