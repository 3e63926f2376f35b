"""apps.exams.inserts: statements compiled before the transaction insert exactly the rows `bulk_create` would,
on SQLite and PostgreSQL (set DATABASE_URL), in the database's batches, and upsert review cards."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.exams.inserts import compile_insert
from apps.exams.models import Attempt, ReviewCard, Slot
from tests.factories import make_questions

SLOT_COLUMNS = [
    field.attname for field in Slot._meta.concrete_fields if field.attname not in ("id", "attempt_id")
]


def new_attempt(user, exam):
    return Attempt.objects.create(user=user, exam=exam, started_at=timezone.now(), question_count=0)


def slot_rows(questions):
    """Rows of every shape a column takes: JSON lists, objects, strings and nulls, dates, flags, defaults."""
    now = timezone.now()
    rows = []
    for position, question in enumerate(questions, 1):
        row = {
            "position": position,
            "question_id": question.pk,
            "version_id": question.current_version_id,
            "layout": [position, 3, 1],
            "task_statement_id": question.task_statement_id,
            "domain_number": 1 + position % 3,
            "kind": "multiple_choice",
            "scored": position % 2 == 0,
        }
        if position % 5 == 0:
            row.update(response={"choice": position, "text": 'it\'s "quoted"'}, seq=position, answered_at=now)
        if position % 7 == 0:
            row.update(response="a JSON string", confidence="sure", flagged=True)
        rows.append(row)
    return rows


def stored(attempt):
    return list(attempt.slots.order_by("position").values_list(*SLOT_COLUMNS))


@pytest.mark.parametrize("size", [1, 65, 300])
def test_compiled_slots_are_the_rows_bulk_create_inserts(exam, bank, student, size):
    rows = slot_rows(make_questions(question_set=bank, count=size))
    expected, compiled = new_attempt(student, exam), new_attempt(student, exam)
    Slot.objects.bulk_create(Slot(attempt=expected, **row) for row in rows)
    insert = compile_insert(Slot, rows, later="attempt")
    insert.execute(compiled.pk)
    assert stored(compiled) == stored(expected)
    assert len(stored(compiled)) == size
    # JSON is stored as Django stores it: a JSON string stays a string, a missing answer is SQL NULL.
    assert Slot.objects.filter(attempt=compiled, response__isnull=True).count() == sum(
        1 for row in rows if "response" not in row
    )


def test_instances_compile_as_rows_do_and_take_the_stand_in(exam, bank, student):
    rows = slot_rows(make_questions(question_set=bank, count=65))
    from_rows, from_instances = new_attempt(student, exam), new_attempt(student, exam)
    compile_insert(Slot, rows, later="attempt").execute(from_rows.pk)
    instances = [Slot(**row) for row in rows]
    compile_insert(Slot, instances, later="attempt").execute(from_instances.pk)
    assert stored(from_instances) == stored(from_rows)


def test_the_batches_follow_the_databases_limit_and_the_attempt_is_filled_in_when_sent(exam, bank, student):
    rows = slot_rows(make_questions(question_set=bank, count=65))
    fields = [f for f in Slot._meta.concrete_fields if f.attname != "id"]
    batches = -(-len(rows) // max(1, connection.ops.bulk_batch_size(fields, rows)))
    insert = compile_insert(Slot, rows, later="attempt")
    assert len(insert.statements) == batches
    attempt = new_attempt(student, exam)
    with CaptureQueriesContext(connection) as queries:
        insert.execute(attempt.pk)
    assert len(queries) == batches
    assert attempt.slots.count() == 65


def test_an_upsert_inserts_new_cards_and_updates_only_the_named_fields_of_stored_ones(bank, student):
    first, second = make_questions(question_set=bank, count=2)
    then = timezone.now() - timedelta(days=3)
    ReviewCard.objects.create(
        user=student, question=first, card={"state": 1}, due=then, reps=1, updated_at=then
    )
    now = timezone.now()
    cards = [
        ReviewCard(
            user=student, question=question, card={"state": 2, "n": i}, due=now, reps=5, updated_at=now
        )
        for i, question in enumerate([first, second])
    ]
    upsert = compile_insert(
        ReviewCard, cards, unique_fields=["user", "question"], update_fields=["card", "due", "updated_at"]
    )
    upsert.execute()
    rows = dict(ReviewCard.objects.values_list("question_id", "card"))
    assert rows == {first.pk: {"state": 2, "n": 0}, second.pk: {"state": 2, "n": 1}}
    assert ReviewCard.objects.get(question=first).reps == 1  # not named: kept
    assert ReviewCard.objects.get(question=second).reps == 5


def test_expressions_are_refused(exam, bank, student):
    from django.db.models import Value

    (question,) = make_questions(question_set=bank, count=1)
    (row,) = slot_rows([question])
    with pytest.raises(TypeError):
        compile_insert(Slot, [{**row, "kind": Value("x")}], later="attempt")


def test_a_row_naming_no_column_or_leaving_out_a_self_filled_field_is_refused(exam, bank, student):
    """A row skips an instance's save: what that would have done (or a misspelt key) must not be lost."""
    from apps.accounts.models import Profile

    (question,) = make_questions(question_set=bank, count=1)
    (row,) = slot_rows([question])
    misspelt = {**{key: value for key, value in row.items() if key != "question_id"}, "question": question.pk}
    with pytest.raises(ValueError, match="question"):
        compile_insert(Slot, [misspelt], later="attempt")
    profile = {"user_id": student.pk, "target_exam_id": exam.pk}
    with pytest.raises(ValueError, match="created"):
        compile_insert(Profile, [profile])
    now = timezone.now()
    compile_insert(Profile, [{**profile, "created": now, "updated": now}])  # given: accepted
