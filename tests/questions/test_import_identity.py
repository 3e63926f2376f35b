"""Which stored question an imported one is, what a re-import may replace, and how formats are chosen."""

import contextlib
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.questions import formats
from apps.questions.data import ChoiceData, FormatError
from apps.questions.models import Question, QuestionSet
from apps.questions.services import import_questions, refresh_question
from tests.factories import make_exam, make_question, make_question_set

SAME_STEM = """\
$CATEGORY: TST-C01/1.1

Which statement is correct? {
  =Amazon S3 stores objects.
  ~Amazon S3 runs code.
  ~Amazon S3 sends mail.
  ~Amazon S3 is a database.
  ####S3 is object storage.
}

Which statement is correct? {
  =AWS Lambda runs code.
  ~AWS Lambda stores objects.
  ~AWS Lambda sends mail.
  ~AWS Lambda is a database.
  ####Lambda runs code.
}
"""

YAML = """\
questions:
  - id: q-1
    kind: multiple_choice
    task_statement: "1.1"
    status: published
    stem: Which service stores objects?
    choices:
      - {text: Amazon S3, correct: true}
      - {text: Amazon EBS}
      - {text: Amazon EFS}
      - {text: AWS Lambda}
    explanation: S3 is object storage.
"""


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")


def write(tmp_path, text, name):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path, *args):
    out = StringIO()
    call_command("import_questions", str(path), *args, stdout=out)
    return out.getvalue()


def edit_in_admin(question, stem):
    question.stem_md = stem
    question.save()
    refresh_question(question=question)


# ------------------------------------------------------------------------------------------------ identity
def test_two_questions_with_the_same_stem_and_other_choices_both_import(exam, tmp_path):
    path = write(tmp_path, SAME_STEM, "bank.gift")
    assert "questions: 2 created" in run(path, "--set", "s", "--exam", "TST-C01")
    assert Question.objects.filter(stem_md="Which statement is correct?").count() == 2
    assert "questions: 0 created, 0 updated, 2 unchanged" in run(path, "--set", "s")


def test_the_same_question_twice_in_a_file_is_listed_once_as_skipped(exam, tmp_path):
    first = SAME_STEM.split("\n\n")[1]
    path = write(tmp_path, SAME_STEM + "\n" + first + "\n", "bank.gift")
    output = run(path, "--set", "s", "--exam", "TST-C01")
    assert "questions: 2 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "  skipped line 19: the same question as line 3" in output


def test_a_gift_title_is_the_id_so_a_changed_stem_updates_the_question(exam, tmp_path):
    path = write(tmp_path, "::s3-1::Which service stores objects? {=S3 ~EBS ~EFS ~Lambda}\n", "bank.gift")
    run(path, "--set", "s", "--exam", "TST-C01")
    original = Question.objects.get()
    write(tmp_path, "::s3-1::Where do objects live? {=S3 ~EBS ~EFS ~Lambda}\n", "bank.gift")
    assert "0 created, 1 updated" in run(path, "--set", "s")
    assert Question.objects.get().pk == original.pk and original.external_id == "s3-1"


# ------------------------------------------------------------------------------------ changed here, kept
def test_a_question_edited_here_is_kept_by_a_re_import_and_listed_once(exam, tmp_path):
    path = write(tmp_path, YAML, "bank.yaml")
    run(path, "--set", "s", "--exam", "TST-C01")
    edit_in_admin(Question.objects.get(), "Which AWS service stores objects?")
    write(tmp_path, YAML.replace("S3 is object storage.", "S3 stores objects."), "bank.yaml")
    output = run(path, "--set", "s")
    assert "questions: 0 created, 0 updated, 0 unchanged, 1 changed here, kept, 0 skipped" in output
    assert "  changed here, kept line 2: edited since it was imported (--overwrite replaces it)" in output
    question = Question.objects.get()
    assert (question.stem_md, question.explanation_md) == (
        "Which AWS service stores objects?",
        "S3 is object storage.",
    )


def test_overwrite_replaces_a_question_edited_here(exam, tmp_path):
    path = write(tmp_path, YAML, "bank.yaml")
    run(path, "--set", "s", "--exam", "TST-C01")
    edit_in_admin(Question.objects.get(), "Which AWS service stores objects?")
    output = run(path, "--set", "s", "--overwrite")
    assert "questions: 0 created, 1 updated, 0 unchanged, 0 skipped" in output
    assert Question.objects.get().stem_md == "Which service stores objects?"
    # What was written is now the imported state: the next plain import finds nothing changed here.
    assert "0 created, 0 updated, 1 unchanged, 0 skipped" in run(path, "--set", "s")


def test_a_question_published_here_is_not_set_back_to_draft_by_a_re_import(exam, tmp_path):
    path = write(tmp_path, "Which service stores objects? {=S3 ~EBS ~EFS ~Lambda}\n", "bank.gift")
    run(path, "--set", "s", "--exam", "TST-C01")
    question = Question.objects.get()
    assert question.status == "draft"  # no task statement, no explanation
    Question.objects.filter(pk=question.pk).update(status="published")
    assert "1 changed here, kept" in run(path, "--set", "s")
    assert Question.objects.get().status == "published"


