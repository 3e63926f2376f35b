"""Notes from GitHub, Obsidian, MkDocs, Docusaurus and Jekyll import as their authors meant them.

Each folder under tests/content/dialects/ is a small hand-written note set in one tool's dialect."""

import shutil
import struct
import zlib
from io import StringIO
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command

from apps.content.markdown import render_markdown, sanitize
from apps.content.models import Note
from tests.factories import make_exam

DIALECTS = Path(__file__).parent / "dialects"


def tiny_png(rgb=(200, 40, 40), size=4):
    """A real PNG of `size`×`size` pixels of one colour."""
    raw = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")


def import_dialect(name, tmp_path, *options):
    folder = tmp_path / name
    shutil.copytree(DIALECTS / name, folder)
    if name == "obsidian":
        (folder / "attachments").mkdir()
        (folder / "attachments" / "diagram.png").write_bytes(tiny_png())
    out = StringIO()
    call_command("import_notes", str(folder), "--exam", "TST-C01", *options, stdout=out)
    return out.getvalue()


def soup_of(note):
    return BeautifulSoup(note.body_html, "html.parser")


# ---------------------------------------------------------------------------------------------- GitHub
def test_github_readme_lists_alerts_details_and_emoji(exam, tmp_path):
    import_dialect("github", tmp_path)
    note = Note.objects.get()
    soup = soup_of(note)
    assert note.title == "Study plan for the ML exam"  # the heading's ** are not shown raw
    outer = soup.select_one("ul")
    assert [
        li.find(string=True, recursive=False).strip() for li in outer.find_all("li", recursive=False)
    ] == [
        "Data ingestion",
        "Feature engineering",
    ]
    assert soup.select_one("ul > li > ul > li > ul > li").get_text(strip=True) == "Shards and partition keys"
    assert [li.get_text() for li in soup.select("ol > li")] == ["Read the guide", "Take a practice test"]
    assert not [p for p in soup.select("p") if "\n- " in p.get_text() or "\n1. " in p.get_text()]
    assert soup.select_one("div.admonition.tip .admonition-title").get_text() == "Tip"
    assert soup.select_one("div.admonition.warning p:not(.admonition-title)").get_text() == (
        "Practice tests are not the real exam."
    )
    assert soup.select_one("details strong").get_text() == "bold"
    assert "✅" in note.body_html and "🎉" in note.body_html and ":tada:" not in note.body_html
    assert not soup.select("img")  # emoji are characters, not images from a CDN


# ---------------------------------------------------------------------------------------------- Obsidian
def test_obsidian_vault_links_callouts_embeds_and_kept_front_matter(exam, tmp_path, client):
    output = import_dialect("obsidian", tmp_path)
    assert "notes: 2 created" in output
    assert (
        "Front-matter keys kept with the notes but not used: created (1 file), cssclasses (1 file)." in output
    )
    endpoints = Note.objects.get(title="Endpoints")
    batch = Note.objects.get(title="Batch transform")
    assert endpoints.tags == ["sagemaker", "inference"] and endpoints.aliases == ["Inference endpoints"]
    assert endpoints.extra_front_matter == {"created": "2026-01-02", "cssclasses": "wide"}
    soup = soup_of(endpoints)
    links = [(a.get_text(), a["href"]) for a in soup.select("a.wikilink")]
    batch_url = batch.get_absolute_url()
    assert links == [
        ("Batch transform", batch_url),
        ("offline jobs", batch_url),
        ("Batch transform › When to use", batch_url + "#when-to-use"),
    ]
    assert soup.select_one(".wikilink-unresolved").get_text() == "Missing note"
    assert soup_of(batch).select_one("a.wikilink")["href"] == endpoints.get_absolute_url()  # by alias
    assert soup.select_one("div.admonition.note .admonition-title").get_text() == "Worked example"
    folded = soup.select_one("details.admonition")
    assert folded.select_one("summary.admonition-title").get_text() == "Why not serverless?"
    assert not folded.has_attr("open")
    image = soup.select_one("img")
    assert image["src"].startswith("/media/notes/") and image["alt"] == "diagram.png"
    response = client.get(image["src"])
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == tiny_png()
    page = client.get(endpoints.get_absolute_url())
    assert (
        "[[" not in page.content.decode()
        and "created" not in BeautifulSoup(page.content, "html.parser").main.get_text()
    )


