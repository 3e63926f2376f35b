"""Multiple choice: one correct answer among exactly four choices (imported true/false pairs keep two)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from apps.questions.kinds._choices import ChoiceKind
from apps.questions.kinds._places import filled, stored_id
from apps.questions.kinds.base import FormData, InvalidResponse, Response, Rule, Snapshot
from apps.questions.wording import is_true_false

if TYPE_CHECKING:
    from apps.questions.data import QuestionData

CHOICES = 4  # exactly this many choices, as on the exam
CORRECT = 1


class MultipleChoice(ChoiceKind):
    code = "multiple_choice"
    label = "Multiple choice"
    choice_answers = "one"
    limits = f"exactly {CHOICES} choices, exactly {CORRECT} `correct: true`"

    def choice_rules(self, question: QuestionData) -> list[Rule]:
        found: list[Rule] = []
        count = len(question.choices)
        correct = sum(1 for choice in question.choices if choice.correct)
        if is_true_false([(c.text, c.correct) for c in question.choices]):
            pass  # imported true/false questions keep their two choices
        elif count != CHOICES:
            found.append(
                (f"a multiple choice question has exactly {CHOICES} choices, not {count}", count >= 2)
            )
        if correct != CORRECT:
            found.append(
                (f"a multiple choice question has exactly {CORRECT} correct choice, not {correct}", False)
            )
        return found

    def parse(self, snapshot: Snapshot, data: FormData) -> Response | None:
        values = filled(data.getlist("choice"))
        if len(values) > 1:
            raise InvalidResponse("a multiple choice question takes one answer")
        return {"choice": stored_id(snapshot["choices"], values[0], "that choice")} if values else None

    def correct_response(self, snapshot: Snapshot) -> Response:
        return {"choice": next(c["id"] for c in snapshot["choices"] if c["correct"])}


KIND = MultipleChoice()
