"""The deployment files stay complete: every setting documented, the compose stack wired as docs/deploy.md says."""

import re

import yaml
from django.conf import settings

BASE = settings.BASE_DIR


def settings_variables():
    source = (BASE / "config" / "settings.py").read_text()
    return set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z0-9_]+)"', source))


def test_every_setting_is_in_env_example_and_the_deploy_guide():
    names = settings_variables()
    assert {"SECRET_KEY", "INSECURE_LAN_MODE", "SECURE_PROXY_SSL_HEADER", "LOGIN_COOLOFF_MINUTES"} <= names
    example = (BASE / ".env.example").read_text()
    guide = (BASE / "docs" / "deploy.md").read_text()
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert names - documented == set(), ".env.example misses these settings"
    assert {name for name in names if f"`{name}`" not in guide} == set(), "docs/deploy.md misses these"


def test_env_example_starts_in_production_mode_and_never_ships_a_secret():
    values = dict(
        line.split("=", 1)
        for line in (BASE / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert values["DEBUG"] == "0" and values["INSECURE_LAN_MODE"] == "0"
    assert values["SECRET_KEY"] == "" and values["POSTGRES_PASSWORD"] == ""


def test_compose_runs_the_app_on_postgresql_after_the_database_is_healthy():
    compose = yaml.safe_load((BASE / "compose.yaml").read_text())
    db, app = compose["services"]["db"], compose["services"]["app"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(volume.startswith("pgdata:") for volume in db["volumes"]) and "pgdata" in compose["volumes"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert app["env_file"] == ".env"
    assert app["environment"]["DATABASE_URL"].startswith("postgres://")
    assert app["ports"][0].startswith("${APP_BIND:-127.0.0.1}:")  # only the local proxy reaches it by default
