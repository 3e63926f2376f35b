"""Spaced review: the questions the student's review schedule says are due, the longest overdue first."""

from datetime import datetime
from random import Random

from django.contrib.auth.models import User

from apps.exams import selectors
from apps.exams.models import Attempt
from apps.exams.modes.base import Plan, PracticeMode, PracticeRequest, Timing

MAX_REVIEW_QUESTIONS = 50  # one sitting; whatever is left stays due for the next
NOTHING_DUE = (
    "Nothing is due for review right now. Questions you answer in any mode come back here when they are "
    "due: wrong answers at once, right ones after a few days, then less and less often."
)


class Review(PracticeMode):
    """Shows each answer at once (that is how the schedule is meant to be used) and is never timed; what to
    ask is decided by the schedule, not by the student's options."""

    code = Attempt.Mode.REVIEW
    label = "Spaced review"
    help_template = "exams/modes/review_help.html"
    timing = Timing.NEVER
    feedback_options = (Attempt.Feedback.IMMEDIATE,)
    shuffles_order = False  # the longest overdue first
    max_questions = MAX_REVIEW_QUESTIONS
    evidence_weight = 0.5

    def plan(self, *, user: User, request: PracticeRequest, rng: Random, now: datetime) -> Plan:
        ids = selectors.due_question_ids(user, request.exam, now=now, limit=MAX_REVIEW_QUESTIONS)
        return Plan(ids, [], None, len(ids), "" if ids else NOTHING_DUE)


REVIEW = Review()