def test_a_question_made_in_the_admin_is_matched_by_its_content_and_not_replaced(exam, tmp_path):
    question_set = make_question_set(exam=exam, slug="s")
    path = write(tmp_path, "Which service stores objects? {=S3 ~EBS ~EFS ~Lambda}\n", "bank.gift")
    made = make_question(
        question_set=question_set,
        stem="Which service stores objects?",
        choices=[ChoiceData("S3", True), ChoiceData("EBS"), ChoiceData("EFS"), ChoiceData("Lambda")],
    )
    assert "0 created, 0 updated, 0 unchanged, 1 changed here, kept" in run(path, "--set", "s")
    assert list(Question.objects.values_list("pk", flat=True)) == [made.pk]


def test_the_admin_upload_keeps_edited_questions_unless_overwrite_is_ticked(exam, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    question_set = make_question_set(exam=exam, slug="s")
    url = reverse("admin:questions_questionset_import", args=[question_set.pk])

    def upload(**extra):
        return admin_client.post(
            url, {"file": SimpleUploadedFile("bank.yaml", YAML.encode()), **extra}, follow=True
        )

    upload()
    edit_in_admin(Question.objects.get(), "Edited here.")
    messages = [str(m) for m in upload().context["messages"]]
    assert "questions: 0 created, 0 updated, 0 unchanged, 1 changed here, kept, 0 skipped" in messages
    assert Question.objects.get().stem_md == "Edited here."
    upload(overwrite="on")
    assert Question.objects.get().stem_md == "Which service stores objects?"


# ------------------------------------------------------------------------------------------ not AWS format
NOT_AWS = """\
$CATEGORY: TST-C01/1.1

Three choices only. {=A ~B ~C ####Why.}

Four choices, two right. {~%50%A ~%50%B ~%-100%C ~%-100%D ####Why.}

Partial credit. {=A ~%50%B ~C ~D ####Why.}

Short answer. {=S3 =Amazon S3}
"""


def test_questions_out_of_aws_shape_are_drafts_marked_with_the_reason_and_listed_once(exam, tmp_path):
    output = run(write(tmp_path, NOT_AWS, "bank.gift"), "--set", "s", "--exam", "TST-C01")
    assert "questions: 3 created, 0 updated, 0 unchanged, 1 skipped" in output
    marks = dict(Question.objects.values_list("stem_md", "not_aws_format"))
    assert marks["Three choices only."] == "a multiple choice question has exactly 4 choices, not 3"
    assert marks["Four choices, two right. (Select TWO.)"] == (
        "a multiple response question has at least 5 choices, not 4"
    )
    assert marks["Partial credit."] == "partial credit for “B” dropped (all-or-nothing here)"
    assert set(Question.objects.values_list("status", flat=True)) == {"draft"}
    assert "  imported as draft line 3: not AWS format — a multiple choice question has exactly 4" in output
    assert "  skipped line 9: a short-answer question (not supported)" in output
    assert output.count("line 9") == 1


def test_the_mark_goes_when_an_instructor_gives_the_question_aws_shape(exam, tmp_path):
    run(write(tmp_path, NOT_AWS, "bank.gift"), "--set", "s", "--exam", "TST-C01")
    question = Question.objects.get(stem_md="Three choices only.")
    question.choices.create(text_md="D", position=4)
    refresh_question(question=question)
    assert Question.objects.get(pk=question.pk).not_aws_format == ""


def test_the_admin_lists_questions_not_in_aws_format(exam, tmp_path, admin_client):
    from django.urls import reverse

    run(write(tmp_path, NOT_AWS + "\n" + SAME_STEM, "bank.gift"), "--set", "s", "--exam", "TST-C01")
    response = admin_client.get(reverse("admin:questions_question_changelist") + "?needs=shape")
    assert response.context["cl"].result_count == 3


def test_yaml_stays_strict_about_aws_shape(exam, tmp_path):
    three = YAML.replace("      - {text: AWS Lambda}\n", "")
    with pytest.raises(CommandError, match="exactly 4 choices, not 3"):
        run(write(tmp_path, three, "bank.yaml"), "--set", "s", "--exam", "TST-C01")


# ------------------------------------------------------------------------------------------ format choice
@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("bank", "### Which one?\n\n- [x] A\n- [ ] B\n", "markdown"),
        ("bank.txt", "Which one?\nA. Yes\nB. No\nANSWER: A\n", "aiken"),
        ("bank.txt", "Which one? {=A ~B}\n", "gift"),
        ("bank", '{"questions": []}', "json"),
        ("bank", "set:\n  title: x\nquestions: []\n", "yaml"),
        ("bank", "<?xml version='1.0'?><quiz></quiz>", "moodle-xml"),
        ("bank.md", "Which one? {=A ~B}\n", "markdown"),  # the name wins over the content
    ],
)
def test_the_format_is_told_by_name_or_content(name, text, fmt):
    assert formats.guess_format(name, text) == fmt


def test_a_file_of_no_known_format_is_refused_not_read_as_gift():
    with pytest.raises(FormatError, match="cannot tell the format of this file"):
        formats.guess_format("notes.txt", "Just some notes about S3.\n")


