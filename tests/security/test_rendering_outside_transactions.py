"""Markdown is rendered before a write transaction opens: one instructor's import or admin save never holds the
site-wide write lock (SQLite) while it renders, so students' saves go on."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from apps.content import markdown as markdown_module
from apps.questions.models import Question, Scenario
from apps.questions.roles import INSTRUCTORS
from tests.factories import make_exam, make_question, make_question_set
from tests.questions.admin.helpers import MR_CHOICES, new_question_post

BANK = """\
scenarios:
  - {id: shop, title: A shop, text: "A shop sells **widgets**."}
questions:
  - id: q1
    kind: multiple_choice
    task_statement: "1.1"
    status: published
    scenario: shop
    stem: Which service *stores* widgets?
    choices:
      - {text: Amazon Widget Store, correct: true, rationale: It stores.}
      - {text: Amazon Gadget Queue}
      - {text: AWS Lambda}
      - {text: Amazon SNS}
    explanation: The store **stores**.
"""


@pytest.fixture
def render_depths(monkeypatch):
    """How many transactions were open each time Markdown was rendered, above the test's own."""
    baseline = len(connection.atomic_blocks)
    depths = []
    original = markdown_module._render_markdown

    def spy(text, **options):
        depths.append(len(connection.atomic_blocks) - baseline)
        return original(text, **options)

    monkeypatch.setattr(markdown_module, "_render_markdown", spy)
    return depths


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")


def rendered_outside_transactions(depths):
    assert depths, "something was rendered"
    return all(depth == 0 for depth in depths)


def test_import_questions_renders_before_its_transaction(exam, tmp_path, render_depths):
    path = tmp_path / "bank.yaml"
    path.write_text(BANK, encoding="utf-8")
    call_command("import_questions", str(path), "--set", "new", "--exam", "TST-C01", stdout=StringIO())
    assert Question.objects.get().stem_html == "<p>Which service <em>stores</em> widgets?</p>"
    assert Question.objects.get().choices.first().text_html == "Amazon Widget Store"
    assert Scenario.objects.get().text_html == "<p>A shop sells <strong>widgets</strong>.</p>"
    assert rendered_outside_transactions(render_depths)


def test_load_bank_renders_before_its_transaction(exam, tmp_path, render_depths):
    (tmp_path / "tst").mkdir()
    header = "set: {slug: tst-bank, title: Test bank, exam: TST-C01}\n"
    (tmp_path / "tst" / "bank.yaml").write_text(header + BANK, encoding="utf-8")
    call_command("load_bank", "--root", str(tmp_path), stdout=StringIO())
    assert Question.objects.get().explanation_html == "<p>The store <strong>stores</strong>.</p>"
    assert rendered_outside_transactions(render_depths)


def test_import_notes_renders_before_its_transaction(exam, tmp_path, render_depths):
    (tmp_path / "note.md").write_text("# A note\n\nSome **bold** text.\n", encoding="utf-8")
    call_command("import_notes", str(tmp_path), "--exam", "TST-C01", stdout=StringIO())
    assert rendered_outside_transactions(render_depths)


@pytest.fixture
def as_instructor(client, instructor):
    instructor.groups.add(Group.objects.get(name=INSTRUCTORS))
    client.force_login(instructor)
    return client


def test_an_admin_upload_renders_before_its_transaction(as_instructor, instructor, exam, render_depths):
    own_set = make_question_set(exam=exam, slug="irene-bank", owner=instructor)
    upload = SimpleUploadedFile("bank.yaml", BANK.encode())
    url = reverse("admin:questions_questionset_import", args=[own_set.pk])
    assert as_instructor.post(url, {"file": upload, "format": ""}).status_code == 302
    assert rendered_outside_transactions(render_depths)


def test_an_admin_question_save_renders_before_the_admins_transaction(
    as_instructor, instructor, exam, render_depths
):
    own_set = make_question_set(exam=exam, slug="irene-bank", owner=instructor)
    task = exam.task_statements.get(number="1.1")
    data = new_question_post(question_set=own_set, task_statement=task, stem="Which *two*? (Choose TWO.)")
    response = as_instructor.post(reverse("admin:questions_question_add"), data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.stem_html == "<p>Which <em>two</em>? (Choose TWO.)</p>"
    assert [c.text_html for c in question.choices.all()] == [text for text, _, _ in MR_CHOICES]
    assert rendered_outside_transactions(render_depths)


def test_admin_scenario_and_note_saves_render_before_the_admins_transaction(
    client, admin, exam, render_depths
):
    client.force_login(admin)
    own_set = make_question_set(exam=exam, slug="bank")
    data = {"question_set": own_set.pk, "external_id": "shop", "title": "Shop", "text_md": "A **shop**."}
    assert client.post(reverse("admin:questions_scenario_add"), data).status_code == 302
    assert Scenario.objects.get().text_html == "<p>A <strong>shop</strong>.</p>"
    note = {"exam": exam.pk, "title": "Note", "slug": "note", "summary": "", "order": "1", "body_md": "**Hi**"}
    assert client.post(reverse("admin:content_note_add"), note).status_code == 302
    assert rendered_outside_transactions(render_depths)


def test_duplicating_a_question_copies_its_html_without_rendering(as_instructor, instructor, exam, render_depths):
    own_set = make_question_set(exam=exam, slug="irene-bank", owner=instructor)
    question = make_question(question_set=own_set, stem="Which *one*?")
    render_depths.clear()
    url = reverse("admin:questions_question_duplicate", args=[question.pk])
    assert as_instructor.post(url).status_code == 302
    copy = Question.objects.exclude(pk=question.pk).get()
    assert copy.stem_html == question.stem_html and copy.stem_html
    assert render_depths == []


def test_saves_go_on_while_a_slow_import_renders(tmp_path):
    """A real file database with a 1-second busy timeout: before the fix, every save made while the import
    rendered (several seconds, inside BEGIN IMMEDIATE) failed with "database is locked"."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SQLITE_BUSY_TIMEOUT": "1",
        "DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.security.write_lock_probe", str(tmp_path)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert "questions: 12 created" in summary["import"]
    assert summary["saves"] >= 5, summary  # the import ran long enough for saves to meet it
    assert summary["locked"] == 0, summary


def test_load_content_renders_a_changed_bundled_note_before_its_transaction(db, tmp_path, render_depths):
    import shutil

    from apps.content.importers import load_content

    root = tmp_path / "fixtures"
    shutil.copytree(settings.BASE_DIR / "fixtures" / "blueprints", root / "blueprints")
    shutil.copy(settings.BASE_DIR / "fixtures" / "services.yaml", root / "services.yaml")
    note = root / "content" / "aif-c01" / "1-1-ai-concepts.md"
    note.parent.mkdir(parents=True)
    shutil.copy(settings.BASE_DIR / "fixtures" / "content" / "aif-c01" / note.name, note)
    load_content(root=root)  # a first load: the exams do not exist before its transaction
    render_depths.clear()
    note.write_text(note.read_text(encoding="utf-8") + "\n## One more section\n\nMore text.\n", encoding="utf-8")
    report = load_content(root=root)
    assert report.counts["notes"]["updated"] == 1
    assert rendered_outside_transactions(render_depths)
