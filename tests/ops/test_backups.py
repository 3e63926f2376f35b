"""Backups and restores: a round trip on the engine of this test run, and the refusals that protect the data."""

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from apps.ops.backups import SQLITE, BackupError, backup_database, restore_database
from tests.ops import scenario


# --------------------------------------------------------------------------------- SQLite in a subprocess
# pytest-django's SQLite test database lives in memory; the file path (the one a server uses) is exercised
# by running manage.py against a SQLite file in tmp_path, as an operator would.
def manage(*args, data_dir):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{data_dir / 'certprep.sqlite3'}",
        "DATA_DIR": str(data_dir),
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def shell(code, *, data_dir):
    result = manage("shell", "-v", "0", "-c", f"from tests.ops import scenario; {code}", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    return result.stdout


def sqlite_snapshot(data_dir):
    return json.loads(shell("scenario.print_snapshot()", data_dir=data_dir))


@pytest.fixture(scope="module")
def seeded_sqlite(tmp_path_factory):
    """A migrated SQLite file holding the scenario's data (built once; tests work on copies)."""
    data_dir = tmp_path_factory.mktemp("seeded")
    result = manage("migrate", "--noinput", "-v", "0", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    shell("scenario.seed()", data_dir=data_dir)
    return data_dir / "certprep.sqlite3"


@pytest.fixture
def server(tmp_path, seeded_sqlite):
    """A data folder whose certprep.sqlite3 holds the scenario's data."""
    source = sqlite3.connect(seeded_sqlite)
    target = sqlite3.connect(tmp_path / "certprep.sqlite3")
    source.backup(target)
    target.close()
    source.close()
    return tmp_path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sqlite_round_trip(tmp_path, seeded_sqlite):
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    with sqlite3.connect(seeded_sqlite) as source, sqlite3.connect(data_dir / "certprep.sqlite3") as target:
        source.backup(target)
    before = sqlite_snapshot(data_dir)

    made = manage("backup", data_dir=data_dir)  # default output: DATA_DIR/backups/certprep-<UTC>.sqlite3
    assert made.returncode == 0, made.stderr
    [backup] = (data_dir / "backups").glob("certprep-*Z.sqlite3")
    assert re.search(rf"{re.escape(str(backup))} \(\d[\d.]*\s[KMG]?B\)", made.stdout)  # path and size

    shell("scenario.change_everything()", data_dir=data_dir)
    changed = sqlite_snapshot(data_dir)

    restored = manage("restore", str(backup), "--yes", data_dir=data_dir)
    assert restored.returncode == 0, restored.stderr
    return before, changed, sqlite_snapshot(data_dir)


# ------------------------------------------------------------------------------------- PostgreSQL in-process
def postgresql_round_trip(tmp_path):
    scenario.seed()
    before = scenario.snapshot()
    backup = tmp_path / "certprep.pgdump"
    out = StringIO()
    call_command("backup", output=str(backup), stdout=out)
    assert str(backup) in out.getvalue() and backup.stat().st_size > 0

    scenario.change_everything()
    changed = scenario.snapshot()

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(backup), stdout=StringIO())
    assert scenario.snapshot() == changed  # refused: nothing was touched

    call_command("restore", str(backup), yes=True, stdout=StringIO())
    return before, changed, scenario.snapshot()


@pytest.mark.django_db(transaction=True)  # PostgreSQL: pg_dump sees only committed rows
def test_round_trip_on_this_runs_database_engine_restores_users_attempts_and_questions(
    tmp_path, seeded_sqlite
):
    # Each test run exercises its own engine: the SQLite run the file path, the PostgreSQL run pg_dump and
    # pg_restore against the test database itself.
    if connection.vendor == "postgresql":
        before, changed, after = postgresql_round_trip(tmp_path)
    else:
        assert connection.vendor == "sqlite"
        before, changed, after = sqlite_round_trip(tmp_path, seeded_sqlite)

    assert [u[1] for u in before["users"]] == ["alice", "bob", "irene"]
    assert len(before["questions"]) == 3 and len(before["choices"]) == 12
    assert [(a[1], a[2], a[5]) for a in before["attempts"]] == [("alice", "submitted", 1)]
    assert changed != before
    assert after == before


# ------------------------------------------------------------------------------------------------ refusals
def test_restore_without_yes_is_refused_when_the_database_has_data(server):
    backup = server / "before.sqlite3"
    assert manage("backup", "--output", str(backup), data_dir=server).returncode == 0
    target = server / "certprep.sqlite3"
    unchanged = digest(target)

    result = manage("restore", str(backup), data_dir=server)

    assert result.returncode != 0
    assert "already holds data" in result.stderr and "--yes" in result.stderr
    assert digest(target) == unchanged


def test_restore_into_a_new_server_needs_no_yes(server, tmp_path_factory):
    backup = server / "before.sqlite3"
    backup_database(database={"ENGINE": SQLITE, "NAME": server / "certprep.sqlite3"}, output=backup)
    new_target = tmp_path_factory.mktemp("new-server") / "certprep.sqlite3"

    restore_database(database={"ENGINE": SQLITE, "NAME": new_target}, backup=backup, confirmed=False)

    with sqlite3.connect(new_target) as conn:
        assert conn.execute("SELECT username FROM auth_user ORDER BY username").fetchall() == [
            ("alice",),
            ("bob",),
            ("irene",),
        ]


def corrupt_pages(path):
    """Overwrite the middle of the file: the header stays valid, the b-tree pages do not."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = b"\xa5" * 8192
    path.write_bytes(bytes(data))


def not_a_database(path):
    path.write_bytes(b"this is not a database\n" * 100)


def not_certprep(path):
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")


@pytest.mark.parametrize("damage", [corrupt_pages, not_a_database, not_certprep])
def test_a_damaged_sqlite_backup_is_refused_and_changes_nothing(server, damage):
    target = server / "certprep.sqlite3"
    backup = server / "damaged.sqlite3"
    backup_database(database={"ENGINE": SQLITE, "NAME": target}, output=backup)
    damage(backup)
    unchanged = digest(target)

    with pytest.raises(BackupError, match="Nothing was changed"):
        restore_database(database={"ENGINE": SQLITE, "NAME": target}, backup=backup, confirmed=True)

    assert digest(target) == unchanged
    assert sorted(p.name for p in server.iterdir()) == ["certprep.sqlite3", "damaged.sqlite3"]  # no temp file


# ---------------------------------------------------------------------------------------- online SQLite backup
def test_sqlite_backup_runs_while_a_writer_holds_the_lock_and_keeps_only_committed_rows(tmp_path):
    live = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, name TEXT)")
    writer.execute("INSERT INTO django_migrations (name) VALUES ('committed')")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO django_migrations (name) VALUES ('in flight')")

    backup = backup_database(
        database={"ENGINE": SQLITE, "NAME": live}, output=tmp_path / "b" / "copy.sqlite3"
    )
    writer.execute("COMMIT")
    writer.close()

    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT name FROM django_migrations").fetchall() == [("committed",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
    assert sorted(p.name for p in backup.parent.iterdir()) == ["copy.sqlite3"]  # no partial file left


def test_restore_is_refused_while_the_app_has_the_database_open(server):
    target = server / "certprep.sqlite3"
    backup = backup_database(database={"ENGINE": SQLITE, "NAME": target}, output=server / "b.sqlite3")
    reader = sqlite3.connect(target, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM auth_user").fetchone()  # an open read transaction, as a request has
    # A write after the reader started leaves WAL frames the reader still needs, so the log cannot be emptied.
    with sqlite3.connect(target) as writer:
        writer.execute("UPDATE auth_user SET email = 'x@school.example' WHERE username = 'bob'")
    try:
        with pytest.raises(BackupError, match="in use"):
            restore_database(database={"ENGINE": SQLITE, "NAME": target}, backup=backup, confirmed=True)
    finally:
        reader.close()


def test_restore_is_refused_while_the_app_keeps_an_idle_connection_open(server):
    # A worker thread keeps its connection between requests (persistent connections, on SQLite too): no
    # transaction is open, so the log empties, yet renaming the file under it would leave that connection
    # on the old database (its writes lost) while sharing the -wal and -shm files with the new one.
    target = server / "certprep.sqlite3"
    backup = backup_database(database={"ENGINE": SQLITE, "NAME": target}, output=server / "b.sqlite3")
    idle = sqlite3.connect(target, isolation_level=None)
    idle.execute("PRAGMA journal_mode=WAL")
    idle.execute("SELECT count(*) FROM auth_user").fetchone()
    try:
        with pytest.raises(BackupError, match="in use"):
            restore_database(database={"ENGINE": SQLITE, "NAME": target}, backup=backup, confirmed=True)
        assert idle.execute("SELECT count(*) FROM auth_user").fetchone()[0] > 0  # still the same database
    finally:
        idle.close()


def test_backup_names_a_missing_postgresql_tool(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    database = {"ENGINE": "django.db.backends.postgresql", "NAME": "certprep"}

    with pytest.raises(BackupError, match="pg_dump was not found on PATH.*postgresql-client"):
        backup_database(database=database, output=tmp_path / "x.pgdump")
