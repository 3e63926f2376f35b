"""`import_notes`: optional front matter, idempotent upserts, atomic failures with file:line messages."""

import re
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.content.models import Note
from tests.factories import make_exam, make_service

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


@pytest.fixture
def exam(db):
    exam = make_exam(code="TST-C01")
    make_service(slug="s3", name="Amazon S3", aliases=["Amazon Simple Storage Service"])
    return exam


def write(folder, name, text):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(path, exam="TST-C01", *options):
    out = StringIO()
    call_command("import_notes", str(path), "--exam", exam, *options, stdout=out)
    return out.getvalue()


def test_a_file_without_front_matter_is_titled_from_its_first_heading(exam, tmp_path):
    write(
        tmp_path, "storage/basics.md", "# Storage basics\n\nKeep data in Amazon S3.\n\n## Classes\n\nMore.\n"
    )
    output = run(tmp_path)
    note = Note.objects.get()
    assert "notes: 1 created, 0 updated, 0 unchanged" in output
    assert (note.exam, note.slug, note.title) == (exam, "storage-basics", "Storage basics")
    assert "Storage basics" not in note.body_html  # the heading became the page title, not a repeat
    assert list(note.services.values_list("slug", flat=True)) == ["s3"]  # mentioned by name


def test_front_matter_sets_title_tasks_services_order_and_summary(exam, tmp_path):
    write(
        tmp_path,
        "n.md",
        '---\ntitle: Picked title\ntask_statements: ["1.2", "2.1"]\nservices: [s3]\norder: 5\n'
        "summary: Short.\n---\n## Body\n\nText.\n",
    )
    run(tmp_path)
    note = Note.objects.get()
    assert (note.title, note.order, note.summary) == ("Picked title", 5, "Short.")
    assert sorted(note.task_statements.values_list("number", flat=True)) == ["1.2", "2.1"]


def test_a_file_without_any_heading_is_titled_from_its_name(exam, tmp_path):
    path = write(tmp_path, "lesson_three-notes.txt", "Just some transcript text.\n")
    run(path)
    assert Note.objects.get().title == "lesson three notes"


def test_importing_twice_changes_nothing_and_says_so(exam, tmp_path):
    write(tmp_path, "a.md", "# A\n\ntext\n")
    write(tmp_path, "b.md", "# B\n\ntext\n")
    run(tmp_path)
    first = {n.pk: n.updated_at for n in Note.objects.all()}
    output = run(tmp_path)
    assert "notes: 0 created, 0 updated, 2 unchanged" in output
    assert "Nothing changed" in output
    assert {n.pk: n.updated_at for n in Note.objects.all()} == first


def test_an_edited_file_updates_the_same_note(exam, tmp_path):
    path = write(tmp_path, "a.md", "# A\n\nold text\n")
    run(tmp_path)
    pk = Note.objects.get().pk
    path.write_text("# A\n\nnew text\n")
    assert "notes: 0 created, 1 updated, 0 unchanged" in run(tmp_path)
    note = Note.objects.get()
    assert note.pk == pk and "new text" in note.body_html


def test_one_bad_file_imports_nothing_and_reports_file_and_line(exam, tmp_path):
    write(tmp_path, "good.md", "# Good\n\ntext\n")
    write(tmp_path, "bad.md", '---\ntitle: Bad\ntask_statements: ["9.9"]\n---\ntext\n')
    with pytest.raises(CommandError) as failure:
        run(tmp_path)
    message = str(failure.value)
    assert "bad.md:3: TST-C01 has no task statement '9.9'" in message
    assert "nothing was changed" in message
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: [unclosed\n---\nbody\n", "x.md:3: front matter: YAML syntax error"),
        ("---\ntitle: T\ntags: {a: 1}\n---\nbody\n", "x.md:3: 'tags' must be a list"),
        ("---\ntitle: T\nsummary: [a, b]\n---\nbody\n", "x.md:3: 'summary' must be text"),
        ("---\ntitle: T\nservices: [nope]\n---\nbody\n", "x.md:3: unknown service 'nope'"),
        ("---\ntitle: T\norder: first\n---\nbody\n", "x.md:3: 'order' must be a whole number"),
        ("---\n- a\n- b\n---\nbody\n", "x.md:2: front matter must be a YAML mapping"),
        ("---\ntitle: T\nexam: NOPE-C01\n---\nbody\n", "x.md:3: unknown exam 'NOPE-C01'"),
    ],
)
def test_problems_are_reported_with_their_line(exam, tmp_path, text, expected):
    write(tmp_path, "x.md", text)
    with pytest.raises(CommandError) as failure:
        run(tmp_path)
    assert expected in str(failure.value)
    assert not Note.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_its_line(exam, tmp_path):
    (tmp_path / "latin.md").write_bytes("# Title\n\nline two\nna\xefve\n".encode("latin-1"))
    with pytest.raises(CommandError, match=r"latin.md:4: not UTF-8 text"):
        run(tmp_path)


def test_an_unknown_exam_or_missing_path_is_a_clear_error(exam, tmp_path):
    with pytest.raises(CommandError, match="unknown exam 'XYZ-C09'"):
        run(tmp_path, exam="XYZ-C09")
    with pytest.raises(CommandError, match="no such file or folder"):
        run(tmp_path / "missing")


def test_two_files_that_would_share_an_address_are_refused(exam, tmp_path):
    write(tmp_path, "a b.md", "# One\n\nx\n")
    write(tmp_path, "a-b.md", "# Two\n\ny\n")
    with pytest.raises(CommandError, match="is also used by"):
        run(tmp_path)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not next to the checkout")
def test_all_five_seed_documents_import_and_render(exam):
    output = run(SEEDS, "TST-C01", "--include-txt")
    assert "notes: 5 created" in output
    notes = {n.source_path.rsplit("/", 1)[-1]: n for n in Note.objects.all()}
    assert len(notes) == 5
    html = "".join(n.body_html for n in notes.values())
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select("div.mermaid")) >= 4
    assert len(soup.select("div.admonition")) >= 20
    assert len(soup.select("table")) == 5  # every pipe table of the seeds (all in 000_...)
    assert len(soup.select(".image-missing")) >= 3  # the /Users/... screenshots
    assert "/Users/" not in " ".join(img.get("src", "") for img in soup.select("img"))
    assert not soup.select("script, iframe, [onerror], [onload]")
    # Lists written under a line of text, and nested by 2 or 4 spaces, are lists (48 were run-on paragraphs).
    assert not [p for p in soup.select("p") if re.search(r"\n\s*([-*+] |\d+\. )", p.get_text())]
    assert len(soup.select("ul ul")) >= 200
    assert "notes: 0 created, 0 updated, 5 unchanged" in run(SEEDS, "TST-C01", "--include-txt")
