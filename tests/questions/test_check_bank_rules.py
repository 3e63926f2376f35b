"""`check_bank` enforces the exam-validity rules on small hand-made banks: each rule finds its problem."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from apps.content.models import TaskStatement
from apps.questions import bank_rules
from apps.questions.data import ChoiceData
from tests.factories import make_exam, make_note, make_question, make_question_set, make_service

WORDS = ["red", "tan", "map", "dot"]
NAMES = [
    "apple",
    "birch",
    "cedar",
    "daisy",
    "ember",
    "frost",
    "grove",
    "heron",
    "iris",
    "juniper",
    "kelp",
    "lotus",
]


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")  # task statements 1.1, 1.2 and 2.1


@pytest.fixture
def bank(exam):
    return make_question_set(exam=exam, slug="tst-bank")


def single(bank, number, key, texts=None, **fields):
    """A single-answer question; by default four choices of the same length sharing no word with the stem."""
    texts = texts or [f"Choice {word}" for word in WORDS]
    choices = [ChoiceData(text, i == key, "Why.") for i, text in enumerate(texts)]
    stem = fields.pop("stem", f"Team {NAMES[number % 12]} ({number}) needs a pick: which one?")
    return make_question(question_set=bank, stem=stem, choices=choices, **fields)


def balanced(bank, count=12, **fields):
    """`count` single-answer questions without cues, keys spread evenly over the four positions."""
    return [single(bank, n, n % 4, **fields) for n in range(count)]


def check(*args):
    out = StringIO()
    try:
        call_command("check_bank", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue().splitlines(), exc
    return out.getvalue().splitlines(), None


def errors(lines):
    return [line for line in lines if line.startswith("error: ")]


def test_a_balanced_bank_passes_and_prints_the_cue_and_coverage_lines(bank):
    balanced(bank)
    lines, error = check()
    assert error is None, errors(lines)
    assert lines[-2:] == [
        "TST-C01 cues: longest-key 0% of 12 single-answer, longest-k full credit 0% of 0 multiple-response, "
        "best strategy +0 points over guessing",
        "TST-C01 coverage: 0/0 objectives with 2+ questions, 0/0 guide services tested",
    ]
    assert (
        "TST-C01 strategies over 12 questions: guessing 25%, always the longest 25%, always the shortest 25%, "
        "most words shared with the stem 25%, most words shared with the other choices 25%"
    ) in lines


def test_the_key_as_longest_choice_too_often_is_an_error(bank):
    balanced(bank, count=8)
    for n in range(8, 12):  # 4 of 12 = 33% > 30%
        texts = [f"Choice {word}" for word in WORDS]
        texts[n % 4] = "The longest choice of them all"
        single(bank, n, n % 4, texts=texts)
    lines, error = check()
    assert (
        "error: TST-C01: the key is the longest choice in 4 of 12 single-answer questions (33%; at most 30%)"
        in (lines)
    )
    assert error is not None
    assert lines[-2].startswith("TST-C01 cues: longest-key 33% of 12 single-answer")


def test_a_key_much_longer_than_the_distractors_is_a_warning_naming_the_question(bank):
    balanced(bank)
    question = single(bank, 12, 1, texts=["Choice red", "A far longer key", "Choice map", "Choice dot"])
    lines, _ = check()
    assert (
        f"warning: tst-bank #{question.pk}: the key is 1.6 times as long as the longest distractor "
        "(16 against 10 characters)"
    ) in lines


def test_each_bank_file_is_judged_on_its_own_for_length_cues(exam, tmp_path):
    def bank_file(name, cued):
        questions = []
        for n in range(12):
            texts = [f"Choice {word}" for word in WORDS]
            if n < cued:
                texts[n % 4] += " plus"
            choices = "".join(
                f"      - {{text: {text}, rationale: Why.{', correct: true' if i == n % 4 else ''}}}\n"
                for i, text in enumerate(texts)
            )
            questions.append(
                f"  - id: {name}-{n}\n    kind: multiple_choice\n    task_statement: '1.1'\n    status: published\n"
                f"    stem: File {name} asks about {NAMES[n]}, number {n}?\n    explanation: Because.\n"
                f"    choices:\n{choices}"
            )
        path = tmp_path / f"{name}.yaml"
        path.write_text(
            f"set: {{slug: tst, exam: TST-C01}}\nquestions:\n{''.join(questions)}", encoding="utf-8"
        )
        return str(path)

    cued, plain = bank_file("cued", cued=6), bank_file("plain", cued=0)
    lines, error = check("--file", cued, plain)
    assert (
        f"error: {cued}: the key is the longest choice in 6 of 12 single-answer questions (50%; at most 30%)"
        in (lines)
    )
    assert not any(line.startswith(f"error: {plain}:") for line in lines)
    # The exam as a whole: 6 of 24 is 25%, within the limit.
    assert not any(line.startswith("error: TST-C01: the key is the longest") for line in lines)
    assert error is not None


def test_a_winning_test_wise_strategy_is_an_error(bank):
    balanced(bank, count=9)
    for n in range(9, 12):  # the key repeats the stem's words
        texts = [f"Choice {word}" for word in WORDS]
        texts[n % 4] = "Rotate keys"
        single(bank, n, n % 4, texts=texts, stem=f"How does team {NAMES[n]} rotate keys ({n})?")
    lines, error = check()
    assert (
        "error: TST-C01: choosing most words shared with the stem scores 44% where blind guessing scores 25% "
        "(at most 10 points apart)"
    ) in lines
    assert error is not None


def test_keys_piled_on_one_position_are_an_error(bank):
    for n in range(12):
        single(bank, n, 0 if n < 6 else n % 3 + 1)
    lines, error = check()
    assert (
        "error: TST-C01: the key is choice 1 in 50% of 12 single-answer questions (each position 15%–35%)"
        in lines
    )
    assert error is not None


def test_one_position_holding_most_multiple_response_keys_is_an_error(bank):
    balanced(bank)
    for n in range(10):
        choices = [
            ChoiceData(f"Choice {word}", i in (0, 1 + n % 4), "Why.")
            for i, word in enumerate(WORDS + ["elk"])
        ]
        make_question(
            question_set=bank,
            kind="multiple_response",
            stem=f"Which two does team {NAMES[n]} need ({n})? (Select TWO.)",
            choices=choices,
        )
    lines, error = check()
    assert (
        "error: TST-C01: choice 1 is a key in 100% of 10 multiple-response questions that have it (at most 50% for any position)"
    ) in lines
    assert error is not None


# --------------------------------------------------------------------------- exams under a standard
@pytest.fixture
def standard(monkeypatch, exam):
    """TST-C01 held to the bundled exams' standard; its objectives name a glossary service."""
    monkeypatch.setitem(
        bank_rules.STANDARDS, "TST-C01", bank_rules.ExamStandard(min_questions_per_objective=2)
    )
    TaskStatement.objects.filter(exam=exam, number="1.1").update(
        objectives=["Store widgets in Amazon Widget Store", "Count widgets"]
    )
    make_service(slug="widget-store", name="Amazon Widget Store", exams=[exam])
    return exam


