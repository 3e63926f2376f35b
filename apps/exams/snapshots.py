"""A question version as one student sees it: the order its parts are shown in (a slot's layout), the picture
of the question grading and review read, and the names the exam page gives its parts (their places on the
screen), which say nothing about the key."""

from html import unescape
from random import Random
from typing import Any

from django.utils.html import strip_tags

from apps.exams.selection import shuffled


# ------------------------------------------------------------------------------------- places on the screen
# Rows are created in authoring order, and most sources list the right answer first (GIFT, Moodle XML, CSV)
# and distractor responses last, so a row's primary key in the page would give the key away. Every part of a
# question is therefore named on the page by its place on the screen (1, 2, 3 … in the order this student
# sees it). Ordering items and matching prompts are pictured under that number already; choices and matching
# responses keep their row ids in the snapshot (stored answers and the item analysis count by them), and the
# two functions below translate at the page's edge.
def numbered(parts):
    """The parts with their place on the screen as their id."""
    return [{**part, "id": place} for place, part in enumerate(parts, 1)]


def id_at_place(parts, place):
    """The stored id of the part shown at this place (a number posted by the page), or None if there is none."""
    return parts[place - 1]["id"] if isinstance(place, int) and 1 <= place <= len(parts) else None


def place_of(parts, part_id):
    """The place on the screen of the part with this stored id, or None."""
    return next((place for place, part in enumerate(parts, 1) if part["id"] == part_id), None)


# Which part of each kind is shown in an order of its own (matching responses are listed alphabetically).
SHUFFLED_PART = {
    "multiple_choice": "choices",
    "multiple_response": "choices",
    "ordering": "items",
    "matching": "prompts",
}


def layout_for(content: dict[str, Any], rng: Random) -> list[int]:
    """The ids of a version's shuffled parts in the order one student sees them (see SHUFFLED_PART).

    Ordering items are never shown in the correct order: a shuffle that happens to be the answer is done
    again, and if it still is after five tries it is rotated.
    """
    parts = content[SHUFFLED_PART[content["kind"]]]
    order = shuffled(parts, rng)
    if content["kind"] == "ordering":
        for _ in range(5):  # a shuffle that happens to be the answer would give it away
            if [i["position"] for i in order] != sorted(i["position"] for i in order):
                break
            order = shuffled(parts, rng)
        if [i["position"] for i in order] == sorted(i["position"] for i in order):
            order = order[1:] + order[:1]  # still the answer after every reshuffle: rotate it
    return [part["id"] for part in order]


def arranged(content: dict[str, Any], layout: list[int]) -> dict[str, Any]:
    """The question as one student sees it (the "snapshot" grading, review and the exam page read): the
    version's content with its shuffled parts in `layout` order. Choices keep their row ids; ordering items
    and matching prompts are named by their place on the screen (item rows are created in the correct order
    and a prompt's pair id is also its response's id, so either would tell the answer)."""
    snapshot = {key: _copied(value) for key, value in content.items()}
    if "kind" not in content:  # a version migrated from an empty snapshot: nothing to arrange
        return snapshot
    key = SHUFFLED_PART[content["kind"]]
    by_id = {part["id"]: part for part in snapshot[key]}
    parts = [by_id[part_id] for part_id in layout]
    snapshot[key] = parts if key == "choices" else numbered(parts)
    return snapshot


def _copied(value: Any) -> Any:
    """A copy of a content value deep enough that changing the picture never changes the version."""
    if isinstance(value, list):
        return [dict(part) if isinstance(part, dict) else part for part in value]
    return dict(value) if isinstance(value, dict) else value


def public_view(snapshot):
    """What the exam page may show before the answer is revealed: no correctness, no rationale, no key, and
    every part named by its place on the screen."""
    view = {
        key: value
        for key, value in snapshot.items()
        if key not in {"explanation_html", "choices", "items", "prompts", "responses", "question_id"}
    }
    if "choices" in snapshot:
        view["choices"] = numbered({"html": c["html"]} for c in snapshot["choices"])
    if "responses" in snapshot:
        # A drop-down option shows plain text: the HTML's entities decoded once (the template escapes again).
        view["responses"] = numbered(
            {"html": r["html"], "text": unescape(strip_tags(r["html"]))} for r in snapshot["responses"]
        )
    if "items" in snapshot:
        view["items"] = [{"id": i["id"], "html": i["html"]} for i in snapshot["items"]]
    if "prompts" in snapshot:
        view["prompts"] = [{"id": p["id"], "html": p["html"]} for p in snapshot["prompts"]]
    return view
