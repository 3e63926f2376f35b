"""certprep's YAML format: errors name their line, distractors, and exact round trips (file and database)."""

from io import StringIO

import pytest
import yaml as pyyaml
from django.core.management import CommandError, call_command

from apps.questions.data import FormatError, PairData
from apps.questions.formats import yaml
from apps.questions.models import Question
from tests.factories import make_exam, make_note, make_service

COMPLETE = """\
set:
  slug: tst-bank
  title: TST-C01 practice bank
  exam: TST-C01
  visibility: public
  description: Original questions.

scenarios:
  - id: clinic
    title: A clinic's assistant
    text: |
      A regional clinic wants an assistant.

      It must keep **patient data** private.

questions:
  - id: tst-1-1-001
    kind: multiple_choice
    task_statement: "1.1"
    guide_version: "1.0"
    difficulty: 3
    status: published
    services: [widget-store, gadget-queue]
    objectives: ["1.1.2", "2.1.1"]
    section: widgets#where-widgets-live
    scenario: clinic
    stem: |
      Which service stores objects: "blobs" # of any size?

      Pick the LEAST operational overhead.
    choices:
      - text: "Amazon S3: object storage"
        correct: true
        rationale: Objects, any size.
      - text: "yes"
        rationale: A word YAML reads as true when unquoted.
      - text: "null"
        rationale: A word YAML reads as nothing when unquoted.
      - text: "123"
    explanation: |
      S3 is **object** storage.
  - id: tst-1-2-002
    kind: multiple_response
    task_statement: "1.2"
    status: draft
    stem: Which store data? (Choose TWO.)
    objectives: ["1.2.1"]
    section: oth-c01/gadgets#missing-values-imputation
    choices:
      - {text: Amazon S3, correct: true, rationale: Objects.}
      - {text: Amazon DynamoDB, correct: true, rationale: Items.}
      - {text: AWS Lambda, rationale: Code.}
      - {text: Amazon SNS, rationale: Messages.}
      - {text: "  AWS IAM: access", rationale: Access.}
    explanation: Both keep data.
  - id: tst-2-1-003
    kind: ordering
    task_statement: "2.1"
    difficulty: 1
    stem: Put the steps in order.
    items:
      - Collect the data.
      - "Train: the model."
      - Évaluer le modèle — ✓
    explanation: First data, then training, then evaluation.
  - kind: matching
    task_statement: "2.1"
    stem: Match each need to its service.
    pairs:
      - {prompt: Store objects, response: Amazon S3}
      - {prompt: Run code, response: AWS Lambda}
      - {prompt: "Keys: manage", response: AWS KMS}
    distractors: [Amazon Inspector, "true"]
    explanation: Each service does one thing.
"""


def without_lines(questions):
    for question in questions:
        question.line = 0
    return questions


def test_a_complete_file_is_read_into_plain_data():
    parsed = yaml.parse(COMPLETE)
    assert parsed.set_meta == {
        "slug": "tst-bank",
        "title": "TST-C01 practice bank",
        "exam": "TST-C01",
        "visibility": "public",
        "description": "Original questions.",
    }
    [scenario] = parsed.scenarios
    assert (scenario.external_id, scenario.title) == ("clinic", "A clinic's assistant")
    assert scenario.text.startswith("A regional clinic") and "**patient data**" in scenario.text
    first = parsed.questions[0]
    assert (first.external_id, first.kind, first.task_statement, first.guide_version) == (
        "tst-1-1-001",
        "multiple_choice",
        "1.1",
        "1.0",
    )
    assert (first.difficulty, first.status, first.scenario) == (3, "published", "clinic")
    assert first.services == ["widget-store", "gadget-queue"]
    assert (first.objectives, first.section) == (["1.1.2", "2.1.1"], "widgets#where-widgets-live")
    second = parsed.questions[1]
    assert (second.objectives, second.section) == (["1.2.1"], "oth-c01/gadgets#missing-values-imputation")
    assert (
        first.stem
        == 'Which service stores objects: "blobs" # of any size?\n\nPick the LEAST operational overhead.'
    )
    assert [(c.text, c.correct) for c in first.choices] == [
        ("Amazon S3: object storage", True),
        ("yes", False),
        ("null", False),
        ("123", False),
    ]
    assert first.choices[3].rationale == ""
    assert first.explanation == "S3 is **object** storage."
    assert [q.line for q in parsed.questions] == [17, 42, 56, 66]


