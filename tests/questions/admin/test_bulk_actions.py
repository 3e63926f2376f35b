"""The question list's bulk actions: publish, retire, move to a set, confirm for the current guide."""

import pytest

from apps.questions.models import Question
from tests.factories import make_question, make_question_set
from tests.questions.admin.helpers import action_post, listed, messages_of, option_values, soup_of, url


@pytest.fixture
def sets_to_move_to(own_set, other_exam, others_set):
    same_exam = make_question_set(
        exam=own_set.exam, slug="irene-second", title="Irene's second", owner=own_set.owner
    )
    other = make_question_set(
        exam=other_exam, slug="irene-other", title="Irene's other exam", owner=own_set.owner
    )
    return same_exam, other


def test_publish_refuses_invalid_questions_with_a_message_and_publishes_the_valid_ones(
    as_instructor, own_set, own_question
):
    unexplained = make_question(
        question_set=own_set, stem="Why is the sky blue?", status="draft", explanation=""
    )
    Question.objects.filter(pk=own_question.pk).update(status="draft")

    response = as_instructor.post(
        url("question_changelist"), action_post("publish", own_question, unexplained)
    )

    assert messages_of(response) == [
        "1 question(s) published.",
        "Not published: “Why is the sky blue?”: a published question needs an explanation.",
    ]
    assert Question.objects.get(pk=own_question.pk).status == "published"
    assert Question.objects.get(pk=unexplained.pk).status == "draft"


def test_retire_retires_the_selected_questions(as_instructor, own_set, own_question):
    kept = make_question(question_set=own_set, stem="Keep me published?")
    response = as_instructor.post(url("question_changelist"), action_post("retire", own_question))
    assert messages_of(response) == ["1 question(s) retired."]
    assert Question.objects.get(pk=own_question.pk).status == "retired"
    assert Question.objects.get(pk=kept.pk).status == "published"


def test_move_shows_an_intermediate_page_with_the_questions_and_only_own_sets(
    as_instructor, own_set, own_question, others_set, sets_to_move_to
):
    response = as_instructor.post(url("question_changelist"), action_post("move_to_set", own_question))
    assert response.status_code == 200
    soup = soup_of(response)
    assert soup.select_one("#content li").get_text() == str(own_question)
    assert sorted(option_values(response, "id_target")) == sorted(
        str(s.pk) for s in (own_set, *sets_to_move_to)
    )
    assert [i["value"] for i in soup.select("input[name=_selected_action]")] == [str(own_question.pk)]
    assert Question.objects.get(pk=own_question.pk).question_set == own_set


def test_move_applied_moves_the_questions_into_a_set_of_the_same_exam(
    as_instructor, own_question, sets_to_move_to
):
    same_exam, _ = sets_to_move_to
    data = action_post("move_to_set", own_question, apply="Move", target=same_exam.pk)
    data.pop("index")  # the intermediate page posts no index
    response = as_instructor.post(url("question_changelist"), data)
    assert response.status_code == 302
    assert messages_of(response) == ["1 question(s) moved."]
    assert Question.objects.get(pk=own_question.pk).question_set == same_exam


def test_move_applied_refuses_a_set_of_another_exam(as_instructor, own_set, own_question, sets_to_move_to):
    _, other_exam_set = sets_to_move_to
    data = action_post("move_to_set", own_question, apply="Move", target=other_exam_set.pk)
    response = as_instructor.post(url("question_changelist"), data)
    assert messages_of(response) == [
        "0 question(s) moved.",
        "1 question(s) stayed: the target set is for another exam.",
    ]
    assert Question.objects.get(pk=own_question.pk).question_set == own_set


def test_move_cannot_target_another_instructors_set(as_instructor, own_set, own_question, others_set):
    data = action_post("move_to_set", own_question, apply="Move", target=others_set.pk)
    response = as_instructor.post(url("question_changelist"), data)
    assert response.status_code == 200
    assert "Select a valid choice" in soup_of(response).select_one(".errorlist").get_text()
    assert Question.objects.get(pk=own_question.pk).question_set == own_set


def test_confirm_for_the_current_guide_clears_the_review_flag(as_instructor, own_set, own_question):
    older = make_question(question_set=own_set, stem="Written for the old guide?", guide_version="1.0")
    response = as_instructor.post(
        url("question_changelist"), action_post("confirm_guide", older, own_question)
    )
    assert messages_of(response) == ["1 question(s) confirmed."]
    older.refresh_from_db()
    assert older.guide_version == "2.0"
    assert older.current_version.number == 1  # confirming is not an edit students see
    assert listed(as_instructor.get(url("question_changelist"), {"needs": "guide"})) == []
