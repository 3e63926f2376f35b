"""The question rules (apps/questions/validation.py), per kind, checked on plain data without the database."""

import pytest

from apps.questions.data import ChoiceData, PairData
from apps.questions.validation import question_errors
from apps.questions.wording import stated_choice_count
from tests.factories import make_question_data

KINDS = ["multiple_choice", "multiple_response", "ordering", "matching"]


def errors(*, task_numbers=None, **fields):
    return question_errors(make_question_data(**fields), task_numbers=task_numbers)


def choices(*texts, correct=(0,)):
    return [ChoiceData(text, correct=i in correct, rationale="Why.") for i, text in enumerate(texts)]


def pairs(count, *, distractors=()):
    made = [PairData(f"Prompt {n}", f"Response {n}") for n in range(1, count + 1)]
    return made + [PairData("", text) for text in distractors]


@pytest.mark.parametrize("kind", KINDS)
def test_a_well_formed_question_of_each_kind_breaks_no_rule(kind):
    assert errors(kind=kind) == []


def test_an_unknown_kind_is_the_only_error_reported():
    assert errors(kind="essay", stem="") == [
        "kind must be one of multiple_choice, multiple_response, ordering, matching, not 'essay'"
    ]


@pytest.mark.parametrize("stem", ["", "   \n  "])
def test_an_empty_stem_is_refused(stem):
    assert errors(stem=stem) == ["the stem is empty"]


# ------------------------------------------------------------------------------------------ multiple choice
@pytest.mark.parametrize("count", [3, 5])
def test_a_multiple_choice_question_has_exactly_four_choices(count):
    texts = [f"Option {n}" for n in range(count)]
    assert errors(choices=choices(*texts)) == [
        f"a multiple choice question has exactly 4 choices, not {count}"
    ]


@pytest.mark.parametrize("correct", [(), (0, 1)])
def test_a_multiple_choice_question_has_exactly_one_correct_choice(correct):
    assert errors(choices=choices("A", "B", "C", "D", correct=correct)) == [
        f"a multiple choice question has exactly 1 correct choice, not {len(correct)}"
    ]


@pytest.mark.parametrize("texts", [("True", "False"), ("false", "TRUE"), (" True ", "false")])
def test_a_true_false_question_may_keep_its_two_choices(texts):
    assert errors(choices=choices(*texts)) == []


def test_two_choices_other_than_true_and_false_are_refused():
    assert errors(choices=choices("Yes", "No")) == ["a multiple choice question has exactly 4 choices, not 2"]


def test_a_true_false_question_still_has_exactly_one_correct_choice():
    assert errors(choices=choices("True", "False", correct=(0, 1))) == [
        "a multiple choice question has exactly 1 correct choice, not 2"
    ]


def test_a_choice_without_text_is_refused():
    assert "every choice needs a text" in errors(choices=choices("A", "B", "  ", "D"))


# ---------------------------------------------------------------------------------------- multiple response
def test_a_multiple_response_question_has_at_least_five_choices():
    problems = errors(kind="multiple_response", choices=choices("A", "B", "C", "D", correct=(0, 1)))
    assert problems == ["a multiple response question has at least 5 choices, not 4"]


def test_a_multiple_response_question_may_have_more_than_five_choices():
    texts = ("A", "B", "C", "D", "E", "F", "G")
    assert errors(kind="multiple_response", choices=choices(*texts, correct=(0, 6))) == []


def test_a_multiple_response_question_has_at_least_two_correct_choices():
    problems = errors(
        kind="multiple_response", stem="Pick one.", choices=choices("A", "B", "C", "D", "E", correct=(0,))
    )
    assert "a multiple response question has at least 2 correct choices, not 1" in problems


def test_a_multiple_response_question_has_fewer_correct_choices_than_choices():
    problems = errors(
        kind="multiple_response",
        stem="Which are right? (Choose FIVE.)",
        choices=choices("A", "B", "C", "D", "E", correct=range(5)),
    )
    assert problems == ["a multiple response question needs at least one wrong choice"]


def test_a_multiple_response_stem_must_say_how_many_to_choose():
    problems = errors(kind="multiple_response", stem="Which services store data?")
    assert problems == ["the stem must say how many answers to choose, e.g. “(Select TWO.)”"]


def test_the_number_to_choose_must_match_the_correct_choices():
    problems = errors(kind="multiple_response", stem="Which services store data? (Choose THREE.)")
    assert problems == ["the stem says to choose 3 but 2 choices are marked correct"]


@pytest.mark.parametrize(
    ("stem", "count"),
    [
        ("Which apply? (Choose TWO.)", 2),
        ("Which apply? (Select TWO.)", 2),
        ("Which apply? select 3", 3),
        ("Which apply? choose two", 2),
        ("Which apply? (Choose 3.)", 3),
        ("Which apply?\n(Choose\nFOUR.)", 4),
        ("Which apply? (Choose FIVE.)", 5),
        ("Which apply?", None),
        ("Which apply? (Choose ONE.)", None),
        ("Which apply? (Choose TWENTY.)", None),
    ],
)
def test_the_stated_choice_count_is_read_from_the_stem(stem, count):
    assert stated_choice_count(stem) == count


def test_a_stated_count_in_words_or_digits_is_accepted_when_it_matches():
    question = dict(
        kind="multiple_response", choices=choices("A", "B", "C", "D", "E", "F", correct=(0, 2, 4))
    )
    assert errors(stem="Which three? (Choose THREE.)", **question) == []
    assert errors(stem="Which three? (choose 3)", **question) == []


