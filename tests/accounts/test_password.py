"""Password change and password reset through Django's views with our templates."""

import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

NEW = "amber-lantern-4821"


def page(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def carol(db):
    return get_user_model().objects.create_user("carol", "carol@example.org", "carol-pass-1234")


def test_password_change_needs_a_login(client, db):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_password_change_page_has_labelled_fields(client, carol):
    client.force_login(carol)
    soup = page(client.get(reverse("password_change")))
    for name in ("old_password", "new_password1", "new_password2"):
        field = soup.select_one(f"input[name={name}]")
        assert soup.select_one(f"label[for={field['id']}]") is not None


def test_changing_the_password_keeps_the_user_logged_in(client, carol):
    client.force_login(carol)
    response = client.post(
        reverse("password_change"),
        {"old_password": "carol-pass-1234", "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert "Your new password is set" in response.content.decode()
    carol.refresh_from_db()
    assert carol.check_password(NEW)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_wrong_old_password_is_refused_next_to_the_field(client, carol):
    client.force_login(carol)
    response = client.post(
        reverse("password_change"), {"old_password": "nope", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 200
    assert page(response).select_one("input[name=old_password]")["aria-invalid"] == "true"
    assert page(response).select_one("#id_old_password_error") is not None
    carol.refresh_from_db()
    assert carol.check_password("carol-pass-1234")


def test_password_change_needs_a_csrf_token(carol):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(carol)
    data = {"old_password": "carol-pass-1234", "new_password1": NEW, "new_password2": NEW}
    assert strict.post(reverse("password_change"), data).status_code == 403
    carol.refresh_from_db()
    assert carol.check_password("carol-pass-1234")


def reset_link(message):
    match = re.search(r"https?://testserver(/accounts/reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_password_reset_emails_a_link_that_sets_a_new_password(client, carol):
    response = client.post(reverse("password_reset"), {"email": "Carol@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["carol@example.org"]
    assert message.subject == "Reset your certprep password"
    assert message.from_email == "certprep@localhost"
    assert "Hello carol" in message.body

    # Django swaps the token in the link for a session entry, then shows the form on a token-less URL.
    response = client.get(reset_link(message))
    assert response.status_code == 302
    form_url = response["Location"]
    assert page(client.get(form_url)).select_one("input[name=new_password1]") is not None
    response = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("password_reset_complete")
    assert "Your new password is ready" in client.get(response["Location"]).content.decode()

    response = client.post(reverse("login"), {"username": "carol", "password": NEW})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == carol.pk


def test_a_used_reset_link_no_longer_works(client, carol):
    client.post(reverse("password_reset"), {"email": "carol@example.org"})
    link = reset_link(mail.outbox[0])
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    response = Client().get(link, follow=True)
    assert "This link no longer works" in response.content.decode()
    assert page(response).select_one("input[name=new_password1]") is None


def test_a_weak_new_password_is_refused_on_the_reset_form(client, carol):
    client.post(reverse("password_reset"), {"email": "carol@example.org"})
    form_url = client.get(reset_link(mail.outbox[0]))["Location"]
    response = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert page(response).select_one("#id_new_password2_error") is not None
    carol.refresh_from_db()
    assert carol.check_password("carol-pass-1234")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, carol):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_needs_a_csrf_token(carol):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("password_reset"), {"email": "carol@example.org"}).status_code == 403
    assert mail.outbox == []


def test_logging_out_needs_a_post(client, carol):
    client.force_login(carol)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
