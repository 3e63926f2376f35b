"""Each kind's content, layout and arranged compose to the parts of the snapshot the exam stores today, so the
snapshot builder can ask the kind instead of switching on it."""

import pytest

from apps.exams.selection import rng_for
from apps.exams.snapshots import snapshot_question
from apps.questions import kinds
from tests.factories import make_exam, make_question, make_question_set

PART_KEYS = ("choices", "choose", "items", "prompts", "responses")


@pytest.fixture
def bank(db):
    return make_question_set(exam=make_exam(code="TST-C01"))


@pytest.mark.parametrize("code", ["multiple_choice", "multiple_response", "ordering", "matching"])
@pytest.mark.parametrize("seed", ["s1", "s2", "s3"])
def test_content_layout_and_arranged_give_the_stored_snapshot(bank, code, seed):
    question = make_question(question_set=bank, kind=code)
    kind = kinds.get(code)
    content = kind.content(question)
    arranged = kind.arranged(content, kind.layout(content, rng_for(seed, question.pk)))
    snapshot = snapshot_question(question, seed=seed)
    assert arranged == {key: snapshot[key] for key in PART_KEYS if key in snapshot}


def test_an_ordering_items_content_id_is_its_correct_position(bank):
    question = make_question(question_set=bank, kind="ordering")
    items = kinds.ORDERING.content(question)["items"]
    assert [item["id"] for item in items] == [item["position"] for item in items] == [1, 2, 3]
