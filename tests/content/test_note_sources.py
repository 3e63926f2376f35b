"""Notes belong to a source: one imported folder never replaces another's notes, nor the bundled ones."""

import importlib
import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.content.models import Note, NoteSource
from tests.factories import make_exam, make_note

BUNDLED_NOTE = "---\ntitle: Bundled AI concepts\nexam: AIF-C01\n---\n## Intro\n\nShipped text.\n"


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(path, *options, exam="TST-C01"):
    out = StringIO()
    call_command("import_notes", str(path), "--exam", exam, *options, stdout=out)
    return out.getvalue()


def test_a_second_folder_with_the_same_file_name_gets_its_own_address(exam, tmp_path):
    write(tmp_path / "course-a", "README.md", "# Course A\n\nFirst folder.\n")
    write(tmp_path / "course-b", "README.md", "# Course B\n\nSecond folder.\n")
    run(tmp_path / "course-a")
    output = run(tmp_path / "course-b")
    assert "notes: 1 created, 0 updated, 0 unchanged" in output
    assert "README.md: /exams/tst-c01/notes/readme/ is the address of 'Course A' (course-a)" in output
    assert "this note is at /exams/tst-c01/notes/course-b-readme/" in output
    notes = {n.slug: n for n in Note.objects.select_related("source")}
    assert set(notes) == {"readme", "course-b-readme"}
    assert "First folder." in notes["readme"].body_html and notes["readme"].source.slug == "course-a"
    assert "Second folder." in notes["course-b-readme"].body_html


def test_importing_a_source_again_updates_only_its_own_notes(exam, tmp_path):
    write(tmp_path / "course-a", "README.md", "# A\n\nold\n")
    changed = write(tmp_path / "course-b", "README.md", "# B\n\nold\n")
    run(tmp_path / "course-a")
    run(tmp_path / "course-b")
    changed.write_text("# B\n\nnew\n")
    assert "notes: 0 created, 1 updated, 0 unchanged" in run(tmp_path / "course-b")
    assert "old" in Note.objects.get(slug="readme").body_html
    assert "new" in Note.objects.get(slug="course-b-readme").body_html
    assert "notes: 0 created, 0 updated, 1 unchanged" in run(tmp_path / "course-a")


def test_a_folder_named_like_another_source_is_refused_unless_a_source_is_given(exam, tmp_path):
    write(tmp_path / "one" / "notes", "a.md", "# One\n\nfirst\n")
    write(tmp_path / "two" / "notes", "a.md", "# Two\n\nsecond\n")
    run(tmp_path / "one" / "notes")
    with pytest.raises(CommandError, match="pass --source notes, to keep both pass another --source NAME"):
        run(tmp_path / "two" / "notes")
    assert "first" in Note.objects.get().body_html
    run(tmp_path / "two" / "notes", "--source", "Second notes")
    assert Note.objects.count() == 2
    assert NoteSource.objects.get(slug="second-notes").notes.get().title == "Two"


def test_the_bundled_source_name_is_kept_for_the_shipped_notes(exam, tmp_path):
    write(tmp_path, "a.md", "# A\n\ntext\n")
    with pytest.raises(CommandError, match="the source name 'bundled' is kept"):
        run(tmp_path, "--source", "bundled")


def test_notes_written_in_the_admin_are_never_replaced_by_an_import(exam, tmp_path):
    make_note(exam=exam, slug="a", title="Written here", body="Mine.\n")
    write(tmp_path / "folder", "a.md", "# Imported\n\ntheirs\n")
    output = run(tmp_path / "folder")
    assert "is the address of 'Written here' (written in the admin)" in output
    assert Note.objects.get(slug="a").title == "Written here"
    assert Note.objects.get(slug="folder-a").title == "Imported"


def test_a_note_removed_from_the_folder_is_kept_and_reported(exam, tmp_path):
    write(tmp_path / "f", "a.md", "# A\n\ntext\n")
    gone = write(tmp_path / "f", "b.md", "# B\n\ntext\n")
    run(tmp_path / "f")
    gone.unlink()
    output = run(tmp_path / "f")
    assert "1 note(s) imported earlier from 'f' are no longer in the folder; they were kept" in output
    assert Note.objects.count() == 2


def test_a_single_file_belongs_to_its_folders_source(exam, tmp_path):
    one = write(tmp_path / "course", "a.md", "# A\n\nv1\n")
    write(tmp_path / "course", "b.md", "# B\n\ntext\n")
    run(one)
    assert "notes: 1 created, 0 updated, 1 unchanged" in run(tmp_path / "course")
    assert NoteSource.objects.get().slug == "course" and Note.objects.count() == 2


# ---------------------------------------------------------------------------------------------- bundled
@pytest.fixture
def small_fixtures(tmp_path):
    """The real blueprints and glossary with one small bundled note, so load_content runs fast."""
    root = tmp_path / "fixtures"
    root.mkdir()
    shutil.copytree(settings.CONTENT_DIR / "blueprints", root / "blueprints")
    shutil.copy(settings.CONTENT_DIR / "services.yaml", root / "services.yaml")
    write(root / "content" / "aif-c01", "1-1-ai-concepts.md", BUNDLED_NOTE)
    return root