# -------------------------------------------------------------------------------------------------- ordering
@pytest.mark.parametrize("count", [2, 6])
def test_an_ordering_question_has_three_to_five_items(count):
    items = [f"Step {n}" for n in range(count)]
    assert errors(kind="ordering", items=items) == [f"an ordering question has 3 to 5 items, not {count}"]


@pytest.mark.parametrize("count", [3, 4, 5])
def test_three_four_or_five_ordering_items_are_accepted(count):
    assert errors(kind="ordering", items=[f"Step {n}" for n in range(count)]) == []


def test_an_ordering_item_without_text_is_refused():
    assert errors(kind="ordering", items=["One", " ", "Three"]) == ["every ordering item needs a text"]


# -------------------------------------------------------------------------------------------------- matching
@pytest.mark.parametrize("count", [2, 8])
def test_a_matching_question_has_three_to_seven_prompts(count):
    assert errors(kind="matching", pairs=pairs(count)) == [
        f"a matching question has 3 to 7 prompts, not {count}"
    ]


@pytest.mark.parametrize("count", [3, 7])
def test_three_to_seven_matching_prompts_are_accepted(count):
    assert errors(kind="matching", pairs=pairs(count)) == []


def test_distractor_responses_are_allowed_and_are_not_prompts():
    assert errors(kind="matching", pairs=pairs(3, distractors=["Extra 1", "Extra 2"])) == []
    assert errors(kind="matching", pairs=pairs(2, distractors=["Extra 1", "Extra 2"])) == [
        "a matching question has 3 to 7 prompts, not 2"
    ]


def test_a_prompt_without_a_response_is_refused():
    broken = [*pairs(3), PairData("Prompt 4", " ")]
    assert errors(kind="matching", pairs=broken) == [
        "every prompt needs a response (a distractor is a response without a prompt)"
    ]


def test_a_distractor_may_not_repeat_a_correct_response():
    problems = errors(kind="matching", pairs=pairs(3, distractors=["response 1"]))
    assert problems == ["the response “response 1” appears twice; each prompt has its own response"]


# ----------------------------------------------------------------------------------------- unique texts
def test_choice_texts_are_unique_ignoring_case_and_spaces():
    problems = errors(choices=choices("Amazon S3", "Amazon EBS", "  amazon   S3 ", "AWS Lambda"))
    assert problems == ["the choice “amazon   S3” appears twice"]


def test_multiple_response_choice_texts_are_unique_too():
    problems = errors(kind="multiple_response", choices=choices("A", "B", "C", "D", "b", correct=(0, 1)))
    assert problems == ["the choice “b” appears twice"]


def test_ordering_items_are_unique_ignoring_case_and_spaces():
    problems = errors(kind="ordering", items=["Train the model.", "Deploy it.", "TRAIN  the model."])
    assert problems == ["the item “TRAIN  the model.” appears twice"]


def test_matching_prompts_are_unique_ignoring_case_and_spaces():
    broken = [*pairs(3), PairData(" prompt\t1", "Response 4")]
    assert errors(kind="matching", pairs=broken) == ["the prompt “prompt\t1” appears twice"]


def test_matching_responses_are_unique_ignoring_case_and_spaces():
    broken = [*pairs(3), PairData("Prompt 4", "RESPONSE 2")]
    assert errors(kind="matching", pairs=broken) == [
        "the response “RESPONSE 2” appears twice; each prompt has its own response"
    ]


# ------------------------------------------------------------------------------- parts of another kind
@pytest.mark.parametrize(
    ("kind", "parts", "message"),
    [
        ("ordering", {"choices": choices("A")}, "ordering question has no answer choices; remove them"),
        ("matching", {"items": ["A"]}, "matching question has no ordering items; remove them"),
        (
            "multiple_choice",
            {"pairs": pairs(1)},
            "multiple choice question has no matching pairs; remove them",
        ),
    ],
)
def test_parts_of_another_kind_are_refused(kind, parts, message):
    assert any(problem.endswith(message) for problem in errors(kind=kind, **parts))


# ----------------------------------------------------------------------------------------------- publishing
@pytest.mark.parametrize("explanation", ["", "  \n "])
def test_a_published_question_needs_an_explanation(explanation):
    assert errors(explanation=explanation) == ["a published question needs an explanation"]


def test_a_published_question_needs_a_task_statement():
    assert errors(task_statement="") == ["a published question needs a task statement"]


@pytest.mark.parametrize("status", ["draft", "retired"])
def test_a_draft_or_retired_question_needs_neither_explanation_nor_task_statement(status):
    assert errors(status=status, explanation="", task_statement="") == []


def test_an_unknown_status_is_refused():
    assert errors(status="live") == ["status must be one of draft, published, retired, not 'live'"]


# ----------------------------------------------------------------------------------------------- difficulty
@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_difficulty_one_to_three_is_accepted(difficulty):
    assert errors(difficulty=difficulty) == []


@pytest.mark.parametrize("difficulty", [0, 4, "2", 2.0, None, True])
def test_any_other_difficulty_is_refused(difficulty):
    assert errors(difficulty=difficulty) == [f"difficulty must be 1, 2 or 3, not {difficulty!r}"]


# ------------------------------------------------------------------------------------------ task statement
def test_a_task_statement_of_another_exam_is_refused():
    problems = errors(task_statement="4.2", task_numbers={"1.1", "1.2", "2.1"})
    assert problems == ["task statement '4.2' is not part of this exam"]


def test_a_task_statement_of_the_exam_is_accepted():
    assert errors(task_statement="2.1", task_numbers={"1.1", "1.2", "2.1"}) == []


def test_the_task_statement_is_not_checked_when_the_exam_is_unknown():
    assert errors(task_statement="4.2", task_numbers=None) == []
