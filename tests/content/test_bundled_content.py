"""The shipped content: complete, substantial, loads twice without change, refused whole when broken."""

import re
import shutil
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.content.models import Exam, Note, Service, TaskStatement

pytestmark = pytest.mark.usefixtures("bundled_content")
METRICS = ["Accuracy", "Precision", "Recall", "F_1", "FPR", "RMSE", "MAE"]


@pytest.mark.django_db
def test_three_exams_with_their_blueprints():
    exams = {exam.code: exam for exam in Exam.objects.prefetch_related("domains")}
    assert set(exams) == {"AIF-C01", "MLA-C01", "MLA-C02"}
    assert exams["AIF-C01"].guide_version == "1.1" and exams["AIF-C01"].status == "current"
    assert exams["MLA-C01"].status == "retired" and exams["MLA-C01"].successor == exams["MLA-C02"]
    for exam in exams.values():
        assert sum(domain.weight for domain in exam.domains.all()) == 100
    assert [d.weight for d in exams["AIF-C01"].domains.all()] == [20, 24, 28, 14, 14]
    assert TaskStatement.objects.filter(exam__code="AIF-C01").count() == 14
    assert TaskStatement.objects.filter(exam__code="MLA-C01").count() == 12


@pytest.mark.django_db
def test_legacy_aif_c01_titles_are_kept_as_aliases():
    task = TaskStatement.objects.get(exam__code="AIF-C01", number="1.3")
    assert task.title == "Describe the AI/ML development lifecycle"
    assert "Describe the ML development lifecycle" in task.aliases


@pytest.mark.django_db
def test_unconfirmed_facts_are_marked_not_stated_as_certain():
    c02 = Exam.objects.get(code="MLA-C02")
    assert c02.minutes is None and c02.confidence["minutes"] == "unverified"
    assert Exam.objects.get(code="AIF-C01").confidence["minutes"] == "medium"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["AIF-C01", "MLA-C01"])
def test_every_task_statement_has_a_substantial_note(code):
    for task in TaskStatement.objects.filter(exam__code=code).prefetch_related("notes"):
        words = max((note.word_count for note in task.notes.all()), default=0)
        assert words >= 400, f"{code} {task.number} has no note of 400+ words"


@pytest.mark.django_db
def test_the_corpus_has_diagrams_formulas_tables_and_alerts():
    html = "".join(Note.objects.values_list("body_html", flat=True))
    assert html.count('class="mermaid"') >= 5
    assert html.count("<table") >= 26
    assert html.count('class="admonition') >= 26
    math = " ".join(chunk.split("</")[0] for chunk in html.split('class="arithmatex">')[1:])
    for metric in METRICS:
        assert metric.lower() in math.lower(), f"no formula mentions {metric}"


@pytest.mark.django_db
def test_lists_written_under_a_line_of_text_render_as_lists_in_every_bundled_note():
    notes = list(Note.objects.all())
    assert len(notes) == len(list((settings.CONTENT_DIR / "content").glob("*/*.md")))
    for note in notes:
        soup = BeautifulSoup(note.body_html, "html.parser")
        run_on = [p.get_text()[:60] for p in soup.select("p") if re.search(r"\n(- |\d+\. )", p.get_text())]
        assert not run_on, f"{note.slug}: a list rendered as a paragraph: {run_on}"
    note = Note.objects.get(exam__code="MLA-C01", slug="3-2-infrastructure-as-code")
    lead = BeautifulSoup(note.body_html, "html.parser").find(
        "p", string=re.compile("A container built from scratch")
    )
    assert lead.find_next_sibling().name == "ul"
    assert note.source.slug == "bundled" and note.relative_path == "mla-c01/3-2-infrastructure-as-code.md"


