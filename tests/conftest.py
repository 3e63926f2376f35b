"""Shared fixtures: personas and the bundled content."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashers are slow on purpose; tests only need passwords to round-trip.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(username, **extra):
    return get_user_model().objects.create_user(username=username, password=f"{username}-pass-1234", **extra)


@pytest.fixture
def student(db):
    return _user("alice")


@pytest.fixture
def other_student(db):
    return _user("bob")


@pytest.fixture
def instructor(db):
    return _user("irene", is_staff=True)


@pytest.fixture
def other_instructor(db):
    return _user("oscar", is_staff=True)


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser(username="root", password="root-pass-1234")


@pytest.fixture(scope="module")
def bundled_content(django_db_setup, django_db_blocker):
    """The shipped blueprints, glossary and notes, loaded once for a test module and removed after it."""
    from apps.content.models import Exam, NoteSource, Service

    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)
    yield
    with django_db_blocker.unblock():
        Exam.objects.all().delete()  # cascades to domains, task statements and notes
        Service.objects.all().delete()
        NoteSource.objects.all().delete()
