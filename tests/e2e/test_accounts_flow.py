"""A student signs up, picks a target exam on the profile, logs out and logs in again in a real browser."""

import datetime
import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.models import Profile
from tests.e2e.conftest import screenshot
from tests.factories import make_exam

PASSWORD = "violet-kayak-1987"


def test_sign_up_set_a_target_exam_log_out_and_log_in_again(live_server, page, transactional_db):
    exam = make_exam(code="TST-C01", title="Test Certification")
    exam_day = timezone.localdate() + datetime.timedelta(days=21)

    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Email address").fill("carol@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    screenshot(page, "signup-desktop")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    link = re.search(r"https?://\S+/accounts/activate/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Open my account").click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    expect(page.get_by_role("status")).to_contain_text("Welcome, carol")
    page.get_by_label("Exam you are preparing for").select_option(label="TST-C01 Test Certification")
    page.get_by_label("Planned exam date").fill(exam_day.isoformat())
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile was saved.")
    expect(page.locator(".days-left")).to_contain_text("21 days until your exam (TST-C01)")
    screenshot(page, "profile-desktop")
    profile = Profile.objects.get(user__username="carol")
    assert (profile.target_exam_id, profile.exam_date) == (exam.pk, exam_day)

    page.get_by_role("button", name="Log out carol").click()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    nav.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    expect(page.locator(".days-left")).to_contain_text("21 days")
    expect(page.get_by_label("Exam you are preparing for")).to_have_value(str(exam.pk))
    assert page.js_errors == []


def test_sign_up_errors_are_shown_next_to_the_fields_on_a_phone(live_server, phone_page, transactional_db):
    get_user_model().objects.create_user("carol", "carol@example.org", "carol-pass-1234")
    phone_page.goto(live_server.url + "/accounts/signup/")
    phone_page.get_by_label("Username").fill("Carol")
    phone_page.get_by_label("Email address").fill("carol@example.org")
    phone_page.get_by_label("Password", exact=True).fill("short")
    phone_page.get_by_label("Password confirmation").fill("short")
    phone_page.get_by_role("button", name="Create account").click()
    username = phone_page.get_by_label("Username")
    expect(username).to_have_attribute("aria-invalid", "true")
    expect(username).to_have_accessible_description(re.compile("already exists"))
    # Whether an account uses the address is never said on the page (its owner gets a mail instead).
    expect(phone_page.get_by_label("Email address")).not_to_have_attribute("aria-invalid", "true")
    # Nothing on the page is wider than the phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "signup-phone-errors")


def test_the_profile_fits_a_phone(live_server, phone_page, transactional_db):
    exam = make_exam(code="TST-C01", title="Test Certification")
    user = get_user_model().objects.create_user("carol", "carol@example.org", "carol-pass-1234")
    Profile.objects.create(
        user=user, target_exam=exam, exam_date=timezone.localdate() + datetime.timedelta(days=9)
    )
    phone_page.goto(live_server.url + "/accounts/login/")
    phone_page.get_by_label("Username").fill("carol")
    phone_page.get_by_label("Password").fill("carol-pass-1234")
    phone_page.get_by_role("button", name="Log in").click()
    phone_page.goto(live_server.url + "/accounts/profile/")
    expect(phone_page.locator(".days-left")).to_contain_text("9 days")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "profile-phone")
