"""Custom practice: the domains and task statements the student chooses, as many questions as asked."""

from datetime import datetime
from random import Random

from django.contrib.auth.models import User

from apps.exams import selectors
from apps.exams.models import Attempt
from apps.exams.modes.base import Plan, PracticeMode, PracticeRequest, pick

MAX_CUSTOM_QUESTIONS = 130


class Custom(PracticeMode):
    code = Attempt.Mode.CUSTOM
    label = "Custom practice"
    help_template = "exams/modes/custom_help.html"
    chooses_questions = True
    assignable = True
    representative = True
    max_questions = MAX_CUSTOM_QUESTIONS
    evidence_weight = 0.8

    def plan(self, *, user: User, request: PracticeRequest, rng: Random, now: datetime) -> Plan:
        pool = selectors.practice_pool(
            user, request.exam, domains=request.domains, tasks=request.tasks, sets=request.question_sets
        )
        candidates = list(pool.values_list("pk", flat=True))
        wanted = request.count or min(len(candidates), MAX_CUSTOM_QUESTIONS)
        return pick(self, user=user, request=request, candidates=candidates, wanted=wanted, rng=rng)


CUSTOM = Custom()
