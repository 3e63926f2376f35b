"""A real app server for browser tests: gunicorn with the production settings on a SQLite file of its own, which
a test can kill with SIGKILL and start again on the same port and database.

The server's database is always a SQLite file in the test's temporary folder, whatever DATABASE_URL the test run
uses, so the test is the same on SQLite and PostgreSQL runs. Starting, health checks and the production
environment come from config/docker_smoke.py, the steps the Docker image takes.
"""

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime

from django.conf import settings

from config import docker_smoke

STUDENT, PASSWORD = "alice", "alice-pass-1234"  # as the `student` persona, so log-in helpers work for both
MOCK_QUESTIONS, MOCK_MINUTES = 6, 20


def seed_mock_exam():
    """A student and an exam whose full mock is 6 multiple-choice questions in 20 minutes.

    Runs inside the server's `manage.py shell` (see AppServer.seed), so it takes no fixtures.
    """
    from django.contrib.auth import get_user_model

    from tests.factories import make_exam, make_question_set, make_questions

    student = get_user_model().objects.create_user(username=STUDENT, password=PASSWORD)
    exam = make_exam(code="TST-C01")
    exam.questions_scored, exam.questions_unscored, exam.minutes = MOCK_QUESTIONS, 0, MOCK_MINUTES
    exam.save()
    question_set = make_question_set(exam=exam, owner=student)
    for task in ("1.1", "2.1"):  # more than the blueprint draws from either domain
        make_questions(question_set=question_set, count=MOCK_QUESTIONS, task_statement=task)


class AppServer:
    """gunicorn (2 workers × 4 threads, production settings in LAN mode) on a free port and a SQLite file."""

    def __init__(self, folder):
        self.folder = folder
        self.database = folder / "certprep.sqlite3"
        self.port = docker_smoke.free_port()
        self.url = f"http://{docker_smoke.HOST}:{self.port}"
        # One environment for every start: the same SECRET_KEY keeps the sessions of the first run valid.
        self.env = docker_smoke.production_env(folder, DATABASE_URL=f"sqlite:///{self.database}")
        self.process = None

    def manage(self, *arguments):
        command = [sys.executable, "manage.py", *arguments]
        result = subprocess.run(
            command, cwd=settings.BASE_DIR, env=self.env, capture_output=True, text=True, timeout=180
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def seed(self, function):
        """Migrate the database, then run `function` (a name in this module) in the server's environment."""
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("shell", "-v", "0", "-c", f"from tests.e2e import servers; servers.{function}()")

    def start(self, timeout=90):
        """Start gunicorn in a process group of its own (so one signal reaches every worker); wait for /health/."""
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"{docker_smoke.HOST}:{self.port}",
        ]
        command += ["--workers", "2", "--threads", "4", "--no-control-socket"]
        with open(self.folder / "gunicorn.log", "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        docker_smoke.wait_until_serving(self.process, self.port, deadline=time.monotonic() + timeout)

    def kill(self):
        """SIGKILL to the master and every worker at once: no shutdown code runs, as in a crash."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.process is None:
            return
        docker_smoke.stop(self.process)  # SIGTERM, as `docker stop`; SIGKILL after 15 s
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # workers a failed test may have left behind

    # ------------------------------------------------------------------ reading the server's database directly
    def rows(self, query, *parameters):
        with contextlib.closing(sqlite3.connect(self.database, timeout=20)) as connection:
            return connection.execute(query, parameters).fetchall()

    def responses(self, attempt_id):
        """{position: the stored answer} of an attempt, as the server committed it."""
        rows = self.rows("SELECT position, response FROM exams_slot WHERE attempt_id = ?", attempt_id)
        return {position: json.loads(response) if response else None for position, response in rows}

    def deadline(self, attempt_id):
        [(value,)] = self.rows("SELECT deadline FROM exams_attempt WHERE id = ?", attempt_id)
        return datetime.fromisoformat(value).replace(tzinfo=UTC)  # Django stores UTC without an offset
