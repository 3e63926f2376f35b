"""Login throttling (django-axes): failures count per username *and* client IP together."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from config.auth import client_ip

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
CLASSROOM_IP = "192.0.2.10"


def attempt(client, username, password, url=LOGIN, ip=CLASSROOM_IP, **headers):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip, **headers)


def locked(response):
    return response.status_code == 429 and b"Too many failed log-ins" in response.content


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password="alice-pass-1234")


def test_six_wrong_passwords_lock_that_account_from_that_address(client, alice, settings):
    assert settings.AXES_FAILURE_LIMIT == 6 and settings.AXES_LOCKOUT_PARAMETERS == [
        ["username", "ip_address"]
    ]
    for _ in range(5):
        response = attempt(client, "alice", "wrong")
        assert response.status_code == 200 and not locked(response)  # the form again, with an error
    response = attempt(client, "alice", "wrong")
    assert locked(response)
    assert b"15 minutes" in response.content and b"alice" in response.content
    # Locked: even the right password is refused from this address...
    assert locked(attempt(client, "alice", "alice-pass-1234"))
    assert "_auth_user_id" not in client.session
    # ...but not from another computer, and other accounts on this one are untouched.
    assert attempt(client, "alice", "alice-pass-1234", ip="198.51.100.7").status_code == 302


def test_a_lockout_ends_after_the_cool_off(client, alice, settings):
    for _ in range(6):
        attempt(client, "alice", "wrong")
    assert locked(attempt(client, "alice", "alice-pass-1234"))
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time="2000-01-01T00:00:00Z")  # as if 15 minutes had passed
    assert attempt(client, "alice", "alice-pass-1234").status_code == 302


def test_a_successful_login_resets_the_count(client, alice):
    for _ in range(5):
        attempt(client, "alice", "wrong")
    assert attempt(client, "alice", "alice-pass-1234").status_code == 302
    client.logout()
    for _ in range(5):
        assert not locked(attempt(client, "alice", "wrong"))


def test_thirty_students_behind_one_address_are_not_locked_out(client, db):
    users = get_user_model()
    for number in range(30):
        users.objects.create_user(f"student{number:02}", password=f"pass-{number}-abcd")
    for number in range(30):
        # Typos happen: every student gets the password wrong twice before getting it right.
        for _ in range(2):
            assert not locked(attempt(client, f"student{number:02}", "typo"))
        response = attempt(client, f"student{number:02}", f"pass-{number}-abcd")
        assert response.status_code == 302, f"student{number:02} could not log in"
        client.logout()


def test_the_admin_login_is_throttled_too(client, db):
    get_user_model().objects.create_superuser("root", password="root-pass-1234")
    for _ in range(5):
        assert not locked(attempt(client, "root", "wrong", url=ADMIN_LOGIN))
    assert locked(attempt(client, "root", "wrong", url=ADMIN_LOGIN))
    assert locked(attempt(client, "root", "root-pass-1234", url=ADMIN_LOGIN))
    # A lockout on the admin login is the same lockout on the site's login (same username and address).
    assert locked(attempt(client, "root", "root-pass-1234"))


def test_signing_up_still_logs_the_new_account_in(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "newbie",
            "email": "newbie@example.org",
            "password1": "a-long-pass-9876",
            "password2": "a-long-pass-9876",
        },
    )
    assert response.status_code == 302
    link = re.search(r"https?://[^/\s]+(/accounts/activate/\S+)", mail.outbox[-1].body).group(1)
    client.post(link)  # the mailed link opens the account and signs it in
    assert client.session["_auth_user_id"]


def test_a_forged_forwarded_for_header_is_ignored_without_a_trusted_proxy(client, alice, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for number in range(6):
        attempt(client, "alice", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert locked(attempt(client, "alice", "alice-pass-1234", HTTP_X_FORWARDED_FOR="203.0.113.99"))


def test_client_address_behind_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.1")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "198.51.100.7"  # "1.2.3.4" was written by the client and is not trusted
    settings.TRUSTED_PROXY_COUNT = 5
    assert client_ip(request) == "10.0.0.2"  # fewer hops than configured: the connection's address