def test_omitted_fields_take_their_defaults():
    [question] = yaml.parse("questions:\n  - kind: ordering\n    stem: Order these.\n").questions
    assert (question.objectives, question.section) == ([], "")
    assert (question.status, question.difficulty, question.external_id, question.task_statement) == (
        "draft",
        2,
        "",
        "",
    )


def test_distractors_become_responses_without_a_prompt_after_the_pairs():
    matching = yaml.parse(COMPLETE).questions[3]
    assert matching.pairs == [
        PairData("Store objects", "Amazon S3"),
        PairData("Run code", "AWS Lambda"),
        PairData("Keys: manage", "AWS KMS"),
        PairData("", "Amazon Inspector"),
        PairData("", "true"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(
            "questions:\n  - id: a\n    kind: ordering\n    stem: x: y\n    items: []\n",
            4,
            "YAML syntax error",
            id="bad-yaml",
        ),
        pytest.param("questions:\n\t- id: a\n", 2, "YAML syntax error", id="tab-indent"),
        pytest.param(
            "questions:\n  - id: a\n    kind: ordering\n    stem: S\n    answer: x\n",
            5,
            "unknown question key 'answer'",
            id="unknown-question-key",
        ),
        pytest.param(
            "set:\n  slug: s\n  colour: red\nquestions: []\n",
            3,
            "unknown set key 'colour' (allowed: description, exam, slug, title, visibility)",
            id="unknown-set-key",
        ),
        pytest.param(
            "questions:\n  - id: a\n    kind: ordering\n    stem: S\n"
            "  - id: b\n    kind: ordering\n    stem: T\n"
            "  - id: a\n    kind: ordering\n    stem: U\n",
            8,
            "id 'a' is already used on line 2",
            id="duplicate-id",
        ),
        pytest.param(
            "questions:\n  - id: a\n    kind: multiple_choice\n    stem: S\n    choices:\n"
            "      - text: A\n        correct: yes please\n",
            7,
            "'correct' must be true or false",
            id="correct-not-boolean",
        ),
        pytest.param(
            "questions:\n  - id: a\n    kind: multiple_choice\n    stem: S\n    choices:\n"
            "      - text: A\n      - text: B\n        right: true\n",
            7,
            "unknown choice key 'right'",
            id="unknown-choice-key",
        ),
        pytest.param(
            "questions:\n  - id: a\n    kind: multiple_choice\n    stem: S\n    choices:\n"
            "      - Just text\n",
            5,
            "each choice must be a mapping with text, correct, rationale",
            id="choice-not-a-mapping",
        ),
        pytest.param(
            "questions:\n  - id: a\n    kind: multiple_choice\n    stem: S\n    choices:\n"
            "      - correct: true\n",
            6,
            "'text' is required",
            id="choice-without-text",
        ),
        pytest.param(
            "questions:\n  - id: a\n    kind: matching\n    stem: S\n    pairs:\n"
            "      - {prompt: A, response: B}\n      - {prompt: C, answer: D}\n",
            5,
            "each pair must be a mapping with exactly 'prompt' and 'response'",
            id="pair-with-wrong-key",
        ),
        pytest.param(
            "questions:\n  - id: a\n    kind: matching\n    stem: S\n    pairs:\n      - A -> B\n",
            5,
            "each pair must be a mapping with exactly 'prompt' and 'response'",
            id="pair-not-a-mapping",
        ),
        pytest.param(
            "questions:\n  - id: a\n    kind: matching\n    stem: S\n    distractors: Amazon S3\n",
            5,
            "'distractors' must be a list of texts",
            id="distractors-not-a-list",
        ),
        pytest.param(
            "questions:\n  - id: a\n    kind: ordering\n    stem: S\n    items:\n      - {text: A}\n",
            5,
            "'items' must be a list of texts, in the correct order",
            id="items-not-texts",
        ),
        pytest.param(
            "questions:\n  - id: a\n    kind: ordering\n    stem: S\n    services: s3\n",
            5,
            "'services' must be a list of glossary slugs",
            id="services-not-a-list",
        ),
        pytest.param("questions:\n  - id: a\n    kind: ordering\n", 2, "'stem' is required", id="no-stem"),
        pytest.param(
            "questions:\n  - id: a\n    kind: ordering\n    stem: [A, B]\n",
            4,
            "'stem' must be text",
            id="stem-not-text",
        ),
        pytest.param(
            "questions:\n  - kind: ordering\n    stem: S\n    objectives: [1.1]\n",
            4,
            "'objectives' must be a list of quoted ids such as \"1.1.3\"",
            id="objective-not-quoted",
        ),
        pytest.param(
            'questions:\n  - kind: ordering\n    stem: S\n    objectives: "1.1.1"\n',
            4,
            "'objectives' must be a list",
            id="objectives-not-a-list",
        ),
        pytest.param(
            "questions:\n  - kind: ordering\n    stem: S\n    section: [a]\n",
            4,
            "'section' must be text",
            id="section-not-text",
        ),
        pytest.param(
            "set: {slug: s}\n",
            1,
            "a question file is a YAML mapping with a 'questions' list",
            id="no-questions",
        ),
        pytest.param(
            "questions:\n  - just a string\n",
            1,
            "each question must be a mapping",
            id="question-not-a-mapping",
        ),
    ],
)
def test_a_file_that_cannot_be_read_names_the_line_and_the_problem(text, line, message):
    with pytest.raises(FormatError) as caught:
        yaml.parse(text)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"line {line}: ")


