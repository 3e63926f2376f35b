"""Bulk INSERTs compiled before a transaction and only sent inside it.

Turning 65 model instances into SQL costs Django several times what inserting them costs the database; a
start or a submit holding the write lock (SQLite's one lock, PostgreSQL's row locks) compiles nothing. The
statements are those `bulk_create` sends (its batches, and on PostgreSQL its UNNEST form); a value known only
inside the transaction (the new attempt's id) is compiled as a stand-in and filled in when sent.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import AutoField, Model
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery

LATER = -1  # the stand-in for a value filled in when sent (an id: never -1)


@dataclass
class Statement:
    sql: str
    params: list[Any]
    later_at: list[int]  # the parameters that take the later value: one per row, or (UNNEST) one array

    def params_with(self, value: object) -> list[Any]:
        params = list(self.params)
        for index in self.later_at:
            found = params[index]
            params[index] = [value] * len(found) if isinstance(found, list) else value
        return params


@dataclass
class CompiledInsert:
    model: type[Model]
    statements: list[Statement]

    def execute(self, later: object = None) -> None:
        """Send the statements (inside the caller's transaction), with `later` for the stand-in values."""
        with connections[router.db_for_write(self.model)].cursor() as cursor:
            for statement in self.statements:
                cursor.execute(statement.sql, statement.params_with(later))


def compile_insert(
    model: type[Model],
    objs: Sequence[Model],
    *,
    later: str | None = None,
    unique_fields: Sequence[str] = (),
    update_fields: Sequence[str] = (),
) -> CompiledInsert:
    """The INSERTs of `objs` (new rows), as `bulk_create` would send them; with `update_fields`, an upsert on
    `unique_fields`. `later`: a field whose value is filled in by `execute` (its stand-in is set on `objs`)."""
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.generated and not isinstance(f, AutoField)]
    column = [field.name for field in fields].index(later) if later else None
    for obj in objs:
        if column is not None:
            setattr(obj, fields[column].attname, LATER)
    batch = max(1, connection.ops.bulk_batch_size(fields, objs))
    statements = []
    for first in range(0, len(objs), batch):
        rows = list(objs[first : first + batch])
        query = InsertQuery(
            model,
            on_conflict=OnConflict.UPDATE if update_fields else None,
            update_fields=[fields[[f.name for f in fields].index(name)] for name in update_fields],
            unique_fields=[fields[[f.name for f in fields].index(name)] for name in unique_fields],
        )
        query.insert_values(fields, rows)
        ((sql, params),) = query.get_compiler(connection=connection).as_sql()
        statements.append(Statement(sql, list(params), _later_at(params, len(fields), len(rows), column)))
    return CompiledInsert(model, statements)


def _later_at(params: Sequence[Any], width: int, rows: int, column: int | None) -> list[int]:
    if column is None:
        return []
    if len(params) == width * rows:
        found = [row * width + column for row in range(rows)]
    elif len(params) == width:  # PostgreSQL's UNNEST: one array per column
        found = [column]
    else:
        found = []
    if not found or any(params[index] not in (LATER, [LATER] * rows) for index in found):
        raise RuntimeError(f"an INSERT of {rows} rows compiled with its parameters in an unexpected order")
    return found