def test_a_link_to_a_note_imported_later_resolves_on_the_next_import(exam, tmp_path):
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / "a.md").write_text("# A\n\nSee [[B]].\n")
    call_command("import_notes", str(folder), "--exam", "TST-C01", stdout=StringIO())
    assert soup_of(Note.objects.get()).select_one(".wikilink-unresolved")
    (folder / "b.md").write_text("# B\n\ntext\n")
    out = StringIO()
    call_command("import_notes", str(folder), "--exam", "TST-C01", stdout=out)
    assert "notes: 1 created, 1 updated, 0 unchanged" in out.getvalue()
    assert soup_of(Note.objects.get(title="A")).select_one("a.wikilink")["href"].endswith("/notes/b/")


# ---------------------------------------------------------------------------------------------- MkDocs
def test_mkdocs_admonitions_collapsible_boxes_and_content_tabs(exam, tmp_path):
    output = import_dialect("mkdocs", tmp_path)
    assert "hide (1 file)" in output
    note = Note.objects.get()
    assert note.summary == "Overview of the deployment options."  # description means our summary
    soup = soup_of(note)
    assert soup.select_one("div.admonition.note .admonition-title").get_text() == "Pick by latency"
    closed = soup.select_one("details.admonition.note")
    assert closed.select_one("summary.admonition-title").get_text() == "Which one is cheapest?"
    assert [box["class"] for box in soup.select("div.admonition")][-1] == ["admonition", "note"]  # abstract
    tabs = soup.select_one("div.tabbed-set")
    radios = tabs.select("input[type=radio]")
    labels = tabs.select("label")
    assert [label.get_text() for label in labels] == ["Real-time", "Serverless"]
    assert [label["for"] for label in labels] == [radio["id"] for radio in radios]
    assert len({radio["name"] for radio in radios}) == 1 and radios[0].has_attr("checked")
    assert [block.get_text(strip=True) for block in tabs.select(".tabbed-block")] == [
        "Always-on instances.",
        "Scales to zero.",
    ]


# ---------------------------------------------------------------------------------------------- Docusaurus
def test_docusaurus_admonitions_with_titles(exam, tmp_path):
    output = import_dialect("docusaurus", tmp_path)
    assert "sidebar_label (1 file), sidebar_position (1 file)" in output
    note = Note.objects.get()
    assert note.title == "Getting started"
    soup = soup_of(note)
    boxes = [
        (box["class"][1], box.select_one(".admonition-title").get_text())
        for box in soup.select(".admonition")
    ]
    assert boxes == [("tip", "Remember this"), ("danger", "Do not"), ("note", "Info")]
    assert soup.select_one(".admonition.tip strong").get_text() == "managed"
    assert ":::" not in note.body_html


# ---------------------------------------------------------------------------------------------- Jekyll
def test_jekyll_posts_empty_files_and_what_is_not_a_note(exam, tmp_path):
    output = import_dialect("jekyll", tmp_path)
    assert "notes: 1 created" in output
    assert "empty.md: skipped, the file has no text" in output
    assert "categories (1 file), date (1 file), layout (1 file)" in output
    note = Note.objects.get()  # requirements.txt is not a note
    assert (note.title, note.summary) == ("Week one", "What I learned in week one.")
    assert note.extra_front_matter["date"].startswith("2026-01-05")
    assert [li.get_text() for li in soup_of(note).select("ul > li")] == [
        "Bedrock basics",
        "Prompt engineering",
    ]


def test_txt_files_are_read_when_asked(exam, tmp_path):
    output = import_dialect("jekyll", tmp_path, "--include-txt")
    assert "notes: 2 created" in output


