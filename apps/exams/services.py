"""Practice attempts: plan, start, save answers, check, flag, submit and expire — safe to call twice."""

import enum
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from apps.content.models import Domain
from apps.exams import review_schedule, scoring, selection, selectors
from apps.exams.models import Attempt, Slot
from apps.exams.snapshots import snapshot_question
from apps.questions.models import Question

MAX_CUSTOM_QUESTIONS = 130
DEFAULT_MOCK_QUESTIONS = 65  # a mock asked without a time limit of its own (an assignment's) and no format
MAX_REVIEW_QUESTIONS = 50  # one sitting; whatever is left stays due for the next
NOTHING_DUE = (
    "Nothing is due for review right now. Questions you answer in any mode come back here when they are "
    "due: wrong answers at once, right ones after a few days, then less and less often."
)


@dataclass
class PracticeRequest:
    """What a student asked for on the New practice page (already validated by the form)."""

    exam: object
    mode: str
    domains: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    count: int = 0
    timed: bool = True
    feedback: str = Attempt.Feedback.END
    pilot: bool = False
    extra_time_percent: int = 0
    question_sets: list = field(default_factory=list)  # only these sets (a class assignment); empty: all
    minutes: int | None = None  # a set time limit (a class assignment) instead of the exam's pace
    assignment: bool = False  # set by a class assignment: a timed one runs under exam conditions


@dataclass
class Plan:
    question_ids: list
    unscored_ids: list
    minutes: int | None
    wanted: int
    problem: str = ""  # why fewer questions than asked (shown before starting)

    @property
    def short(self):
        return len(self.question_ids) + len(self.unscored_ids) < self.wanted


def plan_attempt(*, user, request, seed, now=None):
    """Choose the questions (without saving anything) and say plainly when there are fewer than asked.

    `now` matters only to a spaced review (what is due); it defaults to the current time.
    """
    exam, rng = request.exam, selection.rng_for(seed, "plan")
    if request.mode == Attempt.Mode.REVIEW:
        ids = selectors.due_question_ids(user, exam, now=now or timezone.now(), limit=MAX_REVIEW_QUESTIONS)
        return Plan(ids, [], None, len(ids), "" if ids else NOTHING_DUE)
    seen = selectors.seen_question_ids(user, exam)
    if request.mode == Attempt.Mode.MOCK:
        pool = selectors.practice_pool(user, exam, sets=request.question_sets)
        weights = {d.number: d.weight for d in Domain.objects.filter(exam=exam)}
        mock = exam.mock_format
        total = mock.questions if mock else DEFAULT_MOCK_QUESTIONS
        scored = mock.scored if request.pilot and mock else total
        ids, short = selection.draw_by_weight(selectors.pool_by_domain(pool), weights, scored, seen, rng)
        unscored = []
        if request.pilot and total > scored:
            rest = [pk for pk in pool.values_list("pk", flat=True) if pk not in set(ids)]
            unscored = selection.prefer_unseen(rest, total - scored, seen, rng)
        minutes = allowed_minutes(request)
        problem = ""
        if short:
            parts = ", ".join(f"domain {d}: {n} missing" for d, n in sorted(short.items()))
            problem = f"There are not enough questions to follow the blueprint ({parts})."
        if len(unscored) < total - scored and request.pilot:
            problem += f" Only {len(unscored)} of {total - scored} unscored questions are available."
        return Plan(ids, unscored, minutes, total, problem.strip())
    if request.mode == Attempt.Mode.RETRY:
        visible = set(selectors.practice_pool(user, exam).values_list("pk", flat=True))
        candidates = [pk for pk in selectors.mistake_question_ids(user, exam) if pk in visible]
    else:
        pool = selectors.practice_pool(
            user, exam, domains=request.domains, tasks=request.tasks, sets=request.question_sets
        )
        candidates = list(pool.values_list("pk", flat=True))
    wanted = request.count or min(len(candidates), MAX_CUSTOM_QUESTIONS)
    ids = selection.prefer_unseen(candidates, wanted, seen, rng)
    problem = "" if len(ids) >= wanted else f"Only {len(ids)} question(s) match what you chose, not {wanted}."
    if request.mode == Attempt.Mode.RETRY and not candidates:
        problem = (
            "You have no mistakes to retry: every question you got wrong has been answered correctly since."
        )
    return Plan(ids, [], allowed_minutes(request, question_count=len(ids)), wanted, problem)


