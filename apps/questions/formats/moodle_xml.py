"""Moodle XML: multichoice (single and multiple), truefalse, matching, ordering and categories."""

import re
from xml.etree.ElementTree import Element, SubElement, TreeBuilder, tostring  # noqa: S405 - builds, writes

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from apps.content.problems import shown
from apps.questions.data import (
    ChoiceData,
    FormatError,
    PairData,
    ParsedFile,
    QuestionData,
    Skipped,
    say_how_many,
    task_from_category,
)

SKIPPED_TYPES = {
    "shortanswer": "a short-answer question",
    "numerical": "a numerical question",
    "essay": "an essay question",
    "cloze": "a cloze (embedded answers) question",
    "description": "a description without answers",
    "calculated": "a calculated question",
    "calculatedsimple": "a calculated question",
    "calculatedmulti": "a calculated question",
    "ddwtos": "a drag-and-drop text question",
    "gapselect": "a select-missing-words question",
    "ddimageortext": "a drag-and-drop image question",
    "ddmarker": "a drag-and-drop marker question",
    "randomsamatch": "a random short-answer matching question",
}


# A 10 MB file of nested or empty elements would otherwise become a tree of several hundred megabytes.
MAX_XML_DEPTH = 32
MAX_XML_ELEMENTS = 300_000


class _TooLarge(Exception):
    pass


class _BoundedTreeBuilder(TreeBuilder):
    """Builds the tree, refusing it as soon as it nests too deeply or holds too many elements."""

    def __init__(self):
        super().__init__()
        self.depth = self.count = 0

    def start(self, tag, attrs):
        self.depth, self.count = self.depth + 1, self.count + 1
        if self.depth > MAX_XML_DEPTH:
            raise _TooLarge(f"elements nested deeper than {MAX_XML_DEPTH}")
        if self.count > MAX_XML_ELEMENTS:
            raise _TooLarge(f"more than {MAX_XML_ELEMENTS:,} elements")
        return super().start(tag, attrs)

    def end(self, tag):
        self.depth -= 1
        return super().end(tag)


