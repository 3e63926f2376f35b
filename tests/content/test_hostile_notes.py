"""Hostile note files, glossary and blueprint YAML, and note admin posts: clear `file:line` errors, never a crash."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.content.glossary import parse_glossary
from apps.content.markdown_limits import MAX_NESTING
from apps.content.models import Note
from apps.content.problems import Problems
from tests.factories import make_exam


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")


def refused(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(CommandError) as caught:
        call_command("import_notes", str(path), "--exam", "TST-C01", stdout=StringIO())
    assert not Note.objects.exists()
    return str(caught.value).split("\n")[0].removeprefix(f"{path}:")


def test_an_alias_bomb_in_front_matter_is_refused_with_its_line(exam, tmp_path):
    front = "---\ntitle: Bomb\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n---\n"
    problem = refused(tmp_path, "bomb.md", front + "Body.\n")
    assert problem.startswith("3: front matter: YAML not accepted: anchors and aliases")


def test_markdown_beyond_the_limits_is_refused_with_its_file_line(exam, tmp_path):
    text = "---\ntitle: Deep\n---\n\nFirst paragraph.\n\n" + "> " * 40 + "deep\n"
    assert refused(tmp_path, "deep.md", text) == f"7: nesting deeper than {MAX_NESTING}"


def test_a_bracket_run_is_refused_at_once(exam, tmp_path):
    assert refused(tmp_path, "brackets.md", "# Brackets\n\n" + "[" * 16000 + "\n") == (
        "3: more than 32 unclosed '['"
    )


@pytest.mark.parametrize(
    ("front", "problem"),
    [
        (f"title: {'t' * 301}", "2: 'title' is longer than 300 characters (301)"),
        (f"summary: {'s' * 501}", "2: 'summary' is longer than 500 characters (501)"),
    ],
    ids=["title", "summary"],
)
def test_front_matter_longer_than_its_column_is_refused(exam, tmp_path, front, problem):
    assert refused(tmp_path, "long.md", f"---\n{front}\n---\nBody.\n") == problem


def test_nul_bytes_are_refused_with_their_line(exam, tmp_path):
    assert refused(tmp_path, "nul.md", "# Title\n\nA\0B\n").startswith("3: a NUL character")


def test_glossary_and_blueprint_yaml_refuse_aliases_too(tmp_path):
    problems = Problems()
    text = "services:\n  - &s {slug: a, name: A}\n  - *s\n"
    assert parse_glossary(tmp_path / "services.yaml", text, problems) == []
    assert problems == [
        f"{tmp_path / 'services.yaml'}:2: YAML not accepted: anchors and aliases (& and *) "
        "are not allowed; write each value out"
    ]


def test_the_note_admin_shows_markdown_beyond_the_limits_as_a_form_error(client, admin, exam):
    client.force_login(admin)
    data = {
        "exam": exam.pk,
        "title": "Deep",
        "slug": "deep",
        "summary": "",
        "order": "1",
        "body_md": "> " * 400,
    }
    response = client.post(reverse("admin:content_note_add"), data)
    assert response.status_code == 200
    assert "This Markdown cannot be shown: nesting deeper than" in response.content.decode()
    assert not Note.objects.exists()


@pytest.mark.parametrize("exam_id", ["²", "①"])
def test_the_note_admin_shows_an_exam_id_that_is_no_number_as_a_form_error(client, admin, exam, exam_id):
    client.force_login(admin)
    data = {"exam": exam_id, "title": "Odd", "slug": "odd", "summary": "", "order": "1", "body_md": "Text"}
    response = client.post(reverse("admin:content_note_add"), data)
    assert response.status_code == 200
    assert not Note.objects.exists()
