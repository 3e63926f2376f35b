"""The data a backup must keep (users, a question set with questions, a submitted attempt) and a snapshot of it.

Used in-process on PostgreSQL and through `manage.py shell` against a SQLite file, so it takes no fixtures.
"""

import json
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model

from apps.exams.models import Attempt, Slot
from apps.exams.scoring import correct_response
from apps.exams.services import save_response, submit_attempt
from apps.questions.models import Choice, Question
from tests.factories import make_attempt, make_exam, make_question, make_question_set

NOW = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def seed():
    User = get_user_model()
    # Stored hashes instead of create_user: a production hasher would make the subprocess slow.
    alice = User.objects.create(username="alice", email="alice@school.example", password="!alice-hash")
    User.objects.create(username="bob", email="bob@school.example", password="!bob-hash")
    irene = User.objects.create(username="irene", is_staff=True, password="!irene-hash")
    exam = make_exam()
    question_set = make_question_set(exam=exam, owner=irene)
    questions = [
        make_question(question_set=question_set, stem=f"Which service stores objects, case {n}?")
        for n in (1, 2, 3)
    ]
    attempt = make_attempt(user=alice, questions=questions, now=NOW)
    first = attempt.slots.get(question=questions[0])
    save_response(attempt=attempt, slot=first, response=correct_response(first.snapshot), seq=1, now=NOW)
    submit_attempt(attempt=attempt, now=NOW + timedelta(minutes=12))


def change_everything():
    """What a restore must undo: a deleted user and question, an edited question, a lost attempt, a new user."""
    User = get_user_model()
    User.objects.filter(username="bob").delete()
    User.objects.filter(username="alice").update(email="changed@school.example")
    User.objects.create(username="mallory", password="!mallory-hash")
    question = Question.objects.order_by("pk").first()
    Question.objects.filter(pk=question.pk).update(stem_md="Edited after the backup?")
    Question.objects.order_by("pk").last().delete()
    Attempt.objects.all().delete()


def snapshot():
    """Users, questions (with choices) and attempts (with answers and scores) as plain JSON data."""
    users = (
        get_user_model()
        .objects.order_by("username")
        .values_list("pk", "username", "email", "is_staff", "password")
    )
    questions = Question.objects.order_by("pk").values_list(
        "pk", "question_set__slug", "kind", "stem_md", "stem_html", "status"
    )
    choices = Choice.objects.order_by("pk").values_list("question_id", "text_md", "is_correct", "position")
    attempts = Attempt.objects.order_by("pk").values_list(
        "pk", "user__username", "status", "submitted_at", "scored_count", "correct_count", "percent"
    )
    slots = Slot.objects.order_by("pk").values_list("attempt_id", "question_id", "response", "is_correct")
    data = {
        "users": list(users),
        "questions": list(questions),
        "choices": list(choices),
        "attempts": list(attempts),
        "slots": list(slots),
    }
    return json.loads(json.dumps(data, default=str))


def print_snapshot():
    print(json.dumps(snapshot()))