def load(root):
    out = StringIO()
    call_command("load_content", "--root", str(root), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_user_file_named_like_a_bundled_note_does_not_replace_it(small_fixtures, tmp_path):
    load(small_fixtures)
    write(tmp_path / "mine", "1-1-ai-concepts.md", "# My own AI concepts\n\nMy words.\n")
    output = run(tmp_path / "mine", exam="AIF-C01")
    assert "this note is at /exams/aif-c01/notes/mine-1-1-ai-concepts/" in output
    bundled = Note.objects.get(slug="1-1-ai-concepts")
    assert bundled.title == "Bundled AI concepts" and bundled.source.slug == NoteSource.BUNDLED
    # The next load_content touches only bundled notes: the user's note survives it, unchanged.
    output = load(small_fixtures)
    assert "notes: 0 created, 0 updated, 1 unchanged" in output
    mine = Note.objects.get(slug="mine-1-1-ai-concepts")
    assert "My words." in mine.body_html and mine.source.slug == "mine"


@pytest.mark.django_db
def test_a_bundled_note_takes_its_address_back_and_the_imported_note_moves(small_fixtures, tmp_path):
    load(small_fixtures)
    write(
        small_fixtures / "content" / "aif-c01", "2-1-genai.md", BUNDLED_NOTE.replace("AI concepts", "GenAI")
    )
    write(tmp_path / "mine", "2-1-genai.md", "# Mine first\n\nImported before the bundled one shipped.\n")
    run(tmp_path / "mine", exam="AIF-C01")
    assert Note.objects.get(slug="2-1-genai").title == "Mine first"
    output = load(small_fixtures)
    assert "notes: 1 created, 0 updated, 1 unchanged" in output
    assert "The note 'Mine first' (mine) moved from /exams/aif-c01/notes/2-1-genai/" in output
    assert Note.objects.get(slug="2-1-genai").title == "Bundled GenAI"
    assert Note.objects.get(slug="mine-2-1-genai").title == "Mine first"


@pytest.mark.django_db
def test_load_content_removes_only_bundled_notes_that_are_gone(small_fixtures, tmp_path):
    write(small_fixtures / "content" / "aif-c01", "old.md", BUNDLED_NOTE.replace("AI concepts", "Old"))
    load(small_fixtures)
    write(tmp_path / "mine", "old.md", "# Mine\n\ntext\n")
    run(tmp_path / "mine", exam="AIF-C01")
    (small_fixtures / "content" / "aif-c01" / "old.md").unlink()
    assert "notes: 0 created, 0 updated, 1 unchanged, 1 removed" in load(small_fixtures)
    assert Note.objects.filter(source__slug="mine").count() == 1


# ---------------------------------------------------------------------------------------------- migration
@pytest.mark.parametrize(
    ("source_path", "slug", "expected"),
    [
        ("notes/domain-1/inference.md", "domain-1-inference", ("notes", "domain-1/inference.md")),
        ("/home/me/course/README.md", "readme", ("course", "README.md")),
        ("single.md", "single", ("", "single.md")),
        ("elsewhere/renamed.md", "other-slug", ("", "elsewhere/renamed.md")),
    ],
)
def test_notes_imported_before_sources_find_their_folder(source_path, slug, expected):
    migration = importlib.import_module("apps.content.migrations.0004_note_sources")
    assert migration._legacy_place(source_path, slug) == expected


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_notes_their_sources():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("content", "0003_exam_beta_format")])
    old = executor.loader.project_state([("content", "0003_exam_beta_format")]).apps
    Exam = old.get_model("content", "Exam")
    Note = old.get_model("content", "Note")
    exam = Exam.objects.create(code="OLD-C01", slug="old-c01", title="Old", level="associate")

    other_exam = Exam.objects.create(code="OLD-C02", slug="old-c02", title="Old 2", level="associate")

    def note(slug, source_path, exam=exam):
        Note.objects.create(
            exam=exam, slug=slug, title=slug, source_path=source_path, body_md="x", body_html="x"
        )

    note("1-1-ai-concepts", "bundled:aif-c01/1-1-ai-concepts.md")
    note("readme", "/home/me/course/README.md")
    note("domain-1-inference", "course/domain-1/inference.md")
    note("readme", "/elsewhere/course/README.md", exam=other_exam)  # another folder named "course"
    note("typed-here", "")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("content"))
    from apps.content.models import Note as CurrentNote

    placed = {
        (n.exam.code, n.slug): (n.source.slug if n.source else None, n.relative_path)
        for n in CurrentNote.objects.select_related("source", "exam")
    }
    assert placed[("OLD-C01", "1-1-ai-concepts")] == ("bundled", "aif-c01/1-1-ai-concepts.md")
    assert placed[("OLD-C01", "readme")] == ("course", "README.md")
    assert placed[("OLD-C01", "domain-1-inference")] == ("course", "domain-1/inference.md")
    second = placed[("OLD-C02", "readme")]
    assert second[0] == "legacy" and second[1].endswith("/README.md")
    assert placed[("OLD-C01", "typed-here")] == (None, "")
