"""axe-core on every main page, logged out, as a student and as an instructor, in light and dark themes: no
serious or critical violations."""

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.exams import services as exam_services
from apps.exams.scoring import correct_response
from tests.e2e.test_accessibility import AXE, violations
from tests.security.conftest import build_world


def logged_out_pages(w):
    return [
        "/",
        reverse("content:exam-detail", args=[w.exam.slug]),
        reverse("content:task-statement-detail", args=[w.exam.slug, "1.1"]),
        reverse("content:note-detail", args=[w.exam.slug, w.note.slug]),
        reverse("content:service-list"),
        reverse("content:service-detail", args=[w.service.slug]),
        reverse("content:search") + "?q=widget",
        reverse("login"),
        reverse("accounts:signup"),
        reverse("password_reset"),
        "/no-such-page/",
    ]


def student_pages(w):
    attempt = w.open_attempt
    return [
        reverse("progress:dashboard"),
        reverse("exams:new"),
        *[reverse("exams:question", args=[attempt.pk, slot.position]) for slot in attempt.slots.all()],
        reverse("exams:review", args=[attempt.pk]),
        reverse("exams:results", args=[w.submitted_attempt.pk]),
        reverse("exams:history"),
        reverse("accounts:profile"),
        reverse("classrooms:list"),
        reverse("classrooms:detail", args=[w.classroom.pk]),
        reverse("classrooms:join"),
        reverse("classrooms:join-code", args=[w.other_classroom.join_code]),
        reverse("questions:report", args=[w.irene_questions[0].pk]),
    ]


def instructor_pages(w):
    classroom = w.classroom
    return [
        reverse("classrooms:list"),
        reverse("classrooms:detail", args=[classroom.pk]),
        reverse("classrooms:members", args=[classroom.pk]),
        reverse("classrooms:sharing", args=[classroom.pk]),
        reverse("classrooms:assignment-new", args=[classroom.pk]),
        reverse("classrooms:assignment-edit", args=[classroom.pk, w.assignment.pk]),
        reverse("classrooms:items", args=[classroom.pk]),
        reverse("classrooms:set-items", args=[w.irene_set.pk]),
        reverse("classrooms:create"),
    ]


PAGES = {
    "anonymous": (None, logged_out_pages),
    "student": ("alice", student_pages),
    "instructor": ("irene", instructor_pages),
}


def checked_answer(world):
    """One answer of the open attempt saved and checked, so that a question page shows its feedback too."""
    slot = world.open_attempt.slots.get(kind="multiple_response")
    now = timezone.now()
    exam_services.save_response(
        attempt=world.open_attempt,
        slot=slot,
        response=correct_response(slot.snapshot),
        seq=1,
        now=now,
    )
    exam_services.check_answer(attempt=world.open_attempt, slot=slot, now=now)


@pytest.mark.parametrize("persona", PAGES)
def test_every_main_page_has_no_serious_accessibility_violations(
    live_server,
    browser,
    transactional_db,
    student,
    other_student,
    instructor,
    other_instructor,
    admin,
    persona,
):
    assert AXE.exists(), "axe-core is installed by npm ci (package.json devDependencies)"
    world = build_world(
        alice=student, bob=other_student, irene=instructor, oscar=other_instructor, root=admin
    )
    checked_answer(world)
    who, pages = PAGES[persona]
    # axe is injected as a script tag, which the site's Content Security Policy rightly refuses.
    # Reduced motion turns Pico's colour transitions off, so axe never measures a colour halfway between themes.
    context = browser.new_context(
        bypass_csp=True, reduced_motion="reduce", viewport={"width": 1280, "height": 900}
    )
    if who:  # signed in through a session made here, not through the log-in form (tested elsewhere)
        client = Client()
        client.force_login(getattr(world, who))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
    page = context.new_page()
    found = {}
    for url in pages(world):
        response = page.goto(live_server.url + url)
        assert response.status == (404 if url == "/no-such-page/" else 200), url
        assert page.url == live_server.url + url, f"{url} redirected to {page.url}"
        page.wait_for_load_state("networkidle")
        # Both themes on the same page: the colours follow prefers-color-scheme (static/css/app.css).
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            problems = violations(page)
            if problems:
                found[f"{url} ({scheme})"] = [
                    {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"][:3]]}
                    for v in problems
                ]
    context.close()
    assert found == {}, json.dumps(found, indent=1)
