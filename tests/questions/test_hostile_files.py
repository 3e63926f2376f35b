"""Hostile question files and admin posts: refused with `file:line`, never a crash, a 500 or a half-made set."""

import codecs
import time
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from apps.content.markdown_limits import MAX_NESTING
from apps.questions import formats, validation
from apps.questions.data import FormatError, QuestionData
from apps.questions.formats import yaml as yaml_format
from apps.questions.models import Question, QuestionSet, Scenario
from apps.questions.roles import INSTRUCTORS
from tests.factories import make_exam, make_question_set
from tests.questions.admin.helpers import MR_CHOICES, new_question_post, url

ALIAS_BOMB = """\
set: {title: Bomb}
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
questions:
  - id: q1
    kind: multiple_choice
    stem: Boom
    difficulty: *h
"""


def question_yaml(**fields):
    """A valid one-question file with some fields replaced (values are YAML source)."""
    values = {
        "id": "q1",
        "kind": "multiple_choice",
        "task_statement": '"1.1"',
        "status": "published",
        "stem": "Which service stores widgets?",
        "explanation": "The store stores.",
        **fields,
    }
    lines = ["questions:", "  - " + "\n    ".join(f"{key}: {value}" for key, value in values.items())]
    lines.append(
        "    choices:\n"
        "      - {text: Amazon Widget Store, correct: true}\n"
        "      - {text: Amazon Gadget Queue}\n"
        "      - {text: AWS Lambda}\n"
        "      - {text: Amazon SNS}"
    )
    return "\n".join(lines) + "\n"


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")


def run_import(tmp_path, content, *args, name="bank.yaml"):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = StringIO()
    call_command("import_questions", str(path), *args, stdout=out)
    return path, out.getvalue()


def refused(tmp_path, content, *args, name="bank.yaml"):
    with pytest.raises(CommandError) as caught:
        run_import(tmp_path, content, "--set", "new-set", "--exam", "TST-C01", *args, name=name)
    assert str(caught.value).endswith("Nothing was imported.")
    return str(caught.value)


# ----------------------------------------------------------------------------------------------- YAML
def test_an_alias_bomb_is_refused_with_its_line_before_anything_expands(exam, tmp_path):
    started = time.monotonic()
    message = refused(tmp_path, ALIAS_BOMB)
    assert message.startswith(f"{tmp_path / 'bank.yaml'}:2: YAML not accepted: anchors and aliases")
    assert time.monotonic() - started < 2
    assert not QuestionSet.objects.exists()


def test_a_single_anchor_is_refused_too():
    with pytest.raises(FormatError) as caught:
        yaml_format.parse(question_yaml(explanation="&why The store stores."))
    assert caught.value.line == 7
    assert "anchors and aliases" in caught.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("questions: " + "[" * 5000 + "]" * 5000, "nested deeper than 32 levels"),
        (question_yaml(difficulty="9" * 5000), "a number longer than 30 digits"),
    ],
    ids=["deep-nesting", "huge-integer"],
)
def test_yaml_the_loader_would_choke_on_is_refused_with_a_clear_error(text, message):
    with pytest.raises(FormatError, match=message):
        yaml_format.parse(text)


@pytest.mark.parametrize(
    ("fields", "line", "message"),
    [
        ({"difficulty": "[[1, 2], [3, 4]]"}, 7, "'difficulty' must be 1, 2 or 3"),
        ({"services": "[[a, b]]"}, 1, "'services' must be a list of glossary slugs"),
        ({"choices": "12"}, 1, "'choices' must be a list"),
        ({"pairs": "{a: b}"}, 1, "'pairs' must be a list"),
    ],
    ids=["difficulty", "services", "choices", "pairs"],
)
def test_values_of_the_wrong_type_are_refused_before_they_are_turned_into_text(fields, line, message):
    text = question_yaml(**fields)
    if "choices" in fields:
        text = text.replace("    choices:\n      - {text: Amazon Widget Store, correct: true}\n", "")
        text = text.replace("      - {text: Amazon Gadget Queue}\n      - {text: AWS Lambda}\n", "")
        text = text.replace("      - {text: Amazon SNS}\n", "")
    with pytest.raises(FormatError) as caught:
        yaml_format.parse(text)
    assert caught.value.message == message
    assert caught.value.line >= line


def test_set_metadata_must_be_plain_text_with_a_known_visibility():
    with pytest.raises(FormatError, match="'title' must be text"):
        yaml_format.parse("set:\n  title: [[a]]\n" + question_yaml())
    with pytest.raises(FormatError, match="visibility must be one of public, classrooms, private"):
        yaml_format.parse("set:\n  visibility: everyone\n" + question_yaml())


def test_validation_messages_never_carry_a_huge_value():
    data = QuestionData(kind="multiple_choice", stem="Which?", status="x" * 1_000_000, difficulty=[[1] * 10**5])
    errors = validation.question_errors(data)
    assert errors and all(len(error) < 300 for error in errors)


# ---------------------------------------------------------------------------------------- column lengths
@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": "q" * 101}, "'id' is longer than 100 characters (101)"),
        ({"guide_version": "1" * 21}, "'guide_version' is longer than 20 characters (21)"),
    ],
    ids=["id", "guide-version"],
)
def test_a_field_longer_than_its_column_stops_a_yaml_import_with_its_line(exam, tmp_path, fields, message):
    text = question_yaml(**fields)
    assert refused(tmp_path, text) == f"{tmp_path / 'bank.yaml'}:2: {message}\nNothing was imported."
    assert not Question.objects.exists()


