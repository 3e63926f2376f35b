"""The names the exam page gives a question's parts: their places on the screen (1, 2, 3 …), which say nothing
about the key; and reading posted ids."""

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar, cast

from apps.questions.kinds.base import InvalidResponse


class HasId(Protocol):
    def __getitem__(self, key: str, /) -> object: ...


P = TypeVar("P")


def numbered(parts: Iterable[P]) -> list[P]:
    """The parts with their place on the screen as their id."""
    return [cast(P, {**cast(dict[str, object], part), "id": place}) for place, part in enumerate(parts, 1)]


def id_at_place(parts: Sequence[HasId], place: object) -> int | None:
    """The stored id of the part shown at this place (a number posted by the page), or None if there is none."""
    if isinstance(place, int) and 1 <= place <= len(parts):
        part_id = parts[place - 1]["id"]
        return part_id if isinstance(part_id, int) else None
    return None


def place_of(parts: Sequence[HasId], part_id: object) -> int | None:
    """The place on the screen of the part with this stored id, or None."""
    return next((place for place, part in enumerate(parts, 1) if part["id"] == part_id), None)


def posted_int(value: str) -> int:
    """A posted answer id as a number. Ids are places on the screen or small numbers: a long string is refused
    before int() reads it."""
    if len(value) > 9:
        raise InvalidResponse(f"{value[:20]!r}… is not an answer id")
    try:
        return int(value)
    except ValueError:
        raise InvalidResponse(f"{value!r} is not an answer id") from None


def stored_id(parts: Sequence[HasId], value: str, what: str) -> int:
    """The stored id of the part the page showed at this place (the page names parts by place)."""
    part_id = id_at_place(parts, posted_int(value))
    if part_id is None:
        raise InvalidResponse(f"{what} does not belong to this question")
    return part_id


def filled(values: list[str]) -> list[str]:
    """Posted values without the empty ones (an unselected drop-down, an empty hidden field)."""
    return [value for value in values if value != ""]
