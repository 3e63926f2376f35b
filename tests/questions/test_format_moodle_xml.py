"""Moodle XML: the four kinds and categories are read, other types skipped, unsafe or broken XML refused."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.questions.data import ChoiceData, FormatError, PairData, Skipped
from apps.questions.formats import moodle_xml
from apps.questions.models import Question
from tests.factories import make_exam, make_question, make_question_set

QUIZ = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category">
    <category><text>$course$/top/AIF-C01/1.2</text></category>
  </question>
  <question type="multichoice">
    <name><text>S3 basics</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Which <b>service</b> stores objects?</p><script>alert("owned")</script>]]></text>
    </questiontext>
    <generalfeedback format="html"><text>S3 is object storage.</text></generalfeedback>
    <single>true</single>
    <answer fraction="100"><text>Amazon S3</text><feedback><text>Objects.</text></feedback></answer>
    <answer fraction="0"><text>Amazon EBS</text><feedback><text>Blocks.</text></feedback></answer>
    <answer fraction="0"><text>Amazon EFS</text></answer>
    <answer fraction="0"><text>AWS Lambda</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Data stores</text></name>
    <questiontext format="html"><text>Which services store data?</text></questiontext>
    <single>false</single>
    <answer fraction="50"><text>Amazon S3</text></answer>
    <answer fraction="50"><text>Amazon DynamoDB</text></answer>
    <answer fraction="-100"><text>AWS Lambda</text></answer>
    <answer fraction="0"><text>Amazon SNS</text></answer>
    <answer fraction="-50"><text>AWS IAM</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>Name it</text></name>
    <questiontext><text>Name a storage service.</text></questiontext>
    <answer fraction="100"><text>S3</text></answer>
  </question>
  <question type="category">
    <category><text>$course$/top/AIF-C01/2.1</text></category>
  </question>
  <question type="truefalse">
    <questiontext><text>EBS is object storage.</text></questiontext>
    <answer fraction="0"><text>true</text><feedback><text>No, block storage.</text></feedback></answer>
    <answer fraction="100"><text>false</text><feedback><text>Right, block storage.</text></feedback></answer>
  </question>
  <question type="matching">
    <questiontext><text>Match each need to its service.</text></questiontext>
    <generalfeedback><text>Each service does one thing.</text></generalfeedback>
    <subquestion format="html"><text>Store objects</text><answer><text>Amazon S3</text></answer></subquestion>
    <subquestion format="html"><text>Run code</text><answer><text>AWS Lambda</text></answer></subquestion>
    <subquestion format="html"><text></text><answer><text>Amazon Inspector</text></answer></subquestion>
    <subquestion format="html"><text>Manage keys</text><answer><text>AWS KMS</text></answer></subquestion>
  </question>
  <question type="ordering">
    <questiontext><text>Put the steps in order.</text></questiontext>
    <answer fraction="2"><text>Train the model.</text></answer>
    <answer fraction="1"><text>Collect the data.</text></answer>
    <answer fraction="3"><text>Evaluate the model.</text></answer>
  </question>
</quiz>
"""


def quiz(*questions):
    return '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n' + "\n".join(questions) + "\n</quiz>\n"


def test_a_single_answer_multichoice_is_a_multiple_choice_question():
    question = moodle_xml.parse(QUIZ).questions[0]
    assert question.kind == "multiple_choice"
    assert question.choices == [
        ChoiceData("Amazon S3", correct=True, rationale="Objects."),
        ChoiceData("Amazon EBS", rationale="Blocks."),
        ChoiceData("Amazon EFS"),
        ChoiceData("AWS Lambda"),
    ]
    assert question.explanation == "S3 is object storage."
    assert (question.status, question.external_id) == ("published", "S3 basics")  # its <name>


def test_a_multiple_answer_multichoice_is_a_multiple_response_question_that_says_how_many():
    question = moodle_xml.parse(QUIZ).questions[1]
    assert question.kind == "multiple_response"
    assert question.stem == "Which services store data? (Select TWO.)"
    assert [c.correct for c in question.choices] == [True, True, False, False, False]


def test_a_multichoice_with_one_positive_fraction_is_multiple_choice_even_if_not_single():
    xml = quiz(
        '<question type="multichoice"><questiontext><text>Pick.</text></questiontext><single>false</single>'
        '<answer fraction="100"><text>A</text></answer><answer fraction="0"><text>B</text></answer>'
        '<answer fraction="0"><text>C</text></answer><answer fraction="0"><text>D</text></answer></question>'
    )
    assert moodle_xml.parse(xml).questions[0].kind == "multiple_choice"


def test_a_true_false_question_keeps_the_feedback_of_each_answer():
    question = moodle_xml.parse(QUIZ).questions[2]
    assert question.kind == "multiple_choice"
    assert question.choices == [
        ChoiceData("True", correct=False, rationale="No, block storage."),
        ChoiceData("False", correct=True, rationale="Right, block storage."),
    ]


