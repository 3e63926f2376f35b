"""GIFT (Moodle's text format): what certprep reads, what it skips, what it refuses, and export → import."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.questions.data import ChoiceData, FormatError, PairData, Skipped
from apps.questions.formats import gift
from apps.questions.models import Question
from tests.factories import make_exam, make_question, make_question_set

BANK = r"""// A bank exported from a learning platform.
$CATEGORY: $course$/AIF-C01/1.1

::S3 basics::[markdown]Which **service** stores objects? {
  =Amazon S3#Right: S3 is object storage.
  ~Amazon EBS#EBS is block storage.
  ~Amazon EFS
  // a comment inside the answers
  ~AWS Lambda
  ####S3 stores **objects** of any size.
}

Which services store data? {
  ~%50%Amazon S3#Objects.
  ~%50%Amazon DynamoDB
  ~%-100%AWS Lambda#Runs code.
  ~%-100%Amazon SNS
  ~%-100%AWS IAM
}

$CATEGORY: AIF-C01/1.2
Amazon S3 is a storage service. {T}

Amazon EBS is object storage. {FALSE#No: EBS is block storage.#Right: EBS is block storage.}

Match each need to its service. {
  =Store objects -> Amazon S3
  =Run code -> AWS Lambda
  =Manage keys -> AWS KMS
}

$CATEGORY: Imported
Amazon {=S3 ~EBS ~EFS ~FSx} stores objects.
"""


def parse_one(text):
    parsed = gift.parse(text)
    assert parsed.skipped == []
    [question] = parsed.questions
    return question


def test_a_multiple_choice_question_is_read_with_rationales_and_explanation():
    question = gift.parse(BANK).questions[0]
    assert question.kind == "multiple_choice"
    assert question.stem == "Which **service** stores objects?"
    assert question.choices == [
        ChoiceData("Amazon S3", correct=True, rationale="Right: S3 is object storage."),
        ChoiceData("Amazon EBS", rationale="EBS is block storage."),
        ChoiceData("Amazon EFS"),
        ChoiceData("AWS Lambda"),
    ]
    assert question.explanation == "S3 stores **objects** of any size."
    assert (question.status, question.line) == ("published", 4)


def test_the_title_and_the_markdown_marker_are_not_part_of_the_stem_and_the_title_is_the_id():
    question = parse_one("::Title\\: with colon::[markdown]What is *this*? {=A ~B ~C ~D}")
    assert question.stem == "What is *this*?"
    assert question.external_id == "Title: with colon"


def test_a_title_that_is_only_the_start_of_the_stem_is_not_an_id():
    assert parse_one("::What is::What is this? {=A ~B ~C ~D}").external_id == ""


def test_answers_on_one_line_are_read_like_answers_on_several():
    question = parse_one("Pick A. {=A ~B ~C ~D}")
    assert [(c.text, c.correct) for c in question.choices] == [
        ("A", True),
        ("B", False),
        ("C", False),
        ("D", False),
    ]


def test_multiple_answers_with_percent_weights_become_a_multiple_response_question():
    question = gift.parse(BANK).questions[1]
    assert question.kind == "multiple_response"
    assert [(c.text, c.correct) for c in question.choices] == [
        ("Amazon S3", True),
        ("Amazon DynamoDB", True),
        ("AWS Lambda", False),
        ("Amazon SNS", False),
        ("AWS IAM", False),
    ]
    assert [c.rationale for c in question.choices] == ["Objects.", "", "Runs code.", "", ""]


def test_the_number_to_choose_is_added_to_a_stem_that_does_not_say_it():
    assert gift.parse(BANK).questions[1].stem == "Which services store data? (Select TWO.)"
    three = parse_one("Pick three. {~%33.33333%A ~%33.33333%B ~%33.33334%C ~%-50%D ~%0%E ~%-100%F}")
    assert three.stem == "Pick three. (Select THREE.)"
    assert [c.correct for c in three.choices] == [True, True, True, False, False, False]


def test_a_stem_that_says_how_many_to_choose_is_kept_as_it_is():
    question = parse_one("Which two? (Choose TWO.) {~%50%A ~%50%B ~%-100%C ~%-100%D ~%-100%E}")
    assert question.stem == "Which two? (Choose TWO.)"


def test_weights_with_a_single_positive_answer_stay_multiple_choice():
    question = parse_one("Pick one. {~%100%A ~%-25%B ~%0%C ~%-25%D}")
    assert question.kind == "multiple_choice"
    assert [c.correct for c in question.choices] == [True, False, False, False]


@pytest.mark.parametrize(("answer", "is_true"), [("T", True), ("TRUE", True), ("F", False), ("false", False)])
def test_a_true_false_question_becomes_a_two_choice_multiple_choice(answer, is_true):
    question = parse_one(f"The sky is blue. {{{answer}}}")
    assert question.kind == "multiple_choice"
    assert [(c.text, c.correct) for c in question.choices] == [("True", is_true), ("False", not is_true)]


def test_true_false_feedback_goes_to_the_choice_it_explains():
    # GIFT (as Moodle reads it): {answer#feedback for a wrong answer#feedback for a right answer}
    question = gift.parse(BANK).questions[3]
    assert question.stem == "Amazon EBS is object storage."
    assert question.choices == [
        ChoiceData("True", correct=False, rationale="No: EBS is block storage."),
        ChoiceData("False", correct=True, rationale="Right: EBS is block storage."),
    ]


def test_true_false_with_general_feedback_keeps_it_as_the_explanation():
    question = parse_one("S3 stores objects. {TRUE#Wrong.#Right.####Object storage.}")
    assert question.choices == [
        ChoiceData("True", correct=True, rationale="Right."),
        ChoiceData("False", correct=False, rationale="Wrong."),
    ]
    assert question.explanation == "Object storage."


def test_a_matching_question_is_read_as_pairs():
    question = gift.parse(BANK).questions[4]
    assert question.kind == "matching"
    assert question.pairs == [
        PairData("Store objects", "Amazon S3"),
        PairData("Run code", "AWS Lambda"),
        PairData("Manage keys", "AWS KMS"),
    ]


def test_an_arrow_in_an_answer_of_a_question_that_is_not_matching_skips_it_with_its_line():
    parsed = gift.parse("Pick. {=A ~B ~C ~D}\n\nMatch. {\n=a -> 1\n=b -> 2\n~c -> 3\n}")
    assert len(parsed.questions) == 1
    [skipped] = parsed.skipped
    assert skipped.where == "line 3"
    assert "“->” in an answer of a question that is not a matching one" in skipped.reason


def test_a_missing_word_question_marks_the_gap_in_its_stem():
    question = gift.parse(BANK).questions[5]
    assert question.stem == "Amazon _____ stores objects."
    assert question.kind == "multiple_choice"
    assert [c.text for c in question.choices if c.correct] == ["S3"]


def test_comments_are_ignored_wherever_they_stand():
    parsed = gift.parse("// only a comment\n// and another\nPick. {\n// between answers\n=A ~B ~C ~D\n}\n")
    assert [c.text for c in parsed.questions[0].choices] == ["A", "B", "C", "D"]
    assert parsed.skipped == []


def test_escaped_special_characters_are_read_as_plain_text():
    question = parse_one(
        r"Is 1 \= 1 \~ \#2 \{set\} a\:b? {=Yes \= \{x\}#Because \# \~ \: \\ hold. ~No ~Maybe ~Never}"
    )
    assert question.stem == r"Is 1 = 1 ~ #2 {set} a:b?"
    assert question.choices[0] == ChoiceData("Yes = {x}", correct=True, rationale=r"Because # ~ : \ hold.")


def test_an_escaped_newline_becomes_a_line_break():
    question = parse_one(r"First line.\nSecond line. {=A ~B ~C ~D}")
    assert question.stem == "First line.\nSecond line."


def test_a_category_gives_the_following_questions_the_task_statement_of_its_last_segment():
    parsed = gift.parse(BANK)
    assert [q.task_statement for q in parsed.questions] == ["1.1", "1.1", "1.2", "1.2", "1.2", ""]


@pytest.mark.parametrize(
    ("category", "task"),
    [
        ("$course$/top/AIF-C01/3.2", "3.2"),
        ("AIF-C01/1.1/", "1.1"),
        ("MLA-C01 / 4.1", "4.1"),
        ("AIF-C01", ""),
        ("AIF-C01/Domain 1", ""),
        ("AIF-C01/1.1/extra", ""),
    ],
)
def test_only_a_task_number_as_the_last_category_segment_is_a_task_statement(category, task):
    assert parse_one(f"$CATEGORY: {category}\n\nPick. {{=A ~B ~C ~D}}").task_statement == task


def test_unsupported_kinds_are_skipped_with_their_line_and_the_others_are_read():
    text = (
        "Name a storage service. {=S3 =Amazon S3}\n"
        "\n"
        "How many AZs at least? {#3:1}\n"
        "\n"
        "Describe S3. {}\n"
        "\n"
        "The next questions are about storage.\n"
        "\n"
        "Pick. {=A ~B ~C ~D}\n"
    )
    parsed = gift.parse(text)
    assert parsed.skipped == [
        Skipped("line 1", "a short-answer question (not supported)"),
        Skipped("line 3", "a numerical question (not supported)"),
        Skipped("line 5", "an essay question (not supported)"),
        Skipped("line 7", "a description without answers (not a question)"),
    ]
    assert [(q.stem, q.line) for q in parsed.questions] == [("Pick.", 9)]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(
            "Pick. {=A ~B ~C ~D}\n\n// next\nWhich one? {\n  =A\n  ~B\n\nPick again. {=A ~B ~C ~D}\n",
            4,
            "the answer block opened with { is never closed with }",
            id="unclosed",
        ),
        pytest.param("Pick.\n=A ~B }\n", 1, "a closing } without an opening {", id="closing-only"),
        pytest.param(
            "Pick {=A ~B} and {=C ~D}\n", 1, "more than one answer block { } in one question", id="two-blocks"
        ),
        pytest.param("{=A ~B ~C ~D}\n", 1, "the question has no text before its answers", id="no-stem"),
    ],
)
def test_a_malformed_file_names_the_line_of_the_broken_question(text, line, message):
    with pytest.raises(FormatError) as caught:
        gift.parse(text)
    assert (caught.value.line, caught.value.message) == (line, message)


# ----------------------------------------------------------------------------------------- with the database
@pytest.fixture
def exam(db):
    return make_exam(code="AIF-C01", domains=[(1, "Fundamentals", 100, ["1.1", "1.2"])])


def import_file(path, *args):
    out = StringIO()
    call_command("import_questions", str(path), *args, stdout=out)
    return out.getvalue()


def test_a_gift_file_imports_its_questions_and_lists_what_it_skipped(exam, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(BANK + "\nName a storage service. {=S3 =Amazon S3}\n", encoding="utf-8")
    output = import_file(path, "--set", "gift-bank", "--exam", "AIF-C01")
    assert "Read " in output and " as gift." in output
    assert "questions: 6 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "  skipped line 35: a short-answer question (not supported)" in output
    assert Question.objects.filter(kind="multiple_response").get().stem_md.endswith("(Select TWO.)")
    assert Question.objects.filter(task_statement__number="1.2").count() == 3


def test_importing_the_same_gift_file_twice_matches_questions_by_content(exam, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(BANK, encoding="utf-8")
    import_file(path, "--set", "gift-bank", "--exam", "AIF-C01")
    output = import_file(path, "--set", "gift-bank")
    assert "questions: 0 created, 0 updated, 6 unchanged, 0 skipped" in output
    assert Question.objects.count() == 6


def test_an_unclosed_answer_block_imports_nothing_and_names_file_and_line(exam, tmp_path):
    path = tmp_path / "bank.gift"
    path.write_text(BANK + "\nWhich one? {\n  =A\n  ~B\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        import_file(path, "--set", "gift-bank", "--exam", "AIF-C01")
    assert f"{path}:35: the answer block opened with {{ is never closed with }}" in str(caught.value)
    assert "Nothing was imported." in str(caught.value)
    assert Question.objects.count() == 0


def test_a_gift_export_imports_back_as_the_same_questions(exam, tmp_path):
    source = make_question_set(exam=exam, slug="source")
    make_question(question_set=source, external_id="mc", stem="Which one: {this} or ~that~? #1")
    make_question(question_set=source, kind="multiple_response", external_id="mr", task_statement="1.2")
    make_question(question_set=source, kind="matching", external_id="match", explanation="Line 1.\n\nLine 2.")
    make_question(
        question_set=source,
        choices=[ChoiceData("True", correct=False, rationale="No."), ChoiceData("False", True, "Yes.")],
        stem="S3 is block storage.",
        task_statement="1.2",
    )
    make_question(question_set=source, kind="ordering", external_id="order")
    make_question(
        question_set=source,
        kind="matching",
        stem="Match with a spare.",
        pairs=[PairData("a", "1"), PairData("b", "2"), PairData("c", "3"), PairData("", "4")],
    )

    path = tmp_path / "export.gift"
    errors = StringIO()
    call_command(
        "export_questions", "--set", "source", "--format", "gift", "--output", str(path), stderr=errors
    )
    assert errors.getvalue().splitlines() == ["left out (no gift form): order"]
    assert "  = -> 4" in path.read_text(encoding="utf-8")
    assert "$CATEGORY: AIF-C01/1.1" in path.read_text(encoding="utf-8")

    assert "questions: 5 created, 0 updated, 0 unchanged, 0 skipped" in import_file(
        path, "--set", "copy", "--exam", "AIF-C01"
    )
    assert "questions: 0 created, 0 updated, 5 unchanged, 0 skipped" in import_file(path, "--set", "copy")

    def content(slug):
        rows = Question.objects.filter(question_set__slug=slug).exclude(kind="ordering")
        return sorted(
            (
                q.kind,
                q.stem_md,
                q.explanation_md,
                q.task_statement.number,
                [(c.text_md, c.is_correct, c.rationale_md) for c in q.choices.all()],
                [(p.prompt_md, p.response_md) for p in q.pairs.all()],
            )
            for q in rows
        )

    assert content("copy") == content("source")


# ------------------------------------------------------------------------------- what GIFT readers cannot map
@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ("{One}", "a short-answer question (not supported)"),
        ("{=Paris}", "a short-answer question (not supported)"),
        ("{=Paris =paris}", "a short-answer question (not supported)"),
        ("{=%100%Paris =%50%paris}", "a short-answer question (not supported)"),
        ("{#3.14:0.01}", "a numerical question (not supported)"),
        ("{}", "an essay question (not supported)"),
        ("{1:MULTICHOICE:=A~B}", "a cloze (embedded answers) question (not supported)"),
        (
            "{=A -> B ~C ~D ~E}",
            "“->” in an answer of a question that is not a matching one (GIFT keeps it for matching)",
        ),
        ("{A ~B ~C ~D}", "answers must start with = (right) or ~ (wrong)"),
    ],
)
def test_a_question_that_cannot_be_mapped_is_skipped_with_its_line_and_the_others_are_read(answers, reason):
    parsed = gift.parse(f"Pick. {{=A ~B ~C ~D}}\n\nAsk. {answers}\n\nPick again. {{=A ~B ~C ~D}}\n")
    assert [q.stem for q in parsed.questions] == ["Pick.", "Pick again."]
    assert parsed.skipped == [Skipped("line 3", reason)]


def test_each_answer_honours_its_own_format_marker():
    question = parse_one(
        "[plain]Is 2*3 = 6? {\n=[html]<b>Yes</b>#[plain]2*3 is 6\n~[markdown]**No**\n"
        "~[moodle]Maybe_not\n~Never}"
    )
    assert question.stem == "Is 2\\*3 = 6?"
    assert [(c.text, c.rationale) for c in question.choices] == [
        ("<b>Yes</b>", "2\\*3 is 6"),
        ("**No**", ""),
        ("Maybe\\_not", ""),
        ("Never", ""),
    ]


def test_partial_credit_is_noted_so_the_import_keeps_the_question_as_a_draft():
    single = parse_one("Pick. {=A ~%50%B ~C ~D}")
    assert [c.correct for c in single.choices] == [True, False, False, False]
    assert single.shape_notes == ["partial credit for “B” dropped (all-or-nothing here)"]
    multiple = parse_one("Pick. {~%70%A ~%30%B ~%-100%C ~%-100%D ~%-100%E}")
    assert multiple.kind == "multiple_response"
    assert multiple.shape_notes == [
        "right choices weigh differently (partial credit); scored all-or-nothing here"
    ]
    assert parse_one("Pick. {~%50%A ~%50%B ~%-100%C ~%-100%D ~%-100%E}").shape_notes == []


def test_a_matching_question_with_a_distractor_is_read():
    question = parse_one("Match. {\n=a -> 1\n=b -> 2\n=c -> 3\n= -> 4\n}")
    assert question.pairs[-1] == PairData("", "4")
