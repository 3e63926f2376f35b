"""`import_questions`: counts, no duplicates, sets and exams, all or nothing, drafts, versions, rendering."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.questions.models import Question, QuestionSet, Scenario
from tests.factories import make_exam, make_question_set, make_service

BANK = """\
set:
  title: Widget practice
  visibility: public
  description: Questions about widgets.

scenarios:
  - id: shop
    title: A widget shop
    text: |
      A shop sells **widgets** online.

questions:
  - id: q-mc
    kind: multiple_choice
    task_statement: "1.1"
    status: published
    services: [widget-store]
    scenario: shop
    stem: Which service stores widgets?
    choices:
      - {text: Amazon Widget Store, correct: true, rationale: It stores widgets.}
      - {text: Amazon Gadget Queue, rationale: It queues gadgets.}
      - {text: AWS Lambda, rationale: It runs code.}
      - {text: Amazon SNS, rationale: It sends messages.}
    explanation: The store stores.
  - id: q-order
    kind: ordering
    task_statement: "1.2"
    status: published
    stem: Put the steps in order.
    items: [Collect, Train, Evaluate]
    explanation: Data first.
  - id: q-match
    kind: matching
    task_statement: "2.1"
    status: draft
    stem: Match each need to its service.
    pairs:
      - {prompt: Store widgets, response: Amazon Widget Store}
      - {prompt: Queue gadgets, response: Amazon Gadget Queue}
      - {prompt: Run code, response: AWS Lambda}
    distractors: [Amazon SNS]
"""
GIFT = """\
$CATEGORY: TST-C01/1.1

Which service stores widgets? {
  =Amazon Widget Store#It stores widgets.
  ~Amazon Gadget Queue#It queues gadgets.
  ~AWS Lambda#It runs code.
  ~Amazon SNS#It sends messages.
  ####The store stores.
}

