"""Freezing a question when an attempt starts, and what of it the exam page may show before checking."""

import json
from types import SimpleNamespace

import pytest

from apps.exams.scoring import correct_response
from apps.exams.snapshots import public_view
from apps.questions.data import PairData
from tests.factories import make_question, snapshot_for

KINDS = ["multiple_choice", "multiple_response", "ordering", "matching"]
SECRET_KEYS = ('"correct"', '"rationale_html"', '"explanation_html"', '"position"', '"answer"')


class Parts(list):
    """Stands in for a prefetched related manager: `.all()` gives the rows."""

    def all(self):
        return self


def stub_question(*, pk, kind, items=(), pairs=()):
    """A question without the database, with part ids we choose (pure snapshot tests)."""
    return SimpleNamespace(
        pk=pk,
        kind=kind,
        stem_html="<p>Stem</p>",
        explanation_html="<p>Why.</p>",
        scenario_id=None,
        task_statement=None,
        choices=Parts(),
        ordering_items=Parts(items),
        pairs=Parts(pairs),
    )


def stub_ordering(*, pk=7, count=3):
    items = [SimpleNamespace(pk=100 + n, text_html=f"Step {n}", position=n) for n in range(1, count + 1)]
    return stub_question(pk=pk, kind="ordering", items=items)


def stub_matching():
    pairs = [
        SimpleNamespace(pk=101, prompt_md="Store objects", prompt_html="Store objects", response_html="S3"),
        SimpleNamespace(pk=102, prompt_md="Run code", prompt_html="Run code", response_html="Lambda"),
        SimpleNamespace(pk=103, prompt_md="Keys", prompt_html="Keys", response_html="KMS"),
        SimpleNamespace(pk=104, prompt_md="", prompt_html="", response_html="Athena"),  # a distractor
    ]
    return stub_question(pk=8, kind="matching", pairs=pairs)


# ------------------------------------------------------------------------------------ the frozen question
def test_the_snapshot_keeps_the_answer_key_rationales_and_explanation(by_kind):
    question = by_kind["multiple_choice"]
    snapshot = snapshot_for(question, seed="s1")
    assert {c["id"]: c["correct"] for c in snapshot["choices"]} == {
        c.pk: c.is_correct for c in question.choices.all()
    }
    assert "S3 is object storage." in {c["rationale_html"] for c in snapshot["choices"]}
    assert "Because that is how it works." in snapshot["explanation_html"]


def test_the_snapshot_records_where_the_question_belongs_in_the_blueprint(by_kind):
    snapshot = snapshot_for(by_kind["ordering"], seed="s1")
    assert (snapshot["kind"], snapshot["question_id"]) == ("ordering", by_kind["ordering"].pk)
    assert (snapshot["task"], snapshot["task_title"]) == ("1.1", "Task 1.1 of TST-C01")
    assert (snapshot["domain"], snapshot["domain_title"]) == (1, "Data things")


def test_a_multiple_response_snapshot_says_how_many_to_choose(by_kind):
    assert snapshot_for(by_kind["multiple_response"], seed="s1")["choose"] == 2


def test_a_matching_snapshot_offers_distractors_as_responses_but_not_as_prompts(bank):
    question = make_question(
        question_set=bank,
        kind="matching",
        pairs=[
            PairData("Store objects", "Amazon S3"),
            PairData("Run code", "AWS Lambda"),
            PairData("Keys", "AWS KMS"),
            PairData("", "Amazon Athena"),  # a distractor
        ],
    )
    snapshot = snapshot_for(question, seed="s1")
    assert len(snapshot["prompts"]) == 3
    assert [r["html"] for r in snapshot["responses"]] == [
        "Amazon Athena",
        "Amazon S3",
        "AWS KMS",
        "AWS Lambda",
    ]


# -------------------------------------------------------------------------------------- the public view
@pytest.mark.parametrize("kind", KINDS)
def test_the_public_view_hides_the_key_rationales_and_explanation(by_kind, kind):
    snapshot = snapshot_for(by_kind[kind], seed="s1")
    shown = json.dumps(public_view(snapshot))
    for key in SECRET_KEYS:
        assert key not in shown
    for secret in ("Because that is how it works.", "S3 is object storage.", "Object storage."):
        assert secret not in shown


