"""Duplicating a question from its change page."""

from apps.questions.models import Question
from apps.questions.services import refresh_question
from tests.questions.admin.helpers import messages_of, url


def test_duplicating_a_question_creates_a_draft_copy_and_opens_it(as_instructor, instructor, own_question):
    own_question.objectives, own_question.section = ["1.1.1"], "widgets#where-widgets-live"
    own_question.save()
    refresh_question(question=own_question)
    response = as_instructor.post(url("question_duplicate", own_question.pk))

    copy = Question.objects.exclude(pk=own_question.pk).get()
    assert response.status_code == 302
    assert response["Location"] == url("question_change", copy.pk)
    assert messages_of(response) == ["A draft copy was created; edit it here."]
    assert (copy.status, copy.author, copy.question_set) == ("draft", instructor, own_question.question_set)
    assert (copy.stem_md, copy.task_statement) == (own_question.stem_md, own_question.task_statement)
    assert [(c.text_md, c.is_correct, c.rationale_md) for c in copy.choices.all()] == [
        (c.text_md, c.is_correct, c.rationale_md) for c in own_question.choices.all()
    ]
    assert (copy.objectives, copy.section) == (["1.1.1"], "widgets#where-widgets-live")
    assert copy.content_hash == own_question.content_hash
    assert copy.external_id == ""


def test_duplicating_needs_a_post(as_instructor, own_question):
    assert as_instructor.get(url("question_duplicate", own_question.pk)).status_code == 405
    assert Question.objects.count() == 1