# ---------------------------------------------------------------------------------------------- addresses
def test_non_latin_file_names_keep_readable_addresses(exam, tmp_path, client):
    folder = tmp_path / "ノート"
    folder.mkdir()
    (folder / "第1章 機械学習.md").write_text("# 機械学習の基礎\n\n本文。\n", encoding="utf-8")
    (folder / "模型部署.md").write_text("# 模型部署\n\n正文。\n", encoding="utf-8")
    call_command("import_notes", str(folder), "--exam", "TST-C01", stdout=StringIO())
    assert set(Note.objects.values_list("slug", flat=True)) == {"第1章-機械学習", "模型部署"}
    url = Note.objects.get(slug="模型部署").get_absolute_url()
    assert url == "/exams/tst-c01/notes/%E6%A8%A1%E5%9E%8B%E9%83%A8%E7%BD%B2/"
    assert "正文" in client.get(url).content.decode()
    assert client.post(url + "read/", {"read": "1"}).status_code == 302


# ---------------------------------------------------------------------------------------------- pipeline
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- a\n    - b\n        - c\n", ["a", "b", "c"]),  # 4 spaces, as Python-Markdown always wanted
        ("- a\n  - b\n    - c\n", ["a", "b", "c"]),  # 2 spaces, as GitHub and Prettier write
        ("1. a\n   - b\n", ["a", "b"]),  # under a numbered item: its text's column
    ],
)
def test_nested_lists_nest_at_any_indent_github_accepts(text, expected):
    soup = BeautifulSoup(render_markdown(text).html, "html.parser")
    depth, node = [], soup
    while (node := node.find(["ul", "ol"])) is not None:
        depth.append(node.find("li").find(string=True, recursive=False).strip())
    assert depth == expected


def test_only_a_list_starting_at_one_interrupts_a_paragraph():
    soup = BeautifulSoup(render_markdown("Prices rose in\n2024. Then they fell.\n").html, "html.parser")
    assert not soup.select("ol") and "2024. Then" in soup.get_text()
    soup = BeautifulSoup(render_markdown("Steps:\n1. one\n2. two\n").html, "html.parser")
    assert [li.get_text() for li in soup.select("ol > li")] == ["one", "two"]


def test_code_fences_are_left_as_written():
    text = "Config:\n```yaml\nitems:\n- a\n  - b\n```\n"
    code = BeautifulSoup(render_markdown(text).html, "html.parser").select_one("pre code").get_text()
    assert code == "items:\n- a\n  - b\n"


@pytest.mark.parametrize("kind", ["NOTE", "note", "Note"])
def test_github_alerts_in_any_case(kind):
    soup = BeautifulSoup(render_markdown(f"> [!{kind}]\n> text\n").html, "html.parser")
    assert soup.select_one("div.admonition.note .admonition-title").get_text() == "Note"


def test_an_obsidian_callout_folded_open_and_an_unknown_type():
    soup = BeautifulSoup(render_markdown("> [!recipe]+ Steps\n> one\n").html, "html.parser")
    box = soup.select_one("details.admonition.note")
    assert box.has_attr("open") and box.select_one("summary").get_text() == "Steps"


def test_an_embedded_note_becomes_a_link_to_it():
    soup = BeautifulSoup(render_markdown("![[Other note]]\n").html, "html.parser")
    assert soup.select_one(".wikilink-unresolved").get_text() == "Other note" and not soup.select("img")


def test_the_sanitizer_lets_through_content_tabs_and_nothing_more():
    html = sanitize(
        '<input type="radio" name="__tabbed_1" id="__tabbed_1_1"><label for="__tabbed_1_1">T</label>'
        '<input type="radio" name="login" id="password"><input type="text"><label for="elsewhere" onclick="x()">L</label>'
    )
    soup = BeautifulSoup(html, "html.parser")
    first, second, third = soup.select("input")
    assert (first["name"], first["id"], first["type"]) == ("__tabbed_1", "__tabbed_1_1", "radio")
    assert not second.has_attr("name") and not second.has_attr("id")
    assert not third.has_attr("type")
    labels = soup.select("label")
    assert labels[0]["for"] == "__tabbed_1_1" and not labels[1].attrs
