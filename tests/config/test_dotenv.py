"""The developer's .env: written once by `make run`, read by the settings, never stronger than the environment."""

import os
import re
import shutil
import subprocess

from django.conf import settings

from tests.config.test_settings import start

PRINT_DEBUG = "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG, s.SECRET_KEY)"


def write_env(tmp_path, text):
    path = tmp_path / ".env"
    path.write_text(text)
    return str(path)


def test_a_dotenv_file_lets_commands_run_without_any_variable_set(tmp_path):
    env_file = write_env(tmp_path, "DEBUG=1\nSECRET_KEY=from-the-dotenv-file\n")
    result = start({"ENV_FILE": env_file}, code=PRINT_DEBUG)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "from-the-dotenv-file"]


def test_real_environment_variables_win_over_the_dotenv_file(tmp_path):
    env_file = write_env(tmp_path, "DEBUG=1\nSECRET_KEY=from-the-dotenv-file\n")
    env = {"ENV_FILE": env_file, "DEBUG": "0", "SECRET_KEY": "from-the-environment", "ALLOWED_HOSTS": "x.org"}
    result = start(env, code=PRINT_DEBUG)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "from-the-environment"]


def test_without_a_dotenv_file_production_still_refuses_to_start(tmp_path):
    result = start({"ENV_FILE": str(tmp_path / "missing.env"), "DEBUG": "0", "ALLOWED_HOSTS": "x.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_check_deploy_refuses_debug_from_a_dotenv_file(tmp_path):
    env_file = write_env(tmp_path, "DEBUG=1\nSECRET_KEY=" + "k" * 60 + "\n")
    code = "import sys; from django.core.management import execute_from_command_line as run; run(sys.argv)"
    result = start({"ENV_FILE": env_file}, code=code.replace("sys.argv", "['manage.py', 'check', '--deploy']"))
    assert result.returncode != 0
    assert "(ops.E002) DEBUG is on" in result.stderr


def test_the_test_suite_ignores_a_developers_dotenv_file():
    assert os.environ["ENV_FILE"] == ""
    assert settings.DEBUG is False


def test_make_writes_a_dotenv_file_once_and_never_over_an_existing_one(tmp_path):
    shutil.copy(settings.BASE_DIR / "Makefile", tmp_path / "Makefile")
    make = ["make", "--no-print-directory", ".env"]
    first = subprocess.run(make, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "Wrote .env" in first.stdout
    text = (tmp_path / ".env").read_text()
    lines = dict(line.split("=", 1) for line in text.splitlines() if not line.startswith("#"))
    assert lines["DEBUG"] == "1" and len(lines["SECRET_KEY"]) >= 50
    (tmp_path / ".env").write_text("DEBUG=0\n# the developer's own\n")
    second = subprocess.run(make, cwd=tmp_path, capture_output=True, text=True, check=True)
    assert "Wrote .env" not in second.stdout
    assert (tmp_path / ".env").read_text() == "DEBUG=0\n# the developer's own\n"
    assert ".env" in (settings.BASE_DIR / ".gitignore").read_text().split()


def test_every_command_the_readme_shows_starts_from_a_plain_shell_with_the_dotenv_file(tmp_path):
    """Each `.venv/bin/python manage.py COMMAND` line of the README loads the settings with only `make run`'s
    .env (no DEBUG or SECRET_KEY in the environment) and knows the command."""
    readme = (settings.BASE_DIR / "README.md").read_text()
    commands = sorted(set(re.findall(r"\.venv/bin/python manage\.py ([a-z_]+)", readme)))
    assert {"import_notes", "import_questions", "export_questions", "check_bank", "backup"} <= set(commands)
    env_file = write_env(tmp_path, "DEBUG=1\nSECRET_KEY=" + "k" * 60 + "\n")
    plain = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    plain.update(ENV_FILE=env_file, DATA_DIR=str(tmp_path / "data"))
    for command in commands:
        result = subprocess.run(
            [str(settings.BASE_DIR / ".venv/bin/python"), "manage.py", command, "--help"],
            cwd=settings.BASE_DIR, env=plain, capture_output=True, text=True, check=False,
        )
        assert result.returncode == 0, f"{command}: {result.stderr}"
        assert f"manage.py {command}" in result.stdout
