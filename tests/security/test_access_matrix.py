"""Every URL of the project, requested by everybody: the expected status of each cell is in the table below.

A URL pattern with no row here fails `test_every_url_pattern_has_a_row`, so a new page cannot be added without
saying who may reach it. Requests against refused cells (4xx, or sent to log in) must change nothing.

Cells, in the order of PERSONAS:
    login   302 to the log-in page (?next= this page)      admin   302 to the admin's log-in page
    302     a redirect somewhere else                      200/400/403/404/405   that status
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.security.conftest import answer_data, changed_tables, snapshot

# alice: student A, in Irene's class, with an open and a submitted attempt. bob: student B, in Oscar's class.
# irene: instructor X, teaches Alice's class and owns the set shared with it. oscar: instructor Y. root: superuser.
PERSONAS = ("anonymous", "alice", "bob", "irene", "oscar", "root")
HTMX = {"HTTP_HX_REQUEST": "true"}
REFUSED = {"login", "admin", "400", "403", "404", "405"}


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    cells: str  # one expected result per persona, in the order of PERSONAS
    kwargs: object = None  # world -> URL kwargs
    data: object = None  # world -> form data
    headers: dict = field(default_factory=dict)
    query: str = ""

    def expected(self, persona):
        cells = self.cells.split()
        assert len(cells) == len(PERSONAS), f"{self.name} {self.method}: {len(cells)} cells"
        return cells[PERSONAS.index(persona)]

    def url(self, world):
        return reverse(self.name, kwargs=self.kwargs(world) if self.kwargs else None) + self.query

    def __str__(self):
        extra = " (HTMX)" if self.headers else ""
        return f"{self.method} {self.name}{self.query}{extra}"


# ------------------------------------------------------------------------------------- how to build kwargs
def exam_slug(w):
    return {"exam_slug": w.exam.slug}


def task(w):
    return {"exam_slug": w.exam.slug, "number": "1.1"}


def note(w):
    return {"exam_slug": w.exam.slug, "slug": w.note.slug}


def service(w):
    return {"slug": w.service.slug}


def exam_code(w):
    return {"code": w.exam.code}


def open_attempt(w):
    return {"pk": w.open_attempt.pk}


def open_q1(w):
    return {"pk": w.open_attempt.pk, "position": 1}


def submitted(w):
    return {"pk": w.submitted_attempt.pk}


def irene_question(w):
    return {"pk": w.irene_questions[0].pk}


def public_question(w):
    return {"pk": w.kinds["multiple_choice"].pk}


def classroom(w):
    return {"pk": w.classroom.pk}


def join_code(w):
    return {"code": w.classroom.join_code}


def alice_member(w):
    return {"pk": w.classroom.pk, "membership_pk": w.membership.pk}


def removed_member(w):
    return {"pk": w.classroom.pk, "membership_pk": w.removed.pk}


def irene_set(w):
    return {"pk": w.irene_set.pk}


def assignment(w):
    return {"pk": w.classroom.pk, "assignment_pk": w.assignment.pk}


def reset_link(w):
    # Made now: a token is void once the user logs in (the personas just did).
    alice = type(w.alice).objects.get(pk=w.alice.pk)
    return {"uidb64": w.reset_uid, "token": default_token_generator.make_token(alice)}


def stale_reset_link(w):
    return {"uidb64": w.reset_uid, "token": "1-0123456789abcdef"}


# ---------------------------------------------------------------------------------------- what is posted
def right_answer(w):
    return {**answer_data(w.open_attempt.slots.get(position=1).snapshot), "seq": 1}


def new_practice(w):
    return {"exam": w.exam.code, "mode": "custom", "domains": ["1"], "count": 2, "feedback": "end"}


def assignment_form(w):
    local = timezone.localtime(w.now)
    return {
        "title": "Week 2 quiz",
        "mode": "custom",
        "question_count": 3,
        "feedback": "end",
        "opens_at": f"{local:%Y-%m-%dT%H:%M}",
        "due_at": f"{local + timedelta(days=7):%Y-%m-%dT%H:%M}",
        "attempts_allowed": 1,
    }


def accommodations(w):
    prefix = f"m{w.membership.pk}"
    return {f"{prefix}-extra_time_percent": 50, f"{prefix}-extra_attempts": 1}


# fmt: off
#   name                                method    anonymous alice bob irene oscar root
ROWS = [
    # Accounts: sign up, profile, and Django's log-in and password views
    Row("accounts:signup",              "GET",    "200   302 302 302 302 302"),
    Row("accounts:signup",              "POST",   "200   302 302 302 302 302", data=lambda w: {}),
    Row("accounts:signup",              "PUT",    "405   405 405 405 405 405"),
    Row("accounts:profile",             "GET",    "login 200 200 200 200 200"),
    Row("accounts:profile",             "POST",   "login 302 302 302 302 302", data=lambda w: {"target_exam": w.exam.pk}),
    Row("accounts:profile",             "PUT",    "login 405 405 405 405 405"),
    Row("login",                        "GET",    "200   200 200 200 200 200"),
    Row("login",                        "POST",   "200   200 200 200 200 200", data=lambda w: {}),
    Row("login",                        "DELETE", "405   405 405 405 405 405"),
    Row("logout",                       "GET",    "405   405 405 405 405 405"),
    Row("logout",                       "POST",   "302   302 302 302 302 302"),
    Row("password_change",              "GET",    "login 200 200 200 200 200"),
    Row("password_change",              "POST",   "login 200 200 200 200 200", data=lambda w: {}),
    Row("password_change",              "DELETE", "login 405 405 405 405 405"),
    Row("password_change_done",         "GET",    "login 200 200 200 200 200"),
    Row("password_change_done",         "POST",   "login 405 405 405 405 405"),
    Row("password_reset",               "GET",    "200   200 200 200 200 200"),
    Row("password_reset",               "POST",   "200   200 200 200 200 200", data=lambda w: {}),
    Row("password_reset",               "DELETE", "405   405 405 405 405 405"),
    Row("password_reset_done",          "GET",    "200   200 200 200 200 200"),
    Row("password_reset_done",          "POST",   "405   405 405 405 405 405"),
    Row("password_reset_confirm",       "GET",    "302   302 302 302 302 302", kwargs=reset_link),
    Row("password_reset_confirm",       "GET",    "200   200 200 200 200 200", kwargs=stale_reset_link),
    # Django's view checks the link before the method: any method gets the "invalid link" page.
    Row("password_reset_confirm",       "DELETE", "200   200 200 200 200 200", kwargs=stale_reset_link),
    Row("password_reset_complete",      "GET",    "200   200 200 200 200 200"),
    Row("password_reset_complete",      "POST",   "405   405 405 405 405 405"),

    # Practice: an attempt is its owner's alone (a superuser's too: 404)
    Row("exams:new",                    "GET",    "login 200 200 200 200 200"),
    Row("exams:new",                    "POST",   "login 302 302 302 302 302", data=new_practice),
    Row("exams:new",                    "PUT",    "login 405 405 405 405 405"),
    Row("exams:history",                "GET",    "login 200 200 200 200 200"),
    Row("exams:history",                "POST",   "login 405 405 405 405 405"),
    Row("exams:mistakes-deck",          "GET",    "login 200 200 200 200 200", kwargs=exam_code),
    Row("exams:mistakes-deck",          "GET",    "login 404 404 404 404 404", kwargs=lambda w: {"code": "NOPE-C01"}),
    Row("exams:mistakes-deck",          "POST",   "login 405 405 405 405 405", kwargs=exam_code),
    Row("exams:attempt-detail",         "GET",    "login 302 404 404 404 404", kwargs=open_attempt),
    Row("exams:attempt-detail",         "POST",   "login 405 405 405 405 405", kwargs=open_attempt),
    Row("exams:question",               "GET",    "login 200 404 404 404 404", kwargs=open_q1),
    Row("exams:question",               "GET",    "200   200 404 404 404 404", kwargs=open_q1, headers=HTMX),
    Row("exams:question",               "GET",    "login 404 404 404 404 404", kwargs=lambda w: {"pk": w.open_attempt.pk, "position": 99}),
    Row("exams:question",               "GET",    "login 302 404 404 404 404", kwargs=lambda w: {"pk": w.submitted_attempt.pk, "position": 1}),
    Row("exams:question",               "POST",   "login 405 405 405 405 405", kwargs=open_q1),
    Row("exams:answer",                 "POST",   "login 302 404 404 404 404", kwargs=open_q1, data=right_answer),
    Row("exams:answer",                 "POST",   "200   200 404 404 404 404", kwargs=open_q1, data=right_answer, headers=HTMX),
    Row("exams:answer",                 "GET",    "login 405 405 405 405 405", kwargs=open_q1),
    Row("exams:check",                  "POST",   "login 302 404 404 404 404", kwargs=open_q1, data=right_answer),
    Row("exams:check",                  "GET",    "login 405 405 405 405 405", kwargs=open_q1),
    Row("exams:review",                 "GET",    "login 200 404 404 404 404", kwargs=open_attempt),
    Row("exams:review",                 "POST",   "login 405 405 405 405 405", kwargs=open_attempt),
    Row("exams:submit",                 "POST",   "login 302 404 404 404 404", kwargs=open_attempt, data=lambda w: {"confirm": "yes"}),
    Row("exams:submit",                 "GET",    "login 405 405 405 405 405", kwargs=open_attempt),
    Row("exams:results",                "GET",    "login 200 404 404 404 404", kwargs=submitted),
    Row("exams:results",                "GET",    "login 302 404 404 404 404", kwargs=open_attempt),
    Row("exams:results",                "POST",   "login 405 405 405 405 405", kwargs=submitted),
    Row("exams:retry",                  "POST",   "login 302 404 404 404 404", kwargs=submitted),
    Row("exams:retry",                  "GET",    "login 405 405 405 405 405", kwargs=submitted),

    # Reporting a problem: only with a question one may practise (Irene's set is shared with Alice's class)
    Row("questions:report",             "GET",    "login 200 404 200 404 404", kwargs=irene_question),
    Row("questions:report",             "POST",   "login 302 404 302 404 404", kwargs=irene_question,
        data=lambda w: {"category": "typo", "text": "A typo in the stem."}),
    Row("questions:report",             "GET",    "login 200 200 200 200 200", kwargs=public_question),
    Row("questions:report",             "PUT",    "login 405 405 405 405 405", kwargs=public_question),

    # Dashboard, and the accuracy fragments of the study pages (without HTMX: to the dashboard)
    Row("progress:dashboard",           "GET",    "login 200 200 200 200 200"),
    Row("progress:dashboard",           "POST",   "login 405 405 405 405 405"),
    Row("progress:exam-accuracy",       "GET",    "302   302 302 302 302 302", kwargs=exam_slug),
    Row("progress:exam-accuracy",       "GET",    "200   200 200 200 200 200", kwargs=exam_slug, headers=HTMX),
    Row("progress:exam-accuracy",       "POST",   "405   405 405 405 405 405", kwargs=exam_slug),
    Row("progress:task-accuracy",       "GET",    "302   302 302 302 302 302", kwargs=task),
    Row("progress:task-accuracy",       "GET",    "200   200 200 200 200 200", kwargs=task, headers=HTMX),
    Row("progress:task-accuracy",       "POST",   "405   405 405 405 405 405", kwargs=task),

    # Classes: students see their own class page; instructors only the classes they teach (root: all)
    Row("classrooms:list",              "GET",    "login 200 200 200 200 200"),
    Row("classrooms:list",              "POST",   "login 405 405 405 405 405"),
    Row("classrooms:create",            "GET",    "login 403 403 200 200 200"),
    Row("classrooms:create",            "POST",   "login 403 403 302 302 302", data=lambda w: {"name": "New", "exam": w.exam.pk}),
    Row("classrooms:create",            "PUT",    "login 405 405 405 405 405"),
    Row("classrooms:join",              "GET",    "login 200 200 200 200 200"),
    Row("classrooms:join",              "POST",   "login 400 302 400 302 302", data=lambda w: {"code": w.classroom.join_code}),
    Row("classrooms:join",              "PUT",    "login 405 405 405 405 405"),
    Row("classrooms:join-code",         "GET",    "login 200 200 200 200 200", kwargs=join_code),
    Row("classrooms:join-code",         "POST",   "login 400 302 400 302 302", kwargs=join_code,
        data=lambda w: {"code": w.classroom.join_code}),
    Row("classrooms:join-code",         "PUT",    "login 405 405 405 405 405", kwargs=join_code),
    Row("classrooms:detail",            "GET",    "login 200 404 200 404 200", kwargs=classroom),
    Row("classrooms:detail",            "POST",   "login 405 405 405 405 405", kwargs=classroom),
    Row("classrooms:leave",             "POST",   "login 302 404 404 404 404", kwargs=classroom),
    Row("classrooms:leave",             "GET",    "login 405 405 405 405 405", kwargs=classroom),
    Row("classrooms:members",           "GET",    "login 404 404 200 404 200", kwargs=classroom),
    Row("classrooms:members",           "POST",   "login 405 405 405 405 405", kwargs=classroom),
    Row("classrooms:member-update",     "POST",   "login 404 404 302 404 302", kwargs=alice_member, data=accommodations),
    Row("classrooms:member-update",     "GET",    "login 405 405 405 405 405", kwargs=alice_member),
    Row("classrooms:member-remove",     "POST",   "login 404 404 302 404 302", kwargs=alice_member),
    Row("classrooms:member-remove",     "GET",    "login 405 405 405 405 405", kwargs=alice_member),
    Row("classrooms:member-readmit",    "POST",   "login 404 404 302 404 302", kwargs=removed_member),
    Row("classrooms:member-readmit",    "POST",   "login 404 404 404 404 404", kwargs=alice_member),
    Row("classrooms:member-readmit",    "GET",    "login 405 405 405 405 405", kwargs=removed_member),
    Row("classrooms:regenerate-code",   "POST",   "login 404 404 302 404 302", kwargs=classroom),
    Row("classrooms:regenerate-code",   "GET",    "login 405 405 405 405 405", kwargs=classroom),
    Row("classrooms:add-instructor",    "POST",   "login 404 404 302 404 302", kwargs=classroom,
        data=lambda w: {"username": "oscar"}),
    Row("classrooms:add-instructor",    "GET",    "login 405 405 405 405 405", kwargs=classroom),
    Row("classrooms:sharing",           "GET",    "login 404 404 200 404 200", kwargs=classroom),
    Row("classrooms:sharing",           "POST",   "login 404 404 302 404 302", kwargs=classroom,
        data=lambda w: {"sets": [w.irene_set.pk]}),
    Row("classrooms:sharing",           "PUT",    "login 405 405 405 405 405", kwargs=classroom),
    Row("classrooms:results-csv",       "GET",    "login 404 404 200 404 200", kwargs=classroom),
    Row("classrooms:results-csv",       "POST",   "login 405 405 405 405 405", kwargs=classroom),
    Row("classrooms:items",             "GET",    "login 404 404 200 404 200", kwargs=classroom),
    Row("classrooms:items",             "POST",   "login 405 405 405 405 405", kwargs=classroom),
    Row("classrooms:set-items",         "GET",    "login 404 404 200 404 200", kwargs=irene_set),
    Row("classrooms:set-items",         "POST",   "login 405 405 405 405 405", kwargs=irene_set),
    Row("classrooms:assignment-new",    "GET",    "login 404 404 200 404 200", kwargs=classroom),
    Row("classrooms:assignment-new",    "POST",   "login 404 404 302 404 302", kwargs=classroom, data=assignment_form),
    Row("classrooms:assignment-new",    "PUT",    "login 405 405 405 405 405", kwargs=classroom),
    Row("classrooms:assignment-edit",   "GET",    "login 404 404 200 404 200", kwargs=assignment),
    Row("classrooms:assignment-edit",   "POST",   "login 404 404 302 404 302", kwargs=assignment, data=assignment_form),
    Row("classrooms:assignment-edit",   "PUT",    "login 405 405 405 405 405", kwargs=assignment),
    Row("classrooms:assignment-start",  "POST",   "login 302 404 404 404 404", kwargs=assignment),
    Row("classrooms:assignment-start",  "GET",    "login 405 405 405 405 405", kwargs=assignment),

    # Study pages: public
    Row("content:home",                 "GET",    "200   302 302 302 302 302"),
    Row("content:home",                 "POST",   "405   405 405 405 405 405"),
    Row("content:exam-detail",          "GET",    "200   200 200 200 200 200", kwargs=exam_slug),
    Row("content:exam-detail",          "GET",    "404   404 404 404 404 404", kwargs=lambda w: {"exam_slug": "nope-c01"}),
    Row("content:exam-detail",          "POST",   "405   405 405 405 405 405", kwargs=exam_slug),
    Row("content:task-statement-detail", "GET",   "200   200 200 200 200 200", kwargs=task),
    Row("content:task-statement-detail", "POST",  "405   405 405 405 405 405", kwargs=task),
    Row("content:note-detail",          "GET",    "200   200 200 200 200 200", kwargs=note),
    Row("content:note-detail",          "POST",   "405   405 405 405 405 405", kwargs=note),
    Row("content:note-read",            "POST",   "302   302 302 302 302 302", kwargs=note, data=lambda w: {"read": "1"}),
    Row("content:note-read",            "GET",    "405   405 405 405 405 405", kwargs=note),
    Row("content:note-media",           "GET",    "404   404 404 404 404 404", kwargs=lambda w: {"digest": "0" * 64, "extension": "png"}),
    Row("content:note-media",           "POST",   "405   405 405 405 405 405", kwargs=lambda w: {"digest": "0" * 64, "extension": "png"}),
    Row("content:service-list",         "GET",    "200   200 200 200 200 200"),
    Row("content:service-list",         "POST",   "405   405 405 405 405 405"),
    Row("content:service-detail",       "GET",    "200   200 200 200 200 200", kwargs=service),
    Row("content:service-detail",       "POST",   "405   405 405 405 405 405", kwargs=service),
    Row("content:search",               "GET",    "200   200 200 200 200 200", query="?q=widget"),
    Row("content:search",               "POST",   "405   405 405 405 405 405"),
    Row("content:health",               "GET",    "200   200 200 200 200 200"),
    Row("content:health",               "POST",   "405   405 405 405 405 405"),
]

# The admin is one group: staff only (Django's own rule), and instructors see only what they own in it.
ADMIN_ROWS = [
    Row("admin:index",                  "GET",    "admin admin admin 200 200 200"),
    Row("admin:questions_questionset_changelist", "GET", "admin admin admin 200 200 200"),
    Row("admin:questions_questionset_change", "GET", "admin admin admin 200 302 200",
        kwargs=lambda w: {"object_id": w.irene_set.pk}),
    Row("admin:classrooms_classroom_changelist", "GET", "admin admin admin 403 403 200"),
]
# fmt: on


def url_patterns(resolver=None, namespace=""):
    """(name, route) of every URL pattern, the admin's counted once as "admin:*"."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            if inner == "admin":
                yield "admin:*", str(pattern.pattern)
            else:
                yield from url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or f"(unnamed) {pattern.pattern}", str(pattern.pattern)


