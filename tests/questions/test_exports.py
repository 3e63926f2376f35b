"""Exports other tools grade correctly, and export → import → export gives the same text in every format."""

import json
import re
from io import StringIO

import pytest
from defusedxml import ElementTree
from django.core.management import call_command

from apps.questions.data import ChoiceData, FormatError, PairData
from apps.questions.exports import EXPORTERS
from apps.questions.formats import gift, grades
from apps.questions.formats import json as json_format
from apps.questions.models import Question
from tests.factories import make_exam, make_question, make_question_data, make_question_set, make_service


@pytest.fixture
def exam(db):
    exam = make_exam(code="AIF-C01", domains=[(1, "Fundamentals", 100, ["1.1", "1.2", "2.1"])])
    return exam


@pytest.fixture
def source(exam):
    source = make_question_set(exam=exam, slug="source")
    make_question(question_set=source, external_id="mc-1", stem="Which <one> & why? {x} ~y~ #1 a: b")
    make_question(
        question_set=source,
        kind="multiple_response",
        external_id="mr-1",
        task_statement="1.2",
        services=[make_service(slug="amazon-s3", name="Amazon S3"), make_service(slug="aws-lambda")],
        choices=[
            ChoiceData("A", True, "a"),
            ChoiceData("B", True),
            ChoiceData("C", True),
            ChoiceData("D"),
            ChoiceData("E"),
            ChoiceData("F"),
            ChoiceData("G"),
        ],
        stem="Pick the right ones. (Choose THREE.)",
    )
    make_question(question_set=source, kind="ordering", external_id="order-1", task_statement="2.1")
    make_question(
        question_set=source,
        kind="matching",
        external_id="match-1",
        task_statement="2.1",
        pairs=[PairData("a", "1"), PairData("b", "2"), PairData("c", "3"), PairData("", "4")],
    )
    make_question(question_set=source, stem="A question without an id.", task_statement="1.2")
    return source


def export(slug, fmt):
    out, errors = StringIO(), StringIO()
    call_command("export_questions", "--set", slug, "--format", fmt, stdout=out, stderr=errors)
    return out.getvalue()


