"""CSRF protection on every form, and tampered requests: each is refused with a 4xx that says why, and changes
nothing."""

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.conftest import answer_data, nothing_changes
from tests.security.test_access_matrix import PERSONAS, ROWS

HTMX = {"HTTP_HX_REQUEST": "true"}
NOT_FOUND = "Page not found"  # templates/404.html
BAD_REQUEST = "That request could not be understood"  # templates/400.html
EXPIRED = "This form has expired"  # templates/403_csrf.html
UNFIT = "does not fit this question"


def signed_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


# --------------------------------------------------------------------------------------- (a) no csrf_exempt
def test_csrf_exempt_appears_nowhere_in_the_source():
    found = [
        str(path.relative_to(settings.BASE_DIR))
        for folder in ("apps", "config", "templates")
        for path in Path(settings.BASE_DIR, folder).rglob("*")
        if path.suffix in {".py", ".html"} and "csrf_exempt" in path.read_text(encoding="utf-8")
    ]
    assert found == []


def views(resolver=None, prefix=""):
    """(route, view) of every URL pattern, the admin's included."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from views(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_view_is_csrf_exempt_and_the_middleware_is_on():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    routes = list(views())
    assert len(routes) > 100  # the walk reached the admin's patterns too
    assert [route for route, view in routes if getattr(view, "csrf_exempt", False)] == []


# ------------------------------------------------------------------------- (b) CSRF on the exam and classes
def csrf_case(world, name):
    """(who posts, the URL, the form data, what shows it worked) for the four forms a student uses most."""
    w = world
    slot = w.open_attempt.slots.get(position=1)
    cases = {
        "answer": (
            w.alice,
            reverse("exams:answer", args=[w.open_attempt.pk, 1]),
            {**answer_data(slot.snapshot), "seq": 1},
            lambda: type(slot).objects.get(pk=slot.pk).response is not None,
        ),
        "submit": (
            w.alice,
            reverse("exams:submit", args=[w.open_attempt.pk]),
            {"confirm": "yes"},
            lambda: type(w.open_attempt).objects.get(pk=w.open_attempt.pk).status == "submitted",
        ),
        "join": (
            w.bob,
            reverse("classrooms:join"),
            {"code": w.classroom.join_code},
            lambda: w.classroom.memberships.filter(student=w.bob).exists(),
        ),
        "assignment-start": (
            w.alice,
            reverse("classrooms:assignment-start", args=[w.classroom.pk, w.assignment.pk]),
            {},
            lambda: w.assignment.attempt_links.count() == 2,
        ),
    }
    return cases[name]


CSRF_FORMS = ["answer", "submit", "join", "assignment-start"]


@pytest.mark.parametrize("name", CSRF_FORMS)
@pytest.mark.parametrize(
    "headers",
    [{}, HTMX, {**HTMX, "HTTP_X_CSRFTOKEN": "x" * 32}],
    ids=["form-without-token", "htmx-without-token", "htmx-with-a-made-up-token"],
)
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(world, name, headers):
    user, url, data, worked = csrf_case(world, name)
    client = signed_in(user, enforce_csrf_checks=True)
    client.get(reverse("classrooms:list"))  # the page sets the CSRF cookie; the token is not sent back
    with nothing_changes():
        response = client.post(url, data, **headers)
        assert response.status_code == 403
        assert EXPIRED in response.content.decode()
    assert not worked()


@pytest.mark.parametrize("name", CSRF_FORMS)
def test_the_same_post_with_the_token_in_the_htmx_header_works(world, name):
    user, url, data, worked = csrf_case(world, name)
    client = signed_in(user, enforce_csrf_checks=True)
    page = client.get(reverse("classrooms:list"))
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page.content.decode()).group(1)  # <body hx-headers=...>
    response = client.post(url, data, HTTP_X_CSRFTOKEN=token, **HTMX)
    assert response.status_code in (200, 302)  # a fragment, or a redirect where the whole page changes
    assert worked()


# ---------------------------------------------------------------------------- (c) tampering with the answer
def slot_of(world, kind):
    return world.open_attempt.slots.get(kind=kind)


def answer_url(slot):
    return reverse("exams:answer", args=[slot.attempt_id, slot.position])


def tampered_answers(world):
    mc, mr = slot_of(world, "multiple_choice"), slot_of(world, "multiple_response")
    ordering, matching = slot_of(world, "ordering"), slot_of(world, "matching")
    # The page names choices and matching responses by place on the screen (1, 2, …); a stored row id or a
    # place past the end of this question's list is not one of them.
    other_choice = mr.snapshot["choices"][0]["id"]
    own_right = answer_data(mc.snapshot)["choice"]
    past_the_end = len(mc.snapshot["choices"]) + 1
    items = answer_data(ordering.snapshot)["order"]
    prompts = [prompt["id"] for prompt in matching.snapshot["prompts"]]
    other_response = len(matching.snapshot["responses"]) + 1
    return {
        "not a number": (mc, {"choice": "abc"}),
        "markup": (mc, {"choice": "<b>x</b>"}),
        "an id of nothing": (mc, {"choice": 987654321}),
        "negative": (mc, {"choice": -1}),
        "huge": (mc, {"choice": "9" * 40}),
        "another question's choice": (mc, {"choice": past_the_end}),
        "a stored choice id": (mc, {"choice": max(c["id"] for c in mr.snapshot["choices"])}),
        "two answers to a one-answer question": (mc, {"choice": [own_right, own_right % 2 + 1]}),
        "a foreign choice among the right ones": (
            mr,
            {"choices": [*answer_data(mr.snapshot)["choices"], len(mr.snapshot["choices"]) + 1]},
        ),
        "an order missing an item": (ordering, {"order": items[:-1]}),
        "an order with another question's id": (ordering, {"order": [*items[:-1], other_choice]}),
        "a move of another item": (ordering, {"order": items, "move": f"{other_choice}:up"}),
        "a match with another question's response": (matching, {f"match-{prompts[0]}": other_response}),
        "a confidence mark that is not one": (mc, {"choice": own_right, "confidence": "certain"}),
        "a save number that is not one": (mc, {"choice": own_right, "seq": "first"}),
    }


TAMPERED = [
    "not a number",
    "markup",
    "an id of nothing",
    "negative",
    "huge",
    "another question's choice",
    "a stored choice id",
    "two answers to a one-answer question",
    "a foreign choice among the right ones",
    "an order missing an item",
    "an order with another question's id",
    "a move of another item",
    "a match with another question's response",
    "a confidence mark that is not one",
    "a save number that is not one",
]


@pytest.mark.parametrize("case", TAMPERED)
def test_a_tampered_answer_is_refused_with_a_message_and_nothing_is_saved(world, case):
    slot, data = tampered_answers(world)[case]
    client = signed_in(world.alice)
    for headers in ({}, HTMX):  # the form without JavaScript, and the save at every change
        with nothing_changes():
            response = client.post(answer_url(slot), {"seq": 1, **data}, **headers)
            assert response.status_code == 400
            body = response.content.decode()
            assert UNFIT in body and "Nothing was saved" in body
            # What was posted is quoted as text, never as markup.
            assert response["Content-Type"].startswith("text/plain")


def test_a_tampered_answer_to_check_is_refused_too(world):
    slot = slot_of(world, "multiple_choice")
    client = signed_in(world.alice)
    with nothing_changes():
        response = client.post(
            reverse("exams:check", args=[world.open_attempt.pk, slot.position]), {"seq": 1, "choice": "abc"}
        )
        assert response.status_code == 400 and UNFIT in response.content.decode()


def test_the_right_answer_to_the_same_slots_is_saved(world):
    # The tampered cases above differ from a good answer only in what they tamper with.
    client = signed_in(world.alice)
    for slot in world.open_attempt.slots.all():
        response = client.post(answer_url(slot), {"seq": 1, **answer_data(slot.snapshot)}, **HTMX)
        assert response.status_code == 200
        slot.refresh_from_db()
        assert slot.response is not None


@pytest.mark.parametrize("method", ["answer", "check", "submit", "review", "question", "results"])
def test_another_users_attempt_is_a_404(world, method):
    bob = world.bob_attempt
    urls = {
        "answer": ("post", reverse("exams:answer", args=[bob.pk, 1]), {"choice": 1, "seq": 1}),
        "check": ("post", reverse("exams:check", args=[bob.pk, 1]), {"choice": 1, "seq": 1}),
        "submit": ("post", reverse("exams:submit", args=[bob.pk]), {"confirm": "yes"}),
        "review": ("get", reverse("exams:review", args=[bob.pk]), None),
        "question": ("get", reverse("exams:question", args=[bob.pk, 1]), None),
        "results": ("get", reverse("exams:results", args=[bob.pk]), None),
    }
    verb, url, data = urls[method]
    client = signed_in(world.alice)
    with nothing_changes():
        response = getattr(client, verb)(url, data)
        assert response.status_code == 404 and NOT_FOUND in response.content.decode()


# ------------------------------------------------------------------------------- (c) ids of other objects
OTHER_OBJECTS = {
    # Irene names her own class and, in it, something of Oscar's class.
    "a member of another class": ("irene", "post", "classrooms:member-remove", "classroom bob_membership"),
    "accommodations of a member of another class": (
        "irene",
        "post",
        "classrooms:member-update",
        "classroom bob_membership",
    ),
    "an assignment of another class": (
        "irene",
        "get",
        "classrooms:assignment-edit",
        "classroom other_assignment",
    ),
    "editing an assignment of another class": (
        "irene",
        "post",
        "classrooms:assignment-edit",
        "classroom other_assignment",
    ),
    # Alice, in Irene's class, starts an assignment of Oscar's class through her own class's address.
    "starting an assignment of another class": (
        "alice",
        "post",
        "classrooms:assignment-start",
        "classroom other_assignment",
    ),
    # Bob names Alice's class.
    "another student's class page": ("bob", "get", "classrooms:detail", "classroom"),
    "leaving another student's class": ("bob", "post", "classrooms:leave", "classroom"),
}


@pytest.mark.parametrize("case", OTHER_OBJECTS)
def test_ids_of_other_peoples_objects_are_404_and_change_nothing(world, case):
    who, verb, name, objects = OTHER_OBJECTS[case]
    args = [getattr(world, attribute).pk for attribute in objects.split()]
    client = signed_in(getattr(world, who))
    with nothing_changes():
        response = getattr(client, verb)(reverse(name, args=args), {"title": "Mine now"})
        assert response.status_code == 404 and NOT_FOUND in response.content.decode()


def test_sharing_a_set_that_is_not_ones_own_is_refused_with_a_message(world):
    url = reverse("classrooms:sharing", args=[world.classroom.pk])
    client = signed_in(world.irene)
    with nothing_changes():
        response = client.post(url, {"sets": [world.bank.pk]})
        assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_an_assignment_from_a_set_that_does_not_exist_is_refused_with_a_message(world):
    url = reverse("classrooms:assignment-new", args=[world.classroom.pk])
    form = {"title": "Quiz", "mode": "custom", "question_count": 3, "feedback": "end", "attempts_allowed": 1}
    form |= {"opens_at": "2030-01-01T09:00", "due_at": "2030-01-08T09:00", "question_sets": [987654321]}
    client = signed_in(world.irene)
    with nothing_changes():
        response = client.post(url, form)
        assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


# ---------------------------------------------------------------------------- (c) odd ids in the address
HUGE = "9" * 30
ODD_ADDRESSES = [
    ("alice", "get", "/attempts/abc/"),
    ("alice", "get", "/attempts/-1/"),
    ("alice", "get", f"/attempts/{HUGE}/"),
    ("alice", "get", f"/attempts/{2**63}/results/"),
    ("alice", "get", "/attempts/{open}/q/0/"),
    ("alice", "get", "/attempts/{open}/q/-1/"),
    ("alice", "get", f"/attempts/{{open}}/q/{HUGE}/"),
    ("alice", "post", f"/attempts/{{open}}/q/{HUGE}/answer/"),
    ("alice", "post", f"/attempts/{HUGE}/submit/"),
    ("alice", "get", f"/questions/{HUGE}/report/"),
    ("alice", "get", "/questions/1e3/report/"),
    ("alice", "post", f"/classes/{{class}}/assignments/{HUGE}/start/"),
    ("irene", "get", f"/classes/{HUGE}/"),
    ("irene", "get", "/classes/-3/members/"),
    ("irene", "post", f"/classes/{{class}}/members/{HUGE}/remove/"),
    ("irene", "post", "/classes/{class}/members/0x1/"),
    ("irene", "get", f"/classes/sets/{HUGE}/items/"),
    ("irene", "get", f"/classes/{{class}}/assignments/{2**64}/"),
    ("root", "get", f"/classes/{HUGE}/results.csv"),
]


@pytest.mark.parametrize(("who", "verb", "address"), ODD_ADDRESSES)
def test_non_numeric_negative_and_huge_ids_are_404(world, who, verb, address):
    url = address.format(open=world.open_attempt.pk, **{"class": world.classroom.pk})
    client = signed_in(getattr(world, who))
    with nothing_changes():
        response = getattr(client, verb)(url, {"seq": 1, "choice": 1})
        assert response.status_code == 404 and NOT_FOUND in response.content.decode()


# Every id in every address of the access matrix, one at a time, beyond any id column: a lookup through a
# foreign key (the class of a membership, say) is not bounded by Django the way a lookup by primary key is,
# and overflowed inside the SQLite driver (a 500).
ID_BEYOND_ANY_COLUMN = 2**63


@pytest.mark.parametrize("who", ["alice", "irene"])
def test_an_id_beyond_the_column_anywhere_in_any_address_is_a_4xx(world, who):
    client = signed_in(getattr(world, who), raise_request_exception=False)
    failures = []
    for row in ROWS:
        kwargs = row.kwargs(world) if row.kwargs else {}
        for name in [name for name, value in kwargs.items() if isinstance(value, int)]:
            url = reverse(row.name, kwargs={**kwargs, name: ID_BEYOND_ANY_COLUMN}) + row.query
            data = row.data(world) if row.data else None
            with nothing_changes():
                if row.method in ("GET", "POST"):
                    response = getattr(client, row.method.lower())(url, data, **row.headers)
                else:
                    response = client.generic(row.method, url, **row.headers)
            # A page that redirects whatever the id (a submitted attempt's question goes to its results) may.
            allowed = {400, 403, 404, 405} | ({302} if row.expected(who) == "302" else set())
            if response.status_code not in allowed:
                failures.append(f"{row.method} {url}: {response.status_code}")
    assert failures == [], "\n".join(failures)


# ------------------------------------------------------------------------------ (c) huge and odd payloads
def test_the_400_page_says_what_happened():
    page = Path(settings.BASE_DIR, "templates", "400.html").read_text(encoding="utf-8")
    assert BAD_REQUEST in page


@pytest.mark.parametrize("encoding", ["multipart", "urlencoded"])
@pytest.mark.parametrize("excess", ["too-big", "too-many-fields"])
def test_an_oversized_answer_is_a_400_with_a_message(world, encoding, excess):
    slot = slot_of(world, "multiple_choice")
    if excess == "too-big":
        data = {
            "seq": 1,
            "choice": answer_data(slot.snapshot)["choice"],
            "note": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
        }
    else:
        data = {"seq": 1, **{f"field{n}": n for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}}
    client = signed_in(world.alice, enforce_csrf_checks=True)
    page = client.get(reverse("exams:question", args=[world.open_attempt.pk, slot.position]))
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page.content.decode()).group(1)
    with nothing_changes():
        if encoding == "multipart":
            response = client.post(answer_url(slot), data, HTTP_X_CSRFTOKEN=token, **HTMX)
        else:
            body = urlencode(data)
            response = client.post(
                answer_url(slot),
                body,
                content_type="application/x-www-form-urlencoded",
                HTTP_X_CSRFTOKEN=token,
                **HTMX,
            )
        assert response.status_code == 400
        assert BAD_REQUEST in response.content.decode()


def allowed_persona(row):
    return next(p for p in PERSONAS if row.expected(p) in {"200", "302"})


POSTS = [
    row for row in ROWS if row.method == "POST" and any(row.expected(p) in {"200", "302"} for p in PERSONAS)
]


@pytest.mark.parametrize("row", POSTS, ids=str)
def test_a_body_that_is_not_form_data_is_a_415_and_changes_nothing(world, row):
    """Every POST the access matrix lets somebody make, sent by them with a body that is not form data."""
    persona = allowed_persona(row)
    client = Client() if persona == "anonymous" else signed_in(getattr(world, persona))
    data = json.dumps(row.data(world) if row.data else {"confirm": "yes"})
    for content_type in ("application/json", "text/plain", "application/xml", ""):
        with nothing_changes():
            response = client.generic("POST", row.url(world), data, content_type=content_type, **row.headers)
            assert response.status_code == 415, (persona, content_type, response.status_code)
            assert "takes form data" in response.content.decode()
