"""Instructor authoring in the admin: own sets only, validated inlines, bulk actions, preview, import, reports."""

from collections import Counter

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.questions.models import Choice, ProblemReport, Question, QuestionSet
from apps.questions.roles import INSTRUCTORS
from apps.questions.services import refresh_question, report_problem
from tests.factories import make_exam, make_note, make_question, make_question_set

MR_STEM = "Which services store data durably? (Choose TWO.)"
MR_CHOICES = [
    ("Amazon S3", True, "S3 keeps objects durably."),
    ("Amazon DynamoDB", True, "DynamoDB replicates items across zones."),
    ("AWS Lambda", False, "Lambda runs code; it keeps no data."),
    ("Amazon SNS", False, "SNS delivers messages and keeps none."),
    ("AWS IAM", False, "IAM manages access, not data."),
]


# ----------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(autouse=True)
def _instructors_in_group(instructor, other_instructor):
    group = Group.objects.get(name=INSTRUCTORS)
    instructor.groups.add(group)
    other_instructor.groups.add(group)


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01", guide_version="2.0")


@pytest.fixture
def other_exam(db):
    return make_exam(code="OTH-C01", title="Other Certification", domains=[(1, "Other things", 100, ["1.1"])])


@pytest.fixture
def own_set(exam, instructor):
    return make_question_set(exam=exam, slug="irene-bank", title="Irene's bank", owner=instructor)


@pytest.fixture
def others_set(exam, other_instructor):
    return make_question_set(exam=exam, slug="oscar-bank", title="Oscar's bank", owner=other_instructor)


@pytest.fixture
def own_question(own_set):
    return make_question(
        question_set=own_set, stem="Irene asks: which service stores objects?", guide_version="2.0"
    )


@pytest.fixture
def others_question(others_set):
    return make_question(
        question_set=others_set, stem="Oscar asks: which service stores objects?", guide_version="2.0"
    )


@pytest.fixture
def as_instructor(client, instructor):
    client.force_login(instructor)
    return client


@pytest.fixture
def as_superuser(client, admin):
    client.force_login(admin)
    return client


# ------------------------------------------------------------------------------------------------ helpers
def url(name, *args):
    return reverse(f"admin:questions_{name}", args=args)


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def listed(response):
    """The objects on a changelist page."""
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def assert_refused(response):
    """The admin's answers to an object outside the user's queryset: a redirect to the index, or 403/404."""
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")


