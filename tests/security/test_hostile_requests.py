"""Requests that used to end in a 500 (or worse) answer with a 4xx and change nothing: a non-UTF-8 form body,
a huge body, NUL bytes in the address, save numbers beyond the column, an odd HX-Current-URL header, an admin
filter that is no id, over-range ids in instructor multi-selects; and HEAD and OPTIONS wherever GET is."""

import logging

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from apps.exams.models import Slot
from apps.questions.formats import MAX_BYTES
from tests.security.conftest import answer_data, nothing_changes
from tests.security.test_access_matrix import ROWS

HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


# ------------------------------------------------------------------------------- a body in another charset
@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "x-no-such-charset", "rot13"])
@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/no/such/page/"])
def test_a_form_body_in_another_charset_is_a_415_and_no_error_page_reads_it(db, caplog, charset, url):
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.get("/accounts/login/")  # a CSRF cookie, so that the check would read the body
    with caplog.at_level(logging.ERROR, logger="django.request"), nothing_changes():
        response = client.generic(
            "POST", url, b"a=\xff", content_type=f"application/x-www-form-urlencoded; charset={charset}"
        )
    assert response.status_code == 415
    assert "must be sent as UTF-8" in response.content.decode()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=" + "x" * 2000])
def test_multipart_without_a_valid_boundary_is_a_400_without_a_traceback_in_the_log(db, caplog, content_type):
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.get("/accounts/login/")  # a CSRF cookie, so that the check would read the body
    with caplog.at_level(logging.WARNING, logger="django.request"), nothing_changes():
        response = client.generic("POST", "/accounts/login/", b"a=1", content_type=content_type)
    assert response.status_code == 400
    assert "no valid boundary" in response.content.decode()
    assert not [r for r in caplog.records if r.exc_info]


def test_the_400_page_never_reads_the_broken_body_again(db, settings, caplog):
    # Without the middleware's refusal, the CSRF check meets the undecodable body and Django answers 400. Its
    # own 400 handler ran the CSRF check again, read the body again, failed again and ended in a bare 500 with
    # a chain of tracebacks; ours (config/errors.py) renders the page without touching the request.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "config.middleware.FormBodyMiddleware"]
    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    client.get("/accounts/login/")
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.generic(
            "POST", "/accounts/login/", b"a=\xff", content_type="application/x-www-form-urlencoded; charset=utf-16"
        )
    assert response.status_code == 400
    assert "could not be understood" in response.content.decode()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_500_page_needs_nothing_of_the_request():
    from config import errors

    response = errors.server_error(None)
    assert response.status_code == 500 and "Something went wrong" in response.content.decode()


