"""Markdown question banks as people publish them on GitHub: a heading (or a numbered line) per question,
options as `- [ ]` / `- [x]` or lettered `A.` / `- A)`, and the answer in `**Answer:** B` or a `<details>`
block (read only)."""

import re
from dataclasses import dataclass, field

from apps.questions import kinds
from apps.questions.data import ChoiceData, ParsedFile, QuestionData, Skipped, say_how_many

# Every pattern is anchored and has no nested repetition: each line is matched in linear time.
HEADING = re.compile(r"#{1,6}\s")
NUMBERED = re.compile(r"\d{1,4}[.)]\s+(\S.*)")
CHECKBOX = re.compile(r"\s*[-*+]\s+\[([ xX])\]\s+(.*)")
LETTERED = re.compile(r"\s*(?:[-*+]\s+)?\(?([A-Ha-h])[.)]\s+(.*)")
ANSWER = re.compile(r"(?:correct\s+)?answers?\s*:\s*(.*)", re.IGNORECASE)
EXPLANATION = re.compile(r"(?:explanation|why|reason)\s*:\s*(.*)", re.IGNORECASE)
LETTERS = re.compile(r"[A-H]\b")
QUESTION_NUMBER = re.compile(r"(?:(?:question|q)\s*#?\s*\d{1,4}|\d{1,4})\s*(?:[:.)\-–]\s*|$)", re.IGNORECASE)
FENCE = ("```", "~~~")


def sniff(text: str) -> bool:
    lines = text.splitlines()[:500]
    if any(CHECKBOX.fullmatch(line) for line in lines):
        return True
    answers = any("<details" in line or line.lstrip().startswith("**Answer") for line in lines)
    return answers and any(HEADING.match(line) or NUMBERED.fullmatch(line) for line in lines)


@dataclass
class _Option:
    letter: str  # "" for a checkbox
    text: str
    checked: bool


@dataclass
class _Block:
    line: int
    heading: bool
    stem: list[str] = field(default_factory=list)
    options: list[_Option] = field(default_factory=list)
    answer: set[str] = field(default_factory=set)  # letters
    answered: bool = False
    explanation: list[str] = field(default_factory=list)
    in_explanation: bool = False

    @property
    def complete(self) -> bool:
        return bool(self.options) or self.answered

    @property
    def heading_only(self) -> bool:
        """A heading with no text under it yet: a section title when numbered questions follow."""
        return self.heading and not any(line.strip() for line in self.stem[1:])


def parse(text: str) -> ParsedFile:
    parsed, in_fence, in_details = ParsedFile(), False, False
    block: _Block | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith(FENCE):
            in_fence = not in_fence
        if in_fence or stripped.startswith(FENCE):
            if block is not None:
                (block.explanation if block.in_explanation else block.stem).append(line)
            continue
        heading = HEADING.match(line)
        numbered = None if heading else NUMBERED.fullmatch(line)
        if heading or (numbered and (block is None or block.complete or block.heading_only)):
            _finish(parsed, block)
            block, in_details = _Block(line=number, heading=bool(heading)), False
            title = numbered.group(1) if numbered else line.lstrip("#").strip().rstrip("#").strip()
            block.stem.append(QUESTION_NUMBER.sub("", title, count=1) if heading else title)
            continue
        if block is None:
            continue
        if "<details" in stripped:
            in_details = True
        if "</details>" in stripped:
            in_details = False
        if "<summary" in stripped or stripped in ("</details>", "<details>"):
            continue  # the block's "Answer" label
        _line(block, line, stripped.replace("*", "").strip(), in_details)
    _finish(parsed, block)
    return parsed


def _line(block: _Block, line: str, plain: str, in_details: bool) -> None:
    checkbox = CHECKBOX.fullmatch(line)
    lettered = LETTERED.fullmatch(line)
    answer = ANSWER.fullmatch(plain)
    explanation = EXPLANATION.fullmatch(plain)
    expected = chr(ord("A") + len(block.options))
    if checkbox and not block.in_explanation:
        block.options.append(_Option("", checkbox.group(2).strip(), checkbox.group(1) in "xX"))
    elif lettered and not block.in_explanation and lettered.group(1).upper() == expected:
        block.options.append(_Option(expected, lettered.group(2).strip(), False))
    elif answer and block.options:
        block.answered = True
        block.answer |= _letters(answer.group(1))
        block.in_explanation = True
    elif in_details and block.options and not block.answered and _letters(plain) and len(plain) < 20:
        block.answered = True  # a bare "B" or "B, D" inside the answer block
        block.answer |= _letters(plain)
        block.in_explanation = True
    elif explanation and block.options:
        block.in_explanation = True
        block.explanation.append(explanation.group(1))
    elif block.in_explanation or (in_details and block.options):
        block.in_explanation = True
        block.explanation.append(line.strip() if in_details else line)
    elif not block.options:
        block.stem.append(line)
    elif line[:1].isspace() and line.strip() and not in_details:
        block.options[-1].text += " " + line.strip()  # an option's text running over an indented line
    # anything else between the options and the answer (a "back to top" link...) is not part of the question


def _letters(text: str) -> set[str]:
    head = text.strip()[:60]
    if re.fullmatch(r"[A-H]{1,8}", head):
        return set(head)
    found: set[str] = set()
    for token in re.split(r"[\s,;&/]+", head):
        token = token.strip(".)(")
        if token.lower() == "and":
            continue
        if not LETTERS.fullmatch(token):
            break
        found.add(token)
    return found


def _finish(parsed: ParsedFile, block: _Block | None) -> None:
    if block is None or not block.complete:
        return  # a heading without options is a title or a section, not a question
    where = f"line {block.line}"
    stem = "\n".join(block.stem).strip()
    if not block.options:
        parsed.skipped.append(Skipped(where, "an answer without options (- [ ] or A.) before it"))
        return
    if not stem:
        parsed.skipped.append(Skipped(where, "options without a question before them"))
        return
    letters = [option.letter for option in block.options]
    unknown = sorted(block.answer - set(letters))
    if unknown:
        reason = f"the answer names {', '.join(unknown)}, which is not an option"
        parsed.skipped.append(Skipped(where, reason))
        return
    choices = [
        ChoiceData(
            option.text, correct=option.checked or bool(option.letter and option.letter in block.answer)
        )
        for option in block.options
    ]
    correct = sum(1 for choice in choices if choice.correct)
    if not correct:
        parsed.skipped.append(Skipped(where, "no answer marked (- [x], **Answer:** B or a <details> block)"))
        return
    question = QuestionData(
        kind=(kinds.MULTIPLE_CHOICE if correct == 1 else kinds.MULTIPLE_RESPONSE).code,
        stem=stem,
        explanation="\n".join(block.explanation).strip(),
        status="published",
        line=block.line,
        choices=choices,
    )
    parsed.questions.append(say_how_many(question))
