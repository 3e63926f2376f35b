"""The rules a question must follow, in one place: used by the admin, every importer and check_bank."""

import re

from apps.questions.data import normalized

KINDS = ("multiple_choice", "multiple_response", "ordering", "matching")
STATUSES = ("draft", "published", "retired")
NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
CHOOSE = re.compile(r"choose\s+(two|three|four|five|[2-5])\b", re.IGNORECASE)


def stated_choice_count(stem):
    """How many answers the stem tells the student to choose ("Choose TWO."), or None."""
    match = CHOOSE.search(stem or "")
    return NUMBER_WORDS[match.group(1).lower()] if match else None


def _a(kind):
    """The kind with its article: "a matching", "an ordering"."""
    label = kind.replace("_", " ")
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def is_true_false(choices):
    return sorted(normalized(text) for text, _ in choices) == ["false", "true"]


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
    broken, shape = _choice_rules(kind, stem, choices)
    return broken + shape


def _choice_rules(kind, stem, choices):
    """(errors that break the question, errors of AWS's shape only)."""
    errors, shape = [], []
    if kind not in ("multiple_choice", "multiple_response"):
        if choices:
            errors.append(f"{_a(kind)} question has no answer choices; remove them")
        return errors, shape
    if any(not text.strip() for text, _ in choices):
        errors.append("every choice needs a text")
    correct = sum(1 for _, is_correct in choices if is_correct)
    if kind == "multiple_choice":
        if is_true_false(choices):
            pass  # imported true/false questions keep their two choices
        elif len(choices) != 4:
            (shape if len(choices) >= 2 else errors).append(
                f"a multiple choice question has exactly 4 choices, not {len(choices)}"
            )
        if correct != 1:
            errors.append(f"a multiple choice question has exactly 1 correct choice, not {correct}")
    else:
        if len(choices) < 5:
            shape.append(f"a multiple response question has at least 5 choices, not {len(choices)}")
        if correct < 2:
            errors.append(f"a multiple response question has at least 2 correct choices, not {correct}")
        elif correct >= len(choices):
            errors.append("a multiple response question needs at least one wrong choice")
        stated = stated_choice_count(stem)
        if stated is None:
            shape.append("the stem must say how many answers to choose, e.g. “(Choose TWO.)”")
        elif stated != correct:
            errors.append(f"the stem says to choose {stated} but {correct} choices are marked correct")
    for text in _duplicates([text for text, _ in choices]):
        errors.append(f"the choice “{text.strip()}” appears twice")
    return errors, shape


def item_errors(kind, items):
    broken, shape = _item_rules(kind, items)
    return broken + shape


def _item_rules(kind, items):
    errors, shape = [], []
    if kind != "ordering":
        if items:
            errors.append(f"{_a(kind)} question has no ordering items; remove them")
        return errors, shape
    if not 3 <= len(items) <= 5:
        (shape if len(items) >= 2 else errors).append(
            f"an ordering question has 3 to 5 items, not {len(items)}"
        )
    if any(not text.strip() for text in items):
        errors.append("every ordering item needs a text")
    for text in _duplicates(items):
        errors.append(f"the item “{text.strip()}” appears twice")
    return errors, shape


def pair_errors(kind, pairs):
    """pairs: [(prompt, response)]; an empty prompt is a distractor response."""
    broken, shape = _pair_rules(kind, pairs)
    return broken + shape


def _pair_rules(kind, pairs):
    errors, shape = [], []
    if kind != "matching":
        if pairs:
            errors.append(f"{_a(kind)} question has no matching pairs; remove them")
        return errors, shape
    prompts = [prompt for prompt, _ in pairs if prompt.strip()]
    if not 3 <= len(prompts) <= 7:
        (shape if len(prompts) >= 2 else errors).append(
            f"a matching question has 3 to 7 prompts, not {len(prompts)}"
        )
    if any(not response.strip() for _, response in pairs):
        errors.append("every prompt needs a response (a distractor is a response without a prompt)")
    for text in _duplicates(prompts):
        errors.append(f"the prompt “{text.strip()}” appears twice")
    for text in _duplicates([response for _, response in pairs]):
        errors.append(f"the response “{text.strip()}” appears twice; each prompt has its own response")
    return errors, shape


def publish_errors(status, explanation, has_task_statement):
    errors = []
    if status not in STATUSES:
        errors.append(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    if status == "published":
        if not (explanation or "").strip():
            errors.append("a published question needs an explanation")
        if not has_task_statement:
            errors.append("a published question needs a task statement")
    return errors


def question_errors(question, *, task_numbers=None):
    """Every rule for a QuestionData; `task_numbers` are the exam's task statements, when known."""
    broken, shape = question_rule_errors(question, task_numbers=task_numbers)
    return broken + shape


def shape_errors(question):
    """The rules a structurally sound question breaks only because it is not in AWS's shape (3 choices, a
    4-choice multiple response, partial credit...): an import keeps it as a draft marked "not AWS format"."""
    return question_rule_errors(question)[1]


def question_rule_errors(question, *, task_numbers=None):
    """(errors that break the question, errors of AWS's shape only), as two lists."""
    errors = []
    if question.kind not in KINDS:
        return [f"kind must be one of {', '.join(KINDS)}, not {question.kind!r}"], []
    if not question.stem.strip():
        errors.append("the stem is empty")
    difficulty = question.difficulty
    if isinstance(difficulty, bool) or not (isinstance(difficulty, int) and 1 <= difficulty <= 3):
        errors.append(f"difficulty must be 1, 2 or 3, not {question.difficulty!r}")
    shape = list(question.shape_notes)
    for broken, off_shape in (
        _choice_rules(question.kind, question.stem, [(c.text, c.correct) for c in question.choices]),
        _item_rules(question.kind, question.items),
        _pair_rules(question.kind, [(p.prompt, p.response) for p in question.pairs]),
    ):
        errors += broken
        shape += off_shape
    if question.task_statement and task_numbers is not None and question.task_statement not in task_numbers:
        errors.append(f"task statement {question.task_statement!r} is not part of this exam")
    errors += publish_errors(question.status, question.explanation, bool(question.task_statement))
    return errors, shape