def import_text(tmp_path, text, fmt, slug):
    path = tmp_path / f"export.{fmt}"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    args = ("--set", slug, "--exam", "AIF-C01", "--format", fmt)
    call_command("import_questions", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", EXPORTERS)
def test_export_import_export_gives_the_same_text(source, tmp_path, fmt):
    first = export("source", fmt)
    output = import_text(tmp_path, first, fmt, "copy")
    assert "0 skipped" in output
    assert export("copy", fmt) == first.replace("source", "copy", 1)  # the set's slug, in YAML and JSON
    assert "0 created, 0 updated" in import_text(tmp_path, first, fmt, "copy")  # a re-import changes nothing


@pytest.mark.parametrize("fmt", ["yaml", "json", "moodle-xml"])
def test_ids_and_services_come_back(source, tmp_path, fmt):
    import_text(tmp_path, export("source", fmt), fmt, "copy")
    copied = Question.objects.filter(question_set__slug="copy")
    assert set(copied.values_list("external_id", flat=True)) == {"mc-1", "mr-1", "order-1", "match-1", ""}
    assert sorted(copied.get(external_id="mr-1").services.values_list("slug", flat=True)) == [
        "amazon-s3",
        "aws-lambda",
    ]


def test_gift_keeps_ids_and_matching_distractors_and_leaves_out_only_ordering(source, tmp_path):
    text = export("source", "gift")
    assert "::mc-1::" in text and "  = -> 4" in text
    import_text(tmp_path, text, "gift", "copy")
    copied = Question.objects.filter(question_set__slug="copy")
    assert sorted(copied.values_list("external_id", flat=True)) == ["", "match-1", "mc-1", "mr-1"]
    match = copied.get(external_id="match-1")
    assert [(p.prompt_md, p.response_md) for p in match.pairs.all()][-1] == ("", "4")


def moodle_score(fractions, ticked):
    """Moodle's multiple-answer grading: the sum of the ticked fractions, between 0 and 1."""
    return min(max(sum(f for f, t in zip(fractions, ticked, strict=True) if t), 0), 1)


def test_ticking_every_box_of_an_exported_multiple_response_scores_zero_in_both_formats(source):
    xml = ElementTree.fromstring(export("source", "moodle-xml").encode())
    [question] = [q for q in xml.findall("question") if q.findtext("name/text") == "mr-1"]
    xml_fractions = [float(a.get("fraction")) / 100 for a in question.findall("answer")]
    gift_block = export("source", "gift").split("::mr-1::")[1].split("}")[0]
    gift_fractions = [float(w) / 100 for w in re.findall(r"~%(-?[\d.]+)%", gift_block)]
    assert xml_fractions == gift_fractions
    assert [grades.percent(f) for f in xml_fractions] == ["33.33333"] * 3 + ["-25"] * 4
    assert all(grades.is_allowed(f) for f in xml_fractions)
    assert moodle_score(xml_fractions, [True] * 7) < 0.000001
    assert moodle_score(xml_fractions, [True, True, True, False, False, False, False]) > 0.99999
    assert question.findtext("single") == "false"


@pytest.mark.parametrize(("right", "wrong"), [(2, 3), (2, 4), (3, 2), (4, 1), (2, 5), (3, 4), (5, 3)])
def test_the_fractions_are_moodle_grade_values_and_ticking_everything_is_worth_nothing(right, wrong):
    fractions = grades.multiple_response_fractions([True] * right + [False] * wrong)
    assert all(grades.is_allowed(f) for f in fractions)
    assert abs(sum(f for f in fractions if f > 0) - 1) < 0.00001
    assert sum(fractions) < 0.000001


def test_moodle_xml_carries_its_question_settings_and_ordering_in_qtype_ordering_form(source):
    xml = ElementTree.fromstring(export("source", "moodle-xml").encode())
    by_name = {q.findtext("name/text"): q for q in xml.findall("question") if q.get("type") != "category"}
    mc = by_name["mc-1"]
    assert [mc.findtext(tag) for tag in ("single", "shuffleanswers", "answernumbering")] == [
        "true",
        "true",
        "abc",
    ]
    assert (mc.findtext("defaultgrade"), mc.findtext("penalty")) == ("1", "0.3333333")
    assert [a.get("fraction") for a in mc.findall("answer")] == ["100", "0", "0", "0"]
    order = by_name["order-1"]
    assert order.get("type") == "ordering"
    assert order.findtext("gradingtype") == "ALL_OR_NOTHING" and order.findtext("selecttype") == "ALL"
    assert [a.get("fraction") for a in order.findall("answer")] == ["1.0000000", "2.0000000", "3.0000000"]
    assert by_name["match-1"].findtext("shuffleanswers") == "true"
    distractor = by_name["match-1"].findall("subquestion")[-1]
    assert (distractor.findtext("text"), distractor.findtext("answer/text")) == ("", "4")


def test_the_json_export_carries_every_field_of_a_question():
    question = make_question_data(external_id="q", services=["s3"], scenario="shop", difficulty=3)
    fields = set(json_format.question_dict(question))
    assert fields == {
        "id",
        "kind",
        "stem",
        "explanation",
        "task_statement",
        "guide_version",
        "difficulty",
        "status",
        "services",
        "scenario",
        "choices",
        "items",
        "pairs",
    } | (set(question.__dataclass_fields__) - {"external_id", "line", "shape_notes"})
    document = json.loads(json_format.dump({"slug": "s"}, [], [question]))
    assert json_format.parse(json.dumps(document)).questions[0].difficulty == 3


def test_a_json_file_is_read_with_the_yaml_rules_and_line_numbers():
    text = '{\n  "questions": [\n    {\n      "kind": "ordering",\n      "items": 3\n    }\n  ]\n}'
    with pytest.raises(FormatError) as caught:
        json_format.parse(text)
    assert (caught.value.line, caught.value.message) == (3, "'stem' is required")
    with pytest.raises(FormatError) as caught:
        json_format.parse('{"questions": [\n  {"kind": "x",}\n]}')
    assert caught.value.line == 2 and caught.value.message.startswith("not valid JSON")


def test_a_bare_json_list_of_questions_is_read():
    [question] = json_format.parse('[{"kind": "multiple_choice", "stem": "Pick.", "id": "p"}]').questions
    assert (question.stem, question.external_id) == ("Pick.", "p")


def test_gift_dump_leaves_out_only_ordering():
    questions = [make_question_data(kind=kind) for kind in ("multiple_choice", "matching", "ordering")]
    _, left_out = gift.dump(questions)
    assert [q.kind for q in left_out] == ["ordering"]
