"""Reading answers, all-or-nothing grading and the scaled-score estimate (pure: no database)."""

import pytest
from django.http import QueryDict

from apps.exams.scoring import (
    InvalidResponse,
    competency,
    correct_response,
    cut_percent,
    cut_share,
    estimate,
    is_correct,
    parse_response,
    to_scale,
    wilson_interval,
)
from apps.questions.kinds import UnknownKind
from apps.questions.kinds.ordering import apply_move

# Snapshots as the exam stores them, shown in the order of the lists. The page posts the place of a choice or
# matching response on the screen (1, 2, 3 …); the stored answer holds its snapshot id.
MC = {
    "kind": "multiple_choice",
    "choices": [{"id": 11, "correct": False}, {"id": 12, "correct": True}, {"id": 13, "correct": False}],
}
MR = {
    "kind": "multiple_response",
    "choices": [
        {"id": 21, "correct": True},
        {"id": 22, "correct": False},
        {"id": 23, "correct": True},
        {"id": 24, "correct": False},
    ],
}
ORDERING = {  # shown as 2, 3, 1; the correct order (by position) is 1, 2, 3
    "kind": "ordering",
    "items": [{"id": 2, "position": 2}, {"id": 3, "position": 3}, {"id": 1, "position": 1}],
}
MATCHING = {  # prompt 1 -> response 41, prompt 2 -> 42, prompt 3 -> 43; response 44 is a distractor
    "kind": "matching",
    "prompts": [{"id": 1, "answer": 41}, {"id": 2, "answer": 42}, {"id": 3, "answer": 43}],
    "responses": [{"id": 41}, {"id": 42}, {"id": 43}, {"id": 44}],
}
SNAPSHOTS = {"multiple_choice": MC, "multiple_response": MR, "ordering": ORDERING, "matching": MATCHING}


def form(pairs):
    """Form data as the browser posts it: a QueryDict with repeated keys."""
    data = QueryDict(mutable=True)
    for key, value in pairs:
        data.appendlist(key, str(value))
    return data


# ------------------------------------------------------------------------------------ multiple choice
def test_a_multiple_choice_answer_is_the_id_of_the_choice_at_the_posted_place():
    assert parse_response(MC, form([("choice", 2)])) == {"choice": 12}


def test_a_plain_dict_of_lists_is_read_like_form_data():
    assert parse_response(MC, {"choice": ["3"]}) == {"choice": 13}


@pytest.mark.parametrize("value", [0, -1, 4, 12, "2" * 30])
def test_a_place_that_is_not_on_the_screen_is_refused(value):
    # Row ids are refused too: the page never shows them, so a post carrying one was made up.
    with pytest.raises(InvalidResponse):
        parse_response(MC, form([("choice", value)]))


@pytest.mark.parametrize("pairs", [[], [("choice", "")]])
def test_no_choice_is_no_answer(pairs):
    assert parse_response(MC, form(pairs)) is None


@pytest.mark.parametrize(
    "pairs",
    [
        [("choice", 99)],  # not a place on the screen
        [("choice", "2abc")],  # not a number at all
        [("choice", 1), ("choice", 2)],  # two answers to a one-answer question
    ],
)
def test_a_tampered_multiple_choice_answer_is_refused(pairs):
    with pytest.raises(InvalidResponse):
        parse_response(MC, form(pairs))


# ---------------------------------------------------------------------------------- multiple response
def test_multiple_response_choices_are_stored_sorted_and_once():
    assert parse_response(MR, form([("choices", 3), ("choices", 1), ("choices", 3)])) == {"choices": [21, 23]}


def test_no_checked_box_is_no_answer():
    assert parse_response(MR, form([("choices", "")])) is None


@pytest.mark.parametrize("value", [99, "x", 5, 21])  # 21 is a row id, never shown
def test_a_choice_that_is_not_on_the_screen_is_refused_in_multiple_response(value):
    with pytest.raises(InvalidResponse):
        parse_response(MR, form([("choices", 1), ("choices", value)]))


# ------------------------------------------------------------------------------------------- ordering
def test_an_ordering_answer_is_the_posted_order():
    assert parse_response(ORDERING, form([("order", 3), ("order", 1), ("order", 2)])) == {"order": [3, 1, 2]}


def test_no_order_posted_is_no_answer():
    assert parse_response(ORDERING, form([])) is None


@pytest.mark.parametrize(
    "order",
    [
        [1, 2],  # an item missing
        [1, 2, 2],  # an item twice, another missing
        [1, 2, 3, 4],  # an item of another question
        [1, 2, 3, 3],  # every item, and one again
    ],
)
def test_an_order_must_list_every_item_exactly_once(order):
    with pytest.raises(InvalidResponse):
        parse_response(ORDERING, form([("order", pk) for pk in order]))