def test_every_url_pattern_has_a_row():
    named = {name for name, _ in url_patterns()}
    covered = {row.name for row in ROWS} | {"admin:*"}
    assert named - covered == set(), "URL patterns without a row in the access matrix"
    assert covered - named == set(), "rows for URL patterns that do not exist"
    assert {row.name for row in ADMIN_ROWS} >= {"admin:index"}


def test_every_row_has_a_cell_for_everybody():
    for row in ROWS + ADMIN_ROWS:
        assert all(row.expected(persona) for persona in PERSONAS)
        assert set(row.cells.split()) <= REFUSED | {"200", "302"}, row


def sessions(world):
    """A session key per signed-in persona."""
    keys = {}
    for persona in PERSONAS[1:]:
        client = Client()
        client.force_login(getattr(world, persona))
        keys[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def check(url, response, expected):
    """What is wrong with the response for this cell, or ''."""
    status, location = response.status_code, response.get("Location", "")
    path = url.partition("?")[0]
    if expected == "login":
        ok = status == 302 and location.startswith(f"{reverse('login')}?next={path}")
    elif expected == "admin":
        ok = status == 302 and location.startswith(f"{reverse('admin:login')}?next={path}")
    elif expected == "302":
        ok = status == 302 and not location.startswith((reverse("login"), reverse("admin:login")))
    else:
        ok = status == int(expected)
    return "" if ok else f"expected {expected}, got {status} {location}".rstrip()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_access_matrix(world, persona):
    keys = sessions(world)
    baseline = snapshot()
    failures = []
    client = Client()  # one client (a new one loads the middleware again), with only the persona's cookie
    for row in ROWS + ADMIN_ROWS:
        expected = row.expected(persona)
        client.cookies.clear()
        if persona in keys:
            client.cookies[settings.SESSION_COOKIE_NAME] = keys[persona]
        url = row.url(world)
        data = row.data(world) if row.data else None
        try:
            # Each cell runs in a savepoint that is rolled back: cells cannot affect each other.
            with transaction.atomic():
                if row.method in ("GET", "POST"):
                    response = getattr(client, row.method.lower())(url, data, **row.headers)
                else:  # PUT, DELETE: no body (the 415 for a body that is not form data is tested elsewhere)
                    response = client.generic(row.method, url, **row.headers)
                problem = check(url, response, expected)
                if not problem and expected in REFUSED:
                    changed = changed_tables(baseline, snapshot())
                    problem = f"refused, yet changed {changed}" if changed else ""
                transaction.set_rollback(True)
        except Exception as error:  # a 500: the test client re-raises the view's exception
            problem = f"raised {error!r}"
        if problem:
            failures.append(f"{row} {url} as {persona}: {problem}")
    assert failures == [], "\n".join(failures)
