"""A version's content arranged in a slot's layout is what attempts stored before versions: each kind's
content, layout and arranged give the same picture of the question, with the same shuffle."""

import pytest

from apps.exams.selection import rng_for
from apps.exams.snapshots import arranged, layout_for
from apps.questions import kinds
from apps.questions.versions import version_content
from tests.exams.before_versions import old_snapshot_question
from tests.factories import make_exam, make_question, make_question_set


@pytest.fixture
def bank(db):
    return make_question_set(exam=make_exam(code="TST-C01"))


@pytest.mark.parametrize("code", ["multiple_choice", "multiple_response", "ordering", "matching"])
@pytest.mark.parametrize("seed", ["s1", "s2", "s3"])
def test_content_layout_and_arranged_give_the_stored_snapshot(bank, code, seed):
    question = make_question(question_set=bank, kind=code)
    content = version_content(question)
    assert arranged(content, layout_for(content, rng_for(seed, question.pk))) == old_snapshot_question(
        question, seed=seed
    )


def test_an_ordering_items_content_id_is_its_correct_position(bank):
    question = make_question(question_set=bank, kind="ordering")
    items = kinds.ORDERING.content(question)["items"]
    assert [item["id"] for item in items] == [item["position"] for item in items] == [1, 2, 3]
