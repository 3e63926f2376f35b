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
    return [message for message, _ in _choice_rules(kind, stem, choices)]


def _choice_rules(kind, stem, choices):
    """[(message, whether it is only a matter of AWS's shape)], in the order people read them."""
    found = []  # (message, only a matter of AWS's shape)
    if kind not in ("multiple_choice", "multiple_response"):
        if choices:
            found.append((f"{_a(kind)} question has no answer choices; remove them", False))
        return found
    if any(not text.strip() for text, _ in choices):
        found.append(("every choice needs a text", False))
    correct = sum(1 for _, is_correct in choices if is_correct)
    if kind == "multiple_choice":
        if is_true_false(choices):
            pass  # imported true/false questions keep their two choices
        elif len(choices) != 4:
            message = f"a multiple choice question has exactly 4 choices, not {len(choices)}"
            found.append((message, len(choices) >= 2))
        if correct != 1:
            found.append((f"a multiple choice question has exactly 1 correct choice, not {correct}", False))
    else:
        if len(choices) < 5:
            found.append((f"a multiple response question has at least 5 choices, not {len(choices)}", True))
        if correct < 2:
            message = f"a multiple response question has at least 2 correct choices, not {correct}"
            found.append((message, False))
        elif correct >= len(choices):
            found.append(("a multiple response question needs at least one wrong choice", False))
        stated = stated_choice_count(stem)
        if stated is None:
            found.append(("the stem must say how many answers to choose, e.g. “(Select TWO.)”", True))
        elif stated != correct:
            message = f"the stem says to choose {stated} but {correct} choices are marked correct"
            found.append((message, False))
    for text in _duplicates([text for text, _ in choices]):
        found.append((f"the choice {_quoted(text)} appears twice", False))
    return found


def item_errors(kind, items):
    return [message for message, _ in _item_rules(kind, items)]


def _item_rules(kind, items):
    found = []  # (message, only a matter of AWS's shape)
    if kind != "ordering":
        if items:
            found.append((f"{_a(kind)} question has no ordering items; remove them", False))
        return found
    if not 3 <= len(items) <= 5:
        found.append((f"an ordering question has 3 to 5 items, not {len(items)}", len(items) >= 2))
    if any(not text.strip() for text in items):
        found.append(("every ordering item needs a text", False))
    for text in _duplicates(items):
        found.append((f"the item {_quoted(text)} appears twice", False))
    return found


def pair_errors(kind, pairs):
    """pairs: [(prompt, response)]; an empty prompt is a distractor response."""
    return [message for message, _ in _pair_rules(kind, pairs)]


def _pair_rules(kind, pairs):
    found = []  # (message, only a matter of AWS's shape)
    if kind != "matching":
        if pairs:
            found.append((f"{_a(kind)} question has no matching pairs; remove them", False))
        return found
    prompts = [prompt for prompt, _ in pairs if prompt.strip()]
    if not 3 <= len(prompts) <= 7:
        found.append((f"a matching question has 3 to 7 prompts, not {len(prompts)}", len(prompts) >= 2))
    if any(not response.strip() for _, response in pairs):
        message = "every prompt needs a response (a distractor is a response without a prompt)"
        found.append((message, False))
    for text in _duplicates(prompts):
        found.append((f"the prompt {_quoted(text)} appears twice", False))
    for text in _duplicates([response for _, response in pairs]):
        message = f"the response {_quoted(text)} appears twice; each prompt has its own response"
        found.append((message, False))
    return found


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
    return [message for message, _ in _question_rules(question, task_numbers, objectives)]


def shape_errors(question):
    """The rules a structurally sound question breaks only because it is not in AWS's shape (3 choices, a
    4-choice multiple response, partial credit...): an import keeps it as a draft marked "not AWS format"."""
    return question_rule_errors(question)[1]


def question_rule_errors(question, *, task_numbers=None, objectives=None):
    """(errors that break the question, errors of AWS's shape only), as two lists."""
    found = _question_rules(question, task_numbers, objectives)
    return [m for m, shape in found if not shape], [m for m, shape in found if shape]


def _question_rules(question, task_numbers, objectives):
    if question.kind not in KINDS:
        return [(f"kind must be one of {', '.join(KINDS)}, not {shown(question.kind)}", False)]
    found = []  # (message, only a matter of shape), in the order people read them
    if not question.stem.strip():
        found.append(("the stem is empty", False))
    difficulty = question.difficulty
    if isinstance(difficulty, bool) or not (isinstance(difficulty, int) and 1 <= difficulty <= 3):
        found.append((f"difficulty must be 1, 2 or 3, not {shown(question.difficulty)}", False))
    found += [(note, True) for note in question.shape_notes]
    found += _choice_rules(question.kind, question.stem, [(c.text, c.correct) for c in question.choices])
    found += _item_rules(question.kind, question.items)
    found += _pair_rules(question.kind, [(p.prompt, p.response) for p in question.pairs])
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


def length_errors(question):
    """Texts longer than the columns they are stored in (the admin's form fields check the same)."""
    checks = [("external_id", question.external_id, "id"), ("guide_version", question.guide_version, None)]
    return [error for field, value, label in checks if (error := column_error(Question, field, value, label=label))]