def test_dumping_what_was_parsed_reads_back_the_same():
    parsed = yaml.parse(COMPLETE)
    again = yaml.parse(yaml.dump(parsed.set_meta, parsed.scenarios, parsed.questions))
    assert again.set_meta == parsed.set_meta
    assert again.scenarios == parsed.scenarios
    assert without_lines(again.questions) == without_lines(parsed.questions)


def test_a_dump_is_stable_when_dumped_again():
    parsed = yaml.parse(COMPLETE)
    first = yaml.dump(parsed.set_meta, parsed.scenarios, parsed.questions)
    again = yaml.parse(first)
    assert yaml.dump(again.set_meta, again.scenarios, again.questions) == first


@pytest.mark.parametrize(
    "text",
    [
        "  starts with spaces",
        "ends with spaces   ",
        "line one   \nline two",
        "tab\tinside",
        "'single' and \"double\" quotes",
        "- looks like a list",
        "key: value",
        "# looks like a comment",
        "{looks: like a mapping}",
        "yes",
        "~",
        "0x10",
        "1.1",
        "emoji 🚀 and ünïcödé",
        "back\\slash",
    ],
)
def test_awkward_texts_survive_a_round_trip(text):
    parsed = yaml.parse("questions:\n  - kind: ordering\n    stem: S\n    items: [a, b, c]\n")
    parsed.questions[0].stem = text
    parsed.questions[0].items = [text.strip(), "b", "c"]  # items are stripped when read
    parsed.questions[0].explanation = f"{text}\n\nA second paragraph."
    [again] = yaml.parse(yaml.dump({}, [], parsed.questions)).questions
    assert (again.stem, again.items, again.explanation) == (
        text,
        [text.strip(), "b", "c"],
        f"{text}\n\nA second paragraph.",
    )


def test_a_question_without_id_is_dumped_without_one():
    parsed = yaml.parse(COMPLETE)
    document = pyyaml.safe_load(yaml.dump(parsed.set_meta, parsed.scenarios, parsed.questions))
    assert [question.get("id") for question in document["questions"]] == [
        "tst-1-1-001",
        "tst-1-2-002",
        "tst-2-1-003",
        None,
    ]


