"""What multiple choice and multiple response share: answer choices (the Choice table), shuffled per student."""

from __future__ import annotations

import random
from abc import abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from apps.questions.kinds._card import card_text
from apps.questions.kinds._places import numbered
from apps.questions.kinds.base import ChoicePart, QuestionKind, Response, Rule, Snapshot, Use
from apps.questions.wording import duplicates, quoted

if TYPE_CHECKING:
    from apps.questions.data import QuestionData
    from apps.questions.models import Question


def letter(index: int) -> str:
    """A choice's letter on the screen: A for the first."""
    return chr(65 + index)


class ChoiceKind(QuestionKind):
    """A question answered by ticking choices; the key is the set of correct choices."""

    part = "choices"

    def template_for(self, use: Use) -> str:
        """Both choice kinds share the review and the Anki card; the exam screen and the preview differ only in
        radio buttons or checkboxes, so theirs include a shared partial too."""
        return (
            super().template_for(use) if use in {"exam", "preview"} else f"questions/kinds/choices/{use}.html"
        )

    @abstractmethod
    def choice_rules(self, question: QuestionData) -> list[Rule]:
        """The rules of this kind's number of choices and keys, besides the shared ones below."""

    def part_rules(self, question: QuestionData) -> list[Rule]:
        found: list[Rule] = []
        if any(not choice.text.strip() for choice in question.choices):
            found.append(("every choice needs a text", False))
        found += self.choice_rules(question)
        for text in duplicates([choice.text for choice in question.choices]):
            found.append((f"the choice {quoted(text)} appears twice", False))
        return found

    def content(self, question: Question) -> Snapshot:
        choices: list[ChoicePart] = [
            {"id": c.pk, "html": c.text_html, "correct": c.is_correct, "rationale_html": c.rationale_html}
            for c in question.choices.all()
        ]
        return {"choices": choices, "choose": sum(1 for c in choices if c["correct"])}

    def layout(self, content: Snapshot, rng: random.Random) -> list[int]:
        ids = [choice["id"] for choice in content["choices"]]
        rng.shuffle(ids)
        return ids

    def arranged(self, content: Snapshot, layout: list[int]) -> Snapshot:
        by_id = {choice["id"]: choice for choice in content["choices"]}
        return {"choices": [by_id[pk] for pk in layout], "choose": content["choose"]}

    def public_parts(self, snapshot: Snapshot) -> dict[str, object]:
        # Choices keep their row ids in the snapshot (stored answers count by them); the page names them by place.
        return {
            "choices": numbered({"html": c["html"]} for c in snapshot["choices"]),
            "choose": snapshot["choose"],
        }

    def mark_answer(self, snapshot: Snapshot, view: dict[str, object], response: Response) -> None:
        chosen = self.picked_choices(response)
        shown = cast(list[dict[str, object]], view["choices"])
        for choice, stored in zip(shown, snapshot["choices"], strict=True):
            choice["selected"] = stored["id"] in chosen

    def review(self, snapshot: Snapshot, response: Response) -> dict[str, object]:
        chosen = self.picked_choices(response)
        return {"choices": [{**c, "chosen": c["id"] in chosen} for c in snapshot["choices"]]}

    def answer_summary(self, snapshot: Snapshot, response: Response) -> str:
        ids = [c["id"] for c in snapshot["choices"]]
        # Letters in the order the student sees them (stored ids are sorted by id, not by display).
        return ", ".join(sorted(letter(ids.index(pk)) for pk in self.picked_choices(response) if pk in ids))

    def card(self, snapshot: Snapshot) -> dict[str, object]:
        choices = snapshot["choices"]
        return {
            "choices": [f"{letter(n)}. {card_text(c['html'])}" for n, c in enumerate(choices)],
            "answer": [f"{letter(n)}. {card_text(c['html'])}" for n, c in enumerate(choices) if c["correct"]],
        }

    def picked_choices(self, response: Mapping[str, object]) -> tuple[int, ...]:
        """The choice ids in a stored response ({"choice": id} or {"choices": [ids]})."""
        choice = response.get("choice")
        if isinstance(choice, int):
            return (choice,)
        choices = response.get("choices")
        return tuple(pk for pk in choices if isinstance(pk, int)) if isinstance(choices, list) else ()
