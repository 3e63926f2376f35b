"""Multiple response: two or more correct answers among five or more choices; the stem says how many."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.html import strip_tags

from apps.questions.data import select_phrase
from apps.questions.kinds._choices import ChoiceKind
from apps.questions.kinds._places import filled, stored_id
from apps.questions.kinds.base import FormData, Response, Rule, Snapshot
from apps.questions.wording import stated_choice_count

if TYPE_CHECKING:
    from apps.questions.data import QuestionData

MIN_CHOICES = 5
MIN_CORRECT = 2


class MultipleResponse(ChoiceKind):
    code = "multiple_response"
    label = "Multiple response"
    choice_answers = "several"
    limits = f"{MIN_CHOICES} or more choices, {MIN_CORRECT} or more correct"

    def choice_rules(self, question: QuestionData) -> list[Rule]:
        found: list[Rule] = []
        count = len(question.choices)
        correct = sum(1 for choice in question.choices if choice.correct)
        if count < MIN_CHOICES:
            found.append(
                (f"a multiple response question has at least {MIN_CHOICES} choices, not {count}", True)
            )
        if correct < MIN_CORRECT:
            message = (
                f"a multiple response question has at least {MIN_CORRECT} correct choices, not {correct}"
            )
            found.append((message, False))
        elif correct >= count:
            found.append(("a multiple response question needs at least one wrong choice", False))
        stated = stated_choice_count(question.stem)
        if stated is None:
            found.append(("the stem must say how many answers to choose, e.g. “(Select TWO.)”", True))
        elif stated != correct:
            message = f"the stem says to choose {stated} but {correct} choices are marked correct"
            found.append((message, False))
        return found

    def parse(self, snapshot: Snapshot, data: FormData) -> Response | None:
        chosen = sorted(
            {stored_id(snapshot["choices"], v, "a choice") for v in filled(data.getlist("choices"))}
        )
        return {"choices": chosen} if chosen else None

    def correct_response(self, snapshot: Snapshot) -> Response:
        return {"choices": sorted(c["id"] for c in snapshot["choices"] if c["correct"])}

    def card(self, snapshot: Snapshot) -> dict[str, object]:
        stated = stated_choice_count(strip_tags(snapshot["stem_html"]))
        # Said once: most stems say it already.
        return {
            **super().card(snapshot),
            "select": select_phrase(snapshot["choose"]) if stated is None else "",
        }

    def is_correct(self, snapshot: Snapshot, response: Response | None) -> bool:
        """Every correct choice and no other, in any order."""
        if not response:
            return False
        return sorted(response.get("choices", [])) == self.correct_response(snapshot)["choices"]


KIND = MultipleResponse()
