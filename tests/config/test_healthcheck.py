"""The container HEALTHCHECK script (config/healthcheck.py) against a running server."""

import os
import subprocess
import sys

from django.conf import settings

SCRIPT = str(settings.BASE_DIR / "config" / "healthcheck.py")


def check(port, allowed_hosts):
    env = {**os.environ, "PORT": str(port), "ALLOWED_HOSTS": allowed_hosts}
    return subprocess.run([sys.executable, SCRIPT], env=env, capture_output=True, text=True, check=False)


def test_the_healthcheck_passes_against_a_healthy_server(live_server, transactional_db):
    result = check(live_server.thread.port, "localhost,exams.example.org")
    assert result.returncode == 0, result.stderr


def test_the_healthcheck_fails_when_nothing_answers(unused_port=1):
    result = check(unused_port, "localhost")
    assert result.returncode == 1 and "health check failed" in result.stderr


def test_the_healthcheck_fails_on_an_error_status(live_server, transactional_db):
    result = check(live_server.thread.port, "not-allowed.example.org")  # DisallowedHost: HTTP 400
    assert result.returncode == 1 and "HTTP 400" in result.stderr
