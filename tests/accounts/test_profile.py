"""The profile page: target exam and exam date, days left, and who may see it."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Profile
from apps.accounts.services import profile_for
from tests.factories import make_exam

URL = reverse("accounts:profile")


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01", title="Test Certification")


def test_profile_for_creates_one_empty_profile_and_returns_it_again(student):
    first = profile_for(student)
    assert (first.target_exam, first.exam_date) == (None, None)
    assert profile_for(student) == first
    assert Profile.objects.count() == 1
    assert student.profile == first


def test_days_until_exam_counts_from_the_given_day():
    today = datetime.date(2026, 3, 1)
    assert Profile(exam_date=datetime.date(2026, 3, 31)).days_until_exam(today) == 30
    assert Profile(exam_date=today).days_until_exam(today) == 0
    assert Profile(exam_date=datetime.date(2026, 2, 27)).days_until_exam(today) == -2
    assert Profile().days_until_exam(today) is None


def test_the_profile_needs_a_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"
    assert client.post(URL, {"exam_date": ""}).status_code == 302
    assert not Profile.objects.exists()


def test_the_profile_page_offers_every_exam(client, student, exam):
    make_exam(code="OLD-C01", title="Old Certification", status="retired", domains=[(1, "D", 100, ["1.1"])])
    client.force_login(student)
    response = client.get(URL)
    assert response.status_code == 200
    options = [o.get_text() for o in page(response).select("select[name=target_exam] option")]
    assert options == ["Not chosen yet", "OLD-C01 Old Certification (retired)", "TST-C01 Test Certification"]
    assert page(response).select_one("input[name=exam_date]")["min"] == timezone.localdate().isoformat()


def test_saving_the_target_exam_and_date(client, student, exam):
    client.force_login(student)
    response = client.post(URL, {"target_exam": exam.pk, "exam_date": in_days(30).isoformat()})
    assert response.status_code == 302
    assert response["Location"] == URL
    profile = Profile.objects.get(user=student)
    assert (profile.target_exam, profile.exam_date) == (exam, in_days(30))
    followed = client.get(URL)
    assert "Your profile was saved." in followed.content.decode()
    assert "30 days" in page(followed).select_one(".days-left").get_text()
    assert "TST-C01" in page(followed).select_one(".days-left").get_text()


def test_both_fields_may_be_cleared(client, student, exam):
    Profile.objects.create(user=student, target_exam=exam, exam_date=in_days(5))
    client.force_login(student)
    assert client.post(URL, {"target_exam": "", "exam_date": ""}).status_code == 302
    profile = Profile.objects.get(user=student)
    assert (profile.target_exam, profile.exam_date) == (None, None)


def test_a_date_in_the_past_is_refused_with_a_clear_message(client, student, exam):
    client.force_login(student)
    response = client.post(URL, {"target_exam": exam.pk, "exam_date": in_days(-1).isoformat()})
    assert response.status_code == 200
    field = page(response).select_one("input[name=exam_date]")
    assert field["aria-invalid"] == "true"
    assert field["aria-describedby"].split() == ["id_exam_date_helptext", "id_exam_date_error"]
    assert "That date has passed" in page(response).select_one("#id_exam_date_error").get_text()
    profile = Profile.objects.get(user=student)
    assert (profile.target_exam, profile.exam_date) == (None, None)


def test_today_is_accepted_and_shown_as_today(client, student, exam):
    client.force_login(student)
    client.post(URL, {"target_exam": exam.pk, "exam_date": in_days(0).isoformat()})
    assert "is today" in page(client.get(URL)).select_one(".days-left").get_text()


def test_one_day_left_is_said_in_the_singular(client, student, exam):
    Profile.objects.create(user=student, target_exam=exam, exam_date=in_days(1))
    client.force_login(student)
    text = page(client.get(URL)).select_one(".days-left").get_text()
    assert "1 day until your exam" in text


def test_a_passed_exam_date_is_said_plainly_and_may_stay_while_the_exam_changes(client, student, exam):
    other = make_exam(code="OTH-C01", title="Other Certification", domains=[(1, "D", 100, ["1.1"])])
    Profile.objects.create(user=student, target_exam=exam, exam_date=in_days(-3))
    client.force_login(student)
    assert "has passed" in page(client.get(URL)).select_one(".days-left").get_text()
    response = client.post(URL, {"target_exam": other.pk, "exam_date": in_days(-3).isoformat()})
    assert response.status_code == 302
    assert Profile.objects.get(user=student).target_exam == other


def test_an_invalid_form_keeps_the_summary_of_what_is_saved(client, student, exam):
    Profile.objects.create(user=student, target_exam=exam, exam_date=in_days(10))
    client.force_login(student)
    response = client.post(URL, {"target_exam": exam.pk, "exam_date": in_days(-10).isoformat()})
    assert "10 days" in page(response).select_one(".days-left").get_text()


def test_an_unknown_exam_is_refused(client, student, exam):
    client.force_login(student)
    response = client.post(URL, {"target_exam": 999_999, "exam_date": ""})
    assert response.status_code == 200
    assert page(response).select_one("select[name=target_exam]")["aria-invalid"] == "true"


def test_each_user_edits_only_their_own_profile(client, student, other_student, exam):
    Profile.objects.create(user=other_student, exam_date=in_days(50))
    client.force_login(student)
    client.post(URL, {"target_exam": exam.pk, "exam_date": in_days(20).isoformat()})
    assert Profile.objects.get(user=other_student).exam_date == in_days(50)
    assert Profile.objects.get(user=student).exam_date == in_days(20)


@pytest.mark.parametrize("extra_exams", [0, 10])
def test_the_profile_page_reads_a_fixed_number_of_queries(
    client, student, exam, extra_exams, django_assert_max_num_queries
):
    for number in range(extra_exams):
        make_exam(code=f"X{number:02d}-C01", title=f"Exam {number}", domains=[(1, "D", 100, ["1.1"])])
    Profile.objects.create(user=student, target_exam=exam, exam_date=in_days(3))
    client.force_login(student)
    # session, user, profile, its exam, the exam choices
    with django_assert_max_num_queries(5):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_the_profile_answers_only_get_and_post(client, student, method):
    client.force_login(student)
    assert getattr(client, method)(URL).status_code == 405


def test_saving_the_profile_needs_a_csrf_token(student, exam):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(student)
    assert strict.post(URL, {"target_exam": exam.pk, "exam_date": ""}).status_code == 403
    assert not Profile.objects.filter(target_exam=exam).exists()
