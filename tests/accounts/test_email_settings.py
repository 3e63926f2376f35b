"""The email block of the settings: console by default, SMTP when EMAIL_HOST is set."""

import os
import subprocess
import sys

from django.conf import settings

PRINT_EMAIL = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print('|'.join(str(getattr(s, name)) for name in ("
    "'EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_HOST_PASSWORD', 'EMAIL_USE_TLS', "
    "'DEFAULT_FROM_EMAIL')))"
)


def email_settings(env):
    """The email settings of a fresh interpreter started with these variables and no other EMAIL_* ones."""
    clean = {
        key: value for key, value in os.environ.items() if not key.startswith(("EMAIL_", "DEFAULT_FROM"))
    }
    clean.update({"DEBUG": "1", "DJANGO_SETTINGS_MODULE": "config.settings"}, **env)
    command = [sys.executable, "-c", PRINT_EMAIL]
    result = subprocess.run(
        command, env=clean, capture_output=True, text=True, check=False, cwd=settings.BASE_DIR
    )
    return result, result.stdout.strip().split("|")


def test_without_an_email_host_mail_goes_to_the_console():
    result, values = email_settings({})
    assert result.returncode == 0, result.stderr
    assert values[0] == "django.core.mail.backends.console.EmailBackend"
    assert values[-1] == "certprep@localhost"


def test_an_email_host_selects_smtp_with_tls_on_port_587():
    result, values = email_settings(
        {"EMAIL_HOST": "smtp.example.org", "EMAIL_HOST_USER": "certprep", "EMAIL_HOST_PASSWORD": "pw"}
    )
    assert result.returncode == 0, result.stderr
    assert values == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "certprep",
        "pw",
        "True",
        "certprep@localhost",
    ]


def test_smtp_port_tls_and_sender_follow_the_environment():
    env = {"EMAIL_HOST": "mail.school.org", "EMAIL_PORT": "25", "EMAIL_USE_TLS": "0"}
    result, values = email_settings({**env, "DEFAULT_FROM_EMAIL": "exams@school.org"})
    assert result.returncode == 0, result.stderr
    assert values[2:] == ["25", "", "", "False", "exams@school.org"]


def test_a_bad_email_port_stops_the_start_with_its_name():
    result, _ = email_settings({"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "twenty-five"})
    assert result.returncode != 0
    assert "EMAIL_PORT='twenty-five' is not a whole number" in result.stderr
