"""What a practice mode decides (the PracticeMode interface), and the request and plan it works on."""

import abc
import enum
from dataclasses import dataclass, field
from datetime import datetime
from random import Random
from typing import Any, ClassVar

from django.contrib.auth.models import User

from apps.content.models import Exam
from apps.exams import selection, selectors
from apps.exams.models import Attempt


@dataclass
class PracticeRequest:
    """What a student asked for on the New practice page (already validated by the form)."""

    exam: Exam
    mode: str
    domains: list[int] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    count: int = 0
    timed: bool = True
    feedback: str = Attempt.Feedback.END
    pilot: bool = False
    extra_time_percent: int = 0
    question_sets: list[int] = field(default_factory=list)  # only these sets (a class assignment); empty: all
    minutes: int | None = None  # a set time limit (a class assignment) instead of the exam's pace
    assignment: bool = False  # set by a class assignment: a timed one runs under exam conditions


@dataclass
class Plan:
    question_ids: list[int]
    unscored_ids: list[int]
    minutes: int | None
    wanted: int
    problem: str = ""  # why fewer questions than asked (shown before starting)

    @property
    def short(self) -> bool:
        return len(self.question_ids) + len(self.unscored_ids) < self.wanted


class Timing(enum.Enum):
    """Whether a mode runs against the clock."""

    ALWAYS = "always"
    CHOICE = "choice"  # the student (or the instructor setting an assignment) chooses
    NEVER = "never"


class PracticeMode(abc.ABC):
    """One practice mode's policy: which questions it asks, in what order, for how long, and what the exam
    screen offers. Subclasses set the attributes and implement `plan`; one instance of each is registered in
    apps.exams.modes."""

    code: ClassVar[str]  # one of Attempt.Mode
    label: ClassVar[str]
    help_template: ClassVar[str]  # the line New practice shows under the mode's name
    timing: ClassVar[Timing] = Timing.CHOICE
    clock_from_exam: ClassVar[bool] = False  # timed by the exam's published format, which must exist
    feedback_options: ClassVar[tuple[str, ...]] = (Attempt.Feedback.END, Attempt.Feedback.IMMEDIATE)
    chooses_questions: ClassVar[bool] = False  # the student picks domains, task statements and a count
    max_questions: ClassVar[int | None] = None  # the most one attempt asks; None: the exam's format says
    mixes_in_pilot: ClassVar[bool] = False  # unscored pilot questions may be mixed in
    shuffles_order: ClassVar[bool] = True  # the planned questions are shuffled when the attempt starts
    asks_confidence: ClassVar[bool] = True  # the student may mark each answer sure / unsure / guessed
    shows_domain: ClassVar[bool] = True  # the exam screen names each question's domain
    exam_conditions: ClassVar[bool] = False  # timed, it runs on the focused exam screen, like the real test
    assignable: ClassVar[bool] = False  # an instructor may set it to a class (the same questions for all)
    # Its questions are a fair sample of the bank, not chosen for being hard for this student: its scores
    # show on the trend and its answers count in item analysis.
    representative: ClassVar[bool] = False
    # How much one answer given in this mode counts towards the readiness estimate (docs/readiness.md):
    # the closer to exam conditions, the more.
    evidence_weight: ClassVar[float]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {str(self.code)!r}>"

    @abc.abstractmethod
    def plan(self, *, user: User, request: PracticeRequest, rng: Random, now: datetime) -> Plan:
        """Choose the questions (without saving anything) and say plainly when there are fewer than asked."""

    def available_for(self, exam: Exam) -> bool:
        """Whether the exam can be practised in this mode without a time limit of its own."""
        return not self.clock_from_exam or exam.mock_format is not None

    def request(
        self,
        *,
        exam: Exam,
        domains: list[int] | None = None,
        tasks: list[str] | None = None,
        count: int = 0,
        timed: bool = False,
        feedback: str = "",
        pilot: bool = False,
        **fixed: Any,
    ) -> PracticeRequest:
        """A request for this mode from what was asked, keeping only the choices this mode offers.

        `fixed` are the request's other fields (question sets, a set time limit, extra time …), taken as given.
        """
        choose = self.chooses_questions
        return PracticeRequest(
            exam=exam,
            mode=self.code,
            domains=list(domains or []) if choose else [],
            tasks=list(tasks or []) if choose else [],
            count=count if choose else 0,
            timed=timed if self.timing is Timing.CHOICE else self.timing is Timing.ALWAYS,
            feedback=feedback if feedback in self.feedback_options else self.feedback_options[0],
            pilot=pilot and self.mixes_in_pilot,
            **fixed,
        )

    def minutes(self, request: PracticeRequest, *, question_count: int = 0) -> int | None:
        """The minutes a student gets for `request`, extra time included; None when untimed.

        The one rule for the exam clock (through `plan`) and for what lists of assignments say a student will
        get. A set time limit wins; otherwise the mode's own clock (`exam_minutes`), for `question_count`
        questions.
        """
        if not request.timed:
            return None
        base = request.minutes or self.exam_minutes(request.exam, question_count)
        if not base:
            return None
        return base + -(-base * request.extra_time_percent // 100)

    def exam_minutes(self, exam: Exam, question_count: int) -> int | None:
        """The real exam's (or its beta's, until the standard one is published) pace per question, rounded up
        to whole minutes; None when the exam has no published format or there are no questions."""
        mock = exam.mock_format
        if mock is None or not question_count:
            return None
        return max(1, -(-mock.minutes * question_count // mock.questions))


def pick(
    mode: PracticeMode,
    *,
    user: User,
    request: PracticeRequest,
    candidates: list[int],
    wanted: int,
    rng: Random,
) -> Plan:
    """Up to `wanted` of `candidates`, the ones the student has not seen first, timed at the exam's pace."""
    seen = selectors.seen_question_ids(user, request.exam)
    ids = selection.prefer_unseen(candidates, wanted, seen, rng)
    problem = "" if len(ids) >= wanted else f"Only {len(ids)} question(s) match what you chose, not {wanted}."
    return Plan(ids, [], mode.minutes(request, question_count=len(ids)), wanted, problem)
