"""Question versions: recorded when what students see or are graded on changes, never changed afterwards."""

import pytest

from apps.questions.models import QuestionVersion
from apps.questions.services import refresh_question
from apps.questions.versions import record_version
from tests.factories import make_exam, make_question, make_question_set


@pytest.fixture
def question(db):
    exam = make_exam()
    return make_question(question_set=make_question_set(exam=exam), kind="multiple_response")


def test_a_new_question_has_version_1_with_its_content(question):
    version = question.current_version
    assert (version.number, version.kind, version.question) == (1, "multiple_response", question)
    assert version.content["stem_html"] == question.stem_html
    assert [c["id"] for c in version.content["choices"]] == [c.pk for c in question.choices.all()]
    assert version.content["choose"] == 2


def test_saving_without_a_change_records_nothing(question):
    first = question.current_version
    assert record_version(question) == first
    refresh_question(question=question)
    assert QuestionVersion.objects.filter(question=question).count() == 1


def test_an_edit_records_the_next_version_and_leaves_the_old_one_as_it_was(question):
    first = question.current_version
    before = dict(first.content)
    question.choices.filter(position=1).update(text_md="Edited choice")
    refresh_question(question=question)
    question.refresh_from_db()
    assert question.current_version.number == 2
    assert question.current_version.content["choices"][0]["html"] == "Edited choice"
    first.refresh_from_db()
    assert first.content == before


def test_a_version_outlives_its_question(question):
    version = question.current_version
    question.delete()
    version.refresh_from_db()
    assert version.question is None and version.content["question_id"]
