"""Moodle XML: multichoice (single and multiple), truefalse, matching, ordering and categories."""

import re
from collections.abc import Callable, Iterable
from xml.etree.ElementTree import Element, SubElement, TreeBuilder, tostring  # noqa: S405 - builds, writes

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from apps.content.media import ImageFile
from apps.content.problems import shown
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
from apps.questions.formats import grades, images

SERVICE_TAG = "service:"  # a Moodle tag "service:<glossary slug>" carries one of the question's services

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

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.count = 0

    def start(self, tag: str, attrs: dict[str, str]) -> Element:
        self.depth, self.count = self.depth + 1, self.count + 1
        if self.depth > MAX_XML_DEPTH:
            raise _TooLarge(f"elements nested deeper than {MAX_XML_DEPTH}")
        if self.count > MAX_XML_ELEMENTS:
            raise _TooLarge(f"more than {MAX_XML_ELEMENTS:,} elements")
        return super().start(tag, attrs)

    def end(self, tag: str) -> Element:
        self.depth -= 1
        return super().end(tag)


def _line_of(text: str, pattern: str) -> int:
    match = re.search(pattern, text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def _read_tree(text: str | bytes) -> Element:
    parser = SafeET.DefusedXMLParser(target=_BoundedTreeBuilder(), forbid_dtd=True)
    try:
        parser.feed(text.encode("utf-8") if isinstance(text, str) else text)
        root: Element = parser.close()
        return root
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


def _text(element: Element, path: str) -> str:
    node = element.find(path)
    return (node.text or "").strip() if node is not None else ""


def parse(text: str | bytes) -> ParsedFile:
    root = _read_tree(text)
    if root.tag != "quiz":
        raise FormatError(0, f"a Moodle XML file starts with <quiz>, not <{root.tag}>")
    parsed, category, bad_grades = ParsedFile(), "", list[str]()
    _embed_images(root, parsed.media)
    for position, element in enumerate(root.findall("question"), 1):
        moodle_type = element.get("type", "")
        where = f"question {position}" + (
            f" (“{_text(element, 'name/text')[:80]}”)" if _text(element, "name/text") else ""
        )
        if moodle_type == "category":
            category = _text(element, "category/text")
            continue
        if moodle_type in SKIPPED_TYPES:
            parsed.skipped.append(Skipped(where, f"{SKIPPED_TYPES[moodle_type]} (not supported)"))
            continue
        readers: dict[str, Callable[[QuestionData, Element, str], None]] = {
            "multichoice": _multichoice,
            "truefalse": _truefalse,
            "matching": _matching,
            "ordering": _ordering,
        }
        reader = readers.get(moodle_type)
        if reader is None:
            parsed.skipped.append(Skipped(where, f"question type {shown(moodle_type)} (not supported)"))
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
        invalid = _invalid_grades(element, moodle_type, where)
        if invalid:
            bad_grades.append(invalid)
            continue
        reader(question, element, where)
        question.external_id = id_from_name(_text(element, "name/text"), question.stem)
        question.services = sorted(
            tag[len(SERVICE_TAG) :].strip()
            for tag in (_text(node, ".") for node in element.findall("tags/tag/text"))
            if tag.startswith(SERVICE_TAG)
        )
        parsed.questions.append(question)
    if bad_grades:
        # Moodle refuses a file whose grades are not among its grade values; so do we, naming each one.
        raise FormatError(0, "; ".join(bad_grades) + " (Moodle refuses such a file too)")
    return parsed


def _embed_images(root: Element, media: dict[str, ImageFile]) -> None:
    """Moodle writes a text's images as <file> elements beside it, referred to as @@PLUGINFILE@@/name: they
    come along as media and the texts point at them."""
    for holder in root.iter():
        files = holder.findall("file")
        text = holder.find("text")
        if files and text is not None and text.text and images.PLUGINFILE in text.text:
            found = [(f.get("path", "/"), f.get("name", ""), f.text or "") for f in files]
            text.text = images.embed_files(text.text, found, media)


def _invalid_grades(element: Element, moodle_type: str, where: str) -> str:
    """What is wrong with the answer grades of a multiple-choice or true/false question, or ""."""
    if moodle_type not in ("multichoice", "truefalse"):
        return ""
    fractions = [_fraction(answer, where) / 100 for answer in element.findall("answer")]
    wrong = [f for f in fractions if not grades.is_allowed(f)]
    if wrong:
        values = ", ".join(f"{grades.percent(f)}%" for f in wrong)
        return f"{where}: grade {values} is not one of Moodle's grade values"
    single = _text(element, "single").lower() in {"true", "1"}
    positive = sum(f for f in fractions if f > 0)
    if (
        moodle_type == "multichoice"
        and not single
        and fractions
        and abs(positive - 1) > 0.0001 * len(fractions)
    ):
        return f"{where}: the right answers' grades add up to {grades.percent(positive)}%, not 100%"
    return ""


def _fraction(answer: Element, where: str) -> float:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError:
        raise FormatError(0, f"{where}: fraction {shown(answer.get('fraction'))} is not a number") from None


def _multichoice(question: QuestionData, element: Element, where: str) -> None:
    answers = element.findall("answer")
    if not answers:
        raise FormatError(0, f"{where} has no answers")
    single = _text(element, "single").lower() in {"true", "1"}
    weights = [_fraction(answer, where) for answer in answers]
    for answer, weight in zip(answers, weights, strict=True):
        question.choices.append(
            ChoiceData(
                _text(answer, "text"),
                # A single-answer question's right answer is worth the full mark; less is partial credit.
                correct=weight >= 100 - grades.TOLERANCE if single else weight > 0,
                rationale=_text(answer, "feedback/text"),
            )
        )
    correct = sum(1 for choice in question.choices if choice.correct)
    single = single or correct == 1
    question.kind = (kinds.MULTIPLE_CHOICE if single else kinds.MULTIPLE_RESPONSE).code
    question.shape_notes += grades.partial_credit_notes(question.choices, weights, single=single)
    say_how_many(question)


def _truefalse(question: QuestionData, element: Element, where: str) -> None:
    question.kind = kinds.MULTIPLE_CHOICE.code
    by_value: dict[str, tuple[bool, str]] = {}  # "true"/"false" -> (right, feedback)
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


def _matching(question: QuestionData, element: Element, where: str) -> None:
    question.kind = kinds.MATCHING.code
    for sub in element.findall("subquestion"):
        question.pairs.append(PairData(prompt=_text(sub, "text"), response=_text(sub, "answer/text")))
    if not question.pairs:
        raise FormatError(0, f"{where} has no subquestions")


def _ordering(question: QuestionData, element: Element, where: str) -> None:
    question.kind = kinds.ORDERING.code
    answers = element.findall("answer")
    # qtype_ordering lists answers in the correct order; fraction, when present, numbers them (1.0000000...).
    try:
        positions = [float(answer.get("fraction", "")) for answer in answers]
    except ValueError:
        positions = []
    if positions and len(set(positions)) == len(positions):
        answers = [answer for _, answer in sorted(zip(positions, answers, strict=True), key=lambda p: p[0])]
    question.items = [_text(answer, "text") for answer in answers]
    if not question.items:
        raise FormatError(0, f"{where} has no items")


# ------------------------------------------------------------------------------------------------ export
def _text_node(parent: Element, tag: str, value: str, fmt: str = "markdown") -> Element:
    node = SubElement(parent, tag, {"format": fmt}) if fmt else SubElement(parent, tag)
    SubElement(node, "text").text = value
    return node


def _setting(parent: Element, tag: str, value: str) -> None:
    SubElement(parent, tag).text = value


def _choice_answers(element: Element, q: QuestionData, *, single: bool) -> None:
    _setting(element, "single", "true" if single else "false")
    _setting(element, "shuffleanswers", "true")
    _setting(element, "answernumbering", "abc")
    if single:
        fractions: list[float] = [1 if choice.correct else 0 for choice in q.choices]
    else:
        fractions = grades.multiple_response_fractions([c.correct for c in q.choices])
    for choice, fraction in zip(q.choices, fractions, strict=True):
        answer = _text_node(element, "answer", choice.text)
        answer.set("fraction", grades.percent(fraction))
        feedback = SubElement(answer, "feedback", {"format": "markdown"})
        SubElement(feedback, "text").text = choice.rationale


def _single_answer(element: Element, q: QuestionData) -> None:
    _choice_answers(element, q, single=True)


def _multiple_answers(element: Element, q: QuestionData) -> None:
    _choice_answers(element, q, single=False)


def _pairs(element: Element, q: QuestionData) -> None:
    _setting(element, "shuffleanswers", "true")
    for pair in q.pairs:  # a distractor is a subquestion without text: an extra wrong answer
        sub = _text_node(element, "subquestion", pair.prompt)
        SubElement(SubElement(sub, "answer"), "text").text = pair.response


def _items(element: Element, q: QuestionData) -> None:
    for tag, value in (
        ("layouttype", "VERTICAL"),
        ("selecttype", "ALL"),
        ("selectcount", "0"),
        ("gradingtype", "ALL_OR_NOTHING"),
        ("showgrading", "SHOW"),
        ("numberingstyle", "none"),
    ):
        _setting(element, tag, value)
    for position, item in enumerate(q.items, 1):
        _text_node(element, "answer", item).set("fraction", f"{position:.7f}")


# Each kind Moodle can hold: its Moodle question type and the writer of its answers. A kind not listed here
# has no Moodle XML form and is left out of an export.
WRITERS: dict[str, tuple[str, Callable[[Element, QuestionData], None]]] = {
    kinds.MULTIPLE_CHOICE.code: ("multichoice", _single_answer),
    kinds.MULTIPLE_RESPONSE.code: ("multichoice", _multiple_answers),
    kinds.MATCHING.code: ("matching", _pairs),
    kinds.ORDERING.code: ("ordering", _items),
}


def dump(questions: Iterable[QuestionData], *, category: str = "") -> tuple[str, list[QuestionData]]:
    """Questions grouped in categories `<category>/<task statement>`, which `parse` maps back, and the questions
    left out (of a kind without a Moodle form). Every question is worth 1 mark and all-or-nothing as on the
    exam: wrong choices of a multiple-response question take the mark back between them (ticking every box
    scores 0), ordering questions use qtype_ordering's all-or-nothing grading, and services travel as
    "service:<slug>" tags."""
    quiz = Element("quiz")
    current, left_out = "", list[QuestionData]()
    for q in sorted(questions, key=lambda q: q.task_statement):
        if q.kind not in WRITERS:
            left_out.append(q)
            continue
        moodle_type, write_answers = WRITERS[q.kind]
        path = "/".join(part for part in (category, q.task_statement) if part)
        if path and path != current:
            cat = SubElement(quiz, "question", {"type": "category"})
            SubElement(SubElement(cat, "category"), "text").text = f"$course$/{path}"
            current = path
        element = SubElement(quiz, "question", {"type": moodle_type})
        SubElement(SubElement(element, "name"), "text").text = q.external_id or " ".join(q.stem.split())[:60]
        _text_node(element, "questiontext", q.stem)
        _text_node(element, "generalfeedback", q.explanation)
        _setting(element, "defaultgrade", "1")
        _setting(element, "penalty", "0.3333333")
        _setting(element, "hidden", "0")
        write_answers(element, q)
        if q.services:
            tags = SubElement(element, "tags")
            for slug in q.services:
                SubElement(SubElement(tags, "tag"), "text").text = SERVICE_TAG + slug
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(quiz, encoding="unicode") + "\n", left_out
