"""Plain data for a question as formats read and write it, independent of the database."""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from apps.content.media import ImageFile


@dataclass
class ChoiceData:
    text: str
    correct: bool = False
    rationale: str = ""


@dataclass
class PairData:
    prompt: str  # empty for a distractor response
    response: str


@dataclass
class QuestionData:
    kind: str
    stem: str
    explanation: str = ""
    task_statement: str = ""
    guide_version: str = ""
    difficulty: int = 2
    status: str = "draft"
    services: list[str] = field(default_factory=list)
    objectives: list[str] = field(
        default_factory=list
    )  # "1.1.3": task 1.1, its 3rd objective in the blueprint
    section: str = ""  # "<note slug>#<heading id>" or "<exam slug>/<note slug>#<heading id>"
    scenario: str = ""
    external_id: str = ""
    choices: list[ChoiceData] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # in the correct order
    pairs: list[PairData] = field(default_factory=list)  # distractors have an empty prompt
    line: int = 0  # where the question starts in its file (0 when unknown)
    shape_notes: list[str] = field(default_factory=list)  # why a reader found it not in AWS's shape

    @property
    def location(self) -> str:
        return f"line {self.line}" if self.line else "question"

    def content_hash(self) -> str:
        """Changes when anything a student sees or is graded on changes (not status or bookkeeping)."""
        payload = asdict(self)
        for key in ("status", "external_id", *BOOKKEEPING):
            payload.pop(key)
        payload["services"] = sorted(payload["services"])  # a set: stored and exported sorted
        for key in ("objectives", "section"):
            if not payload[key]:
                payload.pop(key)  # added later: questions without them keep the hash they had
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    def content_key(self) -> str:
        """Identity of a question in a file without ids: kind, stem, choices with their keys, items and pairs
        (whitespace and case ignored; choices and pairs in any order, items in theirs)."""
        payload = {
            "kind": self.kind,
            "stem": normalized(self.stem),
            "choices": sorted([normalized(c.text), c.correct] for c in self.choices),
            "items": [normalized(item) for item in self.items],
            "pairs": sorted([normalized(p.prompt), normalized(p.response)] for p in self.pairs),
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


# Fields of QuestionData about reading a file, not about the question: never hashed, exported or compared.
BOOKKEEPING = ("line", "shape_notes")

NUMBER_WORDS = {2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE"}


def select_phrase(count: int) -> str:
    """How a multiple-response stem says how many to pick, in AWS's current wording: "(Select TWO.)"."""
    return f"(Select {NUMBER_WORDS.get(count, count)}.)"


_TASK_NUMBER = re.compile(r"\d+\.\d+")


def task_from_category(category: str | None) -> str:
    """The task statement a category path names in its last part ("$course$/AIF-C01/1.1" -> "1.1"), or ""."""
    last = category.strip("/").rsplit("/", 1)[-1].strip() if category else ""
    return last if _TASK_NUMBER.fullmatch(last) else ""


def say_how_many(question: QuestionData) -> QuestionData:
    """Imported multiple-response stems must say how many to choose, as AWS stems do: add "(Select TWO.)"."""
    from apps.questions import kinds
    from apps.questions.wording import stated_choice_count

    kind = kinds.find(question.kind)
    correct = sum(1 for choice in question.choices if choice.correct)
    if (
        kind is not None
        and kind.choice_answers == "several"
        and stated_choice_count(question.stem) is None
        and correct in NUMBER_WORDS
    ):
        question.stem += f" {select_phrase(correct)}"
    return question


def id_from_name(name: str, stem: str) -> str:
    """A GIFT title or Moodle name as the question's external id, unless it is only the start of the stem
    (what Moodle makes up when a question has no name) or too long to be an id."""
    name = " ".join(name.split())
    if not name or len(name) > 100 or normalized(stem).startswith(normalized(name)):
        return ""
    return name


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def stem_key(kind: str, stem: str) -> str:
    """Identity of a question for formats without ids: its kind and its stem, whitespace and case ignored."""
    return hashlib.sha256(f"{kind}\n{normalized(stem)}".encode()).hexdigest()


@dataclass
class ScenarioData:
    external_id: str
    title: str
    text: str
    line: int = field(default=0, compare=False)  # where it starts in its file (0 when unknown)


@dataclass
class Skipped:
    where: str  # "line 12" / "question 3"
    reason: str


@dataclass
class ParsedFile:
    """What a format reader found: set metadata (if the format has it), scenarios, questions, skips and the
    images embedded in the file (by digest; texts already point at their addresses)."""

    questions: list[QuestionData] = field(default_factory=list)
    scenarios: list[ScenarioData] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    set_meta: dict[str, str] = field(default_factory=dict)
    media: dict[str, ImageFile] = field(default_factory=dict)  # by digest


class FormatError(ValueError):
    """A file that cannot be read at all; nothing is imported."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line
        self.message = message