def test_a_scenario_or_set_title_longer_than_its_column_is_refused(exam, tmp_path):
    scenario = f"scenarios:\n  - id: shop\n    title: {'t' * 201}\n    text: A shop.\n"
    message = refused(tmp_path, scenario + question_yaml())
    assert message.startswith(f"{tmp_path / 'bank.yaml'}:2: 'scenario title' is longer than 200 characters")
    message = refused(tmp_path, f"set:\n  title: {'t' * 201}\n" + question_yaml())
    assert message.startswith(f"{tmp_path / 'bank.yaml'}:2: 'title' is longer than 200 characters")
    assert not Scenario.objects.exists() and not QuestionSet.objects.exists()


# ------------------------------------------------------------------------------------------ encodings
def test_nul_bytes_are_refused_with_their_line(exam, tmp_path):
    message = refused(tmp_path, question_yaml().replace("The store", "The\0store"))
    assert message.startswith(f"{tmp_path / 'bank.yaml'}:7: a NUL character: this is not a text file")


def test_utf16_with_a_byte_order_mark_is_read(exam, tmp_path):
    raw = codecs.BOM_UTF16_LE + question_yaml().encode("utf-16-le")
    _, output = run_import(tmp_path, raw, "--set", "new-set", "--exam", "TST-C01")
    assert "1 created" in output


def test_utf16_without_a_byte_order_mark_is_refused_clearly():
    with pytest.raises(FormatError, match="NUL character"):
        formats.read("bank.yaml", question_yaml().encode("utf-16-le"))


# ------------------------------------------------------------------------------------ failed imports
def test_a_failed_import_into_a_new_set_leaves_no_set_behind(exam, tmp_path):
    refused(tmp_path, question_yaml(task_statement='"9.9"'))
    assert not QuestionSet.objects.filter(slug="new-set").exists()


def test_a_successful_import_into_a_new_set_creates_it(exam, tmp_path):
    _, output = run_import(tmp_path, question_yaml(), "--set", "new-set", "--exam", "TST-C01")
    assert output.startswith("Created question set new-set (TST-C01).")
    assert QuestionSet.objects.get(slug="new-set").questions.count() == 1


# ------------------------------------------------------------------------------------------- Markdown
def test_markdown_beyond_the_limits_stops_a_yaml_import_at_its_question(exam, tmp_path):
    message = refused(tmp_path, question_yaml(explanation='"' + ">" * 400 + '"'))
    assert message == (
        f"{tmp_path / 'bank.yaml'}:2: explanation: nesting deeper than {MAX_NESTING} at line 1\n"
        "Nothing was imported."
    )


def test_markdown_beyond_the_limits_skips_a_gift_question_with_its_reason(exam, tmp_path):
    gift = (
        "Which service stores widgets? {\n  =Amazon Widget Store\n  ~Amazon Gadget Queue\n  ~AWS Lambda\n"
        "  ~Amazon SNS\n}\n\n" + "[" * 16000 + " which one? {\n  =A\n  ~B\n  ~C\n  ~D\n}\n"
    )
    started = time.monotonic()
    _, output = run_import(tmp_path, gift, "--set", "new-set", "--exam", "TST-C01", name="bank.gift")
    assert time.monotonic() - started < 5
    assert "questions: 1 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "skipped line 8: stem: more than 32 unclosed '[' at line 1" in output


# ---------------------------------------------------------------------------------------------- admin
@pytest.fixture
def as_instructor(client, instructor):
    instructor.groups.add(Group.objects.get(name=INSTRUCTORS))
    client.force_login(instructor)
    return client


def test_the_admin_form_shows_markdown_beyond_the_limits_as_a_form_error(as_instructor, instructor, exam):
    own_set = make_question_set(exam=exam, slug="irene-bank", owner=instructor)
    task = exam.task_statements.get(number="1.1")
    choices = [("[" * 16000, True, ""), *MR_CHOICES[1:]]
    data = new_question_post(question_set=own_set, task_statement=task, stem=">" * 400, choices=choices)
    response = as_instructor.post(url("question_add"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"This Markdown cannot be shown: nesting deeper than {MAX_NESTING} at line 1." in page
    assert "This Markdown cannot be shown: more than 32 unclosed &#x27;[&#x27; at line 1." in page
    assert not Question.objects.exists()


def test_the_scenario_admin_shows_markdown_beyond_the_limits_as_a_form_error(as_instructor, instructor, exam):
    own_set = make_question_set(exam=exam, slug="irene-bank", owner=instructor)
    data = {"question_set": own_set.pk, "external_id": "shop", "title": "Shop", "text_md": "- " * 1000}
    response = as_instructor.post(url("scenario_add"), data)
    assert response.status_code == 200
    assert "This Markdown cannot be shown: nesting deeper than" in response.content.decode()
    assert not Scenario.objects.exists()


def test_an_admin_upload_with_an_alias_bomb_is_a_form_error(as_instructor, instructor, exam):
    from django.core.files.uploadedfile import SimpleUploadedFile

    own_set = make_question_set(exam=exam, slug="irene-bank", owner=instructor)
    upload = SimpleUploadedFile("bomb.yaml", ALIAS_BOMB.encode())
    response = as_instructor.post(url("questionset_import", own_set.pk), {"file": upload, "format": ""})
    assert response.status_code == 200
    assert "bomb.yaml:2: YAML not accepted: anchors and aliases" in response.content.decode()
    assert not Question.objects.exists()
