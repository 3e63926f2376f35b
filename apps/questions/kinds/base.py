"""The small interface every question kind implements, and the typed data it works on."""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol, TypedDict, cast

if TYPE_CHECKING:
    from apps.questions.data import QuestionData
    from apps.questions.models import Question

# The part table a kind keeps its answer parts in (Choice, OrderingItem, MatchingPair), by QuestionData field.
Part = Literal["choices", "items", "pairs"]
PARTS: tuple[Part, ...] = ("choices", "items", "pairs")
# Where a kind is drawn: the exam screen, the review, the admin preview and the Anki card (front and back).
Use = Literal["exam", "review", "preview", "anki_front", "anki_back"]
# How many choices a choice kind's key has: one (single answer) or several; None for kinds without choices.
ChoiceAnswers = Literal["one", "several"]


class InvalidResponse(ValueError):
    """The submitted answer does not fit the question (tampered or stale ids); nothing is stored."""


class UnknownKind(LookupError):
    """A kind code that no module in apps.questions.kinds registers."""


# ------------------------------------------------------------------------------------------- the content
class ChoicePart(TypedDict):
    id: int  # the Choice row's id
    html: str
    correct: bool
    rationale_html: str


class ItemPart(TypedDict):
    id: int  # in the version content its correct position; in a slot's snapshot its place on the screen
    html: str
    position: int  # its place in the correct order, from 1


class PromptPart(TypedDict):
    id: int  # in the version content the pair's id; in a slot's snapshot its place on the screen
    html: str
    answer: int  # the id of its response (the pair's id)


class ResponsePart(TypedDict):
    id: int  # the pair's id
    html: str


class ScenarioContent(TypedDict):
    title: str
    html: str


class Snapshot(TypedDict, total=False):
    """A question as grading and review read it: the version content (unshuffled, stable ids) or a slot's
    snapshot (its parts arranged as that student sees them). Which part keys are present depends on the kind."""

    kind: str
    stem_html: str
    explanation_html: str
    scenario: ScenarioContent | None
    task: str
    task_title: str
    domain: int
    domain_title: str
    question_id: int
    choices: list[ChoicePart]
    choose: int
    items: list[ItemPart]
    prompts: list[PromptPart]
    responses: list[ResponsePart]


class Response(TypedDict, total=False):
    """A stored answer: one key, by kind (choice ids, item ids in order, prompt id -> response id)."""

    choice: int
    choices: list[int]
    order: list[int]
    matches: dict[str, int]


class FormData(Protocol):
    """What a kind reads posted answers from: a QueryDict (or anything with getlist)."""

    def getlist(self, key: str) -> list[str]: ...


class ListData:
    """{name: [values]} read like a QueryDict."""

    def __init__(self, data: Mapping[str, Iterable[str]]) -> None:
        self._data = data

    def getlist(self, key: str) -> list[str]:
        return list(self._data.get(key, []))


def form_data(data: FormData | Mapping[str, Iterable[str]]) -> FormData:
    """Posted data as a kind reads it: a QueryDict as it is, {name: [values]} wrapped."""
    if hasattr(data, "getlist"):
        return cast(FormData, data)
    return ListData(data)


# A rule's message and whether it is only a matter of AWS's shape (an import keeps such a question as a draft).
Rule = tuple[str, bool]


# ---------------------------------------------------------------------------------------------- the kind
class QuestionKind(ABC):
    """One kind of question. A subclass per kind module; the registry in apps.questions.kinds holds one
    instance of each. A subclass that leaves out an abstract method cannot be instantiated."""

    code: ClassVar[str]
    label: ClassVar[str]  # "Multiple choice"
    part: ClassVar[Part]  # the part table its answer parts live in
    choice_answers: ClassVar[ChoiceAnswers | None] = None
    limits: ClassVar[str]  # its part limits in words, as docs/question-format.md states them

    def __repr__(self) -> str:
        return f"<kind {self.code}>"

    @property
    def with_article(self) -> str:
        """The kind with its article, in messages: "a matching", "an ordering"."""
        label = self.label.lower()
        return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"

    @property
    def has_choice_distribution(self) -> bool:
        """Whether item analysis can count how often each choice was picked."""
        return self.choice_answers is not None

    def template_for(self, use: Use) -> str:
        """The partial that draws this kind for one use; every page includes it by this name."""
        return f"questions/kinds/{self.code}/{use}.html"

    # -- authoring rules
    @abstractmethod
    def part_rules(self, question: QuestionData) -> list[Rule]:
        """The rules of this kind's own parts (the stem and the other fields are checked elsewhere)."""

    # -- the version content and what one student sees
    @abstractmethod
    def content(self, question: Question) -> Snapshot:
        """The kind's parts of a question (with prefetched parts), unshuffled, with stable ids."""

    @abstractmethod
    def layout(self, content: Snapshot, rng: random.Random) -> list[int]:
        """The part ids in the order this student sees them."""

    @abstractmethod
    def arranged(self, content: Snapshot, layout: list[int]) -> Snapshot:
        """The kind's parts of `content` in `layout`'s order, as a slot's snapshot holds them."""

    # -- answers
    @abstractmethod
    def parse(self, snapshot: Snapshot, data: FormData) -> Response | None:
        """The stored response for posted form data, every id checked; None for no answer.

        Raises InvalidResponse when a value does not belong to this question."""

    def normalize(
        self, snapshot: Snapshot, response: Response | None, *, previous: Response | None, deliberate: bool
    ) -> Response | None:
        """What a parsed answer means given the stored one (`previous`) and whether the student chose it on this
        screen (`deliberate`) or it only came along with another action (a flag, Next, Review)."""
        return response

    @abstractmethod
    def correct_response(self, snapshot: Snapshot) -> Response:
        """The answer that scores: what `is_correct` compares a response with."""

    def is_correct(self, snapshot: Snapshot, response: Response | None) -> bool:
        """All or nothing, like AWS."""
        return bool(response) and response == self.correct_response(snapshot)

    # -- drawing it
    @abstractmethod
    def public_parts(self, snapshot: Snapshot) -> dict[str, object]:
        """The kind's parts as the exam page may show them before the answer: no correctness, no rationale, no
        key, every part named by its place on the screen."""

    @abstractmethod
    def mark_answer(self, snapshot: Snapshot, view: dict[str, object], response: Response) -> None:
        """Mark the current answer on the exam screen's view of the question (parts named by place)."""

    @abstractmethod
    def review(self, snapshot: Snapshot, response: Response) -> dict[str, object]:
        """What the review shows beside the student's answer: the right one, rationales."""

    @abstractmethod
    def answer_summary(self, snapshot: Snapshot, response: Response) -> str:
        """A short text of a stored (non-empty) answer, for the save status ("Saved: B, D")."""

    @abstractmethod
    def card(self, snapshot: Snapshot) -> dict[str, object]:
        """What the Anki card's partials show: the parts as plain text, and the answer."""
