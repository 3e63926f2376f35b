"""Server CPU per request, in one process: each step of a student's mock (log in, start, first question, a
question over htmx, a save, the review page, submit, results) and the trivial view, through the whole
middleware stack with production settings, with the number of queries each makes.

    python -m bench.profile --db sqlite                 # a fresh database, prepared as bench/run.py prepares one
    python -m bench.profile --db postgres               # the same in the PostgreSQL database certprep_bench_profile
    python -m bench.profile --db sqlite --top start     # also cProfile's top functions for one step
    python -m bench.profile --measure                   # the database of DATABASE_URL as it is

What a classroom burst costs is bounded by this CPU: 200 starts at once on 2 cores wait for about
200 x (start + first question) / 2 (docs/benchmarks.md). `--students` bench students each take one mock
through; the first few rounds are a warm-up and not recorded. Prints JSON: per step p50 and p95 of the CPU
milliseconds (this process: Django and the database driver; PostgreSQL's own work is in its server process,
reported apart as `postgres_cpu_ms` per step where readable) and the queries per request.
"""

import argparse
import cProfile
import io
import json
import pstats
import re
import subprocess
import sys
import time
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from bench import load, run

DATABASE_NAME = "certprep_bench_profile"
WARM_UP = 3
STEPS = ("floor", "login", "start", "question_first", "question", "save", "review", "submit", "results")


class Steps:
    """Times each request by step: CPU of this process, and the queries sent."""

    def __init__(self, top: str | None) -> None:
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.recording = False
        self.top = top
        self.profiler = cProfile.Profile() if top else None

    def run(self, name: str, call: Any) -> Any:
        from django.db import connection

        count = [0]

        def counter(execute: Any, sql_text: str, params: Any, many: bool, context: Any) -> Any:
            count[0] += 1
            return execute(sql_text, params, many, context)

        profiling = self.recording and self.profiler is not None and name == self.top
        with connection.execute_wrapper(counter):
            started = time.process_time()
            if profiling:
                self.profiler.enable()  # type: ignore[union-attr]
            response = call()
            if profiling:
                self.profiler.disable()  # type: ignore[union-attr]
            spent = time.process_time() - started
        if self.recording:
            self.cpu[name].append(spent)
            self.queries[name].append(count[0])
        return response


