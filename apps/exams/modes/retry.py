"""Retry mistakes: the questions the student got wrong and has not answered correctly since."""

from datetime import datetime
from random import Random

from django.contrib.auth.models import User

from apps.exams import selectors
from apps.exams.models import Attempt
from apps.exams.modes.base import Plan, PracticeMode, PracticeRequest, pick
from apps.exams.modes.custom import MAX_CUSTOM_QUESTIONS

MAX_RETRY_QUESTIONS = MAX_CUSTOM_QUESTIONS  # one sitting, as long as the longest custom practice
NO_MISTAKES = "You have no mistakes to retry: every question you got wrong has been answered correctly since."


class Retry(PracticeMode):
    code = Attempt.Mode.RETRY
    label = "Retry mistakes"
    help_template = "exams/modes/retry_help.html"
    max_questions = MAX_RETRY_QUESTIONS
    evidence_weight = 0.6

    def plan(self, *, user: User, request: PracticeRequest, rng: Random, now: datetime) -> Plan:
        exam = request.exam
        visible = set(selectors.practice_pool(user, exam).values_list("pk", flat=True))
        candidates = [pk for pk in selectors.mistake_question_ids(user, exam) if pk in visible]
        wanted = request.count or min(len(candidates), MAX_RETRY_QUESTIONS)
        plan = pick(self, user=user, request=request, candidates=candidates, wanted=wanted, rng=rng)
        if not candidates:
            plan.problem = NO_MISTAKES
        return plan


RETRY = Retry()