def management_form(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def new_question_post(
    *,
    question_set,
    task_statement,
    kind="multiple_response",
    status="published",
    stem=MR_STEM,
    explanation="S3 and DynamoDB both **keep** data.",
    choices=MR_CHOICES,
    items=(),
    pairs=(),
    **fields,
):
    """What the admin add form posts: the question's fields and the three inline formsets."""
    data = {
        "question_set": question_set.pk,
        "kind": kind,
        "status": status,
        "task_statement": task_statement.pk if task_statement else "",
        "difficulty": "2",
        "scenario": "",
        "stem_md": stem,
        "explanation_md": explanation,
        "guide_version": "",
        "external_id": "",
        "_save": "Save",
        **management_form("choices", len(choices)),
        **management_form("ordering_items", len(items)),
        **management_form("pairs", len(pairs)),
        **fields,
    }
    for i, (text, correct, rationale) in enumerate(choices):
        data |= {
            f"choices-{i}-position": i + 1,
            f"choices-{i}-text_md": text,
            f"choices-{i}-rationale_md": rationale,
        }
        if correct:
            data[f"choices-{i}-is_correct"] = "on"
    for i, text in enumerate(items):
        data |= {f"ordering_items-{i}-position": i + 1, f"ordering_items-{i}-text_md": text}
    for i, (prompt, response) in enumerate(pairs):
        data |= {
            f"pairs-{i}-position": i + 1,
            f"pairs-{i}-prompt_md": prompt,
            f"pairs-{i}-response_md": response,
        }
    return data


def form_data(response, form_id):
    """What a browser would post back from a form on the page, unchanged."""
    form = soup_of(response).find("form", id=form_id)
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name = field["name"]
        if "__prefix__" in name:
            continue
        if field.name == "input":
            kind = field.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and not field.has_attr("checked"):
                continue
            data.setdefault(name, []).append(
                field.get("value", "on" if kind in ("checkbox", "radio") else "")
            )
        elif field.name == "select":
            chosen = field.select("option[selected]") or (
                [] if field.has_attr("multiple") else field.select("option")[:1]
            )
            data.setdefault(name, []).extend(option.get("value", option.get_text()) for option in chosen)
        else:
            text = field.get_text()
            data.setdefault(name, []).append(text[1:] if text.startswith("\n") else text)
    return data


def edit_post(client, question, **changes):
    """The change form of a question as the admin renders it, with some fields changed."""
    data = form_data(client.get(url("question_change", question.pk)), "question_form")
    return {**data, **{name: [value] for name, value in changes.items()}, "_save": ["Save"]}


def action_post(action, *questions, **extra):
    return {"action": action, "index": "0", "_selected_action": [q.pk for q in questions], **extra}


def option_values(response, field_id):
    return [
        option["value"] for option in soup_of(response).select(f"select#{field_id} option") if option["value"]
    ]


# ------------------------------------------------------------------------------ who sees and changes what
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


def _status(question):
    return question.status


def _guide(question):
    return question.guide_version


def _set(question):
    return question.question_set_id


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


# -------------------------------------------------------------------------------------------- authoring
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


# ---------------------------------------------------------------------------------------------- actions
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


@pytest.fixture
def sets_to_move_to(own_set, other_exam, others_set):
    same_exam = make_question_set(
        exam=own_set.exam, slug="irene-second", title="Irene's second", owner=own_set.owner
    )
    other = make_question_set(
        exam=other_exam, slug="irene-other", title="Irene's other exam", owner=own_set.owner
    )
    return same_exam, other


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


def test_the_needs_task_statement_filter_lists_only_questions_without_one(
    as_instructor, own_set, own_question
):
    loose = make_question(
        question_set=own_set, stem="Which task is this for?", status="draft", task_statement=""
    )
    assert listed(as_instructor.get(url("question_changelist"), {"needs": "task"})) == [loose]
    assert set(listed(as_instructor.get(url("question_changelist")))) == {own_question, loose}


def test_the_objective_filter_lists_the_questions_naming_that_objective(
    as_instructor, exam, own_set, own_question
):
    exam.task_statements.filter(number="1.1").update(objectives=["Store widgets", "Count widgets"])
    exam.task_statements.filter(number="1.2").update(objectives=[f"Objective {n}" for n in range(1, 11)])
    counting = make_question(question_set=own_set, stem="How are widgets counted?", objectives=["1.1.2"])
    both = make_question(question_set=own_set, stem="Count and store?", objectives=["1.1.1", "1.1.2"])
    tenth = make_question(question_set=own_set, stem="The tenth one?", objectives=["1.2.10"])
    response = as_instructor.get(url("question_changelist"), {"objective": "TST-C01:1.1.2"})
    assert set(listed(response)) == {counting, both}
    assert listed(as_instructor.get(url("question_changelist"), {"objective": "TST-C01:1.2.1"})) == []
    assert listed(as_instructor.get(url("question_changelist"), {"objective": "TST-C01:1.2.10"})) == [tenth]
    assert listed(as_instructor.get(url("question_changelist"), {"objective": "OTH-C01:1.1.2"})) == []
    choices = [
        choice["display"] for choice in response.context["cl"].filter_specs[3].choices(response.context["cl"])
    ]
    assert "TST-C01 1.1.2 Count widgets" in choices


@pytest.mark.parametrize("value", ["abc", "TST-C01:1.1", "1.1.2", "TST-C01:1.1.2'--", "x" * 500])
def test_a_garbage_objective_filter_lists_nothing_and_does_not_fail(as_instructor, own_question, value):
    assert listed(as_instructor.get(url("question_changelist"), {"objective": value})) == []


def test_the_objective_filter_offers_only_the_chosen_exams_objectives(
    as_instructor, exam, other_exam, own_question
):
    exam.task_statements.filter(number="1.1").update(objectives=["Store widgets"])
    other_exam.task_statements.update(objectives=["Other thing"])
    response = as_instructor.get(url("question_changelist"), {"exam": "TST-C01"})
    choices = [
        choice["display"] for choice in response.context["cl"].filter_specs[3].choices(response.context["cl"])
    ]
    assert "TST-C01 1.1.1 Store widgets" in choices and "OTH-C01 1.1.1 Other thing" not in choices


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


def test_the_guide_review_filter_lists_only_questions_written_for_another_guide_version(
    as_instructor, own_set, own_question
):
    older = make_question(question_set=own_set, stem="Written for the old guide?", guide_version="1.0")
    unknown = make_question(question_set=own_set, stem="Written for which guide?", guide_version="")
    flagged = listed(as_instructor.get(url("question_changelist"), {"needs": "guide"}))
    assert set(flagged) == {older, unknown}


def test_the_question_list_marks_questions_written_for_an_older_guide(as_instructor, own_set, own_question):
    make_question(question_set=own_set, stem="Written for the old guide?", guide_version="1.0")
    soup = soup_of(as_instructor.get(url("question_changelist"), {"o": "1"}))
    marks = {
        row.select_one("th.field-short_stem").get_text(): row.select_one("td.field-guide_ok img")["alt"]
        for row in soup.select("#result_list tbody tr")
    }
    assert marks == {
        "Irene asks: which service stores objects?": "True",
        "Written for the old guide?": "False",
    }


def test_the_open_reports_filter_lists_only_questions_with_unresolved_reports(
    as_instructor, own_set, own_question, student
):
    reported = make_question(question_set=own_set, stem="A reported question?")
    for _ in range(2):
        report_problem(question=reported, user=student, category="typo", text="A typo in the stem.")
    report_problem(question=own_question, user=student, category="typo", text="Fixed already.")
    ProblemReport.objects.filter(question=own_question).update(resolved=True)
    assert listed(as_instructor.get(url("question_changelist"), {"needs": "reports"})) == [reported]


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


# ---------------------------------------------------------------------------------- preview and duplicate
def test_the_preview_shows_the_question_then_the_answer_with_rationales_and_explanation(
    as_instructor, own_set
):
    question = make_question(
        question_set=own_set,
        kind="multiple_response",
        explanation="Both keep data **durably**.",
        guide_version="2.0",
    )
    response = as_instructor.get(url("question_preview", question.pk))
    assert response.status_code == 200
    as_student, with_answer = soup_of(response).select("article.question-display")

    for part in (as_student, with_answer):
        assert part.select_one(".question-stem").get_text() == "Which services store data? (Choose TWO.)"
        assert [label.get_text(strip=True) for label in part.select(".choice label")] == [
            "Amazon S3",
            "Amazon DynamoDB",
            "AWS Lambda",
            "Amazon SNS",
            "AWS IAM",
        ]
        boxes = part.select(".choice input")
        assert all(box["type"] == "checkbox" and box.has_attr("disabled") for box in boxes)

    assert as_student.select(".rationale, .explanation, input[checked], .choice-correct") == []

    rationales = [p.get_text(" ", strip=True) for p in with_answer.select(".rationale")]
    assert rationales == [
        "Correct. Object storage.",
        "Correct. A key-value database.",
        "Incorrect. Runs code.",
        "Incorrect. Sends notifications.",
        "Incorrect. Manages access.",
    ]
    assert len(with_answer.select(".choice-correct input[checked]")) == 2
    assert with_answer.select_one(".explanation strong").get_text() == "durably"


def test_the_preview_links_the_explanation_to_its_section_or_says_it_does_not_resolve(
    as_instructor, exam, own_set
):
    make_note(exam=exam, slug="widgets", body="## Where widgets live\n\nText.\n")
    linked = make_question(question_set=own_set, stem="Linked?", section="widgets#where-widgets-live")
    broken = make_question(question_set=own_set, stem="Broken?", section="widgets#nowhere", status="draft")
    _, with_answer = soup_of(as_instructor.get(url("question_preview", linked.pk))).select(
        "article.question-display"
    )
    link = with_answer.select_one(".study-section a")
    assert link["href"] == "/exams/tst-c01/notes/widgets/#where-widgets-live"
    _, with_answer = soup_of(as_instructor.get(url("question_preview", broken.pk))).select(
        "article.question-display"
    )
    assert "names no heading of a note" in with_answer.select_one(".study-section").get_text()


def test_the_preview_of_a_matching_question_reveals_the_correct_responses_only_in_the_answer_part(
    as_instructor, own_set
):
    question = make_question(question_set=own_set, kind="matching")
    as_student, with_answer = soup_of(as_instructor.get(url("question_preview", question.pk))).select(
        "article.question-display"
    )
    assert [td.get_text() for td in as_student.select("tbody td:first-child")] == [
        "Store objects",
        "Run code without servers",
        "Manage encryption keys",
    ]
    assert "Amazon S3" not in as_student.select_one("tbody").get_text()
    assert [td.get_text() for td in with_answer.select("tbody td:last-child")] == [
        "Amazon S3",
        "AWS Lambda",
        "AWS KMS",
    ]


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


# ------------------------------------------------------------------------------------------------- import
VALID_YAML = """\
questions:
  - id: imp-001
    kind: multiple_choice
    task_statement: "1.1"
    status: published
    stem: Which service stores objects?
    choices:
      - text: Amazon S3
        correct: true
        rationale: Object storage.
      - text: Amazon EBS
      - text: Amazon EFS
      - text: AWS Lambda
    explanation: S3 stores objects.
  - id: imp-002
    kind: ordering
    status: published
    stem: Put the steps in order.
    items: [Collect the data., Train the model., Evaluate the model.]
    explanation: Data first.
"""


def upload(name, text):
    return {"file": SimpleUploadedFile(name, text.encode()), "format": ""}


def test_the_import_page_offers_the_upload_form(as_instructor, own_set):
    soup = soup_of(as_instructor.get(url("questionset_import", own_set.pk)))
    assert soup.select_one("form[enctype='multipart/form-data'] input[type=file][name=file]")
    assert "Irene's bank" in soup.select_one("#content").get_text()


def test_importing_a_yaml_file_creates_questions_and_shows_the_report(as_instructor, instructor, own_set):
    response = as_instructor.post(url("questionset_import", own_set.pk), upload("bank.yaml", VALID_YAML))

    assert response.status_code == 302
    assert response["Location"] == url("question_changelist") + f"?question_set__id__exact={own_set.pk}"
    assert messages_of(response) == [
        "questions: 2 created, 0 updated, 0 unchanged, 0 skipped",
        "  imported as draft line 15: needs a task statement",
    ]
    questions = {q.external_id: q for q in own_set.questions.all()}
    assert set(questions) == {"imp-001", "imp-002"}
    assert questions["imp-001"].status == "published" and questions["imp-001"].author == instructor
    assert questions["imp-002"].status == "draft"
    assert questions["imp-001"].stem_html == "<p>Which service stores objects?</p>"


def test_importing_the_same_file_again_changes_nothing(as_instructor, own_set):
    as_instructor.post(url("questionset_import", own_set.pk), upload("bank.yaml", VALID_YAML))
    response = as_instructor.post(url("questionset_import", own_set.pk), upload("bank.yaml", VALID_YAML))
    assert "questions: 0 created, 0 updated, 2 unchanged, 0 skipped" in messages_of(response)
    assert own_set.questions.count() == 2


def test_a_malformed_yaml_file_shows_file_and_line_and_imports_nothing(as_instructor, own_set):
    broken = VALID_YAML.replace("    kind: ordering\n", "    kind: ordering: matching\n")
    response = as_instructor.post(url("questionset_import", own_set.pk), upload("broken.yaml", broken))
    assert response.status_code == 200
    error = soup_of(response).select_one(".errorlist").get_text()
    assert error.startswith("broken.yaml:16: YAML syntax error: mapping values are not allowed here")
    assert error.endswith("Nothing was imported.")
    assert not own_set.questions.exists()


def test_a_yaml_question_breaking_a_rule_shows_file_and_line_and_imports_nothing(as_instructor, own_set):
    three_choices = VALID_YAML.replace("      - text: AWS Lambda\n", "")
    response = as_instructor.post(url("questionset_import", own_set.pk), upload("bank.yaml", three_choices))
    assert response.status_code == 200
    errors = [li.get_text() for li in soup_of(response).select(".errorlist li")]
    assert errors == [
        "bank.yaml:2: a multiple choice question has exactly 4 choices, not 3",
        "Nothing was imported.",
    ]
    assert not own_set.questions.exists()  # not even the valid second question


# ------------------------------------------------------------------------------------------ problem reports
@pytest.fixture
def reports(own_question, others_question, student):
    own = report_problem(question=own_question, user=student, category="typo", text="Irene's typo here.")
    other = report_problem(
        question=others_question, user=student, category="unclear", text="Oscar's unclear."
    )
    return own, other


def test_problem_reports_are_listed_only_for_the_owner_of_the_set(as_instructor, reports):
    own, _ = reports
    response = as_instructor.get(url("problemreport_changelist"))
    assert listed(response) == [own]
    assert "Oscar&#x27;s unclear." not in response.text


def test_the_superuser_sees_every_problem_report(as_superuser, reports):
    assert set(listed(as_superuser.get(url("problemreport_changelist")))) == set(reports)


def test_an_instructor_cannot_open_another_instructors_problem_report(as_instructor, reports):
    _, other = reports
    assert_refused(as_instructor.get(url("problemreport_change", other.pk)))


def test_mark_resolved_resolves_only_own_reports(as_instructor, reports):
    own, other = reports
    data = {"action": "mark_resolved", "index": "0", "_selected_action": [own.pk, other.pk]}
    response = as_instructor.post(url("problemreport_changelist"), data)
    assert messages_of(response) == ["1 report(s) resolved."]
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.resolved, other.resolved) == (True, False)


