"""The marketplace CSV layout: multiple-choice and multi-select rows, option explanations, Domain → task."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.questions.data import ChoiceData, FormatError, Skipped
from apps.questions.formats import csv as csv_format
from apps.questions.models import Question
from tests.factories import make_exam

COLUMNS = [
    "Question",
    "Question Type",
    *[f"{name} {n}" for n in range(1, 7) for name in ("Answer Option", "Explanation")],
    "Correct Answers",
    "Overall Explanation",
    "Domain",
]
# The example in docs/question-format.md, as a marketplace exports it.
DOCUMENTED = (
    ",".join(COLUMNS)
    + "\n"
    + '"A team needs answers grounded in its own documents with citations. What should it use?",'
    "multiple-choice,Amazon Bedrock Knowledge Bases,Retrieval with citations.,Fine-tuning,"
    "Does not cite sources.,A larger model,Still no company data.,A higher temperature,"
    'Makes answers less predictable.,,,,,1,"RAG retrieves passages and cites them.",'
    '"3.1 Design considerations for FM applications"\n'
    '"Which TWO reduce inference cost for a chatbot?",multi-select,Shorter prompts,Fewer input tokens.,'
    "Prompt caching,Reuses a long shared prefix.,A higher temperature,No effect on cost.,"
    'More few-shot examples,Adds tokens.,Longer answers,Adds output tokens.,,,"1,2",'
    '"Token counts drive cost.","2.1"\n'
)


def row(question="Which one?", kind="multiple-choice", options=("A", "B", "C", "D"), correct="1", **cells):
    values = {"Question": question, "Question Type": kind, "Correct Answers": correct, **cells}
    for n, option in enumerate(options, 1):
        values[f"Answer Option {n}"] = option
    return values


def csv_text(*rows, columns=COLUMNS):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: value for key, value in r.items() if key in columns} for r in rows)
    return out.getvalue()


def test_the_documented_example_is_read_as_two_questions():
    first, second = csv_format.parse(DOCUMENTED).questions
    assert first.kind == "multiple_choice"
    assert first.choices == [
        ChoiceData("Amazon Bedrock Knowledge Bases", correct=True, rationale="Retrieval with citations."),
        ChoiceData("Fine-tuning", rationale="Does not cite sources."),
        ChoiceData("A larger model", rationale="Still no company data."),
        ChoiceData("A higher temperature", rationale="Makes answers less predictable."),
    ]
    assert first.explanation == "RAG retrieves passages and cites them."
    assert (first.task_statement, first.status, first.line) == ("3.1", "published", 2)
    assert second.kind == "multiple_response"
    assert [c.correct for c in second.choices] == [True, True, False, False, False]
    assert second.task_statement == "2.1"


def test_a_multi_select_row_says_how_many_to_choose_when_its_question_does_not():
    second = csv_format.parse(DOCUMENTED).questions[1]
    assert second.stem == "Which TWO reduce inference cost for a chatbot? (Select TWO.)"
    stated = row("Pick two. (Choose TWO.)", "multi-select", ("A", "B", "C", "D", "E"), "2,5")
    assert csv_format.parse(csv_text(stated)).questions[0].stem == "Pick two. (Choose TWO.)"


@pytest.mark.parametrize("cell", ["1,3", "1, 3", "3;1", "1 3", " 3 , 1 "])
def test_correct_answers_are_option_numbers_in_any_usual_separation(cell):
    text = csv_text(row("Pick two.", "multi-select", ("A", "B", "C", "D", "E", "F"), cell))
    [question] = csv_format.parse(text).questions
    assert [c.text for c in question.choices if c.correct] == ["A", "C"]
    assert len(question.choices) == 6


def test_each_option_keeps_its_own_explanation_as_rationale():
    text = csv_text(row(**{"Explanation 2": "B is wrong.", "Explanation 4": "D too."}))
    [question] = csv_format.parse(text).questions
    assert [c.rationale for c in question.choices] == ["", "B is wrong.", "", "D too."]


@pytest.mark.parametrize(
    ("domain", "task"),
    [
        ("1.2 Understand the basics", "1.2"),
        ("1.2", "1.2"),
        ("Task 3.1: Design", "3.1"),
        ("Domain 1: Fundamentals", ""),
        ("12 things", ""),
        ("", ""),
    ],
)
def test_a_domain_starting_with_a_task_number_tags_the_question(domain, task):
    [question] = csv_format.parse(csv_text(row(Domain=domain))).questions
    assert question.task_statement == task


def test_columns_may_come_in_any_order_and_extra_ones_are_ignored():
    columns = ["Notes", *reversed(COLUMNS)]
    [question] = csv_format.parse(csv_text(row(Notes="ignore me"), columns=columns)).questions
    assert question.stem == "Which one?"
    assert [c.text for c in question.choices] == ["A", "B", "C", "D"]


def test_a_quoted_cell_may_hold_commas_quotes_and_line_breaks():
    text = csv_text(row('Which one, "really"?\nThink.', **{"Overall Explanation": "Line 1.\n\nLine 2."}))
    [question] = csv_format.parse(text).questions
    assert question.stem == 'Which one, "really"?\nThink.'
    assert question.explanation == "Line 1.\n\nLine 2."


def test_a_byte_order_mark_and_blank_rows_are_ignored():
    text = "\ufeff" + csv_text(row("First?"), {}, row("Second?"))
    assert [q.stem for q in csv_format.parse(text).questions] == ["First?", "Second?"]


def test_an_unknown_question_type_is_skipped_with_its_line():
    text = csv_text(row("First?"), row("Fill in?", "fill-in-the-blank"), row("Third?"))
    parsed = csv_format.parse(text)
    assert parsed.skipped == [
        Skipped("line 3", "question type 'fill-in-the-blank' (use multiple-choice or multi-select)")
    ]
    assert [(q.stem, q.line) for q in parsed.questions] == [("First?", 2), ("Third?", 4)]


@pytest.mark.parametrize("cell", ["one", "1 or 3", "A"])
def test_a_bad_correct_answers_cell_is_an_error_with_its_line(cell):
    with pytest.raises(FormatError) as caught:
        csv_format.parse(csv_text(row("First?"), row("Second?", correct=cell)))
    assert caught.value.line == 3
    assert caught.value.message == (
        f"'Correct Answers' must be option numbers such as 1 or 1,3, not {cell!r}"
    )


def test_a_correct_answer_without_its_option_is_an_error_with_its_line():
    with pytest.raises(FormatError) as caught:
        csv_format.parse(csv_text(row(options=("A", "B", "C"), correct="4")))
    assert (caught.value.line, caught.value.message) == (
        2,
        "answer 4 is marked correct but Answer Option 4 is empty",
    )


def test_an_error_names_the_line_its_row_starts_on_when_cells_span_lines():
    text = csv_text(row("Spans\nthree\nlines?"), row("Also\nspans?", correct="x"))
    with pytest.raises(FormatError) as caught:
        csv_format.parse(text)
    assert caught.value.line == 5


def test_questions_after_multi_line_cells_keep_the_line_they_start_on():
    parsed = csv_format.parse(csv_text(row("Spans\nthree\nlines?"), row("Next?")))
    assert [q.line for q in parsed.questions] == [2, 5]


def test_a_missing_column_is_an_error_on_the_header_line():
    columns = [c for c in COLUMNS if c not in ("Correct Answers", "Explanation 6")]
    with pytest.raises(FormatError) as caught:
        csv_format.parse(csv_text(row(), columns=columns))
    assert (caught.value.line, caught.value.message) == (
        1,
        "missing column(s): Explanation 6, Correct Answers",
    )


def test_an_empty_file_is_an_error():
    with pytest.raises(FormatError, match="the file is empty"):
        csv_format.parse("")


# ----------------------------------------------------------------------------------------- with the database
@pytest.fixture
def exam(db):
    return make_exam(
        code="AIF-C01", domains=[(2, "Generative AI", 50, ["2.1"]), (3, "Applications", 50, ["3.1"])]
    )


def import_file(path, *args):
    out = StringIO()
    call_command("import_questions", str(path), *args, stdout=out)
    return out.getvalue()


def test_the_documented_example_imports_as_published_questions(exam, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_text(DOCUMENTED, encoding="utf-8")
    output = import_file(path, "--set", "market", "--exam", "AIF-C01")
    assert " as csv." in output
    assert "questions: 2 created, 0 updated, 0 unchanged, 0 skipped" in output
    assert sorted(Question.objects.values_list("kind", "status", "task_statement__number")) == [
        ("multiple_choice", "published", "3.1"),
        ("multiple_response", "published", "2.1"),
    ]


def test_a_bad_cell_imports_nothing(exam, tmp_path):
    path = tmp_path / "upload.csv"
    path.write_text(csv_text(row("First?", Domain="2.1"), row("Second?", correct="two")), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        import_file(path, "--set", "market", "--exam", "AIF-C01")
    assert str(caught.value).startswith(f"{path}:3: 'Correct Answers' must be option numbers")
    assert not Question.objects.exists()