Which services hold data? {
  ~%50%Amazon Widget Store#Widgets.
  ~%50%Amazon Gadget Queue#Gadgets.
  ~%-100%AWS Lambda#Code.
  ~%-100%Amazon SNS#Messages.
  ~%-100%AWS IAM#Access.
  ####Both keep something.
}
"""


@pytest.fixture
def exam(db):
    exam = make_exam(code="TST-C01", guide_version="2.0")
    make_service(slug="widget-store", name="Amazon Widget Store")
    make_service(slug="gadget-queue", name="Amazon Gadget Queue")
    return exam


def write(tmp_path, text, name="bank.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path, *args):
    out = StringIO()
    call_command("import_questions", str(path), *args, stdout=out)
    return out.getvalue()


def refused(path, *args):
    with pytest.raises(CommandError) as caught:
        run(path, *args)
    return str(caught.value)


# ------------------------------------------------------------------------------------------ sets and exams
def test_a_missing_set_is_created_with_the_exam_given_and_the_file_metadata(exam, tmp_path):
    output = run(write(tmp_path, BANK), "--set", "widgets", "--exam", "TST-C01")
    assert output.splitlines()[0] == "Created question set widgets (TST-C01)."
    question_set = QuestionSet.objects.get()
    assert (question_set.slug, question_set.exam, question_set.title) == ("widgets", exam, "Widget practice")
    assert (question_set.visibility, question_set.description) == ("public", "Questions about widgets.")


def test_a_missing_set_is_not_created_without_an_exam(exam, tmp_path):
    message = refused(write(tmp_path, BANK), "--set", "widgets")
    assert message == "there is no question set 'widgets'; give its exam to create it (--exam CODE)"
    assert not QuestionSet.objects.exists() and not Question.objects.exists()


def test_an_existing_set_is_used_without_an_exam_and_keeps_its_own_settings(exam, tmp_path):
    question_set = make_question_set(exam=exam, slug="widgets", title="Mine", visibility="private")
    output = run(write(tmp_path, BANK), "--set", "widgets")
    assert "Created question set" not in output
    question_set.refresh_from_db()
    assert (question_set.title, question_set.visibility) == ("Mine", "private")
    assert question_set.questions.count() == 3


def test_an_unknown_exam_is_refused_and_the_known_ones_are_listed(exam, tmp_path):
    make_exam(code="OTH-C02")
    message = refused(write(tmp_path, BANK), "--set", "widgets", "--exam", "NOPE-C01")
    assert message.startswith("unknown exam 'NOPE-C01' (known: ")
    assert "TST-C01" in message and "OTH-C02" in message
    assert not QuestionSet.objects.exists()


def test_an_exam_other_than_the_sets_is_refused(exam, tmp_path):
    make_exam(code="OTH-C02")
    make_question_set(exam=exam, slug="widgets")
    message = refused(write(tmp_path, BANK), "--set", "widgets", "--exam", "OTH-C02")
    assert message == "set 'widgets' belongs to TST-C01, not OTH-C02"
    assert not Question.objects.exists()


def test_a_file_that_does_not_exist_is_refused(exam, tmp_path):
    assert (
        refused(tmp_path / "missing.yaml", "--set", "widgets") == f"{tmp_path / 'missing.yaml'}: no such file"
    )


# -------------------------------------------------------------------------------------------------- counts
def test_the_output_counts_created_updated_unchanged_and_skipped(exam, tmp_path):
    path = write(tmp_path, BANK)
    output = run(path, "--set", "widgets", "--exam", "TST-C01")
    assert f"Read {path} as yaml." in output
    assert "questions: 3 created, 0 updated, 0 unchanged, 0 skipped" in output

    write(tmp_path, BANK.replace("Put the steps in order.", "Put these steps in order."))
    assert "questions: 0 created, 1 updated, 2 unchanged, 0 skipped" in run(path, "--set", "widgets")


def test_a_question_breaking_a_rule_in_gift_is_skipped_with_its_line_and_reason(exam, tmp_path):
    broken = GIFT + "\nWhich one? {\n  =A#Yes.\n  ~B#No.\n  ~A#Again.\n  ~C#No.\n}\n"
    output = run(write(tmp_path, broken, "bank.gift"), "--set", "widgets", "--exam", "TST-C01")
    assert "questions: 2 created, 0 updated, 0 unchanged, 1 skipped" in output
    assert "  skipped line 20: the choice “A” appears twice" in output
    assert "imported as draft line 20" not in output  # one outcome per question
    assert Question.objects.count() == 2


# ---------------------------------------------------------------------------------------------- duplicates
def test_importing_a_file_with_ids_twice_changes_nothing(exam, tmp_path):
    path = write(tmp_path, BANK)
    run(path, "--set", "widgets", "--exam", "TST-C01")
    before = {q.external_id: (q.pk, q.updated_at) for q in Question.objects.all()}
    output = run(path, "--set", "widgets")
    assert "questions: 0 created, 0 updated, 3 unchanged, 0 skipped" in output
    assert {q.external_id: (q.pk, q.updated_at) for q in Question.objects.all()} == before


def test_a_question_is_matched_by_its_id_even_when_its_stem_changes(exam, tmp_path):
    path = write(tmp_path, BANK)
    run(path, "--set", "widgets", "--exam", "TST-C01")
    original = Question.objects.get(external_id="q-mc")
    write(tmp_path, BANK.replace("Which service stores widgets?", "Where do widgets live?"))
    run(path, "--set", "widgets")
    assert Question.objects.count() == 3
    assert Question.objects.get(external_id="q-mc").pk == original.pk
    assert Question.objects.get(pk=original.pk).stem_md == "Where do widgets live?"


def test_the_same_ids_in_another_set_are_other_questions(exam, tmp_path):
    path = write(tmp_path, BANK)
    run(path, "--set", "widgets", "--exam", "TST-C01")
    assert "3 created" in run(path, "--set", "widgets-copy", "--exam", "TST-C01")
    assert Question.objects.filter(external_id="q-mc").count() == 2


def test_importing_a_gift_file_twice_matches_questions_by_their_content(exam, tmp_path):
    path = write(tmp_path, GIFT, "bank.gift")
    run(path, "--set", "widgets", "--exam", "TST-C01")
    assert "questions: 0 created, 0 updated, 2 unchanged, 0 skipped" in run(path, "--set", "widgets")
    assert Question.objects.count() == 2


def test_a_gift_stem_differing_only_in_case_and_spacing_updates_the_same_question(exam, tmp_path):
    path = write(tmp_path, GIFT, "bank.gift")
    run(path, "--set", "widgets", "--exam", "TST-C01")
    original = Question.objects.get(kind="multiple_choice")
    write(
        tmp_path,
        GIFT.replace("Which service stores widgets?", "WHICH  service stores\\nwidgets?"),
        "bank.gift",
    )
    assert "questions: 0 created, 1 updated, 1 unchanged" in run(path, "--set", "widgets")
    assert Question.objects.get(kind="multiple_choice").pk == original.pk


def test_a_gift_question_with_a_new_stem_is_a_new_question(exam, tmp_path):
    path = write(tmp_path, GIFT, "bank.gift")
    run(path, "--set", "widgets", "--exam", "TST-C01")
    write(tmp_path, GIFT.replace("Which service stores widgets?", "Where do widgets live?"), "bank.gift")
    assert "questions: 1 created, 0 updated, 1 unchanged" in run(path, "--set", "widgets")
    assert Question.objects.count() == 3


# ------------------------------------------------------------------------------------------ all or nothing
def test_one_bad_question_in_a_yaml_file_imports_nothing_and_names_file_and_line(exam, tmp_path):
    path = write(tmp_path, BANK.replace("      - {text: Amazon SNS, rationale: It sends messages.}\n", ""))
    message = refused(path, "--set", "widgets", "--exam", "TST-C01")
    assert message.splitlines() == [
        f"{path}:13: a multiple choice question has exactly 4 choices, not 3",
        "Nothing was imported.",
    ]
    assert not Question.objects.exists() and not Scenario.objects.exists()


def test_a_bad_question_leaves_an_earlier_import_untouched(exam, tmp_path):
    path = write(tmp_path, BANK)
    run(path, "--set", "widgets", "--exam", "TST-C01")
    before = {q.pk: (q.stem_md, q.current_version_id, q.updated_at) for q in Question.objects.all()}
    write(
        tmp_path,
        BANK.replace("Put the steps in order.", "Put the new steps in order.").replace(
            "items: [Collect, Train, Evaluate]", "items: [Collect, Train]"
        ),
    )
    message = refused(path, "--set", "widgets")
    assert f"{path}:26: an ordering question has 3 to 5 items, not 2" in message
    assert {q.pk: (q.stem_md, q.current_version_id, q.updated_at) for q in Question.objects.all()} == before


def test_every_problem_in_a_yaml_file_is_listed_with_its_line(exam, tmp_path):
    broken = (
        BANK.replace('task_statement: "1.1"', 'task_statement: "9.9"')
        .replace("services: [widget-store]", "services: [widget-store, no-such-service]")
        .replace("scenario: shop", "scenario: no-such-scenario")
        .replace("items: [Collect, Train, Evaluate]", "items: [Collect, Train, collect]")
    )
    message = refused(write(tmp_path, broken), "--set", "widgets", "--exam", "TST-C01")
    assert message.splitlines() == [
        f"{tmp_path / 'bank.yaml'}:13: task statement '9.9' is not part of this exam",
        f"{tmp_path / 'bank.yaml'}:13: unknown service 'no-such-service'",
        f"{tmp_path / 'bank.yaml'}:13: unknown scenario 'no-such-scenario'",
        f"{tmp_path / 'bank.yaml'}:26: the item “collect” appears twice",
        "Nothing was imported.",
    ]
    assert not Question.objects.exists()


def test_a_file_that_cannot_be_read_imports_nothing(exam, tmp_path):
    path = write(tmp_path, BANK.replace("    kind: ordering\n", "    kind: ordering\n    colour: red\n"))
    message = refused(path, "--set", "widgets", "--exam", "TST-C01")
    assert message == f"{path}:28: unknown question key 'colour'\nNothing was imported."
    assert not Question.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_its_line(exam, tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_bytes(BANK.replace("Collect", "Coll\xe9ct").encode("latin-1"))
    message = refused(path, "--set", "widgets", "--exam", "TST-C01")
    assert message == f"{path}:31: not UTF-8 text (byte 0xe9); save the file as UTF-8\nNothing was imported."


# ---------------------------------------------------------------------------------------------------- drafts
def test_a_published_question_without_task_statement_is_imported_as_a_draft_and_listed(exam, tmp_path):
    path = write(tmp_path, BANK.replace('    task_statement: "1.2"\n', ""))
    output = run(path, "--set", "widgets", "--exam", "TST-C01")
    assert "questions: 3 created, 0 updated, 0 unchanged, 0 skipped" in output
    assert "  imported as draft line 26: needs a task statement" in output
    ordering = Question.objects.get(external_id="q-order")
    assert (ordering.status, ordering.task_statement) == ("draft", None)
    assert list(Question.objects.needing_task_statement()) == [ordering]


def test_a_gift_question_without_explanation_or_task_statement_is_imported_as_a_draft(exam, tmp_path):
    text = GIFT.replace("  ####The store stores.\n", "").replace(
        "$CATEGORY: TST-C01/1.1", "$CATEGORY: TST-C01"
    )
    output = run(write(tmp_path, text, "bank.gift"), "--set", "widgets", "--exam", "TST-C01")
    assert "  imported as draft line 3: needs a task statement and an explanation" in output
    assert "  imported as draft line 10: needs a task statement\n" in output
    assert set(Question.objects.values_list("status", flat=True)) == {"draft"}


def test_a_published_yaml_question_without_explanation_is_refused_not_drafted(exam, tmp_path):
    path = write(tmp_path, BANK.replace("    explanation: Data first.\n", ""))
    message = refused(path, "--set", "widgets", "--exam", "TST-C01")
    assert f"{path}:26: a published question needs an explanation" in message


# ------------------------------------------------------------------------------------------------- versions
def test_a_content_change_records_a_new_version_and_a_plain_re_import_does_not(exam, tmp_path):
    path = write(tmp_path, BANK)
    run(path, "--set", "widgets", "--exam", "TST-C01")
    assert set(Question.objects.values_list("current_version__number", flat=True)) == {1}

    run(path, "--set", "widgets")
    assert set(Question.objects.values_list("current_version__number", flat=True)) == {1}

    edited = BANK.replace("rationale: It runs code.", "rationale: It runs code only.")
    write(tmp_path, edited)
    run(path, "--set", "widgets")
    revisions = dict(Question.objects.values_list("external_id", "current_version__number"))
    assert revisions == {"q-mc": 2, "q-order": 1, "q-match": 1}

    write(tmp_path, edited.replace("items: [Collect, Train, Evaluate]", "items: [Collect, Evaluate, Train]"))
    run(path, "--set", "widgets")
    revisions = dict(Question.objects.values_list("external_id", "current_version__number"))
    assert revisions == {"q-mc": 2, "q-order": 2, "q-match": 1}


def test_a_rewritten_scenario_records_a_new_version_of_its_questions_only(exam, tmp_path):
    path = write(tmp_path, BANK)
    run(path, "--set", "widgets", "--exam", "TST-C01")
    write(tmp_path, BANK.replace("A shop sells **widgets** online.", "A shop sells **gadgets** online."))
    run(path, "--set", "widgets")
    versions = dict(Question.objects.values_list("external_id", "current_version__number"))
    assert versions == {"q-mc": 2, "q-order": 1, "q-match": 1}
    mc = Question.objects.get(external_id="q-mc")
    assert "gadgets" in mc.current_version.content["scenario"]["html"]
    assert "widgets" in mc.versions.get(number=1).content["scenario"]["html"]  # the old one is kept as it was


def test_a_status_change_updates_without_a_new_version(exam, tmp_path):
    path = write(tmp_path, BANK)
    run(path, "--set", "widgets", "--exam", "TST-C01")
    write(tmp_path, BANK.replace("status: draft", "status: retired"))
    assert "0 created, 1 updated, 2 unchanged" in run(path, "--set", "widgets")
    match = Question.objects.get(external_id="q-match")
    assert (match.status, match.current_version.number) == ("retired", 1)


# ------------------------------------------------------------------------------------ links and rendering
def test_services_and_scenarios_are_linked(exam, tmp_path):
    run(write(tmp_path, BANK), "--set", "widgets", "--exam", "TST-C01")
    question = Question.objects.get(external_id="q-mc")
    assert list(question.services.values_list("slug", flat=True)) == ["widget-store"]
    scenario = question.scenario
    assert (scenario.external_id, scenario.title, scenario.question_set.slug) == (
        "shop",
        "A widget shop",
        "widgets",
    )
    assert "<strong>widgets</strong>" in scenario.text_html
    assert Question.objects.get(external_id="q-order").scenario is None


def test_a_later_file_may_refer_to_a_scenario_imported_before(exam, tmp_path):
    run(write(tmp_path, BANK), "--set", "widgets", "--exam", "TST-C01")
    later = (
        "questions:\n  - id: q-late\n    kind: ordering\n    scenario: shop\n    stem: Order.\n"
        "    items: [A, B, C]\n"
    )
    run(write(tmp_path, later, "later.yaml"), "--set", "widgets")
    assert Question.objects.get(external_id="q-late").scenario.external_id == "shop"
    assert Scenario.objects.count() == 1


def test_the_task_statement_and_guide_version_are_set(exam, tmp_path):
    text = BANK.replace("    stem: Put the steps", '    guide_version: "1.0"\n    stem: Put the steps')
    run(write(tmp_path, text), "--set", "widgets", "--exam", "TST-C01")
    rows = dict(Question.objects.values_list("external_id", "task_statement__number"))
    assert rows == {"q-mc": "1.1", "q-order": "1.2", "q-match": "2.1"}
    versions = dict(Question.objects.values_list("external_id", "guide_version"))
    assert versions == {"q-mc": "2.0", "q-order": "1.0", "q-match": "2.0"}  # the exam's unless the file says


def test_markdown_is_rendered_and_sanitized_in_every_part(exam, tmp_path):
    text = (
        BANK.replace(
            "stem: Which service stores widgets?",
            'stem: "Which **service** stores widgets? <script>alert(1)</script><img src=x onerror=alert(2)>"',
        )
        .replace("rationale: It stores widgets.", "rationale: It stores `widgets`.")
        .replace("explanation: The store stores.", 'explanation: "[Docs](javascript:alert(3)) *say so*."')
        .replace("items: [Collect, Train, Evaluate]", 'items: [Collect, Train, "*Evaluate*"]')
        .replace(
            "{prompt: Run code, response: AWS Lambda}", '{prompt: Run `code`, response: "**AWS Lambda**"}'
        )
    )
    run(write(tmp_path, text), "--set", "widgets", "--exam", "TST-C01")
    question = Question.objects.get(external_id="q-mc")
    assert "<strong>service</strong>" in question.stem_html
    for dangerous in ("<script", "alert(", "onerror", "javascript:"):
        assert dangerous not in question.stem_html + question.explanation_html
    assert "<em>say so</em>" in question.explanation_html
    assert question.choices.first().rationale_html == "It stores <code>widgets</code>."
    assert question.choices.first().text_html == "Amazon Widget Store"  # inline: no <p> around it
    assert [i.text_html for i in Question.objects.get(external_id="q-order").ordering_items.all()] == [
        "Collect",
        "Train",
        "<em>Evaluate</em>",
    ]
    pairs = Question.objects.get(external_id="q-match").pairs.all()
    assert [(p.prompt_html, p.response_html) for p in pairs][2] == (
        "Run <code>code</code>",
        "<strong>AWS Lambda</strong>",
    )
    assert [(p.prompt_html, p.response_html) for p in pairs][3] == ("", "Amazon SNS")  # the distractor
