"""Sign-up: an account with a unique email, opened by the link mailed to it, sent on only to safe places; the
page answers the same whether or not the address already has an account."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

URL = reverse("accounts:signup")
GOOD = {
    "username": "carol",
    "email": "carol@example.org",
    "password1": "violet-kayak-1987",
    "password2": "violet-kayak-1987",
}


def page(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_signup_page_shows_labelled_fields(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    form = page(response).select_one(f"form[action='{URL}'][method='post']")
    for name in ("username", "email", "password1", "password2"):
        field = form.select_one(f"[name={name}]")
        assert form.select_one(f"label[for={field['id']}]") is not None
    assert form.select_one("[name=csrfmiddlewaretoken]") is not None


def activation_link():
    """The link of the last mail sent (the sign-up mail), as a path."""
    match = re.search(r"https?://[^/\s]+(/accounts/activate/\S+)", mail.outbox[-1].body)
    return match.group(1)


def test_signup_mails_a_link_that_opens_the_account_and_signs_in(client, db):
    response = client.post(URL, GOOD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup-sent")
    assert "carol@example.org" in client.get(response["Location"]).content.decode()
    user = get_user_model().objects.get(username="carol")
    assert (user.email, user.is_active, user.is_staff) == ("carol@example.org", False, False)
    assert user.check_password("violet-kayak-1987")
    assert "_auth_user_id" not in client.session
    assert mail.outbox[-1].to == ["carol@example.org"]

    link = activation_link()
    assert "Open my account" in client.get(link).content.decode()  # a GET (a mail scanner) opens nothing
    assert not get_user_model().objects.get(pk=user.pk).is_active
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:profile")
    assert get_user_model().objects.get(pk=user.pk).is_active
    assert int(client.session["_auth_user_id"]) == user.pk
    client.logout()
    assert client.post(link).status_code == 400  # once only


def test_the_page_and_the_mail_say_nothing_of_a_taken_address_to_the_visitor(client, db):
    owner = get_user_model().objects.create_user("dave", "dave@example.org", "dave-pass-1234")
    fresh = Client().post(URL, {**GOOD, "username": "erin", "email": "erin@example.org"})
    taken = client.post(URL, {**GOOD, "email": "Dave@Example.org"})
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert not get_user_model().objects.filter(username="carol").exists()
    # The owner of the address hears of it, and how to get back in; no second account shares the address.
    assert mail.outbox[-1].to == [owner.email]
    assert "your username is dave" in mail.outbox[-1].body
    assert "/accounts/password_reset/" in mail.outbox[-1].body
    assert get_user_model().objects.filter(email__iexact="dave@example.org").count() == 1


def test_a_sign_up_whose_link_was_never_followed_does_not_hold_the_address_for_good(client, db):
    # Someone else (or the owner, who lost the mail) signed up with the address and never opened the account:
    # "you already have an account" would lead to a password reset that ignores inactive accounts.
    Client().post(URL, {**GOOD, "username": "squatter", "password1": "squat-pass-1987", "password2": "squat-pass-1987"})
    stale_link = activation_link()
    response = client.post(URL, GOOD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:signup-sent")
    users = get_user_model().objects.filter(email__iexact=GOOD["email"])
    assert [u.username for u in users] == ["carol"]
    assert client.post(stale_link).status_code == 400
    assert client.post(activation_link()).status_code == 302
    assert get_user_model().objects.get(username="carol").is_active


def test_an_opened_account_keeps_its_address_even_when_later_deactivated(client, db):
    owner = get_user_model().objects.create_user("dave", GOOD["email"], "dave-pass-1234")
    get_user_model().objects.filter(pk=owner.pk).update(last_login="2026-01-01T00:00:00Z", is_active=False)
    client.post(URL, GOOD)
    assert list(get_user_model().objects.filter(email__iexact=GOOD["email"])) == [owner]
    assert "your username is dave" in mail.outbox[-1].body


def test_signup_goes_on_to_a_safe_next_page_once_the_account_is_open(client, db):
    client.post(URL, {**GOOD, "next": "/exams/aif-c01/"})
    response = client.post(activation_link())
    assert response["Location"] == "/exams/aif-c01/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_signup_ignores_an_unsafe_next_page(client, db, target):
    client.post(URL, {**GOOD, "next": target})
    response = client.post(activation_link())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")


@pytest.mark.parametrize("link", ["/accounts/activate/x/y/", "/accounts/activate/OTk5OTk5OTk5OTk5OTk5OTk5OQ/y/"])
def test_a_broken_link_says_so(client, db, link):
    assert client.get(link).status_code == 400


def test_an_unsafe_next_page_is_not_written_into_the_form(client, db):
    response = client.get(URL, {"next": "https://evil.example/"})
    assert page(response).select_one("input[name=next]")["value"] == ""


def test_a_taken_username_is_refused_whatever_its_case(client, student):
    response = client.post(URL, {**GOOD, "username": student.username.upper()})
    assert response.status_code == 200
    field = page(response).select_one("input[name=username]")
    assert field["aria-invalid"] == "true"
    assert "id_username_error" in field["aria-describedby"].split()
    assert "already exists" in page(response).select_one("#id_username_error").get_text()
    assert get_user_model().objects.count() == 1


def test_the_email_is_required(client, db):
    response = client.post(URL, {**GOOD, "email": ""})
    assert response.status_code == 200
    assert page(response).select_one("#id_email_error") is not None
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize(
    ("password", "reason"),
    [("short1", "too short"), ("password123", "too common"), ("83920174659", "entirely numeric")],
)
def test_a_weak_password_is_refused_with_the_reason(client, db, password, reason):
    response = client.post(URL, {**GOOD, "password1": password, "password2": password})
    assert response.status_code == 200
    assert reason in page(response).select_one("#id_password2_error").get_text()
    assert not get_user_model().objects.exists()
    assert "_auth_user_id" not in client.session


def test_passwords_that_differ_are_refused(client, db):
    response = client.post(URL, {**GOOD, "password2": "violet-kayak-1988"})
    assert response.status_code == 200
    assert "didn’t match" in page(response).select_one("#id_password2_error").get_text()


def test_a_logged_in_user_is_sent_to_the_profile(client, student):
    client.force_login(student)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_signup_answers_only_get_and_post(client, db, method):
    assert getattr(client, method)(URL).status_code == 405


def test_signup_needs_a_csrf_token(db):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, GOOD).status_code == 403
    assert not get_user_model().objects.exists()


def test_logged_out_visitors_see_log_in_and_sign_up_links(client, db):
    nav = page(client.get(URL)).select_one("nav[aria-label=Main]")
    assert nav.find("a", string="Log in") is not None
    assert nav.find("a", string="Sign up")["href"] == URL
    assert nav.find("a", string="Profile") is None


def test_logged_in_users_see_profile_and_log_out(client, student):
    client.force_login(student)
    nav = page(client.get(reverse("accounts:profile"))).select_one("nav[aria-label=Main]")
    assert nav.find("a", string="Profile")["aria-current"] == "page"
    assert nav.select_one(f"form[action='{reverse('logout')}'] button") is not None
    assert nav.find("a", string="Sign up") is None


def test_the_login_page_links_to_password_reset_and_sign_up_keeping_next(client, db):
    response = client.get(reverse("login"), {"next": "/exams/aif-c01/"})
    soup = page(response)
    assert soup.find("a", string="Forgot your password?")["href"] == reverse("password_reset")
    assert soup.find("a", string="Create an account")["href"] == f"{URL}?next=/exams/aif-c01/"
