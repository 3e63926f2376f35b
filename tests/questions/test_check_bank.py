"""`check_bank`: every kind of problem is found, errors exit non-zero, the output ends with a summary."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.questions.data import ChoiceData
from apps.questions.models import Question
from tests.factories import make_exam, make_question, make_question_set

SUMMARY = "TST-C01: 6 published (multiple choice 3, multiple response 1, ordering 1, matching 1)"
CUES = (
    "TST-C01 cues: longest-key 0% of 3 single-answer, longest-k full credit 0% of 1 multiple-response, "
    "best strategy +54 points over guessing"  # always the shortest: too few questions to judge
)
COVERAGE = "TST-C01 coverage: 0/0 objectives with 2+ questions, 0/0 guide services tested"


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")  # task statements 1.1, 1.2 and 2.1


@pytest.fixture
def bank(exam):
    """Six published questions that break no rule; every task statement has fewer than 5."""
    question_set = make_question_set(exam=exam, slug="tst-bank")
    make_question(
        question_set=question_set, external_id="mc-1", stem="Which service stores widgets for a shop?"
    )
    make_question(
        question_set=question_set, external_id="mc-2", stem="What queues gadgets between two systems?"
    )
    make_question(question_set=question_set, external_id="mc-3", stem="How are encryption keys rotated?")
    make_question(question_set=question_set, kind="multiple_response", task_statement="1.2")
    make_question(question_set=question_set, kind="ordering", task_statement="2.1")
    make_question(question_set=question_set, kind="matching", task_statement="2.1")
    return question_set


def check(*args):
    """(output lines, error or None): the command prints everything before it raises."""
    out = StringIO()
    try:
        call_command("check_bank", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue().splitlines(), exc
    return out.getvalue().splitlines(), None


def where(question):
    return f"{question.question_set.slug} #{question.pk}" + (
        f" ({question.external_id})" if question.external_id else ""
    )


def test_a_clean_bank_passes_and_ends_with_the_summary_line(bank):
    # The fourth warning: the second key of the multiple-response question is 1.5 times the longest distractor.
    lines, error = check()
    assert error is None
    assert lines[-4:] == ["0 error(s), 4 warning(s) in 6 question(s).", SUMMARY, CUES, COVERAGE]


def test_the_coverage_table_counts_published_questions_by_task_and_kind(bank):
    lines, _ = check()
    start = lines.index("TST-C01 coverage (published)")
    assert lines[start + 1].split()[0] == "task" and lines[start + 1].split()[-1] == "total"
    assert [line.split() for line in lines[start + 2 : start + 5]] == [
        ["1.1", "3", "0", "0", "0", "3", "<", "5"],
        ["1.2", "0", "1", "0", "0", "1", "<", "5"],
        ["2.1", "0", "0", "1", "1", "2", "<", "5"],
    ]


def test_a_task_statement_with_fewer_than_five_published_questions_is_a_warning(bank):
    lines, error = check()
    assert error is None
    assert "warning: TST-C01 1.2: 1 published question(s); at least 5 are needed for practice" in lines


def test_five_published_questions_cover_a_task_statement(bank):
    stems = [
        "Put the steps of a training job in order.",
        "Order the stages of a data pipeline.",
        "Arrange the phases of a model review from first to last.",
        "Sort these deployment tasks into the sequence they run.",
    ]
    for stem in stems:
        make_question(question_set=bank, kind="ordering", task_statement="1.2", stem=stem)
    lines, _ = check()
    assert not any(line.startswith("warning: TST-C01 1.2:") for line in lines)
    assert lines[-3] == (
        "TST-C01: 10 published (multiple choice 3, multiple response 1, ordering 5, matching 1)"
    )


def test_drafts_and_retired_questions_are_not_counted_as_published(bank):
    make_question(question_set=bank, stem="A draft about widgets?", status="draft")
    make_question(question_set=bank, stem="A retired one about gadgets?", status="retired")
    lines, error = check()
    assert error is None
    assert lines[-4:] == ["0 error(s), 4 warning(s) in 8 question(s).", SUMMARY, CUES, COVERAGE]


def test_a_broken_rule_is_an_error_and_the_command_fails(bank):
    broken = make_question(
        question_set=bank,
        external_id="three-choices",
        stem="Which database stores items by key?",
        choices=[
            ChoiceData("DynamoDB", True, "Yes."),
            ChoiceData("S3", False, "No."),
            ChoiceData("SNS", False, "No."),
        ],
    )
    lines, error = check()
    assert f"error: {where(broken)}: a multiple choice question has exactly 4 choices, not 3" in lines
    assert str(error) == "check_bank found 1 error(s)."
    assert lines[-4:-2] == [
        "1 error(s), 5 warning(s) in 7 question(s).",
        "TST-C01: 7 published (multiple choice 4, multiple response 1, ordering 1, matching 1)",
    ]


def test_the_same_stem_twice_is_an_error_whatever_its_case_and_spacing(bank):
    first = Question.objects.get(external_id="mc-1")
    again = make_question(question_set=bank, stem="  which SERVICE stores\nwidgets for a shop? ")
    lines, error = check()
    assert f"error: {where(again)}: the same stem as {where(first)}" in lines
    assert error is not None


def test_the_same_stem_in_a_retired_question_is_not_a_duplicate(bank):
    make_question(question_set=bank, stem="Which service stores widgets for a shop?", status="retired")
    _, error = check()
    assert error is None


def test_the_same_stem_for_another_kind_is_not_a_duplicate(bank):
    make_question(
        question_set=bank, kind="ordering", stem="Which service stores widgets for a shop?", status="draft"
    )
    lines, error = check()
    assert error is None
    assert not any("same stem" in line for line in lines)


def test_a_nearly_identical_stem_is_a_warning_not_an_error(bank):
    first = make_question(
        question_set=bank,
        stem="Which service stores the widgets that a small online shop sells to its customers?",
    )
    second = make_question(
        question_set=bank,
        stem="Which service stores the widgets that a small online shop sells to its clients?",
    )
    lines, error = check()
    assert error is None
    assert f"warning: {where(second)}: nearly the same stem as {where(first)} (94% alike)" in lines


def test_a_published_choice_without_rationale_is_an_error(bank):
    choices = [
        ChoiceData("Amazon S3", True, "Objects."),
        ChoiceData("Amazon EBS", False, "  "),
        ChoiceData("Amazon EFS", False, "Files."),
        ChoiceData("AWS Lambda", False, ""),
    ]
    question = make_question(question_set=bank, stem="Where do objects live?", choices=choices)
    lines, error = check()
    assert f"error: {where(question)}: choice 2 has no rationale" in lines
    assert f"error: {where(question)}: choice 4 has no rationale" in lines
    assert str(error) == "check_bank found 2 error(s)."


def test_a_draft_choice_without_rationale_is_fine(bank):
    choices = [ChoiceData(text, correct=text == "A") for text in "ABCD"]
    make_question(question_set=bank, stem="A draft being written?", choices=choices, status="draft")
    _, error = check()
    assert error is None


def test_a_published_question_without_explanation_is_an_error(bank):
    question = make_question(question_set=bank, stem="Where do keys live?", explanation="")
    lines, error = check()
    assert f"error: {where(question)}: a published question needs an explanation" in lines
    assert error is not None


def test_a_published_question_without_task_statement_is_an_error(bank):
    question = make_question(question_set=bank, stem="Where do keys live?", task_statement="")
    lines, error = check()
    assert f"error: {where(question)}: a published question needs a task statement" in lines
    assert error is not None


def test_only_the_set_asked_for_is_checked(bank, exam):
    other = make_question_set(exam=exam, slug="other")
    make_question(question_set=other, stem="Broken?", explanation="")
    lines, error = check("--set", "tst-bank")
    assert error is None
    assert lines[-4:] == ["0 error(s), 4 warning(s) in 6 question(s).", SUMMARY, CUES, COVERAGE]
    _, error = check("--set", "other")
    assert error is not None


def test_an_unknown_set_is_refused(bank):
    with pytest.raises(CommandError, match="there is no question set 'nope'"):
        call_command("check_bank", "--set", "nope", stdout=StringIO())


def test_there_is_one_summary_line_per_exam(bank):
    second = make_exam(code="ABC-C01", domains=[(1, "Only", 100, ["1.1"])])
    make_question(question_set=make_question_set(exam=second, slug="abc"), kind="ordering")
    lines, _ = check()
    assert lines[-6:] == [
        "ABC-C01: 1 published (multiple choice 0, multiple response 0, ordering 1, matching 0)",
        "ABC-C01 cues: longest-key 0% of 0 single-answer, longest-k full credit 0% of 0 multiple-response, "
        "best strategy +0 points over guessing",
        "ABC-C01 coverage: 0/0 objectives with 2+ questions, 0/0 guide services tested",
        SUMMARY,
        CUES,
        COVERAGE,
    ]


# ------------------------------------------------------------------------------------------------ --file
FILE = """\
set:
  slug: tst-file
  exam: TST-C01
