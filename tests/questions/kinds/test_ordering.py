"""Ordering: reading the posted order and the move buttons, "the order as first shown is no answer", grading, and
the layout that never shows the answer (pure)."""

import random

import pytest
from django.http import QueryDict

from apps.questions import kinds
from apps.questions.data import QuestionData
from apps.questions.kinds import InvalidResponse
from apps.questions.kinds.ordering import MAX_ITEMS, MIN_ITEMS, apply_move

KIND = kinds.ORDERING
SNAPSHOT = {  # shown as 2, 3, 1 (ids are places on the screen); the correct order is place 3, 1, 2
    "kind": "ordering",
    "items": [
        {"id": 1, "html": "two", "position": 2},
        {"id": 2, "html": "three", "position": 3},
        {"id": 3, "html": "one", "position": 1},
    ],
}


def form(*pairs):
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, str(value))
    return data


def test_the_answer_is_the_posted_order():
    assert KIND.parse(SNAPSHOT, form(("order", 3), ("order", 1), ("order", 2))) == {"order": [3, 1, 2]}


def test_a_move_button_is_applied_to_the_posted_order():
    posted = form(("order", 1), ("order", 2), ("order", 3), ("move", "3:up"))
    assert KIND.parse(SNAPSHOT, posted) == {"order": [1, 3, 2]}


@pytest.mark.parametrize("order", [[1, 2], [1, 2, 2], [1, 2, 4]])
def test_an_order_that_does_not_list_every_item_once_is_refused(order):
    with pytest.raises(InvalidResponse):
        KIND.parse(SNAPSHOT, form(*[("order", pk) for pk in order]))


@pytest.mark.parametrize("move", ["9:up", "1:sideways", "x:up"])
def test_a_move_that_does_not_fit_is_refused(move):
    with pytest.raises(InvalidResponse):
        apply_move([1, 2, 3], move)


def test_the_order_as_first_shown_is_no_answer_until_the_student_touches_it():
    shown = {"order": [1, 2, 3]}
    assert KIND.normalize(SNAPSHOT, shown, previous=None, deliberate=False) is None
    # "Save this order" or a move (deliberate), or an answer already stored make it an answer.
    assert KIND.normalize(SNAPSHOT, shown, previous=None, deliberate=True) == shown
    assert KIND.normalize(SNAPSHOT, shown, previous=None, deliberate=True) == shown
    assert KIND.normalize(SNAPSHOT, shown, previous={"order": [2, 1, 3]}, deliberate=False) == shown
    assert KIND.normalize(SNAPSHOT, {"order": [3, 1, 2]}, previous=None, deliberate=False) == {
        "order": [3, 1, 2]
    }


def test_only_the_whole_correct_order_is_right():
    assert KIND.correct_response(SNAPSHOT) == {"order": [3, 1, 2]}
    assert KIND.is_correct(SNAPSHOT, {"order": [3, 1, 2]})
    assert not KIND.is_correct(SNAPSHOT, {"order": [1, 3, 2]})


def test_the_review_shows_both_orders():
    review = KIND.review(SNAPSHOT, {"order": [1, 2, 3]})
    assert review == {"your_order": ["two", "three", "one"], "right_order": ["one", "two", "three"]}


def test_the_card_lists_the_items_shuffled_and_the_answer_in_order():
    assert KIND.card(SNAPSHOT) == {"items": ["two", "three", "one"], "answer": ["one", "two", "three"]}


@pytest.mark.parametrize("seed", range(30))
def test_the_layout_is_never_the_correct_order(seed):
    content = {"items": [{"id": n, "html": f"item {n}", "position": n} for n in (1, 2, 3)]}
    layout = KIND.layout(content, random.Random(seed))
    assert sorted(layout) == [1, 2, 3]
    assert layout != [1, 2, 3]
    arranged = KIND.arranged(content, layout)["items"]
    assert [item["id"] for item in arranged] == [1, 2, 3]  # named by place on the screen
    assert [item["position"] for item in arranged] == layout


def test_the_rules_use_the_named_limits():
    two = QuestionData(kind=KIND.code, stem="Order", items=["a", "b"])
    assert KIND.part_rules(two) == [
        (f"an ordering question has {MIN_ITEMS} to {MAX_ITEMS} items, not 2", True)
    ]
