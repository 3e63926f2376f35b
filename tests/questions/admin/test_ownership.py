"""Who sees and changes what in the question admin: an instructor's own sets and questions only, the superuser
everything, whatever ids are posted."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.questions.models import Question, QuestionSet
from tests.factories import make_question, make_question_set
from tests.questions.admin.helpers import (
    VALID_YAML,
    action_post,
    assert_refused,
    edit_post,
    listed,
    messages_of,
    new_question_post,
    option_values,
    soup_of,
    url,
)


def _status(question):
    return question.status


def _guide(question):
    return question.guide_version


def _set(question):
    return question.question_set_id


def test_the_question_list_shows_an_instructor_only_the_questions_of_their_own_sets(
    as_instructor, own_question, others_question
):
    response = as_instructor.get(url("question_changelist"))
    assert listed(response) == [own_question]
    assert "Irene asks" in response.text and "Oscar asks" not in response.text


def test_the_question_set_list_shows_an_instructor_only_their_own_sets(as_instructor, own_set, others_set):
    response = as_instructor.get(url("questionset_changelist"))
    assert listed(response) == [own_set]
    assert "Oscar&#x27;s bank" not in response.text


def test_the_superuser_sees_every_set_and_question(as_superuser, own_question, others_question):
    assert set(listed(as_superuser.get(url("question_changelist")))) == {own_question, others_question}
    assert set(listed(as_superuser.get(url("questionset_changelist")))) == {
        own_question.question_set,
        others_question.question_set,
    }


def test_the_questions_link_of_a_set_counts_its_questions(as_instructor, own_set, own_question):
    make_question(question_set=own_set, stem="A second question?")
    link = soup_of(as_instructor.get(url("questionset_changelist"))).select_one("td.field-question_count a")
    assert link.get_text() == "2"
    assert link["href"] == url("question_changelist") + f"?question_set__id__exact={own_set.pk}"


@pytest.mark.parametrize(
    "page",
    [
        "question_change",
        "question_delete",
        "question_history",
        "question_preview",
        "questionset_change",
        "questionset_delete",
        "questionset_import",
    ],
)
def test_an_instructor_cannot_open_the_pages_of_another_instructors_objects(
    as_instructor, others_question, page
):
    pk = others_question.question_set.pk if page.startswith("questionset") else others_question.pk
    assert_refused(as_instructor.get(url(page, pk)))


def test_an_instructor_can_open_the_same_pages_of_their_own_objects(as_instructor, own_question):
    for page in ("question_change", "question_delete", "question_history", "question_preview"):
        assert as_instructor.get(url(page, own_question.pk)).status_code == 200, page
    for page in ("questionset_change", "questionset_delete", "questionset_import"):
        assert as_instructor.get(url(page, own_question.question_set.pk)).status_code == 200, page


def test_posting_a_change_to_another_instructors_question_changes_nothing(
    as_instructor, own_question, others_question
):
    data = edit_post(
        as_instructor, own_question, stem_md="Hijacked?", question_set=str(own_question.question_set.pk)
    )
    assert_refused(as_instructor.post(url("question_change", others_question.pk), data))
    others_question.refresh_from_db()
    assert others_question.stem_md == "Oscar asks: which service stores objects?"
    assert others_question.current_version.number == 1


def test_posting_a_delete_of_another_instructors_question_or_set_deletes_nothing(
    as_instructor, others_question
):
    assert_refused(as_instructor.post(url("question_delete", others_question.pk), {"post": "yes"}))
    assert_refused(
        as_instructor.post(url("questionset_delete", others_question.question_set.pk), {"post": "yes"})
    )
    assert Question.objects.filter(pk=others_question.pk).exists()
    assert QuestionSet.objects.filter(pk=others_question.question_set.pk).exists()


def test_an_instructor_can_delete_their_own_question(as_instructor, own_question):
    response = as_instructor.post(url("question_delete", own_question.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Question.objects.filter(pk=own_question.pk).exists()


def test_posting_a_duplicate_of_another_instructors_question_copies_nothing(as_instructor, others_question):
    assert_refused(as_instructor.post(url("question_duplicate", others_question.pk)))
    assert Question.objects.count() == 1


def test_uploading_into_another_instructors_set_imports_nothing(as_instructor, others_set):
    upload = SimpleUploadedFile("bank.yaml", VALID_YAML.encode())
    assert_refused(
        as_instructor.post(url("questionset_import", others_set.pk), {"file": upload, "format": ""})
    )
    assert not others_set.questions.exists()


@pytest.mark.parametrize(
    ("action", "extra", "observe"),
    [
        ("publish", {}, _status),
        ("retire", {}, _status),
        ("confirm_guide", {}, _guide),
        ("move_to_set", {"apply": "Move"}, _set),
    ],
)
def test_a_bulk_action_posted_with_another_instructors_ids_changes_only_own_questions(
    as_instructor, own_set, own_question, others_question, action, extra, observe
):
    Question.objects.update(status=Question.Status.DRAFT, guide_version="1.0")
    target = make_question_set(
        exam=own_set.exam, slug="irene-second", title="Irene's second", owner=own_set.owner
    )
    if action == "move_to_set":
        extra = {**extra, "target": target.pk}
    before_own = observe(Question.objects.get(pk=own_question.pk))
    before_other = observe(Question.objects.get(pk=others_question.pk))

    response = as_instructor.post(
        url("question_changelist"), action_post(action, own_question, others_question, **extra)
    )

    assert response.status_code == 302
    assert observe(Question.objects.get(pk=own_question.pk)) != before_own  # the action did run
    assert observe(Question.objects.get(pk=others_question.pk)) == before_other


def test_the_duplicate_action_posted_with_another_instructors_ids_copies_only_own_questions(
    as_instructor, own_question, others_question
):
    response = as_instructor.post(
        url("question_changelist"), action_post("duplicate", own_question, others_question)
    )
    assert response.status_code == 302
    assert own_question.question_set.questions.count() == 2
    assert others_question.question_set.questions.count() == 1
    assert messages_of(response) == ["1 draft cop(ies) created."]


def test_an_action_posted_only_with_another_instructors_ids_changes_nothing(as_instructor, others_question):
    Question.objects.update(status=Question.Status.DRAFT)
    as_instructor.post(url("question_changelist"), action_post("publish", others_question))
    as_instructor.post(url("question_changelist"), action_post("duplicate", others_question))
    assert list(Question.objects.values_list("pk", "status")) == [(others_question.pk, "draft")]


def test_the_question_set_dropdown_offers_only_the_instructors_own_sets(as_instructor, own_set, others_set):
    second = make_question_set(
        exam=own_set.exam, slug="irene-second", title="Irene's second", owner=own_set.owner
    )
    response = as_instructor.get(url("question_add"))
    assert sorted(option_values(response, "id_question_set")) == sorted([str(own_set.pk), str(second.pk)])


def test_the_question_set_dropdown_offers_the_superuser_every_set(as_superuser, own_set, others_set):
    response = as_superuser.get(url("question_add"))
    assert sorted(option_values(response, "id_question_set")) == sorted([str(own_set.pk), str(others_set.pk)])


def test_posting_another_instructors_set_id_in_the_add_form_is_refused(as_instructor, others_set, exam):
    data = new_question_post(question_set=others_set, task_statement=exam.task_statements.get(number="1.1"))
    response = as_instructor.post(url("question_add"), data)
    assert response.status_code == 200
    assert (
        "Select a valid choice" in soup_of(response).select_one(".field-question_set .errorlist").get_text()
    )
    assert not Question.objects.exists()
