"""The question kinds: one module per kind behind the QuestionKind interface, and the registry built from them.

A new kind is one module and one line below. Everything else (the model's choices, validation, check_bank,
grading, the pages, the formats, item analysis) asks this registry; an unknown kind is an error, never a
fallback.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from apps.questions.kinds import matching, multiple_choice, multiple_response, ordering
from apps.questions.kinds.base import InvalidResponse, QuestionKind, UnknownKind

__all__ = [
    "MATCHING",
    "MULTIPLE_CHOICE",
    "MULTIPLE_RESPONSE",
    "ORDERING",
    "REGISTRY",
    "InvalidResponse",
    "QuestionKind",
    "UnknownKind",
    "choices",
    "codes",
    "find",
    "get",
    "registered",
]

MULTIPLE_CHOICE: QuestionKind = multiple_choice.KIND
MULTIPLE_RESPONSE: QuestionKind = multiple_response.KIND
ORDERING: QuestionKind = ordering.KIND
MATCHING: QuestionKind = matching.KIND

REGISTRY: dict[str, QuestionKind] = {
    kind.code: kind for kind in (MULTIPLE_CHOICE, MULTIPLE_RESPONSE, ORDERING, MATCHING)
}


def get(code: str) -> QuestionKind:
    """The kind with this code; UnknownKind names the known ones otherwise."""
    try:
        return REGISTRY[code]
    except (KeyError, TypeError):
        raise UnknownKind(f"unknown question kind {code!r} (known: {', '.join(REGISTRY)})") from None


def find(code: str) -> QuestionKind | None:
    """The kind with this code, or None (for readers and rules that report an unknown kind themselves)."""
    return REGISTRY.get(code) if isinstance(code, str) else None


def codes() -> list[str]:
    return list(REGISTRY)


def choices() -> list[tuple[str, str]]:
    """(code, label) of every kind, for Question.kind (a callable, so a registered kind needs no migration)."""
    return [(kind.code, kind.label) for kind in REGISTRY.values()]


@contextmanager
def registered(kind: QuestionKind) -> Iterator[QuestionKind]:
    """Register a kind for the duration of a block (the test suite's throwaway kinds)."""
    if kind.code in REGISTRY:
        raise ValueError(f"a kind {kind.code!r} is already registered")
    REGISTRY[kind.code] = kind
    try:
        yield kind
    finally:
        del REGISTRY[kind.code]
