"""Images inside an imported folder come along with the notes; nothing outside the folder does."""

import os
import shutil
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse

from apps.content import media
from apps.content.models import Note, NoteMedia
from apps.content.services import save_note
from tests.content.test_dialects import tiny_png
from tests.factories import make_exam


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "course"
    (folder / "img").mkdir(parents=True)
    (folder / "img" / "chart.png").write_bytes(tiny_png())
    return folder


def run(folder):
    out = StringIO()
    call_command("import_notes", str(folder), "--exam", "TST-C01", stdout=out)
    return out.getvalue()


def images_of(note):
    soup = BeautifulSoup(note.body_html, "html.parser")
    return soup.select("img"), soup.select(".image-missing")


def test_a_relative_image_is_stored_once_and_served_with_its_type(exam, folder, client):
    (folder / "a.md").write_text("# A\n\n![Latency chart](img/chart.png)\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "b.md").write_text("# B\n\n![Same chart](../img/chart.png)\n")
    output = run(folder)
    assert "images: 1 created" in output
    assert NoteMedia.objects.count() == 1
    (image,), missing = images_of(Note.objects.get(title="A"))
    assert not missing and image["alt"] == "Latency chart"
    response = client.get(image["src"])
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert response.content == tiny_png()
    assert images_of(Note.objects.get(title="B"))[0][0]["src"] == image["src"]
    assert "notes: 0 created, 0 updated, 2 unchanged" in run(folder)


@pytest.mark.parametrize(
    "reference",
    ["../outside.png", "../../../../../etc/passwd", "/etc/passwd", "img/../../outside.png", "missing.png"],
)
def test_images_outside_the_folder_or_missing_stay_placeholders(exam, folder, reference):
    (folder.parent / "outside.png").write_bytes(tiny_png())
    (folder / "a.md").write_text(f"# A\n\n![Secret]({reference})\n")
    output = run(folder)
    images, (placeholder,) = images_of(Note.objects.get())
    assert not images and "Secret" in placeholder.get_text()
    assert not NoteMedia.objects.exists()
    if not reference.startswith("/"):
        assert f"image '{reference}' is not in the imported folder" in output


def test_a_symlink_out_of_the_folder_is_not_followed(exam, folder):
    (folder.parent / "private.png").write_bytes(tiny_png((1, 2, 3)))
    os.symlink(folder.parent / "private.png", folder / "img" / "link.png")
    (folder / "a.md").write_text("# A\n\n![x](img/link.png) ![[link.png]]\n")
    run(folder)
    images, missing = images_of(Note.objects.get())
    assert not images and len(missing) == 2
    assert not NoteMedia.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("fake.png", b"<script>alert(1)</script>", "not a PNG, JPEG, GIF or WebP image"),
        ("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG images are not imported"),
    ],
)
def test_files_that_are_not_safe_images_are_refused_by_their_content(exam, folder, name, data, reason):
    (folder / "img" / name).write_bytes(data)
    (folder / "a.md").write_text(f"# A\n\n![x](img/{name})\n")
    output = run(folder)
    assert f"a.md: img/{name}: {reason}" in output
    assert images_of(Note.objects.get())[1] and not NoteMedia.objects.exists()


def test_an_image_over_the_size_limit_is_named_with_its_size(exam, folder, monkeypatch):
    monkeypatch.setattr(media, "MAX_IMAGE_BYTES", 50)
    (folder / "a.md").write_text("# A\n\n![x](img/chart.png)\n")
    output = run(folder)
    assert "a.md: img/chart.png: the image is 0.0 MB, more than the 0 MB allowed per image" in output
    assert not NoteMedia.objects.exists()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xff\xd8\xff\xe0rest", ("image/jpeg", "jpg")),
        (b"GIF89a....", ("image/gif", "gif")),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", ("image/webp", "webp")),
        (b"\x89PNG\r\n\x1a\nrest", ("image/png", "png")),
        (b"<svg/>", None),
    ],
)
def test_image_types_are_told_by_their_first_bytes(data, kind):
    assert media.sniff(data) == kind


def test_an_unknown_image_or_a_wrong_extension_is_404(exam, folder, client):
    (folder / "a.md").write_text("# A\n\n![x](img/chart.png)\n")
    run(folder)
    digest = NoteMedia.objects.get().digest
    assert client.get(reverse("content:note-media", args=[digest, "png"])).status_code == 200
    assert client.get(reverse("content:note-media", args=[digest, "gif"])).status_code == 404
    assert client.get(reverse("content:note-media", args=["0" * 64, "png"])).status_code == 404
    assert client.post(reverse("content:note-media", args=[digest, "png"])).status_code == 405


def test_a_changed_image_updates_the_note_that_shows_it(exam, folder):
    (folder / "a.md").write_text("# A\n\n![x](img/chart.png)\n")
    run(folder)
    before = images_of(Note.objects.get())[0][0]["src"]
    (folder / "img" / "chart.png").write_bytes(tiny_png((0, 255, 0)))
    assert "notes: 0 created, 1 updated, 0 unchanged" in run(folder)
    assert images_of(Note.objects.get())[0][0]["src"] != before


def test_an_imported_note_edited_in_the_admin_keeps_its_images_and_links(exam, folder):
    (folder / "a.md").write_text("# A\n\n![x](img/chart.png) ![[chart.png]] See [[b]].\n")
    (folder / "b.md").write_text("# B\n\ntext\n")
    run(folder)
    shutil.rmtree(folder)  # the folder is gone: the stored copies are what count now
    note = Note.objects.get(title="A")
    note.body_md += "\nEdited here.\n"
    save_note(note=note)
    note.refresh_from_db()
    images, missing = images_of(note)
    assert len(images) == 2 and not missing and "Edited here." in note.body_html
    soup = BeautifulSoup(note.body_html, "html.parser")
    assert soup.select_one("a.wikilink")["href"] == Note.objects.get(title="B").get_absolute_url()
