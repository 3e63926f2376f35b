"""Ordering: three to five items the student puts in the correct order (the OrderingItem table)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, cast

from apps.questions.kinds._card import card_text
from apps.questions.kinds._places import filled, numbered, posted_int
from apps.questions.kinds.base import (
    FormData,
    InvalidResponse,
    ItemPart,
    QuestionKind,
    Response,
    Rule,
    Snapshot,
)
from apps.questions.wording import duplicates, quoted

if TYPE_CHECKING:
    from apps.questions.data import QuestionData
    from apps.questions.models import Question

MIN_ITEMS = 3
MAX_ITEMS = 5
RESHUFFLES = 5  # a shuffle that happens to be the answer is tried again this often, then rotated


def apply_move(order: list[int], move: str) -> list[int]:
    """Apply a "<item id>:up" / "<item id>:down" button press (keyboard and no-JavaScript reordering)."""
    item_text, _, direction = move.partition(":")
    item = posted_int(item_text)
    if item not in order or direction not in {"up", "down"}:
        raise InvalidResponse("that move does not fit this question")
    index = order.index(item)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    return order


def _last(data: FormData, key: str) -> str:
    """The last value posted under `key` (what QueryDict.get reads), or ""."""
    return (data.getlist(key) or [""])[-1]


class Ordering(QuestionKind):
    code = "ordering"
    label = "Ordering"
    part = "items"
    limits = f"{MIN_ITEMS} to {MAX_ITEMS} items"

    def part_rules(self, question: QuestionData) -> list[Rule]:
        found: list[Rule] = []
        count = len(question.items)
        if not MIN_ITEMS <= count <= MAX_ITEMS:
            found.append(
                (f"an ordering question has {MIN_ITEMS} to {MAX_ITEMS} items, not {count}", count >= 2)
            )
        if any(not text.strip() for text in question.items):
            found.append(("every ordering item needs a text", False))
        for text in duplicates(question.items):
            found.append((f"the item {quoted(text)} appears twice", False))
        return found

    def content(self, question: Question) -> Snapshot:
        # An item's id is its correct position: stable across versions, and recoverable from old snapshots.
        items: list[ItemPart] = [
            {"id": item.position, "html": item.text_html, "position": item.position}
            for item in question.ordering_items.all()
        ]
        return {"items": items}

    def layout(self, content: Snapshot, rng: random.Random) -> list[int]:
        """The item positions in the order shown: never the correct order, which would give the answer away."""
        positions = [item["position"] for item in content["items"]]
        order = list(positions)
        rng.shuffle(order)
        for _ in range(RESHUFFLES):
            if order != sorted(order):
                break
            order = list(positions)
            rng.shuffle(order)
        if order == sorted(order):
            order = order[1:] + order[:1]  # still the answer after every reshuffle: rotate it
        return order

    def arranged(self, content: Snapshot, layout: list[int]) -> Snapshot:
        # Ids by place on the screen: the stored ids are the correct positions, so they would tell the order.
        by_id = {item["id"]: item for item in content["items"]}
        return {"items": numbered(by_id[pk] for pk in layout)}

    def parse(self, snapshot: Snapshot, data: FormData) -> Response | None:
        order = [posted_int(value) for value in filled(data.getlist("order"))]
        if not order:
            return None
        if sorted(order) != sorted(item["id"] for item in snapshot["items"]):
            raise InvalidResponse("the order must list every item of this question once")
        move = _last(data, "move")
        return {"order": apply_move(order, move) if move else order}

    def normalize(
        self, snapshot: Snapshot, response: Response | None, *, previous: Response | None, deliberate: bool
    ) -> Response | None:
        """The order as first shown rides along with every post (flag, Next, Review); as the page says, it is no
        answer until the student changes it, moves an item or chooses "Save this order" (deliberate)."""
        shown = {"order": [item["id"] for item in snapshot["items"]]}
        as_first_shown = not deliberate and not previous and response == shown
        return None if as_first_shown else response

    def correct_response(self, snapshot: Snapshot) -> Response:
        return {
            "order": [item["id"] for item in sorted(snapshot["items"], key=lambda item: item["position"])]
        }

    def public_parts(self, snapshot: Snapshot) -> dict[str, object]:
        return {"items": [{"id": item["id"], "html": item["html"]} for item in snapshot["items"]]}

    def mark_answer(self, snapshot: Snapshot, view: dict[str, object], response: Response) -> None:
        items = cast(list[dict[str, object]], view["items"])
        by_id = {cast(int, item["id"]): item for item in items}
        order = response.get("order") or list(by_id)
        shown = [by_id[pk] for pk in order if pk in by_id]
        view["items"] = [{**item, "number": number} for number, item in enumerate(shown, 1)]

    def review(self, snapshot: Snapshot, response: Response) -> dict[str, object]:
        html = {item["id"]: item["html"] for item in snapshot["items"]}
        return {
            "your_order": [html[pk] for pk in response.get("order", []) if pk in html],
            "right_order": [html[pk] for pk in self.correct_response(snapshot)["order"]],
        }

    def card(self, snapshot: Snapshot) -> dict[str, object]:
        right = sorted(snapshot["items"], key=lambda item: item["position"])
        return {
            "items": [card_text(item["html"]) for item in snapshot["items"]],
            "answer": [card_text(item["html"]) for item in right],
        }

    def answer_summary(self, snapshot: Snapshot, response: Response) -> str:
        return "order saved"


KIND = Ordering()
