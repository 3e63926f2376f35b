"""Reading progress: kept in the session for visitors, in the database for students, merged at login."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.content.models import NoteRead
from apps.content.services import READ_NOTES_KEY, merge_session_reads, read_note_ids, set_note_read
from tests.factories import make_exam, make_note

HTMX = {"HTTP_HX_REQUEST": "true"}
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01", title="Test Certification")


@pytest.fixture
def notes(exam):
    """Two notes on task statement 1.1, one of them also on 1.2; 2.1 has none."""
    first = make_note(exam=exam, slug="first", title="First", tasks=["1.1", "1.2"], order=1)
    second = make_note(exam=exam, slug="second", title="Second", tasks=["1.1"], order=2)
    return first, second


def page(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def mark(client, note, read="1", **extra):
    return client.post(
        reverse("content:note-read", args=[note.exam.slug, note.slug]), {"read": read}, **extra
    )


def log_in(client, user):
    """Through the real login form, so the login signal runs as it does for a student."""
    response = client.post(
        reverse("login"), {"username": user.username, "password": f"{user.username}-pass-1234"}
    )
    assert response.status_code == 302, "the login should succeed"


def home_progress(client):
    # A signed-in student's home is their dashboard, which shows the same exam cards.
    return page(client.get("/", follow=True)).select_one("article.exam-card label").get_text()


def task_progress(client, exam):
    soup = page(client.get(exam.get_absolute_url()))
    return {
        li.a.get_text().split()[0]: li.select_one(".task-progress").get_text()
        for li in soup.select(".task-list-links li")
    }


def badges(client, url):
    soup = page(client.get(url))
    return {li.a.get_text(): li.select_one(".badge").get_text() for li in soup.select(".note-list li")}


def stored(user):
    return set(NoteRead.objects.filter(user=user).values_list("note__slug", flat=True))


# ------------------------------------------------------------------------------------- anonymous visitors
def test_a_visitor_s_marks_stay_in_the_session_and_write_nothing_to_the_database(client, notes):
    first, _ = notes
    response = mark(client, first)
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    assert client.session[READ_NOTES_KEY] == [first.pk]
    assert not NoteRead.objects.exists()
    assert home_progress(client) == "Notes read: 1 of 2"


def test_a_visitor_can_mark_a_note_unread_again_with_htmx(client, notes):
    first, _ = notes
    mark(client, first, **HTMX)
    response = mark(client, first, read="0", **HTMX)
    assert page(response).select_one("form#read-toggle button").get_text() == "Mark as read"
    assert client.session[READ_NOTES_KEY] == []
    assert home_progress(client) == "Notes read: 0 of 2"


def test_a_visitor_s_marks_are_gone_in_a_new_browser(client, notes):
    mark(client, notes[0])
    assert home_progress(Client()) == "Notes read: 0 of 2"


# -------------------------------------------------------------------------------------- signed-in students
def test_a_student_s_mark_is_stored_in_the_database_not_the_session(client, student, notes):
    first, _ = notes
    client.force_login(student)
    response = mark(client, first)
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    assert stored(student) == {"first"}
    assert READ_NOTES_KEY not in client.session
    assert home_progress(client) == "Notes read: 1 of 2"


def test_a_student_marks_read_and_unread_with_htmx(client, student, notes):
    first, _ = notes
    client.force_login(student)
    soup = page(mark(client, first, **HTMX))
    assert soup.select_one("html") is None
    assert "You marked this note as read." in soup.get_text()
    assert stored(student) == {"first"}
    soup = page(mark(client, first, read="0", **HTMX))
    assert soup.select_one("form#read-toggle button").get_text() == "Mark as read"
    assert stored(student) == set()


def test_marking_twice_keeps_one_row(client, student, notes):
    client.force_login(student)
    mark(client, notes[0])
    mark(client, notes[0], **HTMX)
    assert NoteRead.objects.filter(user=student).count() == 1


def test_a_student_s_marks_survive_logging_out_and_in_again(client, student, notes):
    first, _ = notes
    log_in(client, student)
    mark(client, first)
    client.post(reverse("logout"))
    assert home_progress(client) == "Notes read: 0 of 2"  # logged out: nothing left in the browser
    log_in(client, student)
    assert home_progress(client) == "Notes read: 1 of 2"
    assert page(client.get(first.get_absolute_url())).select_one("#read-toggle button").get_text() == (
        "Mark as unread"
    )


def test_a_student_s_marks_follow_them_to_a_new_browser(client, student, notes):
    first, second = notes
    client.force_login(student)
    mark(client, first)
    laptop = Client()
    log_in(laptop, student)
    assert home_progress(laptop) == "Notes read: 1 of 2"
    assert badges(laptop, first.exam.task_statements.get(number="1.1").get_absolute_url()) == {
        "First": "Read",
        "Second": "Unread",
    }


def test_marks_are_private_to_each_student(client, student, other_student, notes):
    first, second = notes
    client.force_login(student)
    mark(client, first)
    mark(client, second)
    theirs = Client()
    theirs.force_login(other_student)
    assert home_progress(theirs) == "Notes read: 0 of 2"
    assert set(task_progress(theirs, first.exam).values()) - {"· no notes yet"} == {
        "· 0 of 2 notes read",
        "· 0 of 1 note read",
    }
    assert badges(theirs, first.exam.task_statements.get(number="1.1").get_absolute_url()) == {
        "First": "Unread",
        "Second": "Unread",
    }
    assert page(theirs.get(first.get_absolute_url())).select_one("#read-toggle button").get_text() == (
        "Mark as read"
    )
    assert stored(other_student) == set()


# -------------------------------------------------------------------------------------------- login merge
def test_logging_in_carries_the_visitor_s_marks_over_to_the_account(client, student, notes):
    first, second = notes
    mark(client, first)
    NoteRead.objects.create(user=student, note=second, read_at=NOW)
    log_in(client, student)
    assert stored(student) == {"first", "second"}
    assert READ_NOTES_KEY not in client.session
    assert home_progress(client) == "Notes read: 2 of 2"
    assert home_progress(Client()) == "Notes read: 0 of 2"  # the marks now belong to the account


def test_signing_up_keeps_the_notes_read_before(client, notes):
    mark(client, notes[0])
    client.post(
        reverse("accounts:signup"),
        {
            "username": "carol",
            "email": "carol@example.org",
            "password1": "violet-kayak-1987",
            "password2": "violet-kayak-1987",
        },
    )
    link = re.search(r"https?://[^/\s]+(/accounts/activate/\S+)", mail.outbox[-1].body).group(1)
    client.post(link)  # the mailed link opens the account and signs it in, in the same browser
    assert set(NoteRead.objects.values_list("user__username", "note__slug")) == {("carol", "first")}


def test_logging_in_without_marks_changes_nothing(client, student, notes):
    NoteRead.objects.create(user=student, note=notes[0], read_at=NOW)
    log_in(client, student)
    assert stored(student) == {"first"}
    assert READ_NOTES_KEY not in client.session


def test_merge_keeps_the_first_read_time_and_skips_deleted_notes(student, notes):
    first, second = notes
    NoteRead.objects.create(user=student, note=first, read_at=NOW)
    session = SessionStore()
    session[READ_NOTES_KEY] = [first.pk, second.pk, 999_999]
    later = NOW + timedelta(days=3)
    merge_session_reads(user=student, session=session, now=later)
    merge_session_reads(user=student, session=session, now=later)  # a second call does no harm
    assert dict(NoteRead.objects.filter(user=student).values_list("note__slug", "read_at")) == {
        "first": NOW,
        "second": later,
    }
    assert READ_NOTES_KEY not in session


# ---------------------------------------------------------------------------------------------- services
def test_set_note_read_uses_the_database_for_a_student_and_keeps_the_first_read_time(student, notes):
    first, _ = notes
    session = SessionStore()
    assert set_note_read(user=student, session=session, note=first, read=True, now=NOW) is True
    assert set_note_read(user=student, session=session, note=first, read=True, now=NOW + timedelta(hours=1))
    assert NoteRead.objects.get(user=student).read_at == NOW
    assert read_note_ids(student, session) == {first.pk}
    assert READ_NOTES_KEY not in session
    assert set_note_read(user=student, session=session, note=first, read=False, now=NOW) is False
    assert read_note_ids(student, session) == set()


def test_set_note_read_uses_the_session_for_a_visitor(notes):
    from django.contrib.auth.models import AnonymousUser

    first, second = notes
    session = SessionStore()
    set_note_read(user=AnonymousUser(), session=session, note=second, read=True, now=NOW)
    set_note_read(user=AnonymousUser(), session=session, note=first, read=True, now=NOW)
    assert session[READ_NOTES_KEY] == sorted([first.pk, second.pk])
    assert read_note_ids(AnonymousUser(), session) == {first.pk, second.pk}
    assert not NoteRead.objects.exists()


# ------------------------------------------------------------------------------------------- the pages
def test_the_exam_overview_counts_read_notes_per_task_statement(client, student, notes):
    first, _ = notes
    client.force_login(student)
    mark(client, first)
    assert task_progress(client, first.exam) == {
        "1.1": "· 1 of 2 notes read",
        "1.2": "· 1 of 1 note read",
        "2.1": "· no notes yet",
    }
    soup = page(client.get(first.exam.get_absolute_url()))
    assert [li.a.get_text() for li in soup.select(".note-list li:has(.badge-read)")] == ["First"]


def test_the_exam_overview_counts_a_visitor_s_session_marks_too(client, notes):
    mark(client, notes[1])
    assert task_progress(client, notes[1].exam)["1.1"] == "· 1 of 2 notes read"


def test_the_home_page_counts_only_the_exam_s_own_notes(client, student, notes):
    other = make_exam(code="OTH-C01")
    elsewhere = make_note(exam=other, slug="elsewhere", title="Elsewhere")
    client.force_login(student)
    mark(client, notes[0])
    mark(client, elsewhere)
    cards = page(client.get("/", follow=True)).select("article.exam-card")
    assert {card.select_one(".exam-code").get_text().split()[0]: card.label.get_text() for card in cards} == {
        "TST-C01": "Notes read: 1 of 2",
        "OTH-C01": "Notes read: 1 of 1",
    }


# -------------------------------------------------------------------------------------------- view rules
def test_mark_read_refuses_get(client, student, notes):
    client.force_login(student)
    url = reverse("content:note-read", args=[notes[0].exam.slug, notes[0].slug])
    assert client.get(url).status_code == 405
    assert not NoteRead.objects.exists()


@pytest.mark.parametrize("exam_slug, slug", [("tst-c01", "missing"), ("oth-c01", "first"), ("nope", "first")])
def test_mark_read_of_an_unknown_note_is_404(client, student, notes, exam_slug, slug):
    make_exam(code="OTH-C01")
    client.force_login(student)
    response = client.post(reverse("content:note-read", args=[exam_slug, slug]), {"read": "1"})
    assert response.status_code == 404
    assert not NoteRead.objects.exists()


def test_mark_read_needs_a_csrf_token_when_signed_in(student, notes):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(student)
    url = reverse("content:note-read", args=[notes[0].exam.slug, notes[0].slug])
    assert strict.post(url, {"read": "1"}).status_code == 403
    assert not NoteRead.objects.exists()
    token = page(strict.get(notes[0].get_absolute_url())).select_one(
        "#read-toggle [name=csrfmiddlewaretoken]"
    )
    assert strict.post(url, {"read": "1", "csrfmiddlewaretoken": token["value"]}).status_code == 302
    assert stored(student) == {"first"}


# ----------------------------------------------------------------------------------------- query counts
@pytest.mark.parametrize("size", [1, 30])
def test_a_student_s_pages_read_their_marks_in_one_query_at_any_size(
    client, student, db, size, django_assert_max_num_queries
):
    # Notes and task statements grow with `size`; the student has read every other note.
    exam = make_exam(
        domains=[(1, "Data", 60, [f"1.{i + 1}" for i in range(size)]), (2, "Models", 40, ["2.1"])]
    )
    for i in range(size):
        make_note(exam=exam, slug=f"n{i}", title=f"Note {i}", tasks=[f"1.{i + 1}", "1.1"], order=i)
    NoteRead.objects.bulk_create(
        NoteRead(user=student, note=note, read_at=NOW) for note in exam.notes.all()[::2]
    )
    client.force_login(student)
    task = exam.task_statements.get(number="1.1")
    middle = exam.notes.get(slug=f"n{size // 2}")
    urls = {
        "/dashboard/": 15,  # + the assignments of the classes the student attends, the instructor role (2), the exam last practised
        exam.get_absolute_url(): 9,
        task.get_absolute_url(): 7,
        middle.get_absolute_url(): 7,
    }
    for url, limit in urls.items():
        with django_assert_max_num_queries(limit) as captured:
            assert client.get(url).status_code == 200
        reads = [q["sql"] for q in captured.captured_queries if "content_noteread" in q["sql"]]
        assert len(reads) == 1, url
    with django_assert_max_num_queries(5):
        assert mark(client, middle, **HTMX).status_code == 200


@pytest.mark.parametrize("size", [1, 30])
def test_logging_in_merges_in_a_bounded_number_of_queries(
    client, student, db, size, django_assert_max_num_queries
):
    exam = make_exam()
    session = client.session
    session[READ_NOTES_KEY] = [
        make_note(exam=exam, slug=f"n{i}", title=f"Note {i}", order=i).pk for i in range(size)
    ]
    session.save()
    with django_assert_max_num_queries(17) as captured:
        log_in(client, student)
    # The rest is Django's login (the user, the password, the session key cycled, last_login) and the login
    # throttle's three (lockout check, expired-attempt clean-up, reset after a correct password).
    merge = [q["sql"] for q in captured.captured_queries if "content_" in q["sql"]]
    assert len(merge) == 2  # the notes that still exist, and one insert
    assert NoteRead.objects.filter(user=student).count() == size