def covering(bank, count=12, texts=None):
    """Questions that name both objectives of 1.1 and link to a section of a note of 1.1."""
    make_note(
        exam=bank.exam,
        slug="1-1-widgets",
        body="## Where widgets live\n\nAmazon Widget Store keeps them.\n",
        tasks=["1.1"],
    )
    return [
        single(
            bank,
            n,
            n % 4,
            texts=texts,
            objectives=["1.1.1", "1.1.2"],
            section="1-1-widgets#where-widgets-live",
        )
        for n in range(count)
    ]


def test_a_bank_meeting_the_standard_passes(standard, bank):
    covering(bank, count=11)
    single(
        bank,
        11,
        3,
        texts=["Choice red", "Choice tan", "Choice map", "Widget Store"],
        objectives=["1.1.1"],
        section="1-1-widgets#where-widgets-live",
    )
    lines, error = check()
    assert error is None, errors(lines)
    assert lines[-1] == "TST-C01 coverage: 2/2 objectives with 2+ questions, 1/1 guide services tested"


def test_an_objective_with_too_few_questions_is_an_error(standard, bank):
    covering(bank)
    TaskStatement.objects.filter(exam=standard, number="2.1").update(objectives=["Deploy widgets"])
    lines, error = check()
    assert (
        "error: TST-C01 objective 2.1.1: 0 published question(s) name it, at least 2 are needed (Deploy widgets)"
    ) in lines
    assert lines[-1].startswith("TST-C01 coverage: 2/3 objectives with 2+ questions")
    assert error is not None


