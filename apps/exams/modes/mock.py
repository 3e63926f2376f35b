"""The full mock exam: the exam's question count drawn by the domain weights, on the exam's clock."""

from datetime import datetime
from random import Random

from django.contrib.auth.models import User

from apps.content.models import Exam
from apps.exams import selection, selectors
from apps.exams.models import Attempt
from apps.exams.modes.base import Plan, PracticeMode, PracticeRequest, Timing

DEFAULT_MOCK_QUESTIONS = 65  # a mock asked without a time limit of its own (an assignment's) and no format


class Mock(PracticeMode):
    code = Attempt.Mode.MOCK
    label = "Full mock exam"
    help_template = "exams/modes/mock_help.html"
    timing = Timing.ALWAYS
    clock_from_exam = True
    feedback_options = (Attempt.Feedback.END,)
    mixes_in_pilot = True
    asks_confidence = False  # like the real exam
    shows_domain = False  # like the real exam
    exam_conditions = True
    assignable = True
    representative = True
    evidence_weight = 1.0

    def plan(self, *, user: User, request: PracticeRequest, rng: Random, now: datetime) -> Plan:
        exam = request.exam
        rows = selectors.pool_with_seen(user, exam, sets=request.question_sets)
        seen = {pk for pk, _, was_seen in rows if was_seen}  # of the pool: only those are drawn
        pools: dict[int, list[int]] = {}
        for pk, domain, _ in rows:
            pools.setdefault(domain, []).append(pk)
        weights = dict(exam.domains.order_by("number").values_list("number", "weight"))
        mock = exam.mock_format
        total = mock.questions if mock else DEFAULT_MOCK_QUESTIONS
        scored = mock.scored if request.pilot and mock else total
        ids, short = selection.draw_by_weight(pools, weights, scored, seen, rng)
        unscored: list[int] = []
        if request.pilot and total > scored:
            drawn = set(ids)
            rest = [pk for pk, _, _ in rows if pk not in drawn]
            unscored = selection.prefer_unseen(rest, total - scored, seen, rng)
        problem = ""
        if short:
            parts = ", ".join(f"domain {d}: {n} missing" for d, n in sorted(short.items()))
            problem = f"There are not enough questions to follow the blueprint ({parts})."
        if len(unscored) < total - scored and request.pilot:
            problem += f" Only {len(unscored)} of {total - scored} unscored questions are available."
        return Plan(ids, unscored, self.minutes(request), total, problem.strip())

    def exam_minutes(self, exam: Exam, question_count: int) -> int | None:
        """A mock runs on the exam's own clock, whatever the number of questions."""
        mock = exam.mock_format
        return mock.minutes if mock else None


MOCK = Mock()
