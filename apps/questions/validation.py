"""The rules a question must follow, in one place: used by the admin, every importer and check_bank."""

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from apps.content.problems import column_error, shown
from apps.questions import kinds
from apps.questions.data import ChoiceData, PairData, QuestionData
from apps.questions.kinds.base import PARTS, Part, Rule
from apps.questions.models import Question

STATUSES = ("draft", "published", "retired")
# What a question of another kind must not have, by part.
PART_NAMES: dict[Part, str] = {
    "choices": "answer choices",
    "items": "ordering items",
    "pairs": "matching pairs",
}


def part_rules(question: QuestionData, part: Part) -> list[Rule]:
    """The rules for one of a question's parts: its kind's rules if the kind keeps its parts there; otherwise
    the part must be empty. An unknown kind raises UnknownKind."""
    kind = kinds.get(question.kind)
    if part == kind.part:
        return kind.part_rules(question)
    if getattr(question, part):
        return [(f"{kind.with_article} question has no {PART_NAMES[part]}; remove them", False)]
    return []


def part_errors(kind: str, stem: str, part: Part, values: Sequence[Any]) -> list[str]:
    """The rule messages for a question's parts as an editor holds them: choices [(text, is_correct)], items
    [text] in order, pairs [(prompt, response)] (an empty prompt is a distractor response)."""
    question = QuestionData(kind=kind, stem=stem)
    if part == "choices":
        question.choices = [ChoiceData(text, correct) for text, correct in values]
    elif part == "pairs":
        question.pairs = [PairData(prompt, response) for prompt, response in values]
    else:
        question.items = list(values)
    return [message for message, _ in part_rules(question, part)]


def publish_errors(status: str, explanation: str | None, has_task_statement: bool) -> list[str]:
    errors = []
    if status not in STATUSES:
        errors.append(f"status must be one of {', '.join(STATUSES)}, not {shown(status)}")
    if status == "published":
        if not (explanation or "").strip():
            errors.append("a published question needs an explanation")
        if not has_task_statement:
            errors.append("a published question needs a task statement")
    return errors


def objective_ids(objectives_by_task: Mapping[str, Sequence[object] | None]) -> set[str]:
    """The objective ids of an exam: "1.1.3" is the third objective of task statement 1.1 in its blueprint."""
    return {
        f"{number}.{position}"
        for number, objectives in objectives_by_task.items()
        for position in range(1, len(objectives or ()) + 1)
    }


def question_errors(
    question: QuestionData,
    *,
    task_numbers: Collection[str] | None = None,
    objectives: Collection[str] | None = None,
) -> list[str]:
    """Every rule for a QuestionData; `task_numbers` and `objectives` (ids) are the exam's, when known."""
    return [message for message, _ in _question_rules(question, task_numbers, objectives)]


def shape_errors(question: QuestionData) -> list[str]:
    """The rules a structurally sound question breaks only because it is not in AWS's shape (3 choices, a
    4-choice multiple response, partial credit...): an import keeps it as a draft marked "not AWS format"."""
    return question_rule_errors(question)[1]


def question_rule_errors(
    question: QuestionData,
    *,
    task_numbers: Collection[str] | None = None,
    objectives: Collection[str] | None = None,
) -> tuple[list[str], list[str]]:
    """(errors that break the question, errors of AWS's shape only), as two lists."""
    found = _question_rules(question, task_numbers, objectives)
    return [m for m, shape in found if not shape], [m for m, shape in found if shape]


def _question_rules(
    question: QuestionData, task_numbers: Collection[str] | None, objectives: Collection[str] | None
) -> list[Rule]:
    if kinds.find(question.kind) is None:
        return [(f"kind must be one of {', '.join(kinds.codes())}, not {shown(question.kind)}", False)]
    found: list[Rule] = []  # (message, only a matter of shape), in the order people read them
    if not question.stem.strip():
        found.append(("the stem is empty", False))
    difficulty = question.difficulty
    if isinstance(difficulty, bool) or not (isinstance(difficulty, int) and 1 <= difficulty <= 3):
        found.append((f"difficulty must be 1, 2 or 3, not {shown(question.difficulty)}", False))
    found += [(note, True) for note in question.shape_notes]
    for part in PARTS:
        found += part_rules(question, part)
    if question.task_statement and task_numbers is not None and question.task_statement not in task_numbers:
        found.append((f"task statement {shown(question.task_statement)} is not part of this exam", False))
    if objectives is not None:
        for objective in question.objectives:
            if objective not in objectives:
                message = f"objective {shown(objective)} is not an objective of this exam's blueprint"
                found.append((message, False))
    for objective in {o for o in question.objectives if question.objectives.count(o) > 1}:
        found.append((f"objective {shown(objective)} is listed twice", False))
    has_task = bool(question.task_statement)
    found += [(error, False) for error in publish_errors(question.status, question.explanation, has_task)]
    found += [(error, False) for error in length_errors(question)]
    return found


def length_errors(question: QuestionData) -> list[str]:
    """Texts longer than the columns they are stored in (the admin's form fields check the same)."""
    checks = [("external_id", question.external_id, "id"), ("guide_version", question.guide_version, None)]
    return [
        error
        for field, value, label in checks
        if (error := column_error(Question, field, value, label=label))
    ]
