"""After a load run: every acknowledged save is stored, every attempt was submitted once, scores add up.

The load generator writes what it sent and what the server acknowledged (bench/load.py, the "students" list of
the run log). This module compares that with the database, and recomputes every score from the stored answers
without the grading code's own totals. Any mismatch is a problem; a run with a problem fails.

It needs Django set up: bench/run.py calls it after each run; `python -m bench.run --check RUN_LOG.json` (with
the run's DATABASE_URL) checks a kept database again.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from apps.exams.models import Attempt, ReviewCard, Slot
from apps.exams.scoring import estimate, is_correct, parse_response

MAX_LISTED = 50  # problems listed in a report; the count is always complete


@dataclass
class Report:
    problems: list = field(default_factory=list)
    problem_count: int = 0
    students: int = 0
    attempts: int = 0
    slots: int = 0
    acknowledged_saves: int = 0
    unacknowledged_saves: int = 0
    review_cards: int = 0

    @property
    def ok(self):
        return self.problem_count == 0

    def problem(self, text):
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(text)

    def as_dict(self):
        return {
            "ok": self.ok,
            "problem_count": self.problem_count,
            "problems": self.problems,
            "students": self.students,
            "attempts": self.attempts,
            "slots": self.slots,
            "acknowledged_saves": self.acknowledged_saves,
            "unacknowledged_saves": self.unacknowledged_saves,
            "review_cards": self.review_cards,
        }


def check(log):
    """Compare a run log ({"students": [...]}, see bench/load.py) with the database. Returns a Report."""
    report = Report()
    entries = {entry["username"]: entry for entry in log["students"]}
    users = {user.username: user for user in get_user_model().objects.filter(username__in=entries)}
    report.students = len(entries)
    for name, entry in sorted(entries.items()):
        user = users.get(name)
        if user is None:
            report.problem(f"{name}: no such user")
            continue
        attempts = list(Attempt.objects.filter(user=user).select_related("exam").order_by("pk"))
        expected = [entry["attempt"]] if entry.get("attempt") else []
        if [attempt.pk for attempt in attempts] != expected:
            report.problem(
                f"{name}: attempts in the database {[a.pk for a in attempts]}, the run started {expected}"
            )
        for attempt in attempts:
            report.attempts += 1
            _check_attempt(report, attempt, entry if attempt.pk in expected else {"saves": []})
        _check_review_cards(report, user)
    return report


def _check_attempt(report, attempt, entry):
    label = f"attempt {attempt.pk} ({attempt.user.username})"
    if attempt.status != Attempt.Status.SUBMITTED:
        report.problem(f"{label}: status {attempt.status!r}, not submitted")
    if attempt.submitted_at is None:
        report.problem(f"{label}: no submission time")
    if entry.get("submitted") and attempt.finish_reason != "submitted":
        report.problem(
            f"{label}: the student's submit was acknowledged, finish reason {attempt.finish_reason!r}"
        )
    slots = {slot.position: slot for slot in attempt.slots.all()}
    report.slots += len(slots)
    if len(slots) != attempt.question_count:
        report.problem(f"{label}: {len(slots)} slots for {attempt.question_count} questions")

    sent = defaultdict(list)  # position -> saves sent, acknowledged or not
    for save in entry.get("saves", []):
        sent[save["position"]].append(save)
        if save["acked"]:
            report.acknowledged_saves += 1
        else:
            report.unacknowledged_saves += 1
    for position, slot in sorted(slots.items()):
        where = f"{label} Q{position}"
        if not slot.closed:
            report.problem(f"{where}: still open after submission")
        saves = sent.get(position, [])
        by_seq = {save["seq"]: save for save in saves}
        acked = [save for save in saves if save["acked"]]
        last = max(acked, key=lambda save: save["seq"]) if acked else None
        stored = by_seq.get(slot.seq)
        if last and slot.seq < last["seq"]:
            report.problem(f"{where}: acknowledged save #{last['seq']} lost (stored #{slot.seq})")
            continue
        if slot.seq == 0:
            if slot.response is not None:
                report.problem(f"{where}: an answer nobody sent is stored")
            continue
        if stored is None:
            report.problem(f"{where}: stored save #{slot.seq} was never sent")
            continue
        expected = parse_response(slot.snapshot, stored["form"])
        if slot.response != expected:
            report.problem(f"{where}: save #{slot.seq} stored {slot.response!r}, sent {expected!r}")
        if stored["acked"] and slot.flagged != stored["flagged"]:
            report.problem(f"{where}: flag stored {slot.flagged}, acknowledged {stored['flagged']}")
    _check_scores(report, attempt, label, list(slots.values()))


def _check_scores(report, attempt, label, slots):
    """Recompute every stored score from the stored answers: per slot, per domain, per task, overall."""
    correct_slots = {slot.pk: is_correct(slot.snapshot, slot.response) for slot in slots}
    for slot in slots:
        if slot.is_correct != correct_slots[slot.pk]:
            report.problem(
                f"{label} Q{slot.position}: stored is_correct {slot.is_correct}, recomputed {correct_slots[slot.pk]}"
            )
    scored = [slot for slot in slots if slot.scored]
    correct = sum(correct_slots[slot.pk] for slot in scored)
    expected = {
        "scored_count": len(scored),
        "correct_count": correct,
        "percent": round(100 * correct / len(scored), 1) if scored else None,
    }
    passing = attempt.exam.passing_score
    if passing and scored:
        est = estimate(
            correct, len(scored), passing=passing, low=attempt.exam.score_min, high=attempt.exam.score_max
        )
        expected.update(
            scaled_score=est.scaled, scaled_low=est.low, scaled_high=est.high, pass_estimate=est.verdict
        )
    for name, value in expected.items():
        if getattr(attempt, name) != value:
            report.problem(f"{label}: stored {name} {getattr(attempt, name)!r}, recomputed {value!r}")
    for results_field, snapshot_key in (("domain_results", "domain"), ("task_results", "task")):
        totals, rights = Counter(), Counter()
        for slot in scored:
            key = str(slot.snapshot[snapshot_key])
            totals[key] += 1
            rights[key] += correct_slots[slot.pk]
        recomputed = {key: (totals[key], rights[key]) for key in totals}
        stored = {str(row["key"]): (row["total"], row["correct"]) for row in getattr(attempt, results_field)}
        if stored != recomputed:
            report.problem(f"{label}: stored {results_field} {stored}, recomputed {recomputed}")
        for row in getattr(attempt, results_field):
            if row["percent"] != round(100 * row["correct"] / row["total"]):
                report.problem(
                    f"{label}: {results_field} {row['key']} percent {row['percent']} does not add up"
                )


def _check_review_cards(report, user):
    """Submitting feeds each answered question to the review schedule once: a card's reps must equal the
    number of submitted (unchecked) answers to its question. One more means an attempt was graded twice."""
    answers = Counter(
        Slot.objects.filter(
            attempt__user=user,
            attempt__status=Attempt.Status.SUBMITTED,
            response__isnull=False,
            checked=False,
        ).values_list("question_id", flat=True)
    )
    cards = dict(ReviewCard.objects.filter(user=user).values_list("question_id", "reps"))
    report.review_cards += len(cards)
    for question_id in sorted(set(answers) | set(cards)):
        if cards.get(question_id, 0) != answers.get(question_id, 0):
            report.problem(
                f"{user.username}: question {question_id} fed to the review schedule "
                f"{cards.get(question_id, 0)} times for {answers.get(question_id, 0)} submitted answers"
            )
