"""Production security settings: `check --deploy` passes with the documented environment, LAN mode is explicit."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

BASE = settings.BASE_DIR
# Every variable these settings read, so the parent's environment (e.g. the test run's own) cannot leak in.
SECURITY_VARS = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "INSECURE_LAN_MODE",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "CSP_REPORT_ONLY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest; a deployment never has it (async.E001)
}
# The production environment documented in docs/deploy.md and .env.example (TLS at a reverse proxy).
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "exams.school.example",
    "CSRF_TRUSTED_ORIGINS": "https://exams.school.example",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO",
}
DUMP = (
    "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
    "'redirect': s.SECURE_SSL_REDIRECT, 'session_secure': s.SESSION_COOKIE_SECURE, "
    "'csrf_secure': s.CSRF_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'preload': s.SECURE_HSTS_PRELOAD, "
    "'proxy': getattr(s, 'SECURE_PROXY_SSL_HEADER', None), 'silenced': s.SILENCED_SYSTEM_CHECKS, "
    "'frame': s.X_FRAME_OPTIONS, 'csp': getattr(s, 'CONTENT_SECURITY_POLICY', None), "
    "'csp_report_only': getattr(s, 'CONTENT_SECURITY_POLICY_REPORT_ONLY', None)}))"
)


def run(env, *args):
    clean = {key: value for key, value in os.environ.items() if key not in SECURITY_VARS}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, *args], env=clean, capture_output=True, text=True, check=False, cwd=BASE
    )


def deploy_check(env):
    return run(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")


def dump(env):
    result = run(env, "-c", DUMP)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_deploy_check_passes_with_the_documented_production_environment():
    result = deploy_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_are_https_only():
    values = dump(PRODUCTION)
    assert values["redirect"] is True
    assert values["session_secure"] is True and values["csrf_secure"] is True
    assert values["hsts"] == 31_536_000 and values["subdomains"] is True and values["preload"] is False
    assert values["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["silenced"] == ["security.W021"]  # preload is the school's decision (see settings.py)


def test_the_proxy_header_is_trusted_only_when_configured():
    assert dump({**PRODUCTION, "SECURE_PROXY_SSL_HEADER": ""})["proxy"] is None


def test_hsts_and_its_flags_follow_the_environment():
    values = dump(
        {
            **PRODUCTION,
            "SECURE_HSTS_SECONDS": "3600",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "0",
            "SECURE_HSTS_PRELOAD": "1",
        }
    )
    assert (values["hsts"], values["subdomains"], values["preload"]) == (3600, False, True)
    assert values["silenced"] == []


def test_relaxing_tls_without_lan_mode_fails_the_deploy_check():
    result = deploy_check({**PRODUCTION, "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0"})
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
    assert "security.W012" in result.stderr + result.stdout


def test_lan_mode_relaxes_only_the_tls_settings_and_silences_only_their_checks():
    lan = {**PRODUCTION, "INSECURE_LAN_MODE": "1"}
    lan.pop("SECURE_PROXY_SSL_HEADER")
    values = dump(lan)
    assert values["redirect"] is False and values["hsts"] == 0
    assert values["session_secure"] is False and values["csrf_secure"] is False
    assert values["silenced"] == ["security.W004", "security.W008", "security.W012", "security.W016"]
    assert values["frame"] == "DENY"
    assert values["csp"] == dump(PRODUCTION)["csp"]
    result = deploy_check(lan)
    assert result.returncode == 0, result.stdout + result.stderr


def test_lan_mode_keeps_the_secret_key_and_allowed_hosts_rules():
    result = run({"DEBUG": "0", "INSECURE_LAN_MODE": "1", "ALLOWED_HOSTS": "10.0.0.5"}, "-c", DUMP)
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr
    result = run({"DEBUG": "0", "INSECURE_LAN_MODE": "1", "SECRET_KEY": "s" * 50}, "-c", DUMP)
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_a_weak_secret_key_still_fails_the_deploy_check():
    result = deploy_check({**PRODUCTION, "SECRET_KEY": "short"})
    assert result.returncode != 0 and "security.W009" in result.stderr + result.stdout


def test_development_sends_no_hsts_and_no_redirect():
    values = dump({"DEBUG": "1"})
    assert values["redirect"] is False and values["hsts"] == 0 and values["session_secure"] is False


def test_a_malformed_proxy_header_stops_the_start():
    result = run({**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}, "-c", DUMP)
    assert result.returncode != 0 and "must name a request.META key" in result.stderr


def test_csp_can_be_tried_in_report_only_mode():
    values = dump({**PRODUCTION, "CSP_REPORT_ONLY": "1"})
    assert values["csp"] is None and values["csp_report_only"]["DIRECTIVES"]["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_every_page_carries_the_content_security_policy(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    assert directives["img-src"] == "'self' data: https:"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"


@pytest.mark.django_db
def test_htmx_is_configured_for_the_policy(client):
    html = client.get("/accounts/login/").content.decode()
    start = html.index('<meta name="htmx-config" content=\'') + len('<meta name="htmx-config" content=\'')
    config = json.loads(html[start : html.index("'", start)])
    assert config == {"includeIndicatorStyles": False, "allowEval": False, "selfRequestsOnly": True}


@pytest.mark.django_db
def test_the_health_endpoint_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/").status_code == 301
    assert client.get("/health/").status_code == 200
