"""The question bank that ships: two full mocks per exam, every task statement, every kind, current answers."""

import contextlib
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
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


# The exams people sit now (issue #14): the bank's size and shape, and what it gives a student.
def _published(code):
    return Question.objects.published().filter(question_set__exam__code=code)


def test_aif_c01_has_seven_full_mocks_of_every_kind():
    published = _published("AIF-C01")
    assert published.count() >= 455
    kinds = Counter(published.values_list("kind", flat=True))
    assert kinds["multiple_response"] >= 40 and kinds["ordering"] >= 15 and kinds["matching"] >= 15
    per_task = Counter(published.values_list("task_statement__number", flat=True))
    assert min(per_task.values()) >= 20 and len(per_task) == 14


def test_mla_c02_has_five_full_mocks_of_the_guides_kinds():
    published = _published("MLA-C02")
    assert published.count() >= 325
    assert set(published.values_list("kind", flat=True)) == {"multiple_choice", "multiple_response"}
    per_task = Counter(published.values_list("task_statement__number", flat=True))
    assert min(per_task.values()) >= 15 and len(per_task) == 12


def _mock(student, code, number, now):
    from apps.content.models import Exam
    from apps.exams.models import Attempt
    from apps.exams.services import PracticeRequest, plan_attempt, start_attempt, submit_attempt

    request = PracticeRequest(exam=Exam.objects.get(code=code), mode=Attempt.Mode.MOCK)
    plan = plan_attempt(user=student, request=request, seed=f"{code}-{number}")
    attempt = start_attempt(user=student, request=request, plan=plan, now=now, seed=f"{code}-{number}")
    submit_attempt(attempt=attempt, now=now + timedelta(minutes=30))
    return plan


def test_seven_aif_c01_mocks_in_a_row_repeat_no_question(student):
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    seen: set[int] = set()
    for number in range(7):
        plan = _mock(student, "AIF-C01", number, start + timedelta(days=number))
        assert not plan.problem and len(plan.question_ids) == 65
        assert not seen & set(plan.question_ids), f"mock {number + 1} repeats a question"
        seen |= set(plan.question_ids)


def test_a_new_student_gets_a_full_mla_c02_mock_in_the_beta_format(student):
    plan = _mock(student, "MLA-C02", 0, datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert (len(plan.question_ids), plan.minutes, plan.problem) == (85, 170, "")
