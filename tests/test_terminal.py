"""Progress bars of long-running commands: drawn on a terminal, nothing at all otherwise."""

import io

import pytest
from django.core.management import call_command

from apps.terminal import progress
from tests.factories import make_exam


class Terminal(io.StringIO):
    """A stream that says it is a terminal, keeping what was drawn on it."""

    def isatty(self):
        return True


def test_a_bar_with_steps_is_drawn_on_a_terminal():
    screen = Terminal()
    with progress(screen, "Work", total=3) as advance:
        for _ in range(3):
            advance()
    drawn = screen.getvalue()
    assert "Work" in drawn and "3/3" in drawn


def test_a_bar_without_steps_shows_the_time_spent():
    screen = Terminal()
    with progress(screen, "Backing up"):
        pass
    assert "Backing up" in screen.getvalue() and "00:00" in screen.getvalue()


def test_nothing_is_written_when_not_on_a_terminal():
    plain = io.StringIO()
    with progress(plain, "Work", total=3) as advance:
        advance()
    assert plain.getvalue() == ""


def bench(**streams):
    out = io.StringIO()
    call_command("make_bench_data", "--students", "3", stdout=out, **streams)
    return out.getvalue()


BENCH_OUTPUT = (
    "bench students: 3 created, 0 updated, 0 unchanged (bench-student-001 … bench-student-003, seed 42)\n"
)


@pytest.mark.django_db
def test_make_bench_data_output_is_unchanged_off_a_terminal_and_counts_students_on_one():
    errors = io.StringIO()
    assert bench(stderr=errors) == BENCH_OUTPUT
    assert errors.getvalue() == ""
    screen = Terminal()
    again = BENCH_OUTPUT.replace("3 created, 0 updated, 0 unchanged", "0 created, 0 updated, 3 unchanged")
    assert bench(stderr=screen) == again
    assert "Bench students" in screen.getvalue() and "3/3" in screen.getvalue()


@pytest.mark.django_db
def test_import_commands_write_no_bar_off_a_terminal(tmp_path):
    make_exam(code="TST-C01")
    (tmp_path / "basics.md").write_text("# Basics\n\nSome text.\n", encoding="utf-8")
    out, errors = io.StringIO(), io.StringIO()
    call_command("import_notes", str(tmp_path), "--exam", "TST-C01", stdout=out, stderr=errors)
    assert errors.getvalue() == ""
    assert "notes: 1 created, 0 updated, 0 unchanged" in out.getvalue()
    screen = Terminal()
    call_command("import_notes", str(tmp_path), "--exam", "TST-C01", stdout=io.StringIO(), stderr=screen)
    assert "Importing notes into TST-C01" in screen.getvalue()