def test_a_matching_question_reads_an_empty_subquestion_as_a_distractor():
    question = moodle_xml.parse(QUIZ).questions[3]
    assert question.kind == "matching"
    assert question.pairs == [
        PairData("Store objects", "Amazon S3"),
        PairData("Run code", "AWS Lambda"),
        PairData("", "Amazon Inspector"),
        PairData("Manage keys", "AWS KMS"),
    ]
    assert question.explanation == "Each service does one thing."


def test_an_ordering_question_is_put_in_the_order_its_fractions_number():
    question = moodle_xml.parse(QUIZ).questions[4]
    assert question.kind == "ordering"
    assert question.items == ["Collect the data.", "Train the model.", "Evaluate the model."]


def test_an_ordering_question_without_numbers_keeps_the_listed_order():
    xml = quiz(
        '<question type="ordering"><questiontext><text>Order.</text></questiontext>'
        "<answer><text>First</text></answer><answer><text>Second</text></answer>"
        "<answer><text>Third</text></answer></question>"
    )
    assert moodle_xml.parse(xml).questions[0].items == ["First", "Second", "Third"]


def test_categories_give_the_questions_that_follow_their_task_statement():
    assert [q.task_statement for q in moodle_xml.parse(QUIZ).questions] == ["1.2", "1.2", "2.1", "2.1", "2.1"]


def test_a_category_without_a_task_number_leaves_the_task_statement_empty():
    xml = quiz(
        '<question type="category"><category><text>$course$/Imported</text></category></question>',
        '<question type="ordering"><questiontext><text>Order.</text></questiontext>'
        "<answer><text>A</text></answer><answer><text>B</text></answer><answer><text>C</text></answer>"
        "</question>",
    )
    assert moodle_xml.parse(xml).questions[0].task_statement == ""


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("shortanswer", "a short-answer question (not supported)"),
        ("essay", "an essay question (not supported)"),
        ("cloze", "a cloze (embedded answers) question (not supported)"),
        ("numerical", "a numerical question (not supported)"),
        ("description", "a description without answers (not supported)"),
        ("ddwtos", "a drag-and-drop text question (not supported)"),
        ("somethingnew", "question type 'somethingnew' (not supported)"),
    ],
)
def test_unsupported_types_are_skipped_with_their_position_and_the_others_are_read(kind, reason):
    xml = quiz(
        '<question type="category"><category><text>AIF-C01/1.1</text></category></question>',
        '<question type="ordering"><questiontext><text>Order.</text></questiontext>'
        "<answer><text>A</text></answer><answer><text>B</text></answer><answer><text>C</text></answer>"
        "</question>",
        f'<question type="{kind}"><name><text>Unsupported one</text></name>'
        "<questiontext><text>Text.</text></questiontext></question>",
        f'<question type="{kind}"><questiontext><text>No name.</text></questiontext></question>',
    )
    parsed = moodle_xml.parse(xml)
    assert parsed.skipped == [
        Skipped("question 3 (“Unsupported one”)", reason),
        Skipped("question 4", reason),
    ]
    assert [q.items for q in parsed.questions] == [["A", "B", "C"]]


def test_the_shipped_example_skips_its_short_answer_question():
    assert moodle_xml.parse(QUIZ).skipped == [
        Skipped("question 4 (“Name it”)", "a short-answer question (not supported)")
    ]


@pytest.mark.parametrize(
    ("xml", "line", "message"),
    [
        pytest.param(
            "<?xml version='1.0'?>\n<quiz>\n  <question type='multichoice'>\n</quiz>\n",
            4,
            "not well-formed XML",
            id="mismatched-tag",
        ),
        pytest.param("", 1, "not well-formed XML", id="empty"),
        pytest.param(
            "<questions/>", 0, "a Moodle XML file starts with <quiz>, not <questions>", id="wrong-root"
        ),
        pytest.param(
            quiz('<question type="multichoice"><questiontext><text> </text></questiontext></question>'),
            0,
            "question 1 has no question text",
            id="no-question-text",
        ),
        pytest.param(
            quiz('<question type="matching"><questiontext><text>Match.</text></questiontext></question>'),
            0,
            "question 1 has no subquestions",
            id="matching-without-subquestions",
        ),
        pytest.param(
            quiz(
                '<question type="multichoice"><questiontext><text>Q</text></questiontext>'
                '<answer fraction="lots"><text>A</text></answer></question>'
            ),
            0,
            "question 1: fraction 'lots' is not a number",
            id="bad-fraction",
        ),
        pytest.param(
            quiz(
                '<question type="truefalse"><questiontext><text>Q</text></questiontext>'
                '<answer fraction="100"><text>yes</text></answer><answer><text>no</text></answer></question>'
            ),
            0,
            "question 1: a true/false question needs the answers true and false",
            id="truefalse-without-true-and-false",
        ),
    ],
)
def test_broken_xml_is_refused_with_its_line_when_known(xml, line, message):
    with pytest.raises(FormatError) as caught:
        moodle_xml.parse(xml)
    assert caught.value.line == line
    assert message in caught.value.message


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE quiz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="essay"><questiontext><text>&lol4;</text></questiontext></question></quiz>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz>
  <question type="truefalse">
    <questiontext><text>&secret;</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
  </question>
