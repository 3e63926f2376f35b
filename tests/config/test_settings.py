"""The settings module: environment-driven, loud on bad values, refusing unsafe production starts."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list

PRINT_ENGINE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'])"
)
BASE = settings.BASE_DIR
CONFIG_VARS = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}


def start(env, code=PRINT_ENGINE):
    """Import the settings in a fresh interpreter with exactly these configuration variables."""
    clean = {key: value for key, value in os.environ.items() if key not in CONFIG_VARS}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    command = [sys.executable, "-c", code]
    return subprocess.run(command, env=clean, capture_output=True, text=True, check=False, cwd=BASE)


def test_production_refuses_to_start_without_a_secret_key():
    result = start({"DEBUG": "0", "ALLOWED_HOSTS": "exams.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = start({"DEBUG": "0", "SECRET_KEY": "s" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_development_starts_with_defaults_on_sqlite():
    result = start({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"


def test_database_url_selects_postgresql():
    result = start({"DEBUG": "1", "DATABASE_URL": "postgres://u:p@db.example:5432/certprep"})
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_a_malformed_boolean_stops_the_start():
    result = start({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_the_database_is_tuned_for_its_engine():
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
        assert database["OPTIONS"]["timeout"] >= 5
    else:  # PostgreSQL: persistent connections that are checked before reuse
        assert database["CONN_MAX_AGE"] > 0 and database["CONN_HEALTH_CHECKS"] is True


PRINT_CONNECTION = (
    "import django; django.setup(); from django.conf import settings as s; "
    "d = s.DATABASES['default']; print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
)


def test_sqlite_keeps_its_connections_like_postgresql(tmp_path):
    """Opening a SQLite connection with its PRAGMAs costs more than a query: each thread keeps one too."""
    sqlite = {"DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    assert start(sqlite, PRINT_CONNECTION).stdout.split() == ["django.db.backends.sqlite3", "60", "True"]
    result = start({**sqlite, "DB_CONN_MAX_AGE": "0"}, PRINT_CONNECTION)
    assert result.stdout.split() == ["django.db.backends.sqlite3", "0", "True"], result.stderr


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.org, b.org,,")
    assert env_bool("X_BOOL") is True and env_bool("X_MISSING", True) is True
    assert env_int("X_INT", 0) == 12 and env_int("X_MISSING", 7) == 7
    assert env_list("X_LIST") == ["a.org", "b.org"]
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_INT='twelve' is not a whole number"):
        env_int("X_INT", 0)


def test_templates_are_parsed_once_per_process():
    # The question page renders its templates on every request: they must come from the cached loader.
    from django.template import engines
    from django.template.loaders.cached import Loader as Cached

    def chain(loaders):
        for loader in loaders:
            yield loader
            yield from chain(getattr(loader, "loaders", []))

    assert any(isinstance(loader, Cached) for loader in chain(engines["django"].engine.template_loaders))