# ------------------------------------------------------------------------------------ database round trip
@pytest.fixture
def exam(db):
    exam = make_exam(code="TST-C01", guide_version="1.1")
    exam.task_statements.filter(number="1.1").update(objectives=["Store widgets", "Count widgets"])
    exam.task_statements.filter(number__in=["1.2", "2.1"]).update(objectives=["Move widgets"])
    make_note(exam=exam, slug="widgets", body="## Where widgets live\n\nText.\n")
    other = make_exam(code="OTH-C01")
    make_note(exam=other, slug="gadgets", body="## Missing values (imputation)\n\nText.\n")
    make_service(slug="widget-store", name="Amazon Widget Store")
    make_service(slug="gadget-queue", name="Amazon Gadget Queue")
    return exam


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_then_import_changes_nothing_and_exports_the_same_text(exam, tmp_path):
    source = tmp_path / "bank.yaml"
    source.write_text(COMPLETE, encoding="utf-8")
    assert "4 created" in run("import_questions", str(source), "--set", "tst-bank", "--exam", "TST-C01")

    exported = tmp_path / "exported.yaml"
    run("export_questions", "--set", "tst-bank", "--output", str(exported))
    output = run("import_questions", str(exported), "--set", "tst-bank")
    assert "questions: 0 created, 0 updated, 4 unchanged, 0 skipped" in output

    again = tmp_path / "again.yaml"
    run("export_questions", "--set", "tst-bank", "--output", str(again))
    assert again.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")


def test_an_export_holds_the_same_questions_as_the_imported_file(exam, tmp_path):
    source = tmp_path / "bank.yaml"
    source.write_text(COMPLETE, encoding="utf-8")
    run("import_questions", str(source), "--set", "tst-bank", "--exam", "TST-C01")
    exported = yaml.parse(run("export_questions", "--set", "tst-bank"))
    original = yaml.parse(COMPLETE)
    for question in original.questions:
        question.guide_version = question.guide_version or "1.1"  # the exam's version when the file has none
        question.services = sorted(question.services)
    assert exported.set_meta == original.set_meta
    assert exported.scenarios == original.scenarios
    assert without_lines(exported.questions) == without_lines(original.questions)


def test_objectives_and_section_are_stored_and_the_section_resolves_to_its_note(exam, tmp_path):
    source = tmp_path / "bank.yaml"
    source.write_text(COMPLETE, encoding="utf-8")
    run("import_questions", str(source), "--set", "tst-bank", "--exam", "TST-C01")
    first = Question.objects.get(external_id="tst-1-1-001")
    assert (first.objectives, first.section) == (["1.1.2", "2.1.1"], "widgets#where-widgets-live")
    assert first.section_url() == "/exams/tst-c01/notes/widgets/#where-widgets-live"
    second = Question.objects.get(external_id="tst-1-2-002")
    assert second.section_url() == "/exams/oth-c01/notes/gadgets/#missing-values-imputation"
    assert Question.objects.get(external_id="tst-2-1-003").section_url() == ""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("widgets#where-widgets-live", "widgets#nowhere"), "the note 'widgets' has no heading 'nowhere'"),
        (("widgets#where-widgets-live", "gizmos#where-widgets-live"), "there is no note 'gizmos' in tst-c01"),
        (("widgets#where-widgets-live", "where widgets live"), "must look like note-slug#heading-id"),
        (
            ('["1.1.2", "2.1.1"]', '["1.1.3"]'),
            "objective '1.1.3' is not an objective of this exam's blueprint",
        ),
    ],
)
def test_a_broken_section_or_unknown_objective_stops_the_import(exam, tmp_path, change, message):
    source = tmp_path / "bank.yaml"
    source.write_text(COMPLETE.replace(*change), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("import_questions", str(source), "--set", "tst-bank", "--exam", "TST-C01")
    assert message in str(caught.value)
    assert "bank.yaml:17: " in str(caught.value)
    assert not Question.objects.exists()


def test_a_draft_may_link_to_a_section_that_does_not_exist_yet(exam, tmp_path):
    source = tmp_path / "bank.yaml"
    source.write_text(
        COMPLETE.replace("oth-c01/gadgets#missing-values-imputation", "gadgets#later"), encoding="utf-8"
    )
    run("import_questions", str(source), "--set", "tst-bank", "--exam", "TST-C01")
    draft = Question.objects.get(external_id="tst-1-2-002")
    assert (draft.section, draft.section_note, draft.section_url()) == ("gadgets#later", None, "")
