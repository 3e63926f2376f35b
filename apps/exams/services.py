"""Practice attempts: plan, start, save answers, check, flag, submit and expire — safe to call twice."""

import enum
import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple, TypedDict

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from apps.content.models import Exam
from apps.exams import inserts, modes, review_schedule, scoring, selection
from apps.exams.models import Attempt, Slot
from apps.exams.modes.base import Plan, PracticeRequest
from apps.exams.modes.review import MAX_REVIEW_QUESTIONS as MAX_REVIEW_QUESTIONS  # re-exported for callers
from apps.exams.snapshots import arranged, layout_for
from apps.questions.kinds.base import Response, Snapshot, UnknownKind
from apps.questions.models import Question

logger = logging.getLogger(__name__)


def plan_attempt(*, user: User, request: PracticeRequest, seed: str, now: datetime | None = None) -> Plan:
    """Choose the questions (without saving anything) and say plainly when there are fewer than asked: the
    request's mode decides how. `now` (what is due for a review) defaults to the current time."""
    rng = selection.rng_for(seed, "plan")
    return modes.get(request.mode).plan(user=user, request=request, rng=rng, now=now or timezone.now())


def allowed_minutes(request: PracticeRequest, *, question_count: int = 0) -> int | None:
    """The minutes a student gets for `request`, extra time included; None when untimed (the mode's rule)."""
    return modes.get(request.mode).minutes(request, question_count=question_count)


class _Asked(NamedTuple):
    """What a slot takes from its question: only these columns are read (no instances, no other JSON)."""

    pk: int
    version_id: int | None
    content: Snapshot  # the version's (read whenever version_id is set)
    kind: str
    task_statement_id: int | None
    domain_number: int  # the task statement's domain's (read whenever task_statement_id is set)


def _questions(ids: Iterable[int]) -> dict[int, _Asked]:
    rows = (
        Question.objects.filter(pk__in=ids)
        .order_by()
        .values_list(
            "pk",
            "current_version_id",
            "current_version__content",
            "current_version__kind",
            "task_statement_id",
            "task_statement__domain__number",
        )
    )
    return {row[0]: _Asked(*row) for row in rows}


@dataclass
class PreparedAttempt:
    """An attempt's slots built from the questions (every read done), ready to be written in one short
    transaction — on SQLite the write lock is then held for the two INSERTs only."""

    request: PracticeRequest
    plan: Plan
    seed: str
    slots: list[dict[str, Any]]  # each slot's row {attname: value} (the other columns take their defaults)
    insert: inserts.CompiledInsert  # the slots', compiled (the attempt's id filled in when sent)


def prepare_attempt(*, request: PracticeRequest, plan: Plan, seed: str | None = None) -> PreparedAttempt:
    """Read the questions and build the slots, each asking the question's current version with its parts in
    an order of its own (nothing written; one query)."""
    if not plan.question_ids and not plan.unscored_ids:
        raise ValueError("an attempt needs at least one question")
    seed = seed or secrets.token_hex(8)
    order = list(plan.question_ids) + list(plan.unscored_ids)
    if modes.get(request.mode).shuffles_order:  # a review keeps its order: the longest overdue first
        selection.rng_for(seed, "order").shuffle(order)
    unscored = set(plan.unscored_ids)
    questions = _questions(order)
    order = [pk for pk in order if pk in questions]  # a question deleted since the planning is left out
    if not order:
        raise ValueError("every planned question has been deleted")
    slots: list[dict[str, Any]] = []
    for position, pk in enumerate(order, 1):
        asked = questions[pk]
        # The bank's check and the selection keep such questions out.
        if asked.version_id is None or asked.task_statement_id is None:
            raise ValueError(f"question {pk} has no version or no task statement")
        slots.append(
            {
                "position": position,
                "question_id": pk,
                "version_id": asked.version_id,
                "layout": layout_for(asked.content, selection.rng_for(seed, pk)),
                "task_statement_id": asked.task_statement_id,
                "domain_number": asked.domain_number,
                "kind": asked.kind,
                "scored": pk not in unscored,
            }
        )
    return PreparedAttempt(
        request=request,
        plan=plan,
        seed=seed,
        slots=slots,
        insert=inserts.compile_insert(Slot, slots, later="attempt"),
    )


@transaction.atomic
def write_attempt(*, user: User, prepared: PreparedAttempt, now: datetime) -> Attempt:
    """Create the attempt and its prepared slots (two INSERTs, the slots' compiled beforehand; on SQLite, whose
    limit on parameters splits them, one per batch)."""
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
    prepared.insert.execute(attempt.pk)
    return attempt