def test_instructors_cannot_add_problem_reports_in_the_admin(as_instructor, reports):
    assert as_instructor.get(url("problemreport_add")).status_code == 403


# ------------------------------------------------------------------------------------------- query counts
BIG_EXAM_TASKS = [
    (1, "Data", 50, [f"1.{n}" for n in range(1, 11)]),
    (2, "Models", 50, [f"2.{n}" for n in range(1, 11)]),
]


def add_questions(sets, count, tasks):
    """Many bare questions, spread over the sets and task statements given (bulk_create: no parts)."""
    Question.objects.bulk_create(
        Question(
            question_set=sets[i % len(sets)],
            kind="multiple_choice",
            stem_md=f"Bulk question number {i}?",
            task_statement=tasks[i % len(tasks)],
            status="published",
            guide_version="2.0",
        )
        for i in range(count)
    )


def repeated(queries):
    """The queries made more than once: what an N+1 looks like."""
    return "\n".join(f"{n} × {sql[:200]}" for sql, n in Counter(queries).most_common() if n > 1)


def changelist_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("who", ["instructor", "admin"])
def test_the_question_list_makes_as_many_queries_for_5000_questions_as_for_10(client, instructor, admin, who):
    exam = make_exam(code="BIG-C01", guide_version="2.0", domains=BIG_EXAM_TASKS)
    tasks = list(exam.task_statements.all())
    sets = [
        make_question_set(exam=exam, slug=f"big-{n}", title=f"Big {n}", owner=instructor) for n in range(3)
    ]
    client.force_login(instructor if who == "instructor" else admin)

    add_questions(sets[:1], 10, tasks[:10])
    small = changelist_queries(client, url("question_changelist"))
    add_questions(sets, 4990, tasks)
    assert Question.objects.count() == 5000
    large = changelist_queries(client, url("question_changelist"))

    assert len(large) == len(small), repeated(large)


