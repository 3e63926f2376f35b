"""Authoring a question in the admin: adding each kind with validated inlines, editing, versions, objectives
and section."""

import pytest

from apps.content.models import Exam
from apps.questions.models import Choice, Question
from tests.factories import make_note
from tests.questions.admin.helpers import MR_CHOICES, edit_post, new_question_post, soup_of, url


def test_adding_a_multiple_response_question_saves_it_rendered_with_its_author(
    as_instructor, instructor, own_set, exam
):
    task = exam.task_statements.get(number="1.2")
    response = as_instructor.post(
        url("question_add"), new_question_post(question_set=own_set, task_statement=task)
    )

    assert response.status_code == 302, soup_of(response).select(".errorlist, .errornote")
    question = Question.objects.get()
    assert (question.kind, question.status, question.task_statement) == (
        "multiple_response",
        "published",
        task,
    )
    assert question.author == instructor
    assert question.current_version.number == 1 and question.content_hash and question.stem_key
    assert question.stem_html == "<p>Which services store data durably? (Choose TWO.)</p>"
    assert question.explanation_html == "<p>S3 and DynamoDB both <strong>keep</strong> data.</p>"
    choices = list(question.choices.all())
    assert [(c.text_md, c.is_correct, c.position) for c in choices] == [
        (text, correct, i) for i, (text, correct, _) in enumerate(MR_CHOICES, 1)
    ]
    assert choices[0].text_html == "Amazon S3"
    assert choices[0].rationale_html == "S3 keeps objects durably."


def test_a_question_added_without_a_guide_version_is_written_for_the_exams_current_guide(
    as_instructor, own_set, exam
):
    data = new_question_post(question_set=own_set, task_statement=exam.task_statements.get(number="1.1"))
    as_instructor.post(url("question_add"), data)
    question = Question.objects.get()
    assert question.guide_version == "2.0"
    assert not Question.objects.needing_guide_review().exists()


@pytest.mark.parametrize(
    ("kind", "parts"),
    [
        ("ordering", {"items": ["Collect the data.", "Train the model.", "Evaluate the model."]}),
        (
            "matching",
            {"pairs": [("Store objects", "S3"), ("Run code", "Lambda"), ("Keep keys", "KMS"), ("", "SNS")]},
        ),
        (
            "multiple_choice",
            {
                "choices": [
                    ("S3", True, "Objects."),
                    ("EBS", False, ""),
                    ("EFS", False, ""),
                    ("Lambda", False, ""),
                ]
            },
        ),
    ],
)
def test_adding_a_question_of_each_other_kind_saves_its_parts(as_instructor, own_set, exam, kind, parts):
    data = new_question_post(
        question_set=own_set,
        task_statement=exam.task_statements.get(number="2.1"),
        kind=kind,
        stem=f"A {kind} question.",
        **{"choices": (), **parts},
    )
    response = as_instructor.post(url("question_add"), data)
    assert response.status_code == 302, soup_of(response).select(".errorlist, .errornote")
    question = Question.objects.get()
    assert question.kind == kind
    assert (question.choices.count(), question.ordering_items.count(), question.pairs.count()) == (
        len(parts.get("choices", ())),
        len(parts.get("items", ())),
        len(parts.get("pairs", ())),
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"choices": MR_CHOICES[:4]}, "A multiple response question has at least 5 choices, not 4."),
        (
            {"stem": "Which services store data durably?"},
            "The stem must say how many answers to choose, e.g. “(Select TWO.)”.",
        ),
        (
            {"stem": "Which store data? (Choose THREE.)"},
            "The stem says to choose 3 but 2 choices are marked correct.",
        ),
        ({"explanation": ""}, "To publish: a published question needs an explanation."),
        ({"task_statement": None}, "To publish: a published question needs a task statement."),
        ({"kind": "ordering"}, "An ordering question has no answer choices; remove them."),
        (
            {"choices": [*MR_CHOICES[:4], ("amazon s3", False, "")]},
            "The choice “amazon s3” appears twice.",
        ),
    ],
    ids=[
        "4-choices",
        "no-choose-two",
        "choose-three",
        "no-explanation",
        "no-task",
        "wrong-parts",
        "duplicate",
    ],
)
def test_an_invalid_question_is_shown_again_with_the_rule_message_and_nothing_is_saved(
    as_instructor, own_set, exam, change, message
):
    change = {"task_statement": exam.task_statements.get(number="1.1"), **change}
    response = as_instructor.post(url("question_add"), new_question_post(question_set=own_set, **change))
    assert response.status_code == 200
    assert message in soup_of(response).select_one("#question_form").get_text()
    assert not Question.objects.exists()
    assert not Choice.objects.exists()


def test_a_task_statement_of_another_exam_is_refused_and_nothing_is_saved(as_instructor, own_set, other_exam):
    data = new_question_post(question_set=own_set, task_statement=other_exam.task_statements.get())
    response = as_instructor.post(url("question_add"), data)
    assert response.status_code == 200
    error = soup_of(response).select_one(".field-task_statement .errorlist").get_text()
    assert error == "Choose a task statement of TST-C01, the set's exam."
    assert not Question.objects.exists()


