"""Collecting import problems as `file:line: what is wrong` lines, and the error that carries them."""

import reprlib
from collections.abc import Iterable
from pathlib import Path

from django.db import models

# A value shown in a message is cut short: a hostile file's 5 MB string or deeply nested list must not become a
# 5 MB message (or a repr that runs out of memory).
_SHORT = reprlib.Repr()
_SHORT.maxstring = _SHORT.maxother = 80
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict = 2, 4, 4


def shown(value: object) -> str:
    """A short repr of a value from a file, for messages: at most about 80 characters."""
    return _SHORT.repr(value)


def column_error(
    model: type[models.Model], field: str, value: str, *, label: str | None = None
) -> str | None:
    """The problem when a text is longer than the column it is written to, or None.

    PostgreSQL refuses such a row (a 500 mid-import); SQLite would store it whole."""
    limit = model._meta.get_field(field).max_length  # type: ignore[union-attr]  # a column, not a relation
    if limit and len(value) > limit:
        return f"'{label or field}' is longer than {limit} characters ({len(value):,})"
    return None


def display_path(path: str | Path) -> str:
    """A path as a person reads it: relative to the working directory when it is inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class ImportFailed(Exception):
    """Raised with every problem found; nothing was written."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class Problems(list[str]):
    def add(self, path: str | Path, line: int, message: str) -> None:
        self.append(f"{display_path(path)}:{line}: {message}")

    def raise_if_any(self) -> None:
        if self:
            raise ImportFailed(self)
