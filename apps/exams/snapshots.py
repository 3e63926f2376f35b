"""A question version as one student sees it: the order its parts are shown in (a slot's layout), the picture
of the question grading and review read, and the names the exam page gives its parts (their places on the
screen), which say nothing about the key."""

from random import Random
from typing import cast

from apps.questions import kinds

# Every part of a question is named on the exam page by its place on the screen (1, 2, 3 … in the order this
# student sees it), never by a row id, which would give the key away; the helpers live with the kinds.
from apps.questions.kinds._places import id_at_place, numbered, place_of  # noqa: F401 - re-exported
from apps.questions.kinds.base import Snapshot


def layout_for(content: Snapshot, rng: Random) -> list[int]:
    """The ids of a version's shuffled parts in the order one student sees them (the kind decides which parts
    and how: ordering items, say, are never shown in the correct order)."""
    return kinds.get(content["kind"]).layout(content, rng)


def arranged(content: Snapshot, layout: list[int]) -> Snapshot:
    """The question as one student sees it (the "snapshot" grading, review and the exam page read): the
    version's content with the kind's parts in `layout` order, named as the kind names them on the screen."""
    if "kind" not in content:  # a version migrated from an empty snapshot: nothing to arrange
        return cast(Snapshot, dict(content))
    parts = kinds.get(content["kind"]).arranged(content, layout)
    # A new dict (the version's content is shared by every slot that asked it, and never changes).
    return cast(Snapshot, {**content, **parts})


# What every kind's snapshot holds besides its parts, and which of it the exam page may show before the answer.
PUBLIC_FIELDS = ("kind", "stem_html", "scenario", "task", "task_title", "domain", "domain_title")


def public_view(snapshot: Snapshot) -> dict[str, object]:
    """What the exam page may show before the answer is revealed: no correctness, no rationale, no key, and
    every part named by its place on the screen. Only fields named here and the parts the kind chooses are
    copied, so nothing a kind adds to its content reaches the page unasked."""
    view: dict[str, object] = {key: snapshot[key] for key in PUBLIC_FIELDS if key in snapshot}  # type: ignore[literal-required]
    view.update(kinds.get(snapshot["kind"]).public_parts(snapshot))
    return view