def test_the_question_set_list_makes_as_many_queries_for_40_sets_as_for_2(as_superuser, instructor, exam):
    def add_sets(first, count):
        for n in range(first, first + count):
            question_set = make_question_set(exam=exam, slug=f"set-{n}", title=f"Set {n}", owner=instructor)
            add_questions([question_set], 3, list(exam.task_statements.all()))

    add_sets(0, 2)
    small = changelist_queries(as_superuser, url("questionset_changelist"))
    add_sets(2, 38)
    large = changelist_queries(as_superuser, url("questionset_changelist"))
    assert len(large) == len(small), repeated(large)


def test_the_problem_report_list_makes_as_many_queries_for_150_reports_as_for_3(
    as_instructor, own_set, student
):
    def add_reports(count):
        add_questions([own_set], count, list(own_set.exam.task_statements.all()))
        for question in own_set.questions.filter(reports__isnull=True):
            report_problem(question=question, user=student, category="typo", text="A typo somewhere.")

    add_reports(3)
    small = changelist_queries(as_instructor, url("problemreport_changelist"))
    add_reports(147)
    assert ProblemReport.objects.count() == 150
    large = changelist_queries(as_instructor, url("problemreport_changelist"))
    assert len(large) == len(small), repeated(large)


def list_edit_post(*reports):
    """The problem report list's own form: a `resolved` checkbox per row, saved with one button."""
    data = {**management_form("form", len(reports), initial=len(reports)), "_save": "Save"}
    for i, report in enumerate(reports):
        data |= {f"form-{i}-id": report.pk, f"form-{i}-resolved": "on"}
    return data


def test_ticking_resolved_in_the_report_list_saves_it(as_instructor, reports):
    own, _ = reports
    response = as_instructor.post(url("problemreport_changelist"), list_edit_post(own))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.resolved is True


def test_ticking_resolved_on_another_instructors_report_in_the_list_changes_nothing(as_instructor, reports):
    _, other = reports
    as_instructor.post(url("problemreport_changelist"), list_edit_post(other))
    other.refresh_from_db()
    assert other.resolved is False
