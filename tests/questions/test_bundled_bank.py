"""The question bank that ships: two full mocks per exam, every task statement, every kind, current answers."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.content.models import Service, TaskStatement
from apps.questions.models import Question


@pytest.fixture(scope="module")
def bank(django_db_setup, django_db_blocker):
    from apps.content.models import Exam
    from apps.questions.models import QuestionSet

    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)
        call_command("load_bank", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        QuestionSet.objects.all().delete()  # cascades to questions
        Exam.objects.all().delete()  # cascades to domains, task statements and notes
        Service.objects.all().delete()


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bank")]


@pytest.mark.parametrize("code", ["AIF-C01", "MLA-C01"])
def test_each_exam_has_two_full_mocks_of_published_questions(code):
    published = Question.objects.published().filter(question_set__exam__code=code)
    assert published.count() >= 130
    kinds = Counter(published.values_list("kind", flat=True))
    assert kinds["multiple_response"] >= 8 and kinds["ordering"] >= 5 and kinds["matching"] >= 5


@pytest.mark.parametrize("code", ["AIF-C01", "MLA-C01"])
def test_every_task_statement_has_at_least_five_questions_in_proportion_to_weights(code):
    published = Question.objects.published().filter(question_set__exam__code=code)
    per_task = Counter(published.values_list("task_statement__number", flat=True))
    tasks = TaskStatement.objects.filter(exam__code=code).select_related("domain")
    for task in tasks:
        assert per_task[task.number] >= 5, task
    total = published.count()
    per_domain = Counter()
    for task in tasks:
        per_domain[task.domain] += per_task[task.number]
    for domain, count in per_domain.items():
        share = 100 * count / total
        assert abs(share - domain.weight) <= 4, (
            f"{domain}: {share:.0f}% of questions for a {domain.weight}% domain"
        )


def test_every_published_question_explains_itself_and_every_choice():
    for question in Question.objects.published().prefetch_related("choices"):
        assert question.explanation_html.strip(), question
        for choice in question.choices.all():
            assert choice.rationale_md.strip(), (question, choice)


def test_no_correct_answer_is_a_service_closed_to_new_customers():
    closed = Service.objects.exclude(availability=Service.Availability.AVAILABLE)
    names = [name for service in closed for name in (service.name, *service.aliases) if len(name) > 4]
    pattern = re.compile("|".join(re.escape(name) for name in names))
    for question in Question.objects.published().prefetch_related("choices"):
        for choice in question.choices.filter(is_correct=True):
            assert not pattern.search(choice.text_md), f"{question.external_id}: {choice.text_md}"


def test_stems_are_scenarios_not_one_liners():
    stems = list(Question.objects.published().values_list("stem_md", flat=True))
    long_enough = [stem for stem in stems if len(stem.split()) >= 25]
    assert len(long_enough) / len(stems) >= 0.7


def test_the_bank_is_clean_by_check_bank_and_loading_again_changes_nothing():
    out = StringIO()
    call_command("check_bank", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert lines[-3].startswith("0 error(s)")
    assert re.fullmatch(
        r"AIF-C01: \d+ published \(multiple choice \d+, multiple response \d+, ordering \d+, "
        r"matching \d+\)",
        lines[-2],
    )
    again = StringIO()
    call_command("load_bank", stdout=again)
    assert " 0 created, 0 updated" in again.getvalue()


def test_bundled_files_are_the_ones_in_fixtures():
    files = sorted(p.name for p in (settings.CONTENT_DIR / "questions").glob("*/*.yaml"))
    assert len(files) >= 7