def _token(html: str) -> str:
    match = load.CSRF_INPUT.search(html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def student_round(client: Any, steps: Steps, username: str) -> None:
    """One student: log in, start a mock, answer every question (saving over htmx), review, submit, results."""
    import random

    rng = random.Random(username)  # noqa: S311 - not for security
    floor = steps.run("floor", lambda: client.get("/bench/floor/"))
    assert floor.status_code == 200, f"the trivial view answered {floor.status_code}"
    page = client.get("/accounts/login/")
    form = {"csrfmiddlewaretoken": _token(page.text), "username": username, "password": load.PASSWORD}
    done = steps.run("login", lambda: client.post("/accounts/login/", form))
    assert done.status_code == 302, done.status_code
    page = client.get(f"/practice/new/?exam={load.EXAM}")
    form = {"csrfmiddlewaretoken": _token(page.text), "exam": load.EXAM, "mode": "mock", "feedback": "end"}
    form["timed"] = "on"
    started = steps.run("start", lambda: client.post("/practice/new/", form))
    match = re.search(r"/attempts/(\d+)/q/1/$", started.headers.get("location", ""))
    assert match, started.headers.get("location")
    attempt = int(match.group(1))
    page = steps.run("question_first", lambda: client.get(f"/attempts/{attempt}/q/1/"))
    total = load.Config().questions
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "exam-main"}
    for position in range(1, total + 1):
        if position > 1:
            path = f"/attempts/{attempt}/q/{position}/"
            page = steps.run("question", lambda path=path: client.get(path, **htmx))
        screen = load.read_screen(position, page.text)
        assert screen is not None, f"Q{position}: no answer form"
        answer = load.pick_answer(screen, rng)
        body = {"csrfmiddlewaretoken": screen.token, "seq": str(screen.seq), "fields": "flagged", **answer}
        path = f"/attempts/{attempt}/q/{position}/answer/"
        saved = steps.run(
            "save",
            lambda path=path, body=body, token=screen.token: client.post(
                path,
                body,
                HTTP_HX_REQUEST="true",
                HTTP_HX_TARGET="save-status",
                HTTP_X_CSRFTOKEN=token,
            ),
        )
        assert 'data-outcome="saved"' in saved.text, saved.text[:200]
    page = steps.run("review", lambda: client.get(f"/attempts/{attempt}/review/"))
    form = {"csrfmiddlewaretoken": _token(page.text), "confirm": "yes"}
    done = steps.run("submit", lambda: client.post(f"/attempts/{attempt}/submit/", form))
    assert done.status_code == 302, done.status_code
    steps.run("results", lambda: client.get(f"/attempts/{attempt}/results/"))
    client.post("/accounts/logout/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def measure(students: int, top: str | None) -> dict[str, Any]:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from apps.ops.management.commands.make_bench_data import PREFIX

    names = list(
        get_user_model()
        .objects.filter(username__startswith=PREFIX)
        .order_by("username")
        .values_list("username", flat=True)
    )
    if len(names) < students:
        sys.exit(f"{students} bench students wanted, {len(names)} found: run make_bench_data first")
    steps = Steps(top)
    # One client, as one server process: a new Client would load the middleware again (whitenoise's index of
    # the static files alone is 50 ms), which a server does once.
    client = Client(enforce_csrf_checks=True, HTTP_HOST=run.HOST)
    for number, username in enumerate(names[:students]):
        steps.recording = number >= WARM_UP
        client.cookies = SimpleCookie()  # a new browser
        student_round(client, steps, username)
    result: dict[str, Any] = {"database": connection.vendor, "students": students - WARM_UP, "steps": {}}
    floor = _percentile(steps.cpu["floor"], 0.5)
    for name in STEPS:
        cpu = steps.cpu[name]
        p50 = _percentile(cpu, 0.5)
        result["steps"][name] = {
            "count": len(cpu),
            "cpu_p50_ms": p50,
            "cpu_p95_ms": _percentile(cpu, 0.95),
            "queries": max(steps.queries[name], default=0),
            "floor_ratio": round(floor / p50, 3) if floor and p50 else None,
        }
    if steps.profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(steps.profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(45)
        stats.print_stats(r"/apps/|/config/|/bench/", 40)  # our own code, whatever its rank
        stats.sort_stats("tottime").print_stats(25)
        result["profile"] = out.getvalue()
    return result


def _percentile(seconds: list[float], share: float) -> float | None:
    value = load.percentile([s * 1000 for s in seconds], share)
    return None if value is None else round(value, 2)


def fresh(args: argparse.Namespace) -> dict[str, Any]:
    """A fresh database as bench/run.py prepares one, the measurement in a process of its own (the production
    environment), then the database dropped."""
    students = args.students + WARM_UP
    command = [sys.executable, "-m", "bench.profile", "--measure", "--students", str(students)]
    if args.top:
        command += ["--top", args.top]
    with run.scratch_database(
        args.db, DATABASE_NAME, students=students, seed=args.seed, prefix="certprep-profile-"
    ) as env:
        done = subprocess.run(  # noqa: S603 - our own module with fixed arguments
            command, cwd=run.BASE, env=env, capture_output=True, text=True, check=False
        )
    try:  # the last line: anything logged comes above it
        result = json.loads(done.stdout.strip().rsplit("\n", 1)[-1])
    except json.JSONDecodeError:
        result = {"error": (done.stderr or done.stdout)[-3000:]}
    result["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--students", type=int, default=10, help="students measured (after the warm-up)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--top", choices=STEPS, help="print cProfile's top functions for this step")
    parser.add_argument("--measure", action="store_true", help="measure on DATABASE_URL as it is")
    args = parser.parse_args(argv)
    if args.measure:
        run.use_bench_settings("bench-profile")
        result = measure(args.students, args.top)
    else:
        result = fresh(args)
    if args.measure:  # for fresh(), which reads it back
        print(json.dumps(result))
        return 0
    profile = result.pop("profile", "")
    print(json.dumps(result, indent=2))
    print(profile)
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
