"""The question bank that ships: two full mocks per exam, every task statement, every kind, current answers."""

import contextlib
import re
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.content.models import Service, TaskStatement
from apps.questions import bank_rules
from apps.questions.models import Question
from apps.questions.selectors import exam_contexts, service_matcher


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


def test_no_correct_answer_is_a_service_the_guide_does_not_list_and_aws_no_longer_offers():
    """A closed or discontinued service may be a key only where the exam's guide lists it (in scope, or named in
    an objective): what the guide names is part of the exam whatever its availability."""
    matcher = service_matcher()
    gone = set(
        Service.objects.exclude(availability=Service.Availability.AVAILABLE).values_list("slug", flat=True)
    )
    for code, context in exam_contexts().items():
        listed = set(Service.objects.filter(exams__code=code).values_list("slug", flat=True))
        for objective in bank_rules.objective_texts(context.objectives_by_task).values():
            listed |= matcher.find(objective)
        keys = Question.objects.published().filter(question_set__exam__code=code, choices__is_correct=True)
        for external_id, text in keys.values_list("external_id", "choices__text_md"):
            assert not (matcher.find(text) & (gone - listed)), f"{external_id}: {text}"


def test_stems_are_scenarios_not_one_liners():
    stems = list(Question.objects.published().values_list("stem_md", flat=True))
    long_enough = [stem for stem in stems if len(stem.split()) >= 25]
    assert len(long_enough) / len(stems) >= 0.7


CUES = re.compile(
    r"([A-Z0-9]+-[A-Z0-9]+) cues: longest-key (\d+)% of \d+ single-answer, longest-k full credit (\d+)% of \d+ "
    r"multiple-response, best strategy ([+-]\d+) points over guessing"
)
SUMMARY = re.compile(
    r"([A-Z0-9]+-[A-Z0-9]+): \d+ published \(multiple choice \d+, multiple response \d+, ordering \d+, "
    r"matching \d+\)"
)
COVERAGE = re.compile(
    r"([A-Z0-9]+-[A-Z0-9]+) coverage: (\d+)/(\d+) objectives with \d+\+ questions, (\d+)/(\d+) guide services "
    r"tested"
)


def test_the_bank_is_clean_by_check_bank_and_loading_again_changes_nothing():
    """What `make check-bank` runs: every bank file, judged as a file and as part of its exam."""
    files = sorted(str(p) for p in (settings.CONTENT_DIR / "questions").glob("*/*.yaml"))
    out = StringIO()
    with contextlib.suppress(CommandError):
        call_command("check_bank", "--file", *files, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert [line for line in lines if line.startswith("error: ")] == []
    assert any(line.startswith("0 error(s)") for line in lines)
    summaries = [line for line in lines if SUMMARY.fullmatch(line)]
    assert {SUMMARY.fullmatch(line)[1] for line in summaries} >= {"AIF-C01", "MLA-C01"}
    cues = {m[1]: m for line in lines if (m := CUES.fullmatch(line))}
    coverage = {m[1]: m for line in lines if (m := COVERAGE.fullmatch(line))}
    assert set(cues) == set(coverage) == {SUMMARY.fullmatch(line)[1] for line in summaries}
    for code, match in cues.items():
        _, longest, longest_k, gain = match.groups()
        assert int(longest) <= 30 and int(longest_k) <= 15 and abs(int(gain)) <= 10, code
    for code in bank_rules.STANDARDS:  # the exams whose coverage is a rule
        _, covered, objectives, tested, services = coverage[code].groups()
        assert covered == objectives and tested == services, code
    again = StringIO()
    call_command("load_bank", stdout=again)
    assert " 0 created, 0 updated" in again.getvalue()


def test_bundled_files_are_the_ones_in_fixtures():
    files = sorted(p.name for p in (settings.CONTENT_DIR / "questions").glob("*/*.yaml"))
    assert len(files) >= 7