def test_utf8_form_bodies_with_the_charset_named_still_work(world):
    client = Client()
    response = client.generic(
        "POST",
        "/accounts/login/",
        b"username=alice&password=wrong",
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 200


# ------------------------------------------------------------------------------------------ a huge body
def test_the_body_limit_fits_the_largest_import_with_room_for_its_form():
    assert MAX_BYTES < settings.REQUEST_BODY_MAX_BYTES <= MAX_BYTES + 4_000_000


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/questions/questionset/1/import/"])
def test_a_50_mb_multipart_body_is_refused_before_it_is_read(db, url):
    class Unread:
        """A body that fails the test if anything reads it."""

        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    client = Client()
    request = {
        "PATH_INFO": url,
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": "multipart/form-data; boundary=xyz",
        "CONTENT_LENGTH": str(50 * 1024 * 1024),
        "wsgi.input": Unread(),
    }
    response = client.request(**request)
    assert response.status_code == 413
    assert "larger than 12 MB" in response.content.decode()


# --------------------------------------------------------------------------------------- NUL in addresses
@pytest.mark.parametrize(
    "address",
    [
        "/search/?q=s3%00",
        "/attempts/mistakes/TST%00-C01.apkg",
        "/dashboard/task/tst-c01/1.1%00/",
        "/exams/tst-c01/tasks/1%001/",
        "/admin/questions/question/?exam=%00",
    ],
)
def test_a_nul_byte_in_the_address_is_a_400(world, address):
    client = signed_in(world.irene)
    with nothing_changes():
        response = client.get(address, **HTMX)
    assert response.status_code == 400


# ----------------------------------------------------------------------------- save numbers out of range
@pytest.mark.parametrize("seq", [str(2**63 - 1), str(2**31), "9" * 40, "0", "-1", "1e3", " 1"])
def test_a_save_number_beyond_the_column_is_a_400_and_never_locks_the_question(world, seq):
    slot = world.open_attempt.slots.get(kind="multiple_choice")
    url = reverse("exams:answer", args=[world.open_attempt.pk, slot.position])
    client = signed_in(world.alice)
    with nothing_changes():
        response = client.post(url, {**answer_data(slot.snapshot), "seq": seq}, **HTMX)
    assert response.status_code == 400
    # The next real save is taken.
    response = client.post(url, {**answer_data(slot.snapshot), "seq": 1}, **HTMX)
    assert response.status_code == 200
    assert Slot.objects.get(pk=slot.pk).seq == 1


def test_the_largest_save_number_the_column_holds_is_still_taken(world):
    slot = world.open_attempt.slots.get(kind="multiple_choice")
    url = reverse("exams:answer", args=[world.open_attempt.pk, slot.position])
    response = signed_in(world.alice).post(url, {**answer_data(slot.snapshot), "seq": Slot.MAX_SEQ}, **HTMX)
    assert response.status_code == 200 and Slot.objects.get(pk=slot.pk).seq == Slot.MAX_SEQ


# ------------------------------------------------------------------------------------ odd headers, filters
@pytest.mark.parametrize("header", ["http://[::1", "http://exams.example:99999999/", "\x7f", "//[/"])
def test_a_malformed_hx_current_url_still_gets_the_signed_out_fragment(world, header):
    url = reverse("progress:task-accuracy", args=[world.exam.slug, "1.1"])
    response = Client().get(url, HTTP_HX_CURRENT_URL=header, **HTMX)
    assert response.status_code == 200
    assert "/accounts/login/?next=" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", str(2**70), "1.5"])
def test_an_admin_domain_filter_that_is_no_id_shows_the_invalid_filter_notice(world, value):
    response = signed_in(world.irene).get(reverse("admin:questions_question_changelist"), {"domain": value})
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_an_admin_domain_filter_with_a_real_id_still_filters(world):
    domain = world.exam.domains.get(number=1)
    response = signed_in(world.root).get(reverse("admin:questions_question_changelist"), {"domain": domain.pk})
    assert response.status_code == 200


@pytest.mark.parametrize("pk", [2**63, 2**64, -(2**63) - 1, 2**31])
def test_ids_beyond_the_column_in_instructor_multi_selects_are_a_form_error(world, pk):
    client = signed_in(world.irene)
    with nothing_changes():
        sharing = client.post(reverse("classrooms:sharing", args=[world.classroom.pk]), {"sets": [pk]})
        form = {"title": "Quiz", "mode": "custom", "question_count": 3, "feedback": "end", "attempts_allowed": 1}
        form |= {"opens_at": "2030-01-01T09:00", "due_at": "2030-01-08T09:00", "question_sets": [pk]}
        assignment = client.post(reverse("classrooms:assignment-new", args=[world.classroom.pk]), form)
    for response in (sharing, assignment):
        assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


# ------------------------------------------------------------------------------ HEAD and OPTIONS with GET
GET_ROWS = [row for row in ROWS if row.method == "GET" and not row.headers and row.expected("irene") != "405"]


@pytest.mark.parametrize("row", GET_ROWS, ids=str)
def test_head_and_options_are_taken_wherever_get_is(world, row):
    client = signed_in(world.irene)  # a signed-in user with the most pages open to them
    url = row.url(world)
    get = client.get(url)
    head = client.head(url)
    options = client.options(url)
    assert head.status_code == get.status_code, url
    assert head.content == b""
    assert options.status_code not in (405, 500), url
    if options.status_code == 200 and "Allow" in options:
        assert {"GET", "HEAD", "OPTIONS"} <= {m.strip() for m in options["Allow"].split(",")}


def test_the_health_check_answers_head_and_options(db):
    client = Client()
    assert client.head("/health/").status_code == 200
    response = client.options("/health/")
    assert response.status_code == 200 and response["Allow"] == "GET, HEAD, OPTIONS"
