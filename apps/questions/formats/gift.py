"""Moodle's GIFT text format: multiple choice, multiple answers, true/false and matching (read and write)."""

import re
from collections.abc import Callable, Iterable, Iterator

from apps.content.media import ImageFile
from apps.questions import kinds
from apps.questions.data import (
    ChoiceData,
    FormatError,
    PairData,
    ParsedFile,
    QuestionData,
    Skipped,
    id_from_name,
    say_how_many,
    task_from_category,
)
from apps.questions.formats import images
from apps.questions.formats.grades import multiple_response_fractions, partial_credit_notes, percent

# Escaped specials are swapped for private-use characters while parsing, then restored.
_ESCAPES = {
    "\\=": "\ue000",
    "\\~": "\ue001",
    "\\#": "\ue002",
    "\\{": "\ue003",
    "\\}": "\ue004",
    "\\:": "\ue005",
    "\\\\": "\ue006",
}
_RESTORE = {
    "\ue000": "=",
    "\ue001": "~",
    "\ue002": "#",
    "\ue003": "{",
    "\ue004": "}",
    "\ue005": ":",
    "\ue006": "\\",
}
_TITLE = re.compile(r"^::(.*?)::", re.DOTALL)
_FORMAT = re.compile(r"^\s*\[(markdown|html|plain|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
# (mark, text) of each answer of a block: mark "=" (right) or "~" (wrong or weighted)
Tokens = list[tuple[str, str]]


def _protect(text: str) -> str:
    for escaped, mark in _ESCAPES.items():
        text = text.replace(escaped, mark)
    return text


def _restore(text: str) -> str:
    text = text.replace("\\n", "\n")
    for mark, char in _RESTORE.items():
        text = text.replace(mark, char)
    return text.strip()


def _blocks(text: str) -> Iterator[tuple[int, str, str]]:
    """Yield (first line number, block text, category) for each question, skipping comments."""
    block: list[str] = []
    start, category = 0, ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if stripped.startswith("$CATEGORY:"):
            if block:
                yield start, "\n".join(block), category
                block = []
            category = stripped[len("$CATEGORY:") :].strip()
            continue
        if not stripped:
            if block:
                yield start, "\n".join(block), category
                block = []
            continue
        if not block:
            start = number
        block.append(line)
    if block:
        yield start, "\n".join(block), category


def parse(text: str) -> ParsedFile:
    parsed = ParsedFile()
    for line, raw, category in _blocks(_protect(text)):
        result = _parse_block(line, raw, category)
        if isinstance(result, Skipped):
            parsed.skipped.append(result)
        else:
            parsed.questions.append(_embed_images(result, parsed.media))
    return parsed


def _embed_images(question: QuestionData, media: dict[str, ImageFile]) -> QuestionData:
    """Images written as data URIs (in [html] texts) come along as media; the texts point at them."""
    embed = images.embed_data_uris
    question.stem, question.explanation = embed(question.stem, media), embed(question.explanation, media)
    for choice in question.choices:
        choice.text, choice.rationale = embed(choice.text, media), embed(choice.rationale, media)
    for pair in question.pairs:
        pair.prompt, pair.response = embed(pair.prompt, media), embed(pair.response, media)
    return question


def _parse_block(line: int, raw: str, category: str) -> QuestionData | Skipped:
    body = raw.strip()
    title_match = _TITLE.match(body)
    title = ""
    if title_match:
        title = _restore(title_match.group(1))
        body = body[title_match.end() :].strip()
    stem_format, body = _take_format(body)
    opening = body.find("{")
    if opening < 0:
        if "}" in body:
            raise FormatError(line, "a closing } without an opening {")
        return Skipped(f"line {line}", "a description without answers (not a question)")
    closing = body.find("}", opening)
    if closing < 0:
        raise FormatError(line, "the answer block opened with { is never closed with }")
    if "{" in body[closing:]:
        raise FormatError(line, "more than one answer block { } in one question")
    before, answers, after = (
        body[:opening].strip(),
        body[opening + 1 : closing].strip(),
        body[closing + 1 :].strip(),
    )
    stem = _as_markdown(_restore(f"{before} _____ {after}" if after else before), stem_format)
    if not stem:
        raise FormatError(line, "the question has no text before its answers")
    explanation = ""
    if "####" in answers:
        answers, explanation = answers.split("####", 1)
        answers, explanation = answers.strip(), _text(explanation)
    question = QuestionData(
        kind="",
        status="published",
        stem=stem,
        explanation=explanation,
        task_statement=task_from_category(category),
        external_id=id_from_name(title, stem),
        line=line,
    )
    where = f"line {line}"
    if not answers:
        return Skipped(where, "an essay question (not supported)")
    if answers.startswith("#"):
        return Skipped(where, "a numerical question (not supported)")
    if re.match(r"\d+:[A-Z_]+:", answers):
        return Skipped(where, "a cloze (embedded answers) question (not supported)")
    if re.fullmatch(r"(T|TRUE|F|FALSE)(#[^#]*)?(#[^#]*)?", answers, re.IGNORECASE):
        return _true_false(question, answers)
    if answers[0] not in "=~":
        if "=" in answers or "~" in answers:
            return Skipped(where, "answers must start with = (right) or ~ (wrong)")
        return Skipped(where, "a short-answer question (not supported)")
    tokens = re.findall(r"([=~])([^=~]*)", answers)
    if any("->" in text for _, text in tokens):
        if all(mark == "=" and "->" in text for mark, text in tokens):
            return _matching(question, tokens, where)
        return Skipped(
            where, "“->” in an answer of a question that is not a matching one (GIFT keeps it for matching)"
        )
    if all(mark == "=" for mark, _ in tokens):
        return Skipped(where, "a short-answer question (not supported)")
    return _choices(question, tokens, where)


def _take_format(text: str) -> tuple[str, str]:
    """(format, text without its leading [html]/[markdown]/[plain]/[moodle] marker)."""
    match = _FORMAT.match(text)
    if not match:
        return "", text
    return match.group(1).lower(), text[match.end() :].lstrip()


_PLAIN_SPECIALS = re.compile(r"([\\`*_\[\]<>#|])")


def _as_markdown(text: str, fmt: str) -> str:
    """Our texts are Markdown: HTML passes through (sanitized when rendered), plain text is escaped so that it
    shows as written."""
    if fmt in ("plain", "moodle"):
        return _PLAIN_SPECIALS.sub(r"\\\1", text)
    return text


def _text(raw: str) -> str:
    """An answer's or feedback's text: its own format marker honoured and removed."""
    fmt, text = _take_format(raw.strip())
    return _as_markdown(_restore(text), fmt)


def _split_feedback(text: str) -> tuple[str, str]:
    text, _, feedback = text.partition("#")
    return _text(text), _text(feedback)


def _true_false(question: QuestionData, answers: str) -> QuestionData:
    # Moodle reads {T#feedback for a wrong answer#feedback for a right answer}: wrong comes first.
    value, *feedback = answers.split("#")
    is_true = value.upper().startswith("T")
    wrong = _text(feedback[0]) if feedback else ""
    right = _text(feedback[1]) if len(feedback) > 1 else ""
    question.kind = kinds.MULTIPLE_CHOICE.code
    question.choices = [
        ChoiceData("True", correct=is_true, rationale=right if is_true else wrong),
        ChoiceData("False", correct=not is_true, rationale=wrong if is_true else right),
    ]
    return question


def _matching(question: QuestionData, tokens: Tokens, where: str) -> QuestionData:
    question.kind = kinds.MATCHING.code
    for _, text in tokens:
        prompt, response = text.split("->", 1)
        question.pairs.append(PairData(prompt=_text(prompt), response=_text(response)))
    return question


def _choices(question: QuestionData, tokens: Tokens, where: str) -> QuestionData:
    # As in Moodle: a question with an "=" answer is single-answer (other positive weights are partial
    # credit); one whose answers are all "~" with weights is multiple-answer.
    single = any(mark == "=" for mark, _ in tokens)
    weights: list[float] = []
    for mark, text in tokens:
        text = text.strip()
        weight_match = _WEIGHT.match(text)
        weight = float(weight_match.group(1)) if weight_match else (100.0 if mark == "=" else 0.0)
        if weight_match:
            text = text[weight_match.end() :]
        answer, feedback = _split_feedback(text)
        weights.append(weight)
        right = weight >= 100 if single else weight > 0
        question.choices.append(ChoiceData(answer, correct=right, rationale=feedback))
    correct = sum(1 for choice in question.choices if choice.correct)
    single = single or correct == 1
    question.kind = (kinds.MULTIPLE_CHOICE if single else kinds.MULTIPLE_RESPONSE).code
    question.shape_notes += partial_credit_notes(question.choices, weights, single=single)
    say_how_many(question)
    return question


# ------------------------------------------------------------------------------------------------ export
def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "=~#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _single_answer(q: QuestionData) -> list[str]:
    return [f"{'=' if c.correct else '~'}{_escape(c.text)}{_feedback(c.rationale)}" for c in q.choices]


def _multiple_answers(q: QuestionData) -> list[str]:
    fractions = multiple_response_fractions([c.correct for c in q.choices])
    return [
        f"~%{percent(fraction)}%{_escape(c.text)}{_feedback(c.rationale)}"
        for c, fraction in zip(q.choices, fractions, strict=True)
    ]


def _pairs(q: QuestionData) -> list[str]:
    return [f"={_escape(p.prompt)} -> {_escape(p.response)}" for p in q.pairs]


def _feedback(rationale: str) -> str:
    return f"#{_escape(rationale)}" if rationale else ""


# The answers block of each kind GIFT can hold; a kind not listed here (ordering) has no GIFT form.
WRITERS: dict[str, Callable[[QuestionData], list[str]]] = {
    kinds.MULTIPLE_CHOICE.code: _single_answer,
    kinds.MULTIPLE_RESPONSE.code: _multiple_answers,
    kinds.MATCHING.code: _pairs,
}


def dump(questions: Iterable[QuestionData], *, category: str = "") -> tuple[str, list[QuestionData]]:
    """GIFT for the questions GIFT can hold, grouped under `$CATEGORY: <category>/<task statement>` (which
    `parse` maps back), and the questions left out (of a kind without a GIFT form). Wrong choices of a
    multiple-response question take the mark back between them, so ticking every box scores 0, as in the
    Moodle XML export."""
    blocks: list[str] = []
    left_out: list[QuestionData] = []
    current = ""
    for q in sorted(questions, key=lambda q: q.task_statement):
        writer = WRITERS.get(q.kind)
        if writer is None:
            left_out.append(q)
            continue
        path = "/".join(part for part in (category, q.task_statement) if part)
        if path and path != current:
            blocks.append(f"$CATEGORY: {path}")
            current = path
        head = f"::{_escape(q.external_id)}::" if q.external_id else ""
        general = f"\n####{_escape(q.explanation)}" if q.explanation else ""
        answers = "\n".join(f"  {part}" for part in writer(q))
        blocks.append(f"{head}[markdown]{_escape(q.stem)} {{\n{answers}{general}\n}}")
    return "\n\n".join(blocks) + "\n", left_out
