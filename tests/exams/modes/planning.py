"""Helpers for the practice-mode tests: a request for a mode, and a plan drawn with a fixed seed."""

from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from apps.content.models import Exam
from apps.exams import modes
from apps.exams.modes.base import Plan, PracticeRequest
from apps.exams.selection import rng_for


def request_for(exam: Exam, code: str, **fields: Any) -> PracticeRequest:
    return PracticeRequest(exam=exam, mode=code, **fields)


def plan_for(user: AbstractBaseUser, exam: Exam, code: str, *, now: datetime, **fields: Any) -> Plan:
    request = request_for(exam, code, **fields)
    return modes.get(code).plan(user=user, request=request, rng=rng_for("s1", "plan"), now=now)
