"""Backing up and restoring the database: SQLite through its online backup API, PostgreSQL through pg_dump."""

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

import psycopg
from django.db import connections
from django.template.defaultfilters import filesizeformat

SQLITE = "django.db.backends.sqlite3"
POSTGRESQL = "django.db.backends.postgresql"
SUFFIXES = {SQLITE: ".sqlite3", POSTGRESQL: ".pgdump"}

Database = Mapping[str, Any]  # an entry of settings.DATABASES


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def engine_of(database: Database) -> str:
    engine = database["ENGINE"]
    if engine not in SUFFIXES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {engine}.")
    return engine


def default_backup_path(*, database: Database, data_dir: str | Path, now: datetime) -> Path:
    """DATA_DIR/backups/certprep-<UTC timestamp>.<sqlite3|pgdump>; `now` is an aware datetime."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(data_dir) / "backups" / f"certprep-{stamp}{SUFFIXES[engine_of(database)]}"


def backup_database(*, database: Database, output: str | Path) -> Path:
    """Write a consistent copy of `database` (a settings.DATABASES entry) to `output` and return its path.

    The copy is written next to `output` first and moved into place at the end, so a file with the final
    name is always a complete backup.
    """
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    try:
        if engine_of(database) == SQLITE:
            _backup_sqlite(source=_sqlite_path(database), output=partial)
        else:
            _backup_postgresql(database=database, output=partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return output


def restore_database(*, database: Database, backup: str | Path, confirmed: bool) -> None:
    """Replace everything in `database` by the contents of `backup`.

    The backup is checked before anything is touched. Without `confirmed`, a database that already has
    tables is left alone.
    """
    backup = Path(backup)
    if not backup.is_file():
        raise BackupError(f"{backup} does not exist or is not a file.")
    if engine_of(database) == SQLITE:
        _restore_sqlite(backup=backup, target=_sqlite_path(database), confirmed=confirmed)
    else:
        _restore_postgresql(database=database, backup=backup, confirmed=confirmed)


def _refuse_unconfirmed(name: object) -> NoReturn:
    raise BackupError(
        f"The database {name} already holds data, and a restore replaces all of it. "
        "Make a backup of it first if you may need it, then run the restore again with --yes "
        "(make restore FILE=... YES=1)."
    )


# ------------------------------------------------------------------------------------------------ SQLite
def _sqlite_path(database: Database) -> Path:
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError(f"{name} is an in-memory SQLite database; there is no file to back up or restore.")
    return Path(name)


def _backup_sqlite(*, source: Path, output: Path) -> None:
    if not source.is_file():
        raise BackupError(f"The SQLite database {source} does not exist.")
    # One backup step copies every page under a single read transaction: in WAL mode the app keeps
    # reading and writing meanwhile, and the copy is the database as it was at one moment.
    # (Not mode=ro: a read-only connection cannot clean up the -wal/-shm files it creates.)
    src = sqlite3.connect(source)
    dest = sqlite3.connect(output)
    try:
        src.backup(dest)
        # A backup is one self-contained file: no -wal/-shm files appear next to it when it is opened.
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()
        src.close()


def check_sqlite_file(path: str | Path) -> None:
    """Raise BackupError unless `path` is an intact SQLite database made by certprep (has migrations)."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            has_migrations = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a usable SQLite backup ({exc}). Nothing was changed.") from exc
    if problems != ["ok"]:
        raise BackupError(
            f"{path} failed SQLite's integrity check ({'; '.join(problems[:3])}). Nothing was changed."
        )
    if not has_migrations:
        raise BackupError(f"{path} is a SQLite database but not a certprep backup. Nothing was changed.")


def _sqlite_has_data(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table'").fetchone() is not None
    finally:
        conn.close()


def _restore_sqlite(*, backup: Path, target: Path, confirmed: bool) -> None:
    check_sqlite_file(backup)
    if not confirmed and _sqlite_has_data(target):
        _refuse_unconfirmed(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".restore")
    os.close(fd)
    temp = Path(name)
    try:
        shutil.copyfile(backup, temp)
        check_sqlite_file(temp)  # the bytes about to go live, not only the file they came from
        with open(temp, "rb") as f:
            os.fsync(f.fileno())
        if target.exists():
            _empty_wal(target)
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # make the rename itself durable
    finally:
        os.close(dir_fd)


def _empty_wal(target: Path) -> None:
    """Move the old database's write-ahead log into it and empty the log.

    A WAL file left with frames of the old database would otherwise be replayed onto the restored one.
    If the app still has the database open, the log cannot be emptied and the restore stops. An idle
    connection (a worker keeps its own between requests: persistent connections) does not stop the
    checkpoint, but leaving WAL mode needs the only connection to the file, so that is asked too: a
    connection left on the renamed-over file would go on writing to it and to the shared -wal file.
    """
    conn = sqlite3.connect(target, timeout=5)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if not busy:
            busy = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] != "delete"
    except sqlite3.OperationalError:  # "database is locked": another connection has it open
        busy = True
    finally:
        conn.close()
    if busy:
        raise BackupError(
            f"{target} is in use. Stop the app (and any cron jobs), then run the restore again. Nothing was changed."
        )


# -------------------------------------------------------------------------------------------- PostgreSQL
def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools of the server's major version "
            "or newer (Debian/Ubuntu: apt-get install postgresql-client). With Docker Compose, use the database "
            "container's tools instead (see Backups in docs/deploy.md)."
        )
    return path


def _pg_connection(database: Database) -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for pg_dump/pg_restore from a settings.DATABASES entry."""
    args = ["--dbname", database["NAME"]]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", database["USER"]]
    env = {**os.environ}
    # The password goes through the environment, never the command line that `ps` shows.
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    if database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = database["OPTIONS"]["sslmode"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(f"{tool} failed (exit {result.returncode}): {result.stderr.strip()}")
    return result


def _backup_postgresql(*, database: Database, output: Path) -> None:
    args, env = _pg_connection(database)
    # The custom format is compressed and lets pg_restore clean and recreate objects one by one.
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-password", "--file", str(output), *args], env)


def _postgresql_has_data(database: Database) -> bool:
    options = (
        {"sslmode": database["OPTIONS"]["sslmode"]} if database.get("OPTIONS", {}).get("sslmode") else {}
    )
    params = {
        "dbname": database["NAME"],
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        **options,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        row = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema'))"
        ).fetchone()
    return row is not None and bool(row[0])


def _restore_postgresql(*, database: Database, backup: Path, confirmed: bool) -> None:
    pg_restore = _pg_tool("pg_restore")
    # --list reads the whole table of contents: a file that is not a complete custom-format dump fails here.
    try:
        _run([pg_restore, "--list", str(backup)], dict(os.environ))
    except BackupError as exc:
        raise BackupError(f"{backup} is not a usable pg_dump backup. Nothing was changed. ({exc})") from exc
    if not confirmed and _postgresql_has_data(database):
        _refuse_unconfirmed(database["NAME"])
    connections.close_all()  # our own idle connection must not hold locks that DROP TABLE waits for
    args, env = _pg_connection(database)
    # One transaction: if anything fails, the database is left as it was.
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            *args,
            str(backup),
        ],
        env,
    )


def describe(path: str | Path) -> str:
    """'<path> (<size>)' for messages."""
    return f"{path} ({filesizeformat(Path(path).stat().st_size)})"