def test_a_move_button_is_applied_to_the_posted_order():
    posted = [("order", 2), ("order", 3), ("order", 1)]
    assert parse_response(ORDERING, form([*posted, ("move", "1:up")])) == {"order": [2, 1, 3]}
    assert parse_response(ORDERING, form([*posted, ("move", "2:down")])) == {"order": [3, 2, 1]}


def test_a_move_of_an_item_of_another_question_is_refused():
    with pytest.raises(InvalidResponse):
        parse_response(ORDERING, form([("order", 2), ("order", 3), ("order", 1), ("move", "9:up")]))


def test_moving_up_swaps_an_item_with_the_one_above():
    assert apply_move([1, 2, 3], "3:up") == [1, 3, 2]


def test_moving_down_swaps_an_item_with_the_one_below():
    assert apply_move([1, 2, 3], "1:down") == [2, 1, 3]


def test_moving_the_first_item_up_or_the_last_down_changes_nothing():
    assert apply_move([1, 2, 3], "1:up") == [1, 2, 3]
    assert apply_move([1, 2, 3], "3:down") == [1, 2, 3]


@pytest.mark.parametrize("move", ["4:up", "1:left", "one:up", "1", ":up"])
def test_a_move_that_does_not_fit_is_refused(move):
    with pytest.raises(InvalidResponse):
        apply_move([1, 2, 3], move)


# ------------------------------------------------------------------------------------------- matching
def test_a_matching_answer_maps_each_prompt_to_its_chosen_response():
    data = form([("match-1", 1), ("match-2", 3), ("match-3", 2)])
    assert parse_response(MATCHING, data) == {"matches": {"1": 41, "2": 43, "3": 42}}


def test_a_partial_matching_answer_keeps_the_prompts_answered_so_far():
    data = form([("match-1", 1), ("match-2", ""), ("match-3", 4)])
    assert parse_response(MATCHING, data) == {"matches": {"1": 41, "3": 44}}


def test_matching_with_every_list_on_choose_is_no_answer():
    assert parse_response(MATCHING, form([("match-1", ""), ("match-2", "")])) is None


def test_fields_for_prompts_the_question_does_not_have_are_ignored():
    assert parse_response(MATCHING, form([("match-1", 1), ("match-7", 2)])) == {"matches": {"1": 41}}


@pytest.mark.parametrize("value", [99, "x", 5, 41])
def test_a_response_that_is_not_on_the_screen_is_refused_in_matching(value):
    with pytest.raises(InvalidResponse):
        parse_response(MATCHING, form([("match-1", 1), ("match-2", value)]))


def test_an_unknown_kind_is_an_error_never_a_fallback():
    with pytest.raises(UnknownKind, match="essay"):
        parse_response({"kind": "essay"}, form([("text", "hello")]))
    with pytest.raises(UnknownKind):
        correct_response({"kind": "essay", "prompts": []})
    with pytest.raises(UnknownKind):
        is_correct({"kind": "essay", "prompts": []}, {"matches": {}})


# ------------------------------------------------------------------------------------------- grading
def test_the_correct_response_of_each_kind_comes_from_the_snapshot():
    assert correct_response(MC) == {"choice": 12}
    assert correct_response(MR) == {"choices": [21, 23]}
    assert correct_response(ORDERING) == {"order": [1, 2, 3]}
    assert correct_response(MATCHING) == {"matches": {"1": 41, "2": 42, "3": 43}}


@pytest.mark.parametrize("kind", SNAPSHOTS)
def test_the_correct_response_of_each_kind_is_correct(kind):
    snapshot = SNAPSHOTS[kind]
    assert is_correct(snapshot, correct_response(snapshot)) is True


@pytest.mark.parametrize("kind", SNAPSHOTS)
@pytest.mark.parametrize("response", [None, {}])
def test_no_answer_is_wrong_for_every_kind(kind, response):
    assert is_correct(SNAPSHOTS[kind], response) is False


def test_a_wrong_multiple_choice_answer_is_wrong():
    assert is_correct(MC, {"choice": 11}) is False


@pytest.mark.parametrize(
    "choices",
    [
        [21],  # one of the two correct choices: no partial credit
        [21, 22, 23],  # both correct choices and a wrong one
        [21, 22, 23, 24],  # everything ticked
        [22, 24],  # only wrong ones
    ],
)
def test_multiple_response_needs_exactly_the_correct_set(choices):
    assert is_correct(MR, {"choices": choices}) is False


def test_multiple_response_does_not_care_in_which_order_the_ids_are_stored():
    assert is_correct(MR, {"choices": [23, 21]}) is True


@pytest.mark.parametrize("order", [[2, 1, 3], [1, 3, 2], [3, 2, 1], [2, 3, 1]])
def test_any_order_but_the_correct_one_is_wrong(order):
    assert is_correct(ORDERING, {"order": order}) is False


def test_one_wrong_pair_makes_a_matching_answer_wrong():
    assert is_correct(MATCHING, {"matches": {"1": 41, "2": 42, "3": 44}}) is False


