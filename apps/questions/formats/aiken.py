"""Moodle's Aiken format: a question, lettered options `A.` or `A)`, and an `ANSWER: B` line (read only)."""

import re

from apps.questions import kinds
from apps.questions.data import ChoiceData, ParsedFile, QuestionData, Skipped

OPTION = re.compile(r"([A-Z])[.)]\s+(\S.*)")
ANSWER = re.compile(r"ANSWER\s*:\s*([A-Z])\s*", re.IGNORECASE)


def sniff(text: str) -> bool:
    lines = [line.strip() for line in text.splitlines()[:200]]
    return any(ANSWER.fullmatch(line) for line in lines) and any(OPTION.fullmatch(line) for line in lines)


def parse(text: str) -> ParsedFile:
    parsed = ParsedFile()
    stem: list[str] = []
    options: list[tuple[str, str]] = []  # (letter, text)
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            if stem and not options:  # Moodle lets a question's text run over several lines
                stem.append("")
            continue
        answer = ANSWER.fullmatch(line)
        option = OPTION.fullmatch(line) if stem else None
        if answer and stem:
            result = _question(start, "\n".join(stem).strip(), options, answer.group(1).upper())
            if isinstance(result, Skipped):
                parsed.skipped.append(result)
            else:
                parsed.questions.append(result)
            stem, options = [], []
        elif option:
            options.append((option.group(1), option.group(2).strip()))
        elif options:
            parsed.skipped.append(Skipped(f"line {start}", "options without an ANSWER: line after them"))
            stem, options, start = [line], [], number
        else:
            if not stem:
                start = number
            stem.append(line)
    if stem:
        parsed.skipped.append(Skipped(f"line {start}", "a question without an ANSWER: line"))
    return parsed


def _question(line: int, stem: str, options: list[tuple[str, str]], letter: str) -> QuestionData | Skipped:
    where = f"line {line}"
    letters = [key for key, _ in options]
    if len(options) < 2:
        return Skipped(where, "a question needs at least two options")
    if letters != [chr(ord("A") + i) for i in range(len(options))]:
        return Skipped(where, f"options must be lettered A, B, C… in order, not {', '.join(letters)}")
    if letter not in letters:
        return Skipped(where, f"the answer {letter} is not one of the options")
    return QuestionData(
        kind=kinds.MULTIPLE_CHOICE.code,
        stem=stem,
        status="published",
        line=line,
        choices=[ChoiceData(text, correct=key == letter) for key, text in options],
    )
