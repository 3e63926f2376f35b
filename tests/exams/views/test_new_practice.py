"""The New practice page: the modes offered, starting, short pools, and the limits it states."""

from django.urls import reverse

from apps.exams.models import Attempt
from apps.exams.modes.custom import MAX_CUSTOM_QUESTIONS
from apps.exams.modes.review import REVIEW
from tests.exams.views.helpers import soup_of, url
from tests.factories import make_exam, make_question_set, make_questions


def new_practice(client, **data):
    return client.post(reverse("exams:new"), {"exam": "TST-C01", "feedback": "end", **data})


def test_new_practice_offers_a_mock_for_an_exam_with_a_time_limit(signed_in, exam):
    page = soup_of(signed_in.get(reverse("exams:new"), {"exam": "TST-C01"}))
    modes = [radio["value"] for radio in page.select("input[name=mode]")]
    assert modes == ["mock", "custom", "retry", "review"]
    assert page.select_one("input[name=mode][checked]")["value"] == "mock"


def test_new_practice_does_not_offer_a_mock_when_the_time_limit_is_unknown(signed_in, exam):
    unknown = make_exam(code="MLA-C02", domains=[(1, "Data", 100, ["1.1"])])
    unknown.minutes = None
    unknown.save()
    page = soup_of(signed_in.get(reverse("exams:new"), {"exam": "MLA-C02"}))
    modes = [radio["value"] for radio in page.select("input[name=mode]")]
    assert "mock" not in modes
    assert page.select_one("input[name=mode][checked]")["value"] == "custom"


def test_new_practice_offers_a_mock_in_the_beta_format_and_says_so(signed_in, exam):
    beta = make_exam(code="MLA-C02", domains=[(1, "Data", 100, ["1.1"])])
    beta.minutes, beta.beta_questions, beta.beta_minutes = None, 85, 170
    beta.save()
    page = soup_of(signed_in.get(reverse("exams:new"), {"exam": "MLA-C02"}))
    assert "mock" in [radio["value"] for radio in page.select("input[name=mode]")]
    help_text = page.select_one(".mode-help").get_text(" ", strip=True)
    assert "85 questions" in help_text and "170 minutes" in help_text and "beta format" in help_text
    # The beta figures are reported, not official: the help links to the exam page that says how sure they are.
    assert page.select_one(".mode-help a")["href"] == beta.get_absolute_url()


def test_a_mock_for_an_exam_without_a_time_limit_is_refused(signed_in, exam):
    unknown = make_exam(code="MLA-C02", domains=[(1, "Data", 100, ["1.1"])])
    unknown.minutes = None
    unknown.save()
    public = make_question_set(exam=unknown, slug="mla-public", visibility="public")
    make_questions(question_set=public, count=3)
    response = new_practice(signed_in, exam="MLA-C02", mode="mock")
    assert response.status_code == 200
    assert not Attempt.objects.exists()


def test_starting_a_custom_practice_opens_its_first_question(signed_in, exam, bank, student):
    make_questions(question_set=bank, count=3, task_statement="2.1")
    make_questions(question_set=bank, count=3, task_statement="1.1")
    response = new_practice(signed_in, mode="custom", domains=["2"], count=3, timed="on")
    attempt = Attempt.objects.get(user=student)
    assert response["Location"] == url("question", attempt, 1)
    assert (attempt.mode, attempt.question_count) == ("custom", 3)
    assert set(attempt.slots.values_list("domain_number", flat=True)) == {2}
    assert attempt.config["minutes"] == 5  # 3 x 90 / 65 = 4.2, rounded up


def test_a_short_pool_asks_for_confirmation_before_starting(signed_in, exam, bank, student):
    make_questions(question_set=bank, count=2)
    response = new_practice(signed_in, mode="custom", domains=["1"], count=5)
    assert response.status_code == 200
    assert not Attempt.objects.exists()
    alert = soup_of(response).select_one("div[role=alert]")
    assert "Only 2 question(s) match what you chose, not 5." in alert.get_text()
    button = alert.find("button", attrs={"name": "confirm_short"})
    assert button.get_text() == "Start with 2 questions"

    response = new_practice(signed_in, mode="custom", domains=["1"], count=5, confirm_short=button["value"])
    attempt = Attempt.objects.get(user=student)
    assert response["Location"] == url("question", attempt, 1)
    assert attempt.question_count == 2


def test_a_short_mock_says_which_domains_are_missing_questions(signed_in, exam, bank):
    make_questions(question_set=bank, count=30, task_statement="1.1")  # a mock of 65 wants 39 and 26
    response = new_practice(signed_in, mode="mock")
    alert = soup_of(response).select_one("div[role=alert]").get_text()
    assert (
        "not enough questions to follow the blueprint (domain 1: 9 missing, domain 2: 26 missing)." in alert
    )
    assert not Attempt.objects.exists()


def test_no_matching_questions_is_said_plainly_and_starts_nothing(signed_in, exam):
    response = new_practice(signed_in, mode="custom", domains=["2"], count=5)
    assert "Only 0 question(s) match what you chose, not 5." in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_custom_practice_needs_a_count(signed_in, exam):
    response = new_practice(signed_in, mode="custom", domains=["1"], count="")
    assert "Choose how many questions you want." in response.content.decode()
    assert not Attempt.objects.exists()


def test_new_practice_states_the_limits_the_rules_apply(signed_in, exam, monkeypatch):
    monkeypatch.setattr(REVIEW, "max_questions", 7)
    page = soup_of(signed_in.get(reverse("exams:new"), {"exam": "TST-C01"}))
    count = page.select_one("input[name=count]")
    assert (count["min"], count["max"], count["value"]) == ("1", str(MAX_CUSTOM_QUESTIONS), "20")
    assert "longest overdue first (up to 7)" in page.get_text()


def test_the_retry_link_preselects_retry_mistakes(signed_in, exam):
    page = soup_of(signed_in.get(reverse("exams:new"), {"exam": "TST-C01", "mode": "retry"}))
    assert page.select_one("input[name=mode][checked]")["value"] == "retry"


def test_new_practice_needs_an_account(client, exam):
    response = client.get(reverse("exams:new"))
    assert response["Location"] == f"{reverse('login')}?next={reverse('exams:new')}"


def test_starting_a_mock_reads_only_what_the_start_needs(
    signed_in, exam, bank, student, django_assert_max_num_queries
):
    make_questions(question_set=bank, count=45, task_statement="1.1")
    make_questions(question_set=bank, count=30, task_statement="2.1")
    # The session and the user; the exams; the pool (the student's role asked in it) and the domains'
    # weights; the questions; a savepoint, the attempt, the slots (two batches on SQLite) and the release.
    # Not the form's domains and task statements, mistakes or due reviews: the page is not shown again.
    with django_assert_max_num_queries(11):
        response = new_practice(signed_in, mode="mock")
    attempt = Attempt.objects.get(user=student)
    assert response.url == url("question", attempt, 1)