def test_a_draft_may_be_saved_without_explanation_or_task_statement(as_instructor, own_set):
    data = new_question_post(question_set=own_set, task_statement=None, status="draft", explanation="")
    assert as_instructor.post(url("question_add"), data).status_code == 302
    assert Question.objects.get().status == "draft"


def test_the_change_page_links_to_the_preview_and_the_duplicate_button(as_instructor, own_question):
    soup = soup_of(as_instructor.get(url("question_change", own_question.pk)))
    assert soup.find("a", string="Preview as student")["href"] == url("question_preview", own_question.pk)
    assert soup.select_one("form.inline-duplicate")["action"] == url("question_duplicate", own_question.pk)


def test_saving_a_question_without_changes_keeps_its_version(as_instructor, own_question):
    response = as_instructor.post(
        url("question_change", own_question.pk), edit_post(as_instructor, own_question)
    )
    assert response.status_code == 302, soup_of(response).select(".errorlist, .errornote")
    own_question.refresh_from_db()
    assert own_question.current_version.number == 1


def test_editing_the_stem_records_a_new_version_and_renders_it_again(as_instructor, own_question):
    data = edit_post(as_instructor, own_question, stem_md="Which service stores *objects* cheaply?")
    response = as_instructor.post(url("question_change", own_question.pk), data)
    assert response.status_code == 302, soup_of(response).select(".errorlist, .errornote")
    own_question.refresh_from_db()
    assert own_question.current_version.number == 2
    assert own_question.stem_html == "<p>Which service stores <em>objects</em> cheaply?</p>"


def test_the_change_page_lists_every_version_newest_first(as_instructor, own_question):
    data = edit_post(as_instructor, own_question, stem_md="Which service stores *objects* cheaply?")
    assert as_instructor.post(url("question_change", own_question.pk), data).status_code == 302
    Exam.objects.filter(pk=own_question.question_set.exam_id).update(guide_version="3.0")  # a new guide
    page = soup_of(as_instructor.get(url("question_change", own_question.pk)))
    history = page.select_one(".field-version_history .readonly").get_text(" ", strip=True)
    assert history.startswith("Version 2 ·") and "Version 1 ·" in history
    assert history.count("asked in 0 attempt(s)") == 2
    review = page.select_one(".field-review_note .readonly").get_text(strip=True)
    assert review.startswith("Version 2 was written for guide v2.0: review it for guide v3.0")


def test_editing_a_choice_records_a_new_version(as_instructor, own_question):
    data = edit_post(as_instructor, own_question, **{"choices-1-text_md": "Amazon EBS volumes"})
    response = as_instructor.post(url("question_change", own_question.pk), data)
    assert response.status_code == 302, soup_of(response).select(".errorlist, .errornote")
    own_question.refresh_from_db()
    assert own_question.current_version.number == 2
    assert own_question.choices.all()[1].text_html == "Amazon EBS volumes"


def test_editing_a_question_written_for_an_older_guide_counts_it_as_written_for_the_current_one(
    as_instructor, own_question
):
    Question.objects.filter(pk=own_question.pk).update(guide_version="1.0")
    data = edit_post(as_instructor, own_question, difficulty="3")
    as_instructor.post(url("question_change", own_question.pk), data)
    own_question.refresh_from_db()
    assert (own_question.difficulty, own_question.guide_version) == (3, "2.0")


def test_an_edit_that_breaks_a_rule_is_refused_and_changes_nothing(as_instructor, own_question):
    data = edit_post(as_instructor, own_question, **{"choices-0-is_correct": ""})
    data.pop("choices-0-is_correct")
    response = as_instructor.post(url("question_change", own_question.pk), data)
    assert response.status_code == 200
    assert "A multiple choice question has exactly 1 correct choice, not 0." in response.text
    assert own_question.choices.filter(is_correct=True).count() == 1


def test_objectives_and_section_are_edited_in_the_admin_and_checked(as_instructor, exam, own_question):
    exam.task_statements.filter(number="1.1").update(objectives=["Store widgets"])
    make_note(exam=exam, slug="widgets", body="## Where widgets live\n\nText.\n")
    response = as_instructor.post(
        url("question_change", own_question.pk),
        edit_post(as_instructor, own_question, objectives='["1.1.1"]', section="widgets#where-widgets-live"),
    )
    assert response.status_code == 302
    own_question.refresh_from_db()
    assert own_question.objectives == ["1.1.1"]
    assert own_question.section_url() == "/exams/tst-c01/notes/widgets/#where-widgets-live"
    response = as_instructor.post(
        url("question_change", own_question.pk),
        edit_post(as_instructor, own_question, objectives='["9.9.9"]', section="widgets#nowhere"),
    )
    assert response.status_code == 200
    errors = [li.get_text() for li in soup_of(response).select(".errorlist li")]
    assert "TST-C01 has no objective '9.9.9'." in errors
    assert any(
        error.startswith("Section 'widgets#nowhere': the note 'widgets' has no heading") for error in errors
    )