@pytest.mark.django_db
def test_every_mla_c02_task_statement_points_to_notes_that_still_apply():
    assert Note.objects.filter(exam__code="MLA-C02").exists()
    for task in TaskStatement.objects.filter(exam__code="MLA-C02"):
        related = task.related.filter(exam__code="MLA-C01")
        assert related.exists(), task
        assert Note.objects.filter(task_statements__in=related).exists(), task


@pytest.mark.django_db
def test_the_glossary_covers_the_in_scope_lists():
    assert Service.objects.count() >= 80
    assert Service.objects.filter(exams__code="AIF-C01").count() >= 55
    assert Service.objects.filter(exams__code="MLA-C01").count() >= 80
    for service in Service.objects.all():
        assert len(service.summary.split()) >= 40, service
    assert Service.objects.get(slug="lookout-for-vision").availability == "discontinued"


@pytest.mark.django_db
def test_notes_link_the_services_they_discuss():
    note = Note.objects.get(exam__code="MLA-C01", slug="4-1-monitor-model-inference")
    assert note.services.filter(slug="sagemaker-model-monitor").exists()


@pytest.mark.django_db
def test_loading_again_changes_nothing_and_says_so():
    out = StringIO()
    call_command("load_content", stdout=out)
    assert "Nothing changed: the database already matched." in out.getvalue()
    assert "notes: 0 created, 0 updated" in out.getvalue()


@pytest.mark.django_db
def test_a_broken_file_is_refused_with_its_line_and_nothing_changes(tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(settings.CONTENT_DIR, root)
    note = root / "content" / "aif-c01" / "1-1-ai-concepts.md"
    note.write_text(note.read_text().replace("Explain", "Explain", 1) + "\nA brand new closing sentence.\n")
    blueprint = root / "blueprints" / "mla-c02.yaml"
    blueprint.write_text(blueprint.read_text().replace("weight: 28", "weight: 27", 1))
    before = Note.objects.get(slug="1-1-ai-concepts").body_md
    with pytest.raises(CommandError) as failure:
        call_command("load_content", "--root", str(root))
    assert "mla-c02.yaml:" in str(failure.value) and "domain weights add up to 99, not 100" in str(
        failure.value
    )
    assert Note.objects.get(slug="1-1-ai-concepts").body_md == before


@pytest.mark.django_db
def test_a_problem_found_while_writing_rolls_back_what_was_already_written(tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(settings.CONTENT_DIR, root)
    blueprint = root / "blueprints" / "aif-c01.yaml"
    blueprint.write_text(
        blueprint.read_text().replace("title: AWS Certified AI Practitioner", "title: Renamed", 1)
    )
    note = root / "content" / "mla-c01" / "2-1-choose-modeling-approach.md"
    note.write_text(note.read_text().replace("services: [", "services: [no-such-service, ", 1))
    with pytest.raises(
        CommandError, match=r"2-1-choose-modeling-approach.md:\d+: unknown service 'no-such-service'"
    ):
        call_command("load_content", "--root", str(root))
    assert Exam.objects.get(code="AIF-C01").title == "AWS Certified AI Practitioner"


@pytest.mark.django_db
def test_a_link_removed_from_a_blueprint_is_removed_on_both_sides(tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(settings.CONTENT_DIR, root)
    c02 = TaskStatement.objects.get(exam__code="MLA-C02", number="2.3")
    assert c02.related.filter(exam__code="AIF-C01", number="3.4").exists()
    blueprint = root / "blueprints" / "mla-c02.yaml"
    text = blueprint.read_text()
    assert '"AIF-C01 3.4"' in text
    blueprint.write_text(text.replace(', "AIF-C01 3.4"', "").replace('"AIF-C01 3.4", ', ""))
    call_command("load_content", "--root", str(root), stdout=StringIO())
    assert not c02.related.filter(exam__code="AIF-C01", number="3.4").exists()
    aif = TaskStatement.objects.get(exam__code="AIF-C01", number="3.4")
    assert not aif.related.filter(exam__code="MLA-C02").exists()