def test_a_partial_matching_answer_is_wrong_even_when_every_given_pair_is_right():
    assert is_correct(MATCHING, {"matches": {"1": 41, "2": 42}}) is False


# ------------------------------------------------------------------------------------ wilson_interval
def test_the_wilson_interval_matches_the_textbook_values():
    low, high = wilson_interval(5, 10, z=1.96)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)
    assert round(wilson_interval(0, 10, z=1.96)[1], 4) == 0.2775


def test_the_wilson_interval_contains_the_share_correct():
    for correct in range(66):
        low, high = wilson_interval(correct, 65)
        assert low <= correct / 65 <= high


def test_the_wilson_interval_stays_between_0_and_1_at_the_extremes():
    assert wilson_interval(0, 65)[0] == 0.0
    assert wilson_interval(65, 65)[1] == 1.0
    assert wilson_interval(65, 65)[0] < 1.0  # never certain from a sample


def test_the_wilson_interval_narrows_as_more_questions_are_answered():
    low_10, high_10 = wilson_interval(7, 10)
    low_65, high_65 = wilson_interval(46, 65)
    assert high_65 - low_65 < high_10 - low_10


def test_no_questions_give_the_widest_interval():
    assert wilson_interval(0, 0) == (0.0, 1.0)


# ------------------------------------------------------------------------------------------- to_scale
@pytest.mark.parametrize("passing", [700, 720, 750])
def test_the_assumed_cut_share_maps_onto_the_passing_score(passing):
    assert to_scale(passing / 1000, passing=passing) == passing


@pytest.mark.parametrize("passing", [700, 720])
def test_nothing_right_is_100_and_everything_right_is_1000(passing):
    assert to_scale(0.0, passing=passing) == 100
    assert to_scale(1.0, passing=passing) == 1000


def test_each_side_of_the_cut_is_linear():
    assert to_scale(0.35, passing=700) == 400  # half-way to the cut: half-way from 100 to 700
    assert to_scale(0.85, passing=700) == 850  # half-way from the cut to 100%: half-way from 700 to 1000


def test_the_scale_never_goes_down_as_the_share_goes_up():
    scores = [to_scale(n / 200, passing=720) for n in range(201)]
    assert scores == sorted(scores)
    assert scores[0] == 100 and scores[-1] == 1000


def test_the_scale_follows_the_exams_own_range():
    assert to_scale(0.0, passing=70, low=0, high=100) == 0
    assert to_scale(0.7, passing=70, low=0, high=100) == 70


# ------------------------------------------------------------------------------------------- estimate
def test_everything_right_is_a_likely_pass_at_1000():
    result = estimate(65, 65, passing=700)
    assert (result.scaled, result.high, result.verdict) == (1000, 1000, "likely-pass")


def test_nothing_right_is_a_likely_fail_at_100():
    result = estimate(0, 65, passing=700)
    assert (result.scaled, result.low, result.verdict) == (100, 100, "likely-fail")


def test_a_score_right_at_the_cut_is_too_close_to_call():
    result = estimate(46, 65, passing=700)  # 70.8%
    assert result.verdict == "borderline"
    assert result.low < 700 <= result.high


def test_likely_pass_needs_the_whole_band_at_or_above_the_passing_score():
    result = estimate(52, 65, passing=700)  # 80%
    assert result.verdict == "likely-pass"
    assert result.low >= 700


def test_likely_fail_needs_the_whole_band_below_the_passing_score():
    result = estimate(35, 65, passing=700)  # 54%
    assert result.verdict == "likely-fail"
    assert result.high < 700


def test_few_questions_give_a_wide_band_and_no_firm_verdict():
    short, long = estimate(8, 10, passing=700), estimate(52, 65, passing=700)  # both 80%
    assert short.verdict == "borderline"
    assert short.high - short.low > long.high - long.low


def test_the_band_contains_the_estimate():
    for correct in range(0, 66, 5):
        result = estimate(correct, 65, passing=720)
        assert result.low <= result.scaled <= result.high


# ------------------------------------------------------------------------------------------ competency
def test_a_domain_at_the_cut_share_meets_competencies():
    assert competency(7, 10, passing=700) == "Meets competencies"
    assert competency(18, 25, passing=720) == "Meets competencies"


def test_a_domain_below_the_cut_share_needs_improvement():
    assert competency(6, 10, passing=700) == "Needs improvement"
    assert competency(17, 25, passing=720) == "Needs improvement"


def test_a_domain_without_questions_is_not_assessed():
    assert competency(0, 0, passing=700) == "Not assessed"


def test_the_pass_cut_is_the_passing_scores_share_of_the_top_of_the_scale():
    assert cut_share(passing=700, high=1000) == 0.7
    assert (cut_percent(passing=720, high=1000), cut_percent(passing=None, high=1000)) == (72, None)
    assert competency(72, 100, passing=720) == "Meets competencies"
    assert competency(71, 100, passing=720) == "Needs improvement"