</quiz>
"""


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["xml-bomb", "external-entity"])
def test_entities_are_refused_before_anything_is_expanded_or_fetched(xml):
    with pytest.raises(FormatError) as caught:
        moodle_xml.parse(xml)
    assert caught.value.message == "unsafe or invalid XML refused: a DOCTYPE (DTD) is not allowed; remove it"
    assert caught.value.line == 2


def test_a_doctype_without_entities_is_refused_as_the_format_docs_say():
    xml = '<?xml version="1.0"?>\n<!DOCTYPE quiz SYSTEM "quiz.dtd">\n<quiz></quiz>\n'
    with pytest.raises(FormatError) as caught:
        moodle_xml.parse(xml)
    assert (caught.value.line, caught.value.message) == (
        2,
        "unsafe or invalid XML refused: a DOCTYPE (DTD) is not allowed; remove it",
    )


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<quiz>" + "<a>" * 100_000 + "</a>" * 100_000 + "</quiz>", "elements nested deeper than 32"),
        ("<quiz>" + "<a/>" * 400_000 + "</quiz>", "more than 300,000 elements"),
    ],
    ids=["deep", "wide"],
)
def test_a_tree_too_deep_or_too_large_is_refused_while_it_is_read(xml, message):
    with pytest.raises(FormatError, match=message):
        moodle_xml.parse(xml)


# ----------------------------------------------------------------------------------------- with the database
@pytest.fixture
def exam(db):
    return make_exam(
        code="AIF-C01", domains=[(1, "Fundamentals", 60, ["1.1", "1.2"]), (2, "Generative AI", 40, ["2.1"])]
    )


def import_file(path, *args):
    out = StringIO()
    call_command("import_questions", str(path), *args, stdout=out)
    return out.getvalue()


def test_a_moodle_file_imports_with_sanitized_html(exam, tmp_path):
    path = tmp_path / "quiz.xml"
    path.write_text(QUIZ, encoding="utf-8")
    output = import_file(path, "--set", "moodle", "--exam", "AIF-C01")
    assert "Read " in output and " as moodle-xml." in output
    assert "questions: 5 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "  skipped question 4 (“Name it”): a short-answer question (not supported)" in output

    question = Question.objects.get(stem_md__contains="stores objects")
    assert "<b>service</b>" in question.stem_html
    assert "<script" not in question.stem_html
    assert "owned" not in question.stem_html
    assert question.task_statement.number == "1.2"
    assert question.pairs.count() == 0 and question.choices.count() == 4


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["xml-bomb", "external-entity"])
def test_an_unsafe_file_imports_nothing(exam, tmp_path, xml):
    path = tmp_path / "quiz.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.raises(CommandError, match="unsafe or invalid XML refused.*\nNothing was imported."):
        import_file(path, "--set", "moodle", "--exam", "AIF-C01")
    assert not Question.objects.exists()


def test_broken_xml_imports_nothing_and_names_file_and_line(exam, tmp_path):
    path = tmp_path / "quiz.xml"
    path.write_text(QUIZ.replace("</generalfeedback>", "</generalfeedbak>", 1), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        import_file(path, "--set", "moodle", "--exam", "AIF-C01")
    assert str(caught.value).startswith(f"{path}:11: not well-formed XML")
    assert not Question.objects.exists()


def test_a_moodle_export_imports_back_as_the_same_questions(exam, tmp_path):
    source = make_question_set(exam=exam, slug="source")
    make_question(question_set=source, external_id="mc", stem="Which <one> & why?")
    make_question(question_set=source, kind="multiple_response", task_statement="1.2")
    make_question(question_set=source, kind="ordering", task_statement="2.1")
    make_question(
        question_set=source,
        kind="matching",
        task_statement="2.1",
        pairs=[PairData("a", "1"), PairData("b", "2"), PairData("c", "3"), PairData("", "4")],
    )
    path = tmp_path / "export.xml"
    call_command("export_questions", "--set", "source", "--format", "moodle-xml", "--output", str(path))
    assert "questions: 4 created" in import_file(path, "--set", "copy", "--exam", "AIF-C01")
    assert "0 created, 0 updated, 4 unchanged" in import_file(path, "--set", "copy")

    def content(slug):
        return sorted(
            (
                q.kind,
                q.stem_md,
                q.explanation_md,
                q.task_statement.number,
                [(c.text_md, c.is_correct, c.rationale_md) for c in q.choices.all()],
                [i.text_md for i in q.ordering_items.all()],
                [(p.prompt_md, p.response_md) for p in q.pairs.all()],
            )
            for q in Question.objects.filter(question_set__slug=slug)
        )

    assert content("copy") == content("source")


# ------------------------------------------------------------------------------------------ grades as Moodle
INVALID_GRADES = quiz(
    '<question type="multichoice"><name><text>Bad grades</text></name>'
    "<questiontext><text>Pick.</text></questiontext><single>false</single>"
    '<answer fraction="15"><text>A</text></answer><answer fraction="85"><text>B</text></answer>'
    '<answer fraction="0"><text>C</text></answer></question>',
    '<question type="multichoice"><name><text>Sums to 150</text></name>'
    "<questiontext><text>Pick more.</text></questiontext><single>false</single>"
    '<answer fraction="50"><text>A</text></answer><answer fraction="50"><text>B</text></answer>'
    '<answer fraction="50"><text>C</text></answer><answer fraction="-100"><text>D</text></answer></question>',
)


def test_grades_that_moodle_does_not_allow_refuse_the_file_as_moodle_does():
    with pytest.raises(FormatError) as caught:
        moodle_xml.parse(INVALID_GRADES)
    message = caught.value.message
    assert "question 1 (“Bad grades”): grade 15%, 85% is not one of Moodle's grade values" in message
    assert "question 2 (“Sums to 150”): the right answers' grades add up to 150%, not 100%" in message
    assert message.endswith("(Moodle refuses such a file too)")


def test_moodle_grade_values_of_a_third_and_negatives_are_accepted():
    xml = quiz(
        '<question type="multichoice"><questiontext><text>Pick three. (Choose THREE.)</text></questiontext>'
        "<single>false</single>"
        + "".join(f'<answer fraction="33.33333"><text>{t}</text></answer>' for t in "ABC")
        + "".join(f'<answer fraction="-50"><text>{t}</text></answer>' for t in "DE")
        + "</question>"
    )
    [question] = moodle_xml.parse(xml).questions
    assert [c.correct for c in question.choices] == [True, True, True, False, False]
    assert question.shape_notes == []


def test_a_partial_credit_answer_of_a_single_answer_question_is_noted():
    xml = quiz(
        '<question type="multichoice"><questiontext><text>Pick.</text></questiontext><single>true</single>'
        '<answer fraction="100"><text>A</text></answer><answer fraction="50"><text>B</text></answer>'
        '<answer fraction="0"><text>C</text></answer><answer fraction="0"><text>D</text></answer></question>'
    )
    [question] = moodle_xml.parse(xml).questions
    assert [c.correct for c in question.choices] == [True, False, False, False]
    assert question.shape_notes == ["partial credit for “B” dropped (all-or-nothing here)"]


def test_qtype_ordering_positions_written_as_decimals_put_items_in_order():
    xml = quiz(
        '<question type="ordering"><questiontext><text>Order.</text></questiontext>'
        '<answer fraction="2.0000000"><text>Two</text></answer>'
        '<answer fraction="1.0000000"><text>One</text></answer>'
        '<answer fraction="3.0000000"><text>Three</text></answer></question>'
    )
    assert moodle_xml.parse(xml).questions[0].items == ["One", "Two", "Three"]


def test_a_name_that_is_only_the_start_of_the_question_text_is_not_an_id():
    xml = quiz(
        '<question type="truefalse"><name><text>EBS is object</text></name>'
        "<questiontext><text>EBS is object storage.</text></questiontext>"
        '<answer fraction="0"><text>true</text></answer><answer fraction="100"><text>false</text></answer>'
        "</question>"
    )
    assert moodle_xml.parse(xml).questions[0].external_id == ""


def test_a_third_written_as_33_is_refused_like_in_moodles_own_invalid_grades_test_file():
    answers = [("-50", "1"), ("33", "2"), ("33.33333", "3"), ("-50", "4"), ("33.33333", "5")]
    xml = quiz(
        '<question type="multichoice"><name><text><![CDATA[Primes <b>x</b> & more]]></text></name>'
        "<questiontext><text>Which numbers are prime?</text></questiontext><single>false</single>"
        + "".join(f'<answer fraction="{f}"><text>{t}</text></answer>' for f, t in answers)
        + "</question>"
    )
    with pytest.raises(FormatError) as caught:
        moodle_xml.parse(xml)
    assert caught.value.message.startswith(
        "question 1 (“Primes <b>x</b> & more”): grade 33% is not one of Moodle's grade values"
    )