def test_a_guide_service_that_is_never_a_choice_is_an_error(standard, bank):
    covering(bank)  # the service is in the objective and the note, but in no choice
    lines, error = check()
    assert (
        "error: TST-C01 objective 1.1.1: the guide names Amazon Widget Store, but no published question has it as a "
        "choice (key or distractor)"
    ) in lines
    assert lines[-1].endswith("0/1 guide services tested")
    assert error is not None


def test_a_guide_service_no_note_of_its_task_statement_mentions_is_an_error(standard, bank):
    texts = ["Choice red", "Choice tan", "Choice map", "Widget Store"]
    covering(bank, texts=texts)
    make_note(exam=standard, slug="elsewhere", body="## Other\n\nAmazon Widget Store.\n", tasks=["2.1"])
    standard.notes.filter(slug="1-1-widgets").update(search_text="Nothing about it here.")
    lines, error = check()
    assert (
        "error: TST-C01 objective 1.1.1: the guide names Amazon Widget Store, but no note of task statement 1.1 "
        "mentions it"
    ) in lines
    assert error is not None


def test_a_published_question_without_objectives_or_section_is_an_error(standard, bank):
    covering(bank)
    question = single(bank, 12, 0)
    lines, error = check()
    assert f"error: tst-bank #{question.pk}: a published question needs the objectives it tests" in lines
    assert (
        f"error: tst-bank #{question.pk}: a published question needs a section: the note heading that teaches its "
        "point"
    ) in lines
    assert error is not None


def test_a_section_naming_a_missing_heading_or_note_is_an_error(bank):
    make_note(exam=bank.exam, slug="widgets", body="## Where widgets live\n\nText.\n", tasks=["1.1"])
    balanced(bank, count=8)
    ok = single(bank, 8, 0, section="widgets#where-widgets-live")
    heading = single(bank, 9, 1, section="widgets#where-gadgets-live")
    note = single(bank, 10, 2, section="gadgets#where-gadgets-live")
    draft = single(bank, 11, 3, section="widgets#nowhere", status="draft")
    lines, error = check()
    assert not any(f"#{ok.pk}: section" in line for line in lines)
    assert (
        f"error: tst-bank #{heading.pk}: section 'widgets#where-gadgets-live': the note 'widgets' has no heading "
        "'where-gadgets-live' (list them with: manage.py check_bank --anchors tst-c01)"
    ) in lines
    assert (
        f"error: tst-bank #{note.pk}: section 'gadgets#where-gadgets-live': there is no note 'gadgets' in tst-c01"
        in (lines)
    )
    assert f"warning: tst-bank #{draft.pk}: section 'widgets#nowhere'" in " ".join(lines)
    assert str(error) == "check_bank found 2 error(s)."


def test_a_section_may_name_a_note_of_another_exam(bank):
    other = make_exam(code="OTH-C01")
    make_note(exam=other, slug="widgets", body="## Picking compute\n\nText.\n")
    balanced(bank, count=11)
    single(bank, 11, 3, section="oth-c01/widgets#picking-compute")
    lines, error = check()
    assert error is None, errors(lines)


def test_an_objective_the_blueprint_does_not_have_is_an_error(standard, bank):
    question = single(bank, 0, 0, objectives=["1.1.3"])
    lines, _ = check()
    assert (
        f"error: tst-bank #{question.pk}: objective '1.1.3' is not an objective of this exam's blueprint"
        in lines
    )


def test_anchors_lists_the_section_values_of_an_exam(exam):
    make_note(exam=exam, slug="widgets", body="## Where widgets live\n\n### Missing values (imputation)\n")
    lines, _ = check("--anchors", "TST-C01")
    assert lines == [
        "widgets#where-widgets-live  Where widgets live",
        "widgets#missing-values-imputation  Missing values (imputation)",
    ]
    with pytest.raises(CommandError, match="no notes with headings for exam 'NOPE-C01'"):
        call_command("check_bank", "--anchors", "NOPE-C01", stdout=StringIO())
