"""Bulk INSERTs compiled before a transaction and only sent inside it.

Turning 65 rows into SQL through Django's InsertQuery compiler costs several times what inserting them costs
the database; a start or a submit holding the write lock (SQLite's one lock, PostgreSQL's row locks) compiles
nothing. So the statement's text is built once per shape (model, database, number of rows, upsert) and kept,
and each value goes through its field's `get_db_prep_save`, as `bulk_create` does. The batches follow
`connection.ops.bulk_batch_size`, as `bulk_create`'s do; the form is a plain multi-row VALUES on every
database (PostgreSQL's `bulk_create` may send an UNNEST instead: the same rows). A value known only inside
the transaction (the new attempt's id) is compiled as a stand-in and filled in when sent.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import connections, router
from django.db.models import AutoField, Field, Model
from django.db.models.constants import OnConflict
from django.db.models.fields import NOT_PROVIDED

LATER = -1  # the stand-in for a value filled in when sent (an id: never -1)

# Values whose database form depends only on the value itself: prepared once per field and call.
_SCALARS = (type(None), bool, int, str)


@dataclass
class Statement:
    sql: str
    params: list[Any]
    later_at: list[int]  # the parameters that take the later value: one per row

    def params_with(self, value: object) -> list[Any]:
        params = list(self.params)
        for index in self.later_at:
            params[index] = value
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
    objs: Sequence[Model] | Sequence[Mapping[str, Any]],
    *,
    later: str | None = None,
    unique_fields: Sequence[str] = (),
    update_fields: Sequence[str] = (),
) -> CompiledInsert:
    """The INSERTs of `objs` (new rows), as `bulk_create` would send them; with `update_fields`, an upsert on
    `unique_fields`. `objs` are instances, or rows {attname: value} (a missing field takes its default) —
    cheaper to build than instances. `later`: a field whose value is filled in by `execute` (its stand-in is
    set on instances)."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    fields = _fields(model)
    column = [field.name for field in fields].index(later) if later else None
    if column is not None:
        for obj in objs:
            if isinstance(obj, Model):
                setattr(obj, fields[column].attname, LATER)
    batch = max(1, connection.ops.bulk_batch_size(fields, objs))
    width = len(fields)
    statements = []
    for first in range(0, len(objs), batch):
        rows = objs[first : first + batch]
        sql = _sql(model, alias, len(rows), tuple(unique_fields), tuple(update_fields))
        params = _params(fields, rows, connection, column)
        later_at = [] if column is None else [row * width + column for row in range(len(rows))]
        statements.append(Statement(sql, params, later_at))
    return CompiledInsert(model, statements)


@functools.cache
def _fields(model: type[Model]) -> list[Field[Any, Any]]:
    """The columns an INSERT writes, in `bulk_create`'s order: every concrete one but the generated and the
    auto-incremented id."""
    return [f for f in model._meta.concrete_fields if not f.generated and not isinstance(f, AutoField)]


@functools.cache
def _sql(
    model: type[Model], alias: str, rows: int, unique_fields: tuple[str, ...], update_fields: tuple[str, ...]
) -> str:
    """The statement's text for `rows` rows (one per shape: built once, then reused)."""
    connection = connections[alias]
    ops = connection.ops
    fields = _fields(model)
    by_name = {field.name: field for field in fields}
    on_conflict = OnConflict.UPDATE if update_fields else None
    placeholders: Any = [["%s"] * len(fields)] * rows  # a row of placeholders per row, as the compiler's
    parts = [
        f"{ops.insert_statement(on_conflict=on_conflict)} {ops.quote_name(model._meta.db_table)}",
        "({})".format(", ".join(ops.quote_name(field.column) for field in fields)),
        ops.bulk_insert_sql(fields, placeholders),
    ]
    suffix = ops.on_conflict_suffix_sql(
        fields,
        on_conflict,
        [by_name[name].column for name in update_fields],
        [by_name[name].column for name in unique_fields],
    )
    return " ".join(parts + [suffix] if suffix else parts)


def _params(
    fields: list[Field[Any, Any]],
    rows: Sequence[Model] | Sequence[Mapping[str, Any]],
    connection: Any,
    column: int | None,
) -> list[Any]:
    """Each row's values as the database takes them (`get_db_prep_save`, as Django's compiler calls it; for an
    instance, after `pre_save`), row after row; the stand-in column is left as LATER."""
    params: list[Any] = []
    known: dict[tuple[int, type, object], Any] = {}
    if rows and not isinstance(rows[0], Model):
        _check_rows(fields, cast(Sequence[Mapping[str, Any]], rows))
    for obj in rows:
        if isinstance(obj, Model):
            values = [field.pre_save(obj, add=True) for field in fields]
        else:
            values = [obj[f.attname] if f.attname in obj else f.get_default() for f in fields]
        for index, value in enumerate(values):
            kind = type(value)
            if index == column:
                params.append(LATER)
            elif kind in _SCALARS:
                key = (index, kind, value)
                if key not in known:
                    known[key] = fields[index].get_db_prep_save(value, connection=connection)
                params.append(known[key])
            elif hasattr(value, "resolve_expression"):
                raise TypeError(f"{fields[index].name}: compile_insert takes plain values, not expressions")
            else:
                params.append(fields[index].get_db_prep_save(value, connection=connection))
    return params


def _check_rows(fields: list[Field[Any, Any]], rows: Sequence[Mapping[str, Any]]) -> None:
    """A row {attname: value} skips what an instance's save would do: a key that is no column's attname (a
    foreign key named without its _id) would silently be dropped, and a field that fills itself in on save
    (auto_now, a database default) would be written as NULL. Both are refused rather than lost."""
    attnames = {field.attname for field in fields}
    unknown = set().union(*(row.keys() for row in rows)) - attnames
    if unknown:
        raise ValueError(f"not columns of this table (foreign keys take their _id): {sorted(unknown)}")
    for field in fields:
        fills_itself = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if (fills_itself or field.db_default is not NOT_PROVIDED) and any(field.attname not in row for row in rows):
            raise ValueError(f"{field.name} is filled in on save: give its value in every row")