def test_the_public_view_keeps_the_stem_and_every_choice(by_kind):
    snapshot = snapshot_for(by_kind["multiple_response"], seed="s1")
    view = public_view(snapshot)
    assert view["stem_html"] == snapshot["stem_html"]
    assert view["choices"] == [
        {"id": place, "html": c["html"]} for place, c in enumerate(snapshot["choices"], 1)
    ]
    assert view["choose"] == 2


def test_the_public_view_leaves_the_snapshot_untouched(by_kind):
    snapshot = snapshot_for(by_kind["multiple_choice"], seed="s1")
    before = json.dumps(snapshot)
    public_view(snapshot)
    assert json.dumps(snapshot) == before


def test_the_ids_of_ordering_items_do_not_give_the_correct_order_away(by_kind):
    # Item rows are created in the correct order, so their primary keys ascend in it: the page must not show them.
    for seed in range(30):
        snapshot = snapshot_for(by_kind["ordering"], seed=seed)
        ids = [item["id"] for item in public_view(snapshot)["items"]]
        assert sorted(ids) != correct_response(snapshot)["order"]


def test_the_ids_of_matching_prompts_do_not_point_at_their_answers():
    # A pair's primary key is also its response's id: a prompt carrying it would name its own answer.
    snapshot = snapshot_for(stub_matching(), seed="s1")
    for prompt in snapshot["prompts"]:
        assert prompt["id"] != prompt["answer"]
    view = public_view(snapshot)
    # Responses are named by their place in the (alphabetical) list: the row ids, whose highest are the
    # distractors (added after the pairs), never reach the page.
    assert [r["id"] for r in view["responses"]] == [1, 2, 3, 4]
    assert "101" not in json.dumps(view) and "104" not in json.dumps(view)


def test_choices_are_named_by_their_place_on_the_screen_never_by_their_row_id(by_kind):
    # Choice rows are created in authoring order, and most sources put the right answer first: a row id in the
    # page would give the key away (the lowest one). Only places 1..n reach the page, in this student's order.
    for seed in range(10):
        snapshot = snapshot_for(by_kind["multiple_choice"], seed=seed)
        view = public_view(snapshot)
        assert [c["id"] for c in view["choices"]] == list(range(1, len(snapshot["choices"]) + 1))
        assert [c["html"] for c in view["choices"]] == [c["html"] for c in snapshot["choices"]]
        shown = json.dumps(view)
        assert all(f'"id": {c["id"]}' not in shown for c in snapshot["choices"] if c["id"] > 4)


def test_drop_down_texts_are_decoded_once_so_the_page_escapes_them_once():
    question = stub_matching()
    snapshot = snapshot_for(question, seed="s1")
    snapshot["responses"][0]["html"] = "<p>Tom &amp; Jerry &lt;3</p>"
    assert public_view(snapshot)["responses"][0]["text"] == "Tom & Jerry <3"


# --------------------------------------------------------------------------------------------- shuffling
@pytest.mark.parametrize("kind", KINDS)
def test_the_same_seed_gives_the_same_snapshot(by_kind, kind):
    assert snapshot_for(by_kind[kind], seed="abc") == snapshot_for(by_kind[kind], seed="abc")


def test_different_seeds_shuffle_the_choices_differently(by_kind):
    orders = {
        tuple(c["id"] for c in snapshot_for(by_kind["multiple_choice"], seed=seed)["choices"])
        for seed in range(10)
    }
    assert len(orders) > 1


def test_an_ordering_question_is_never_shown_in_the_correct_order(by_kind):
    for seed in range(200):
        snapshot = snapshot_for(by_kind["ordering"], seed=seed)
        assert [item["position"] for item in snapshot["items"]] != [1, 2, 3]


def test_an_ordering_question_is_not_shown_in_order_even_when_every_reshuffle_lands_on_it():
    # For question 7 with this seed, the first shuffle and all five reshuffles come out in the correct order
    # (found by search; about one seed in 47,000 does that for three items).
    snapshot = snapshot_for(stub_ordering(pk=7), seed="seed-98720")
    assert [item["position"] for item in snapshot["items"]] != [1, 2, 3]
    assert sorted(item["position"] for item in snapshot["items"]) == [1, 2, 3]