questions:
  - id: good
    kind: ordering
    task_statement: "1.1"
    status: published
    stem: Put the steps in order.
    items: [Collect, Train, Evaluate]
    explanation: Data first.
  - id: bad
    kind: ordering
    task_statement: "7.7"
    status: published
    stem: Put the other steps in order.
    items: [Collect, Train]
"""


def test_a_file_is_checked_without_importing_anything(exam, tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(FILE, encoding="utf-8")
    lines, error = check("--file", str(path))
    assert lines[:3] == [
        f"error: {path}:12 (bad): an ordering question has 3 to 5 items, not 2",
        f"error: {path}:12 (bad): task statement '7.7' is not part of this exam",
        f"error: {path}:12 (bad): a published question needs an explanation",
    ]
    assert str(error) == "check_bank found 3 error(s)."
    assert lines[-4] == "3 error(s), 3 warning(s) in 2 question(s)."
    assert not Question.objects.exists()


def test_a_clean_file_passes(exam, tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(FILE.split("  - id: bad")[0], encoding="utf-8")
    lines, error = check("--file", str(path))
    assert error is None
    assert (
        lines[-3] == "TST-C01: 1 published (multiple choice 0, multiple response 0, ordering 1, matching 0)"
    )


def test_a_file_that_cannot_be_read_is_refused_with_its_line(exam, tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(
        FILE.replace("    items: [Collect, Train]\n", "    itmes: [Collect, Train]\n"), encoding="utf-8"
    )
    with pytest.raises(CommandError) as caught:
        call_command("check_bank", "--file", str(path), stdout=StringIO())
    assert str(caught.value) == f"{path}: line 17: unknown question key 'itmes'"


def test_a_missing_file_is_refused(exam, tmp_path):
    with pytest.raises(CommandError, match="missing.yaml"):
        call_command("check_bank", "--file", str(tmp_path / "missing.yaml"), stdout=StringIO())
