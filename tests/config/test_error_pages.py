"""Errors never show a traceback to users: our own 404 and 500 pages, with DEBUG off."""

import pytest
from django.test import Client


@pytest.mark.django_db
def test_a_server_error_shows_the_plain_500_page_without_a_traceback(monkeypatch):
    def broken():
        raise RuntimeError("secret internals: /srv/app/settings.py")

    monkeypatch.setattr("apps.content.selectors.exams_for_home", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert "Traceback" not in body and "secret internals" not in body and "settings.py" not in body


@pytest.mark.django_db
def test_an_unknown_address_shows_the_friendly_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Using the URLconf" not in response.content.decode()
