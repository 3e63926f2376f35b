"""The bulk-upload CSV layout of practice-test marketplaces (docs/question-format.md#csv)."""

import csv
import io
import re
from typing import TYPE_CHECKING

from apps.content.problems import shown
from apps.questions import kinds
from apps.questions.data import ChoiceData, FormatError, ParsedFile, QuestionData, Skipped, say_how_many

if TYPE_CHECKING:
    from _csv import Reader

OPTIONS = 6
HEADER = ["Question", "Question Type"]
for _n in range(1, OPTIONS + 1):
    HEADER += [f"Answer Option {_n}", f"Explanation {_n}"]
HEADER += ["Correct Answers", "Overall Explanation", "Domain"]
TYPES = {"multiple-choice": kinds.MULTIPLE_CHOICE.code, "multi-select": kinds.MULTIPLE_RESPONSE.code}


def parse(text: str) -> ParsedFile:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        return _parse_rows(reader)
    except csv.Error as exc:  # a broken quote or a cell over the csv module's size limit, wherever it is
        raise FormatError(reader.line_num, f"not valid CSV: {exc}") from None


def _parse_rows(reader: "Reader") -> ParsedFile:
    try:
        header = next(reader)
    except StopIteration:
        raise FormatError(1, "the file is empty") from None
    header = [column.strip() for column in header]
    missing = [column for column in HEADER if column not in header]
    if missing:
        raise FormatError(1, f"missing column(s): {', '.join(missing)}")
    index = {column: header.index(column) for column in HEADER}
    parsed = ParsedFile()
    next_line = reader.line_num + 1
    for row in reader:
        # A quoted cell may span lines; a row is named by the line it starts on.
        line, next_line = next_line, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        row += [""] * (len(header) - len(row))
        cell = {column: row[i].strip() for column, i in index.items()}
        kind = TYPES.get(cell["Question Type"].lower())
        if kind is None:
            parsed.skipped.append(
                Skipped(
                    f"line {line}",
                    f"question type {shown(cell['Question Type'])} (use multiple-choice or multi-select)",
                )
            )
            continue
        question = QuestionData(
            kind=kind,
            stem=cell["Question"],
            explanation=cell["Overall Explanation"],
            line=line,
            status="published",
        )
        domain = re.match(r"^(?:task\s*)?(\d+\.\d+)\b", cell["Domain"], re.IGNORECASE)
        question.task_statement = domain.group(1) if domain else ""
        try:
            correct = {int(n) for n in re.split(r"[,\s;]+", cell["Correct Answers"]) if n}
        except ValueError:
            raise FormatError(
                line,
                f"'Correct Answers' must be option numbers such as 1 or 1,3, not "
                f"{shown(cell['Correct Answers'])}",
            ) from None
        for n in range(1, OPTIONS + 1):
            option = cell[f"Answer Option {n}"]
            if option:
                question.choices.append(
                    ChoiceData(option, correct=n in correct, rationale=cell[f"Explanation {n}"])
                )
            elif n in correct:
                raise FormatError(line, f"answer {n} is marked correct but Answer Option {n} is empty")
        say_how_many(question)
        parsed.questions.append(question)
    return parsed