def test_a_file_without_questions_exits_non_zero_and_leaves_no_empty_set(exam, tmp_path):
    path = write(tmp_path, "# My notes\n\nS3 stores objects.\n\n- [ ] buy milk\n", "bank.md")
    with pytest.raises(CommandError) as caught:
        run(path, "--set", "s", "--exam", "TST-C01")
    assert "no questions found — is this a markdown file?" in str(caught.value)
    assert not QuestionSet.objects.exists()


def test_a_file_whose_every_question_is_skipped_says_why(exam, tmp_path):
    path = write(tmp_path, "Name it. {=S3}\n", "bank.gift")
    with pytest.raises(CommandError) as caught:
        run(path, "--set", "s", "--exam", "TST-C01", "--format", "gift")
    message = str(caught.value)
    assert "no questions found — is this a gift file?" in message
    assert "(skipped line 1: a short-answer question (not supported))" in message
    assert not QuestionSet.objects.exists()


def test_the_import_service_reports_each_question_under_one_outcome(exam):
    question_set = make_question_set(exam=exam, slug="s")
    _, parsed = formats.read("bank.gift", NOT_AWS.encode())
    report = import_questions(question_set=question_set, parsed=parsed, strict=False)
    drafted = {where for where, _ in report.drafted}
    assert drafted == {"line 3", "line 5", "line 7"}
    assert [s.where for s in report.skipped] == ["line 9"]
    assert report.created == 3 and not report.kept


# ----------------------------------------------------------------------------------- new readers, end to end
MARKDOWN_BANK = """\
# Practice questions

### Which AWS service stores objects?

- [x] Amazon S3
- [ ] Amazon EBS
- [ ] Amazon EFS
- [ ] AWS Lambda

### Which statement is correct?

A. Amazon S3 runs code.
B. AWS Lambda runs code.
C. Amazon EBS sends mail.
D. AWS IAM stores objects.

**Answer:** B

**Explanation:** Lambda runs code without servers.
"""


def test_a_markdown_checkbox_bank_imports_as_drafts_and_a_second_import_changes_nothing(exam, tmp_path):
    path = write(tmp_path, MARKDOWN_BANK, "bank.md")
    output = run(path, "--set", "s", "--exam", "TST-C01")
    assert f"Read {path} as markdown." in output
    assert "questions: 2 created, 0 updated, 0 unchanged, 0 skipped" in output
    assert "  imported as draft line 3: needs a task statement and an explanation" in output
    assert "  imported as draft line 10: needs a task statement" in output
    lambda_question = Question.objects.get(stem_md="Which statement is correct?")
    assert [c.is_correct for c in lambda_question.choices.all()] == [False, True, False, False]
    assert lambda_question.explanation_md == "Lambda runs code without servers."
    assert "0 created, 0 updated, 2 unchanged" in run(path, "--set", "s")


def test_an_aiken_text_file_imports_with_three_choice_questions_marked_not_aws_format(exam, tmp_path):
    text = "Which one runs code?\nA. AWS Lambda\nB. Amazon S3\nC. Amazon EBS\nANSWER: A\n"
    output = run(write(tmp_path, text, "bank.txt"), "--set", "s", "--exam", "TST-C01")
    assert "as aiken." in output and "1 created" in output
    question = Question.objects.get()
    assert (question.status, question.not_aws_format) == (
        "draft",
        "a multiple choice question has exactly 4 choices, not 3",
    )


def test_the_admin_upload_says_no_questions_were_found(exam, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    question_set = make_question_set(exam=exam, slug="s")
    response = admin_client.post(
        reverse("admin:questions_questionset_import", args=[question_set.pk]),
        {"file": SimpleUploadedFile("notes.md", b"# Notes\n\nS3 stores objects.\n")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "notes.md:0: no questions found — is this a markdown file? Nothing was imported."
    ]
    assert not question_set.questions.exists()


@pytest.mark.parametrize(
    "line", ["{" * 5_000_000, "{ T" + " " * 5_000_000, "ANSWER: " + "A. " * 1_600_000, "#" * 5_000_000]
)
def test_telling_the_format_of_a_five_megabyte_line_takes_linear_time(line):
    started = time.monotonic()
    with contextlib.suppress(FormatError):
        formats.read("bank", line.encode())
    assert time.monotonic() - started < 5


def test_a_question_marked_not_aws_format_is_published_only_after_someone_saved_it(exam, tmp_path):
    from apps.questions.services import publish_questions

    gift_text = "$CATEGORY: TST-C01/1.1\n\nPartial credit. {=A ~%50%B ~C ~D ####Why.}\n"
    run(write(tmp_path, gift_text, "bank.gift"), "--set", "s", "--exam", "TST-C01")
    published, refused = publish_questions(questions=Question.objects.all())
    assert published == 0
    assert "not AWS format (partial credit for “B” dropped" in refused[0][1][0]
    refresh_question(question=Question.objects.get())  # an instructor saved it in the editor
    assert publish_questions(questions=Question.objects.all())[0] == 1