def allowed_minutes(request: PracticeRequest, *, question_count: int = 0) -> int | None:
    """The minutes a student gets for `request`, extra time included; None when untimed.

    The one rule for the exam clock (through plan_attempt) and for what lists of assignments say a student
    will get. A set time limit wins; a full mock runs on the exam's clock; anything else at the real exam's
    (or its beta's) pace per question (`question_count` of them), rounded up to whole minutes.
    """
    if not request.timed:
        return None
    mock = request.exam.mock_format
    if request.minutes:
        base = request.minutes
    elif request.mode == Attempt.Mode.MOCK:
        base = mock.minutes if mock else None
    elif mock and question_count:
        # The real exam's pace per question (the beta's until the standard one is published), rounded up.
        base = max(1, -(-mock.minutes * question_count // mock.questions))
    else:
        return None
    if not base:
        return None
    return base + -(-base * request.extra_time_percent // 100)


def _questions(ids):
    return (
        Question.objects.filter(pk__in=ids)
        .select_related("task_statement__domain", "scenario")
        .prefetch_related("choices", "ordering_items", Prefetch("pairs"))
    )


@dataclass
class PreparedAttempt:
    """An attempt's slots built from the questions (every read done), ready to be written in one short
    transaction — on SQLite the write lock is then held for the two INSERTs only."""

    request: PracticeRequest
    plan: Plan
    seed: str
    slots: list


def prepare_attempt(*, request, plan, seed=None):
    """Read the questions and build the slots, each with a frozen snapshot of its question (nothing written)."""
    if not plan.question_ids and not plan.unscored_ids:
        raise ValueError("an attempt needs at least one question")
    seed = seed or secrets.token_hex(8)
    order = list(plan.question_ids) + list(plan.unscored_ids)
    if request.mode != Attempt.Mode.REVIEW:  # a review keeps its order: the longest overdue first
        selection.rng_for(seed, "order").shuffle(order)
    unscored = set(plan.unscored_ids)
    questions = {q.pk: q for q in _questions(order)}
    slots = [
        Slot(
            position=position,
            question=questions[pk],
            question_revision=questions[pk].revision,
            task_statement=questions[pk].task_statement,
            domain_number=questions[pk].task_statement.domain.number,
            kind=questions[pk].kind,
            scored=pk not in unscored,
            snapshot=snapshot_question(questions[pk], seed=seed),
        )
        for position, pk in enumerate(order, 1)
    ]
    return PreparedAttempt(request=request, plan=plan, seed=seed, slots=slots)


@transaction.atomic
def write_attempt(*, user, prepared, now):
    """Create the attempt and its prepared slots (two INSERTs)."""
    request, plan = prepared.request, prepared.plan
    attempt = Attempt.objects.create(
        user=user,
        exam=request.exam,
        mode=request.mode,
        feedback=request.feedback,
        started_at=now,
        deadline=now + timedelta(minutes=plan.minutes) if plan.minutes else None,
        question_count=len(prepared.slots),
        config={
            "domains": request.domains,
            "tasks": request.tasks,
            "count": request.count,
            "timed": request.timed,
            "pilot": request.pilot,
            "sets": request.question_sets,
            "minutes": plan.minutes,
            "seed": prepared.seed,
            "assignment": request.assignment,
        },
    )
    for slot in prepared.slots:
        slot.attempt = attempt
    Slot.objects.bulk_create(prepared.slots)
    return attempt


def start_attempt(*, user, request, plan, now, seed=None):
    """Create the attempt and its slots, each with a frozen snapshot of its question."""
    prepared = prepare_attempt(request=request, plan=plan, seed=seed)
    return write_attempt(user=user, prepared=prepared, now=now)


# ----------------------------------------------------------------------------------------------- answers
class Outcome(enum.Enum):
    SAVED = "saved"
    UNCHANGED = "unchanged"
    STALE = "stale"  # a newer save is already stored (another tab, an old request arriving late)
    LOCKED = "locked"  # the answer was checked (immediate feedback) and is final
    CLOSED = "closed"  # the attempt was submitted
    TIME_UP = "time_up"  # the deadline (and grace) passed: the attempt was submitted now


class PostedAnswer(TypedDict):
    """An answer as the exam screen posts it, parsed and bounded: the keyword arguments of `save_response`."""

    response: dict[str, object] | None
    seq: int
    confidence: str
    flagged: bool | None
    deliberate: bool


def grace():
    return timedelta(seconds=settings.EXAM_SAVE_GRACE_SECONDS)


def is_past_deadline(attempt, now):
    return attempt.deadline is not None and now > attempt.deadline + grace()


def save_response(
    *,
    attempt: Attempt,
    slot: Slot,
    response: dict[str, object] | None,
    seq: int,
    now: datetime,
    confidence: str = "",
    flagged: bool | None = None,
    deliberate: bool = True,
) -> Outcome:
    """Store an answer, how sure the student is of it and the flag, if it is the newest save for this slot
    and the attempt is still open.

    `seq` numbers the saves of one screen: a lower one, or the same one with a different answer (two tabs),
    is stale and refused. The conditional UPDATE makes this hold under concurrency on SQLite and PostgreSQL.
    `flagged` is None when the form carried no flag; every save sends it, so it is written (in the same
    UPDATE when the answer changes) only when it differs from the stored one, and only with an answer that
    was saved or unchanged. `deliberate` is False when the form only rode along with a flag, Next or Review
    (see `_no_answer_yet`).
    """
    if not deliberate and _no_answer_yet(slot, response):
        response = None
    if not attempt.is_open:
        return Outcome.CLOSED
    if is_past_deadline(attempt, now):
        submit_attempt(attempt=attempt, now=now, reason=Attempt.Finish.TIME_UP)
        return Outcome.TIME_UP
    if slot.checked:
        return Outcome.LOCKED
    new_flag = {} if flagged is None or flagged == slot.flagged else {"flagged": flagged}
    if seq == slot.seq:
        if (response, confidence) != (slot.response, slot.confidence):
            return Outcome.STALE
        if new_flag and Slot.objects.filter(pk=slot.pk, closed=False).update(**new_flag):
            slot.flagged = new_flag["flagged"]
        return Outcome.UNCHANGED
    if seq < slot.seq:
        return Outcome.STALE
    answered_at = now if response else None
    updated = Slot.objects.filter(pk=slot.pk, closed=False, checked=False, seq__lt=seq).update(
        response=response, confidence=confidence, seq=seq, answered_at=answered_at, **new_flag
    )
    if updated:
        slot.response, slot.confidence, slot.seq, slot.answered_at = response, confidence, seq, answered_at
        slot.flagged = new_flag.get("flagged", slot.flagged)
        return Outcome.SAVED
    slot.refresh_from_db(fields=["closed", "checked", "seq", "response", "confidence"])
    if slot.closed:
        return Outcome.CLOSED
    return Outcome.LOCKED if slot.checked else Outcome.STALE


def _no_answer_yet(slot: Slot, response: dict[str, object] | None) -> bool:
    """Whether a response that came along with another action is still no answer.

    The order as first shown rides along with every post (flag, Next, Review); as the page says, it is no
    answer until the student changes it or chooses "Save this order". (Kind-specific: the question kinds
    registry takes this rule over.)
    """
    return (
        slot.kind == "ordering"
        and not slot.response
        and response == {"order": [item["id"] for item in slot.snapshot["items"]]}
    )


def check_answer(*, attempt, slot, now):
    """Immediate-feedback mode: grade this answer now and make it final. Returns True when it was checked.

    The answer feeds the review schedule here, once (the slot is then final, and submitting skips it).
    """
    if not attempt.is_open or attempt.feedback != Attempt.Feedback.IMMEDIATE or not slot.response:
        return False
    if is_past_deadline(attempt, now):
        submit_attempt(attempt=attempt, now=now, reason=Attempt.Finish.TIME_UP)
        return False
    correct = scoring.is_correct(slot.snapshot, slot.response)
    with transaction.atomic():
        updated = Slot.objects.filter(pk=slot.pk, closed=False, checked=False).update(
            checked=True, is_correct=correct
        )
        if updated:
            slot.checked, slot.is_correct = True, correct
            review_schedule.record_answers(
                user=attempt.user, answers=[(slot.question_id, correct, slot.confidence)], now=now
            )
    return bool(updated) or slot.checked


class Check(enum.Enum):
    CHECKED = "checked"
    NOTHING_TO_CHECK = "nothing_to_check"  # no answer saved, feedback at the end, or the attempt is closed
    TIME_UP = "time_up"  # the answer that came along arrived too late: the attempt was submitted now


def save_and_check(
    *, attempt: Attempt, slot: Slot, now: datetime, posted: PostedAnswer | None = None
) -> Check:
    """Immediate-feedback mode: save the answer that came along (without JavaScript nothing has saved it
    yet), then check the saved answer."""
    if posted is not None and save_response(attempt=attempt, slot=slot, now=now, **posted) is Outcome.TIME_UP:
        return Check.TIME_UP
    return Check.CHECKED if check_answer(attempt=attempt, slot=slot, now=now) else Check.NOTHING_TO_CHECK


# ------------------------------------------------------------------------------------------------ submit
def submit_attempt(*, attempt, now, reason=Attempt.Finish.SUBMITTED):
    """Grade and close an open attempt exactly once. Returns (attempt, True) when this call submitted it.

    A submit that arrives after the deadline and its grace is recorded as "time ran out", which is what
    happened: the answers counted are those saved in time, and the time used is the whole limit.
    """
    if is_past_deadline(attempt, now):
        reason = Attempt.Finish.TIME_UP
    end = min(now, attempt.deadline) if attempt.deadline else now
    with transaction.atomic():
        changed = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.OPEN).update(
            status=Attempt.Status.SUBMITTED, submitted_at=end, finish_reason=reason
        )
        if changed:
            # Closing every slot in this transaction makes a concurrent save fail its own row check.
            Slot.objects.filter(attempt_id=attempt.pk).update(closed=True)
            slots = list(
                Slot.objects.filter(attempt_id=attempt.pk).only(
                    "pk",
                    "snapshot",
                    "response",
                    "scored",
                    "domain_number",
                    "kind",
                    "question_id",
                    "confidence",
                    "checked",
                )
            )
            for slot in slots:
                slot.is_correct = scoring.is_correct(slot.snapshot, slot.response)
            Slot.objects.bulk_update(slots, ["is_correct"], batch_size=200)
            Attempt.objects.filter(pk=attempt.pk).update(**_results(attempt.exam, slots))
            # Every answer feeds the review schedule, in any mode. Checked answers already did (at the check);
            # blanks say nothing about what the student remembers.
            review_schedule.record_answers(
                user=attempt.user,
                answers=[
                    (slot.question_id, slot.is_correct, slot.confidence)
                    for slot in slots
                    if slot.response and not slot.checked
                ],
                now=end,
            )
    attempt.refresh_from_db()
    return attempt, bool(changed)


def _results(exam, slots):
    scored = [slot for slot in slots if slot.scored]
    correct = sum(1 for slot in scored if slot.is_correct)
    passing = exam.passing_score
    domains, tasks = {}, {}
    for slot in scored:
        snap = slot.snapshot
        for table, key, title in (
            (domains, snap["domain"], snap["domain_title"]),
            (tasks, snap["task"], snap["task_title"]),
        ):
            row = table.setdefault(key, {"key": key, "title": title, "total": 0, "correct": 0})
            row["total"] += 1
            row["correct"] += 1 if slot.is_correct else 0
    for table in (domains, tasks):
        for row in table.values():
            row["percent"] = round(100 * row["correct"] / row["total"])
            if passing:
                row["competency"] = scoring.competency(
                    row["correct"], row["total"], passing=passing, high=exam.score_max
                )
    results = {
        "scored_count": len(scored),
        "correct_count": correct,
        "percent": round(100 * correct / len(scored), 1) if scored else None,
        "domain_results": [domains[key] for key in sorted(domains)],
        "task_results": [
            tasks[key] for key in sorted(tasks, key=lambda n: [int(p) for p in n.split(".")] if n else [0])
        ],
    }
    if passing and scored:
        est = scoring.estimate(correct, len(scored), passing=passing, low=exam.score_min, high=exam.score_max)
        results.update(
            scaled_score=est.scaled, scaled_low=est.low, scaled_high=est.high, pass_estimate=est.verdict
        )
    return results


def finalize_if_expired(*, attempt, now):
    """An attempt whose time ran out while nobody was watching is submitted with its saved answers."""
    if attempt.is_open and is_past_deadline(attempt, now):
        submit_attempt(attempt=attempt, now=now, reason=Attempt.Finish.TIME_UP)
        return True
    return False


def close_expired_attempts(*, now):
    """Submit every open attempt past its deadline (and grace); for cron. Returns how many were closed."""
    closed = 0
    for attempt in Attempt.objects.open().filter(deadline__lt=now - grace()).select_related("exam", "user"):
        closed += submit_attempt(attempt=attempt, now=now, reason=Attempt.Finish.TIME_UP)[1]
    return closed
