"""The rules a question must follow, in one place: used by the admin, every importer and check_bank."""

import re

from apps.content.problems import column_error, shown
from apps.questions.data import normalized
from apps.questions.models import Question

KINDS = ("multiple_choice", "multiple_response", "ordering", "matching")
STATUSES = ("draft", "published", "retired")
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
# "(Select TWO.)" is AWS's current wording; "(Choose TWO.)" is what older stems and other banks say.
CHOOSE = re.compile(r"(?:choose|select)\s+(two|three|four|five|[2-5])\b", re.IGNORECASE)


def stated_choice_count(stem):
    """How many answers the stem tells the student to choose ("Select TWO." or "Choose TWO."), or None."""
    match = CHOOSE.search(stem or "")
    return NUMBER_WORDS[match.group(1).lower()] if match else None


def _a(kind):
    """The kind with its article: "a matching", "an ordering"."""
    label = kind.replace("_", " ")
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def is_true_false(choices):
    return sorted(normalized(text) for text, _ in choices) == ["false", "true"]


def _quoted(text):
    """A text in a message, cut short: a hostile file's 5 MB choice must not become a 5 MB message."""
    text = text.strip()
    return f"“{text if len(text) <= 80 else text[:79] + '…'}”"


def _duplicates(texts):
    seen, dupes = set(), []
    for text in texts:
        key = normalized(text)
        if key in seen:
            dupes.append(text)
        seen.add(key)
    return dupes


def choice_errors(kind, stem, choices):
    """choices: [(text, is_correct)]"""
    errors = []
    if kind not in ("multiple_choice", "multiple_response"):
        if choices:
            errors.append(f"{_a(kind)} question has no answer choices; remove them")
        return errors
    if any(not text.strip() for text, _ in choices):
        errors.append("every choice needs a text")
    correct = sum(1 for _, is_correct in choices if is_correct)
    if kind == "multiple_choice":
        if is_true_false(choices):
            pass  # imported true/false questions keep their two choices
        elif len(choices) != 4:
            errors.append(f"a multiple choice question has exactly 4 choices, not {len(choices)}")
        if correct != 1:
            errors.append(f"a multiple choice question has exactly 1 correct choice, not {correct}")
    else:
        if len(choices) < 5:
            errors.append(f"a multiple response question has at least 5 choices, not {len(choices)}")
        if correct < 2:
            errors.append(f"a multiple response question has at least 2 correct choices, not {correct}")
        elif correct >= len(choices):
            errors.append("a multiple response question needs at least one wrong choice")
        stated = stated_choice_count(stem)
        if stated is None:
            errors.append("the stem must say how many answers to choose, e.g. “(Select TWO.)”")
        elif stated != correct:
            errors.append(f"the stem says to choose {stated} but {correct} choices are marked correct")
    for text in _duplicates([text for text, _ in choices]):
        errors.append(f"the choice {_quoted(text)} appears twice")
    return errors


def item_errors(kind, items):
    errors = []
    if kind != "ordering":
        if items:
            errors.append(f"{_a(kind)} question has no ordering items; remove them")
        return errors
    if not 3 <= len(items) <= 5:
        errors.append(f"an ordering question has 3 to 5 items, not {len(items)}")
    if any(not text.strip() for text in items):
        errors.append("every ordering item needs a text")
    for text in _duplicates(items):
        errors.append(f"the item {_quoted(text)} appears twice")
    return errors


def pair_errors(kind, pairs):
    """pairs: [(prompt, response)]; an empty prompt is a distractor response."""
    errors = []
    if kind != "matching":
        if pairs:
            errors.append(f"{_a(kind)} question has no matching pairs; remove them")
        return errors
    prompts = [prompt for prompt, _ in pairs if prompt.strip()]
    if not 3 <= len(prompts) <= 7:
        errors.append(f"a matching question has 3 to 7 prompts, not {len(prompts)}")
    if any(not response.strip() for _, response in pairs):
        errors.append("every prompt needs a response (a distractor is a response without a prompt)")
    for text in _duplicates(prompts):
        errors.append(f"the prompt {_quoted(text)} appears twice")
    for text in _duplicates([response for _, response in pairs]):
        errors.append(f"the response {_quoted(text)} appears twice; each prompt has its own response")
    return errors


def publish_errors(status, explanation, has_task_statement):
    errors = []
    if status not in STATUSES:
        errors.append(f"status must be one of {', '.join(STATUSES)}, not {shown(status)}")
    if status == "published":
        if not (explanation or "").strip():
            errors.append("a published question needs an explanation")
        if not has_task_statement:
            errors.append("a published question needs a task statement")
    return errors


def objective_ids(objectives_by_task):
    """The objective ids of an exam: "1.1.3" is the third objective of task statement 1.1 in its blueprint."""
    return {
        f"{number}.{position}"
        for number, objectives in objectives_by_task.items()
        for position in range(1, len(objectives or ()) + 1)
    }


def question_errors(question, *, task_numbers=None, objectives=None):
    """Every rule for a QuestionData; `task_numbers` and `objectives` (ids) are the exam's, when known."""
    errors = []
    if question.kind not in KINDS:
        return [f"kind must be one of {', '.join(KINDS)}, not {shown(question.kind)}"]
    if not question.stem.strip():
        errors.append("the stem is empty")
    difficulty = question.difficulty
    if isinstance(difficulty, bool) or not (isinstance(difficulty, int) and 1 <= difficulty <= 3):
        errors.append(f"difficulty must be 1, 2 or 3, not {shown(question.difficulty)}")
    errors += choice_errors(question.kind, question.stem, [(c.text, c.correct) for c in question.choices])
    errors += item_errors(question.kind, question.items)
    errors += pair_errors(question.kind, [(p.prompt, p.response) for p in question.pairs])
    if question.task_statement and task_numbers is not None and question.task_statement not in task_numbers:
        errors.append(f"task statement {shown(question.task_statement)} is not part of this exam")
    if objectives is not None:
        for objective in question.objectives:
            if objective not in objectives:
                errors.append(f"objective {shown(objective)} is not an objective of this exam's blueprint")
    for objective in {o for o in question.objectives if question.objectives.count(o) > 1}:
        errors.append(f"objective {shown(objective)} is listed twice")
    errors += publish_errors(question.status, question.explanation, bool(question.task_statement))
    errors += length_errors(question)
    return errors


def length_errors(question):
    """Texts longer than the columns they are stored in (the admin's form fields check the same)."""
    checks = [("external_id", question.external_id, "id"), ("guide_version", question.guide_version, None)]
    return [error for field, value, label in checks if (error := column_error(Question, field, value, label=label))]
