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
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from fsrs import Card, Rating, Scheduler, State

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


def record_answers(
    *, user: User, answers: Iterable[tuple[int | None, bool | None, str]], now: datetime
) -> list[ReviewCard]:
    """Update (or start) the user's review card for each graded answer: (question id, correct, confidence).

    One read of the existing cards and one upsert, whatever the number of answers. The read locks the
    cards (on PostgreSQL) so that two submissions at once apply their answers one after the other; the
    upsert covers a card that another request created meanwhile.
    """
    graded = [
        (question_id, bool(correct), confidence)
        for question_id, correct, confidence in answers
        if question_id
    ]
    if not graded:
        return []
    # No savepoint of its own: inside a caller's transaction (submitting, checking) it is part of it.
    with transaction.atomic(savepoint=False):
        stored = {
            row.question_id: row
            for row in ReviewCard.objects.select_for_update()
            .filter(user=user, question_id__in={question_id for question_id, _, _ in graded})
            .order_by("question_id")
        }
        rows: dict[int, ReviewCard] = {}
        for question_id, correct, confidence in graded:
            row = rows.get(question_id) or stored.get(question_id)
            rating = rating_for(correct, confidence)
            card, lapse = review(Card.from_dict(row.card) if row else new_card(question_id, now), rating, now)
            rows[question_id] = ReviewCard(
                user=user,
                question_id=question_id,
                card=card.to_dict(),
                due=card.due,
                reps=(row.reps if row else 0) + 1,
                lapses=(row.lapses if row else 0) + lapse,
                last_rating=rating.value,
                updated_at=now,
            )
        ReviewCard.objects.bulk_create(
            rows.values(),
            update_conflicts=True,
            unique_fields=["user", "question"],
            update_fields=["card", "due", "reps", "lapses", "last_rating", "updated_at"],
        )
    return list(rows.values())