def start_attempt(
    *, user: User, request: PracticeRequest, plan: Plan, now: datetime, seed: str | None = None
) -> Attempt:
    """Create the attempt and its slots, each asking its question's current version."""
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

    response: Response | None
    seq: int
    confidence: str
    flagged: bool | None
    deliberate: bool


def grace() -> timedelta:
    return timedelta(seconds=settings.EXAM_SAVE_GRACE_SECONDS)


def is_past_deadline(attempt: Attempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + grace()


def save_response(
    *,
    attempt: Attempt,
    slot: Slot,
    response: Response | None,
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
    was saved or unchanged. `deliberate` is False when the answer only rode along with a flag, Next or Review;
    the question's kind decides what it then means (scoring.normalize_response).
    """
    if not deliberate:
        response = scoring.normalize_response(
            slot.snapshot, response, previous=slot.response, deliberate=False
        )
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


def check_answer(*, attempt: Attempt, slot: Slot, now: datetime) -> bool:
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
@dataclass(slots=True)
class GradedSlot:
    """What grading reads of a slot, as plain data: its question as the student saw it, the answer, the save
    number and checked mark (which tell a save or check that landed meanwhile), and the grade given."""

    snapshot: Snapshot
    pk: int
    response: Response | None
    seq: int
    checked: bool
    scored: bool
    question_id: int | None
    confidence: str
    is_correct: bool = False


# What grading reads of a slot: the version's content and the arrangement (the snapshot), then GradedSlot's fields.
GRADED_VALUES = (
    "version__content",
    "layout",
    "pk",
    "response",
    "seq",
    "checked",
    "scored",
    "question_id",
    "confidence",
)


def _graded_slots(attempt: Attempt) -> list[GradedSlot]:
    """The attempt's slots graded in memory, from one query of plain values: building a mock's 65 slots and
    65 versions as model instances only to read a few fields cost more than the grading."""
    slots = [
        GradedSlot(arranged(content, layout), *fields)
        for content, layout, *fields in Slot.objects.filter(attempt_id=attempt.pk).values_list(*GRADED_VALUES)
    ]
    for slot in slots:
        slot.is_correct = scoring.is_correct(slot.snapshot, slot.response)
    return slots


def submit_attempt(
    *, attempt: Attempt, now: datetime, reason: str = Attempt.Finish.SUBMITTED
) -> tuple[Attempt, bool]:
    """Grade and close an open attempt exactly once. Returns (attempt, True) when this call submitted it.

    A submit that arrives after the deadline and its grace is recorded as "time ran out", which is what
    happened: the answers counted are those saved in time, and the time used is the whole limit.
    `attempt` is brought up to date: with the values written when this call submitted it (no query), else
    read again (another request closed it).
    """
    if is_past_deadline(attempt, now):
        reason = Attempt.Finish.TIME_UP
    end = min(now, attempt.deadline) if attempt.deadline else now
    written = _grade_and_close(attempt, end=end, reason=reason) if attempt.is_open else None
    if written is None:
        attempt.refresh_from_db()
        return attempt, False
    for name, value in written.items():
        setattr(attempt, name, value)
    return attempt, True


def _grade_and_close(attempt: Attempt, *, end: datetime, reason: str) -> dict[str, Any] | None:
    """Grade the stored answers in memory, then, in one short transaction: the attempt's conditional change of
    state (which makes this happen once, on SQLite and PostgreSQL), every slot closed and graded in one UPDATE,
    the totals and the review schedule's cards. A save or a check that landed between the reading and the
    closing moved the slot's save number (or its checked mark): those slots only are read and graded again.
    The review schedule's cards are worked out before the transaction too, and written in one upsert inside
    it (worked out again only if they or the answers changed meanwhile).

    Returns the attempt's fields as written, or None when another request had closed it."""
    exam, user = attempt.exam, attempt.user
    slots = _graded_slots(attempt)
    results = _results(exam, slots)
    cards = review_schedule.plan_answers(user=user, answers=_reviewable(slots), now=end)
    written = {"status": Attempt.Status.SUBMITTED, "submitted_at": end, "finish_reason": reason, **results}
    with transaction.atomic():
        changed = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.OPEN).update(**written)
        if not changed:
            return None
        # Closing every slot in this transaction makes a concurrent save fail its own row check.
        Slot.objects.filter(attempt_id=attempt.pk).update(closed=True, is_correct=_grades(slots))
        moved = _moved_since_read(attempt, slots)
        if moved:
            Slot.objects.filter(pk__in=[slot.pk for slot in moved]).update(is_correct=_grades(moved))
            results = _results(exam, slots)
            Attempt.objects.filter(pk=attempt.pk).update(**results)
            written.update(results)
        review_schedule.record_planned(cards, _reviewable(slots))
    return written


def _reviewable(slots: Sequence[GradedSlot]) -> list[review_schedule.Answer]:
    """Every answer feeds the review schedule, in any mode. Checked answers already did (at the check);
    blanks say nothing about what the student remembers."""
    return [
        (slot.question_id, slot.is_correct, slot.confidence)
        for slot in slots
        if slot.response and not slot.checked
    ]


def _grades(slots: Sequence[GradedSlot]) -> Case | bool:
    """The value of `is_correct` for `slots` in one UPDATE."""
    right = [slot.pk for slot in slots if slot.is_correct]
    if len(right) in (0, len(slots)):
        return bool(right)
    return Case(When(pk__in=right, then=Value(True)), default=Value(False))


def _moved_since_read(attempt: Attempt, slots: list[GradedSlot]) -> list[GradedSlot]:
    """The slots saved or checked since `slots` were read, brought up to date and graded again."""
    read = {slot.pk: (slot.seq, slot.checked) for slot in slots}
    stored = Slot.objects.filter(attempt_id=attempt.pk).values_list("pk", "seq", "checked")
    moved = {pk for pk, seq, checked in stored if read.get(pk) != (seq, checked)}
    if not moved:
        return []
    fresh = {
        pk: (response, confidence, seq, checked)
        for pk, response, confidence, seq, checked in Slot.objects.filter(pk__in=moved).values_list(
            "pk", "response", "confidence", "seq", "checked"
        )
    }
    changed = [slot for slot in slots if slot.pk in moved]
    for slot in changed:
        slot.response, slot.confidence, slot.seq, slot.checked = fresh[slot.pk]
        slot.is_correct = scoring.is_correct(slot.snapshot, slot.response)
    return changed


def _results(exam: Exam, slots: Sequence[GradedSlot]) -> dict[str, Any]:
    scored = [slot for slot in slots if slot.scored]
    correct = sum(1 for slot in scored if slot.is_correct)
    passing = exam.passing_score
    domains: dict[int, dict[str, Any]] = {}
    tasks: dict[str, dict[str, Any]] = {}
    for slot in scored:
        snap = slot.snapshot
        _tally(domains, snap["domain"], snap["domain_title"], correct=bool(slot.is_correct))
        _tally(tasks, snap["task"], snap["task_title"], correct=bool(slot.is_correct))
    for table in (domains, tasks):
        for row in table.values():
            row["percent"] = round(100 * row["correct"] / row["total"])
            if passing:
                row["competency"] = scoring.competency(
                    row["correct"], row["total"], passing=passing, high=exam.score_max
                )
    results: dict[str, Any] = {
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


def _tally(table: dict[Any, dict[str, Any]], key: int | str, title: str, *, correct: bool) -> None:
    row = table.setdefault(key, {"key": key, "title": title, "total": 0, "correct": 0})
    row["total"] += 1
    row["correct"] += 1 if correct else 0


def finalize_if_expired(*, attempt: Attempt, now: datetime) -> bool:
    """An attempt whose time ran out while nobody was watching is submitted with its saved answers."""
    if attempt.is_open and is_past_deadline(attempt, now):
        submit_attempt(attempt=attempt, now=now, reason=Attempt.Finish.TIME_UP)
        return True
    return False


def finalize_expired(*, attempts: Iterable[Attempt], now: datetime) -> int:
    """`finalize_if_expired` for each of `attempts`; returns how many it closed. An attempt that asked a
    question kind no longer registered cannot be graded: it stays open and is logged as the error it is, and
    the others are closed all the same (one broken attempt must not stop a page or the cron job)."""
    closed = 0
    for attempt in attempts:
        try:
            closed += finalize_if_expired(attempt=attempt, now=now)
        except UnknownKind:
            logger.exception("attempt %s cannot be graded", attempt.pk)
    return closed


def close_expired_attempts(*, now: datetime) -> int:
    """Submit every open attempt past its deadline (and grace); for cron. Returns how many were closed."""
    expired = Attempt.objects.open().filter(deadline__lt=now - grace()).select_related("exam", "user")
    return finalize_expired(attempts=expired, now=now)
