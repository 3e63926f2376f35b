"""Write-lock hold time, measured in one process: how long a start and a submit of a 65-question mock hold the
write transaction (on SQLite the database's one write lock; on PostgreSQL the rows they write).

    python -m bench.locks --db sqlite       # a fresh database, prepared as bench/run.py prepares one
    python -m bench.locks --db postgres     # the same in the PostgreSQL database certprep_bench_locks
    python -m bench.locks --measure         # the database of DATABASE_URL as it is (bench/run.py, after a run)

Start: `services.write_attempt` of a mock planned and prepared beforehand (every read done), which is its
transaction and nothing else. Submit: the outermost `transaction.atomic` block of `services.submit_attempt` on
a mock answered in full, timed from entering it to leaving it (the commit included) by standing in for the
module's `transaction` while the bench runs; the whole call is reported too. Each is repeated (`--repeat`),
after a few unrecorded warm-up rounds, one bench student per round. Prints JSON: p50, p95 and max in ms, of
the wall-clock time and (`*_cpu`) of this process's CPU time in the same spans — the steadier of the two on a
busy machine (the database's own work in PostgreSQL's server process is not in it).
"""

import argparse
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import load, run

DATABASE_NAME = "certprep_bench_locks"  # not the classroom run's, so both can be kept side by side
EXAM = load.EXAM
WARM_UP = 3


class HoldTimer:
    """Stands in for `django.db.transaction` in a module: times each `transaction.atomic()` block it opens."""

    def __init__(self, transaction: Any) -> None:
        self.transaction = transaction
        self.seconds: list[float] = []
        self.cpu_seconds: list[float] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transaction, name)

    @contextmanager
    def atomic(self, *args: Any, **kwargs: Any) -> Iterator[None]:
        started, cpu = time.perf_counter(), time.process_time()
        with self.transaction.atomic(*args, **kwargs):
            yield
        self.seconds.append(time.perf_counter() - started)
        self.cpu_seconds.append(time.process_time() - cpu)


def summary(seconds: list[float]) -> dict[str, float | int | None]:
    milliseconds = [value * 1000 for value in seconds]
    return {
        "count": len(milliseconds),
        "p50_ms": _round(load.percentile(milliseconds, 0.50)),
        "p95_ms": _round(load.percentile(milliseconds, 0.95)),
        "max_ms": _round(max(milliseconds) if milliseconds else None),
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def measure(repeat: int) -> dict[str, Any]:
    """Start `repeat` mocks and submit them answered in full, timing the write transactions (Django is set up
    from the environment: DJANGO_SETTINGS_MODULE and DATABASE_URL)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from apps.content.models import Exam
    from apps.exams import scoring, services
    from apps.exams.models import Attempt, Slot
    from apps.ops.management.commands.make_bench_data import PREFIX

    exam = Exam.objects.get(code=EXAM)
    students = list(get_user_model().objects.filter(username__startswith=PREFIX).order_by("username"))
    if not students:
        sys.exit("no bench students: run make_bench_data first")
    request = services.PracticeRequest(exam=exam, mode=Attempt.Mode.MOCK)
    rounds = WARM_UP + repeat
    start_seconds, start_cpu, call_seconds, attempts = [], [], [], []
    for number in range(rounds):
        user = students[number % len(students)]
        now = timezone.now()
        seed = f"locks-{number}"
        plan = services.plan_attempt(user=user, request=request, seed=seed, now=now)
        prepared = services.prepare_attempt(request=request, plan=plan, seed=seed)
        started, cpu = time.perf_counter(), time.process_time()
        attempts.append(services.write_attempt(user=user, prepared=prepared, now=now))
        start_seconds.append(time.perf_counter() - started)
        start_cpu.append(time.process_time() - cpu)
    for number, attempt in enumerate(attempts):  # every question answered, a few of them wrong
        slots = list(Slot.objects.filter(attempt=attempt))
        for slot in slots:
            wrong = (slot.position + number) % 4 == 0 and slot.kind == "multiple_choice"
            response = scoring.correct_response(slot.snapshot)
            if wrong:
                response = {"choice": next(c["id"] for c in slot.snapshot["choices"] if not c["correct"])}
            slot.response, slot.seq, slot.answered_at = response, 1, timezone.now()
            slot.confidence = ("", "sure", "unsure", "guessed")[slot.position % 4]
        Slot.objects.bulk_update(slots, ["response", "seq", "answered_at", "confidence"])
    timer = HoldTimer(services.transaction)
    services.transaction = timer  # type: ignore[assignment]
    try:
        for attempt in attempts:
            attempt = Attempt.objects.select_related("exam", "user").get(pk=attempt.pk)
            started = time.perf_counter()
            services.submit_attempt(attempt=attempt, now=timezone.now())
            call_seconds.append(time.perf_counter() - started)
    finally:
        services.transaction = timer.transaction
    questions = {attempt.question_count for attempt in attempts}
    return {
        "database": connection.vendor,
        "questions": sorted(questions),
        "start": summary(start_seconds[WARM_UP:]),
        "submit": summary(timer.seconds[WARM_UP:]),
        "start_cpu": summary(start_cpu[WARM_UP:]),
        "submit_cpu": summary(timer.cpu_seconds[WARM_UP:]),
        "submit_call": summary(call_seconds[WARM_UP:]),
    }


def fresh(args: argparse.Namespace) -> dict[str, Any]:
    """A fresh database as bench/run.py prepares one, the measurement, then the database dropped."""
    students = args.repeat + WARM_UP
    with run.scratch_database(
        args.db, DATABASE_NAME, students=students, seed=args.seed, prefix="certprep-locks-"
    ) as env:
        result = run.write_lock_times(env, args.repeat)
    result["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--measure", action="store_true", help="measure on DATABASE_URL as it is")
    args = parser.parse_args(argv)
    if args.measure:
        run.use_bench_settings("bench-locks")
        result = measure(args.repeat)
    else:
        result = fresh(args)
    print(json.dumps(result, indent=2))
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