def _line_of(text, pattern):
    match = re.search(pattern, text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def _read_tree(text):
    parser = SafeET.DefusedXMLParser(target=_BoundedTreeBuilder(), forbid_dtd=True)
    try:
        parser.feed(text.encode("utf-8") if isinstance(text, str) else text)
        return parser.close()
    except SafeET.ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else 0
        raise FormatError(line, f"not well-formed XML: {exc}") from None
    except DefusedXmlException as exc:
        # Moodle never writes a DOCTYPE; one here can only carry entities (a billion laughs, a local file).
        line = _line_of(text, "<!DOCTYPE|<!ENTITY") if isinstance(text, str) else 0
        what = "a DOCTYPE (DTD)" if "DTD" in exc.__class__.__name__ else "an entity"
        raise FormatError(line, f"unsafe or invalid XML refused: {what} is not allowed; remove it") from None
    except _TooLarge as exc:
        raise FormatError(0, f"unsafe or invalid XML refused: {exc}") from None


def _text(element, path):
    node = element.find(path)
    return (node.text or "").strip() if node is not None else ""


def parse(text):
    root = _read_tree(text)
    if root.tag != "quiz":
        raise FormatError(0, f"a Moodle XML file starts with <quiz>, not <{root.tag}>")
    parsed, category = ParsedFile(), ""
    for position, element in enumerate(root.findall("question"), 1):
        kind = element.get("type", "")
        where = f"question {position}" + (
            f" (“{_text(element, 'name/text')[:80]}”)" if _text(element, "name/text") else ""
        )
        if kind == "category":
            category = _text(element, "category/text")
            continue
        if kind in SKIPPED_TYPES:
            parsed.skipped.append(Skipped(where, f"{SKIPPED_TYPES[kind]} (not supported)"))
            continue
        reader = {
            "multichoice": _multichoice,
            "truefalse": _truefalse,
            "matching": _matching,
            "ordering": _ordering,
        }.get(kind)
        if reader is None:
            parsed.skipped.append(Skipped(where, f"question type {shown(kind)} (not supported)"))
            continue
        question = QuestionData(
            kind="",
            status="published",
            stem=_text(element, "questiontext/text"),
            explanation=_text(element, "generalfeedback/text"),
            task_statement=task_from_category(category),
            line=0,
        )
        if not question.stem:
            raise FormatError(0, f"{where} has no question text")
        reader(question, element, where)
        question.external_id = ""
        parsed.questions.append(question)
    return parsed


def _fraction(answer, where):
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        raise FormatError(0, f"{where}: fraction {shown(answer.get('fraction'))} is not a number") from None


def _multichoice(question, element, where):
    answers = element.findall("answer")
    if not answers:
        raise FormatError(0, f"{where} has no answers")
    for answer in answers:
        question.choices.append(
            ChoiceData(
                _text(answer, "text"),
                correct=_fraction(answer, where) > 0,
                rationale=_text(answer, "feedback/text"),
            )
        )
    single = _text(element, "single").lower() in {"true", "1"}
    correct = sum(1 for choice in question.choices if choice.correct)
    question.kind = "multiple_choice" if single or correct == 1 else "multiple_response"
    say_how_many(question)


def _truefalse(question, element, where):
    question.kind = "multiple_choice"
    by_value = {}
    for answer in element.findall("answer"):
        by_value[_text(answer, "text").lower()] = (
            _fraction(answer, where) > 0,
            _text(answer, "feedback/text"),
        )
    if set(by_value) != {"true", "false"}:
        raise FormatError(0, f"{where}: a true/false question needs the answers true and false")
    question.choices = [
        ChoiceData("True", correct=by_value["true"][0], rationale=by_value["true"][1]),
        ChoiceData("False", correct=by_value["false"][0], rationale=by_value["false"][1]),
    ]


def _matching(question, element, where):
    question.kind = "matching"
    for sub in element.findall("subquestion"):
        question.pairs.append(PairData(prompt=_text(sub, "text"), response=_text(sub, "answer/text")))
    if not question.pairs:
        raise FormatError(0, f"{where} has no subquestions")


def _ordering(question, element, where):
    question.kind = "ordering"
    answers = element.findall("answer")
    # Moodle's ordering type lists answers in the correct order; fraction, when present, numbers them.
    if answers and all(answer.get("fraction", "").isdigit() for answer in answers):
        answers = sorted(answers, key=lambda answer: int(answer.get("fraction")))
    question.items = [_text(answer, "text") for answer in answers]
    if not question.items:
        raise FormatError(0, f"{where} has no items")


# ------------------------------------------------------------------------------------------------ export
def _text_node(parent, tag, value, fmt="markdown"):
    node = SubElement(parent, tag, {"format": fmt}) if fmt else SubElement(parent, tag)
    SubElement(node, "text").text = value
    return node


def dump(questions, *, category=""):
    """Questions grouped in categories `<category>/<task statement>`, which `parse` maps back."""
    quiz = Element("quiz")
    current = None
    for q in sorted(questions, key=lambda q: q.task_statement):
        path = "/".join(part for part in (category, q.task_statement) if part)
        if path and path != current:
            cat = SubElement(quiz, "question", {"type": "category"})
            SubElement(SubElement(cat, "category"), "text").text = f"$course$/{path}"
            current = path
        kind = {
            "multiple_choice": "multichoice",
            "multiple_response": "multichoice",
            "matching": "matching",
            "ordering": "ordering",
        }[q.kind]
        element = SubElement(quiz, "question", {"type": kind})
        SubElement(SubElement(element, "name"), "text").text = q.external_id or q.stem[:60]
        _text_node(element, "questiontext", q.stem)
        _text_node(element, "generalfeedback", q.explanation)
        if q.kind in ("multiple_choice", "multiple_response"):
            SubElement(element, "single").text = "true" if q.kind == "multiple_choice" else "false"
            count = sum(1 for c in q.choices if c.correct) or 1
            for choice in q.choices:
                fraction = (
                    (100 if q.kind == "multiple_choice" else round(100 / count, 5)) if choice.correct else 0
                )
                answer = _text_node(element, "answer", choice.text)
                answer.set("fraction", f"{fraction:g}")
                feedback = SubElement(answer, "feedback", {"format": "markdown"})
                SubElement(feedback, "text").text = choice.rationale
        elif q.kind == "matching":
            for pair in q.pairs:
                sub = _text_node(element, "subquestion", pair.prompt)
                SubElement(SubElement(sub, "answer"), "text").text = pair.response
        else:
            for position, item in enumerate(q.items, 1):
                _text_node(element, "answer", item).set("fraction", str(position))
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(quiz, encoding="unicode") + "\n"
