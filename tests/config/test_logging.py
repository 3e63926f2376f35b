"""Structured logs: JSON lines on stdout in production, plain text on request (config/log_format.py)."""

import json
import logging
import sys

import pytest

from config.log_format import JsonFormatter
from tests.config.test_settings import start

PRINT_LOG_LINES = (
    "import django, logging; django.setup(); "
    "logging.getLogger('django.request').error('Internal Server Error: %s', '/exams/'); "
    "logging.getLogger('apps.exams').info('attempt %s submitted', 7)"
)
PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "s" * 50, "ALLOWED_HOSTS": "exams.example.org"}


def test_a_record_becomes_one_json_object_with_level_logger_and_message():
    record = logging.LogRecord("apps.exams", logging.WARNING, __file__, 1, "saved %d answers", (3,), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "WARNING" and entry["logger"] == "apps.exams"
    assert entry["message"] == "saved 3 answers" and entry["time"].endswith("+00:00")


def test_an_error_record_keeps_its_traceback_and_request_inside_the_json_line(rf):
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/exams/",),
            exc_info=sys.exc_info(),
            extra={"request": rf.get("/exams/"), "status_code": 500},
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/exams/", 500)
    assert "ValueError: boom" in entry["exception"]


def test_production_writes_json_lines_from_django_and_app_loggers_to_stdout():
    result = start(PRODUCTION, code=PRINT_LOG_LINES)
    assert result.returncode == 0, result.stderr
    entries = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(e["level"], e["logger"]) for e in entries] == [
        ("ERROR", "django.request"),
        ("INFO", "apps.exams"),
    ]
    assert entries[1]["message"] == "attempt 7 submitted"


def test_log_format_plain_writes_text_and_a_wrong_value_stops_the_start():
    result = start({**PRODUCTION, "LOG_FORMAT": "plain"}, code=PRINT_LOG_LINES)
    assert "ERROR django.request Internal Server Error: /exams/" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout.splitlines()[0])
    result = start({**PRODUCTION, "LOG_FORMAT": "xml"}, code=PRINT_LOG_LINES)
    assert result.returncode != 0 and "LOG_FORMAT='xml' must be json or plain" in result.stderr
