"""Spaced repetition: turning graded answers into FSRS ratings and keeping each user's review cards.

The scheduling itself is the maintained `fsrs` package; this module only decides what an answer tells it
and stores the cards. How an answer is rated:

| Answer                               | Rating | Why                                                  |
|--------------------------------------|--------|------------------------------------------------------|
| wrong (or partly right)              | Again  | graded all or nothing, like the exam                 |
| right, marked "guessed"              | Again  | a lucky guess is not knowledge                       |
| right, marked "unsure"               | Hard   | known, but shakily: the interval grows more slowly   |
| right, marked "sure" or not marked   | Good   | a mock has no marks, and a right answer is evidence  |

Easy is never given: one right answer to a multiple-choice question does not show effortless recall.
Unanswered questions are not reviewed (a blank says nothing about memory; it still scores as wrong).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.contrib.auth.models import User
from django.db import transaction
from fsrs import Card, Rating, Scheduler, State
from fsrs.card import CardDict

from apps.exams.inserts import CompiledInsert, compile_insert
from apps.exams.models import ReviewCard, Slot

# One learning (and relearning) step of zero length: a question answered wrong is due again at once, so
# the next spaced review can ask it, and one answered right leaves the learning phase with an interval in
# days. The library's default steps (1 and 10 minutes) suit flashcards drilled in one sitting; with them a
# question answered right in a mock would come back ten minutes later.
SCHEDULER = Scheduler(learning_steps=(timedelta(0),), relearning_steps=(timedelta(0),))


def rating_for(correct, confidence=""):
    """The FSRS rating for a graded answer and the student's confidence mark (see the module's table)."""
    if not correct or confidence == Slot.Confidence.GUESSED:
        return Rating.Again
    if confidence == Slot.Confidence.UNSURE:
        return Rating.Hard
    return Rating.Good


def review(card, rating, now):
    """The card after one answer, and whether that answer was a lapse (a learnt question forgotten)."""
    after, _log = SCHEDULER.review_card(card, rating, now.astimezone(UTC))  # fsrs wants UTC itself
    return after, card.state == State.Review and rating == Rating.Again


def new_card(question_id, now):
    # An explicit id: without one, fsrs numbers cards by the clock and sleeps a millisecond for each.
    return Card(card_id=question_id, due=now.astimezone(UTC))


Answer = tuple[int | None, bool | None, str]  # (question id, correct, confidence), as a slot holds them
Graded = list[tuple[int, bool, str]]


UNIQUE_FIELDS = ["user", "question"]
UPDATE_FIELDS = ["card", "due", "reps", "lapses", "last_rating", "updated_at"]


def record_answers(*, user: User, answers: Iterable[Answer], now: datetime) -> list[ReviewCard]:
    """Update (or start) the user's review card for each graded answer: (question id, correct, confidence).

    One read of the existing cards and one upsert, whatever the number of answers. The read locks the
    cards (on PostgreSQL) so that two submissions at once apply their answers one after the other; the
    upsert covers a card that another request created meanwhile.
    """
    graded = _graded(answers)
    if not graded:
        return []
    # No savepoint of its own: inside a caller's transaction (submitting, checking) it is part of it.
    with transaction.atomic(savepoint=False):
        rows = _reviewed(user, graded, _stored(user, graded, lock=True), now)
        _upsert(rows)
    return rows


@dataclass
class PlannedCards:
    """The cards after some answers, worked out before a transaction from the cards as they were read."""

    user: User
    answers: Graded
    now: datetime
    reps: dict[int, int]  # question id -> reps of each card read: a card reviewed since has more
    rows: list[ReviewCard]
    upsert: CompiledInsert  # the rows' upsert, compiled


def plan_answers(*, user: User, answers: Iterable[Answer], now: datetime) -> PlannedCards:
    """`record_answers` in two steps, for a caller that holds a write lock: read the cards and review them
    now (no lock, nothing written), then `record_planned` inside the transaction."""
    graded = _graded(answers)
    stored = _stored(user, graded, lock=False) if graded else {}
    reps = {question_id: row.reps for question_id, row in stored.items()}
    rows = _reviewed(user, graded, stored, now)
    upsert = compile_insert(ReviewCard, rows, unique_fields=UNIQUE_FIELDS, update_fields=UPDATE_FIELDS)
    return PlannedCards(user, graded, now, reps, rows, upsert)


def record_planned(planned: PlannedCards, answers: Iterable[Answer]) -> list[ReviewCard]:
    """Inside the caller's transaction: lock the cards and, when they and the `answers` are still those
    planned, write the planned cards in one upsert; otherwise (another submission reviewed one meanwhile, or
    an answer changed) review them again, as `record_answers` does."""
    graded = _graded(answers)
    if graded != planned.answers:
        return record_answers(user=planned.user, answers=graded, now=planned.now)
    if not graded:
        return []
    with transaction.atomic(savepoint=False):
        reps = dict(
            ReviewCard.objects.select_for_update()
            .filter(user=planned.user, question_id__in={question_id for question_id, _, _ in graded})
            .order_by("question_id")
            .values_list("question_id", "reps")
        )
        if reps != planned.reps:
            return record_answers(user=planned.user, answers=graded, now=planned.now)
        planned.upsert.execute()
    return planned.rows


def _graded(answers: Iterable[Answer]) -> Graded:
    return [
        (question_id, bool(correct), confidence)
        for question_id, correct, confidence in answers
        if question_id
    ]


class Stored(NamedTuple):
    """What reviewing an answer reads of a stored card (plain values: no model instance is needed)."""

    card: CardDict  # as Card.to_dict() gives it, and the JSON column holds it
    reps: int
    lapses: int


def _stored(user: User, graded: Graded, *, lock: bool) -> dict[int, Stored]:
    cards = ReviewCard.objects.filter(
        user=user, question_id__in={question_id for question_id, _, _ in graded}
    )
    if lock:
        cards = cards.select_for_update()
    rows = cards.order_by("question_id").values_list("question_id", "card", "reps", "lapses")
    return {question_id: Stored(card, reps, lapses) for question_id, card, reps, lapses in rows}


def _reviewed(user: User, graded: Graded, stored: dict[int, Stored], now: datetime) -> list[ReviewCard]:
    reviewed: dict[int, tuple[Stored, int, datetime]] = {}  # question id -> (card after, rating, due)
    for question_id, correct, confidence in graded:
        before = reviewed[question_id][0] if question_id in reviewed else stored.get(question_id)
        rating = rating_for(correct, confidence)
        card, lapse = review(
            Card.from_dict(before.card) if before else new_card(question_id, now), rating, now
        )
        reps, lapses = (before.reps, before.lapses) if before else (0, 0)
        reviewed[question_id] = (Stored(card.to_dict(), reps + 1, lapses + lapse), rating.value, card.due)
    # The user's id, not the user: assigning a related object to each of 65 instances costs more than the rest.
    return [
        ReviewCard(
            user_id=user.pk,
            question_id=question_id,
            card=after.card,
            due=due,
            reps=after.reps,
            lapses=after.lapses,
            last_rating=rating,
            updated_at=now,
        )
        for question_id, (after, rating, due) in reviewed.items()
    ]


def _upsert(rows: list[ReviewCard]) -> None:
    ReviewCard.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=UNIQUE_FIELDS,
        update_fields=UPDATE_FIELDS,
    )
