"""The classroom pages as instructors and students meet them, and the access rules (each tried to be broken)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.classrooms import services
from apps.classrooms.models import Assignment, AssignmentAttempt, Classroom, Membership
from apps.exams.models import Attempt
from apps.exams.services import submit_attempt
from tests.factories import make_question_set


def assignment_for(classroom, **fields):
    now = timezone.now()
    values = {
        "title": "Week 1",
        "mode": "custom",
        "question_count": 3,
        "attempts_allowed": 1,
        "opens_at": now - timedelta(hours=1),
        "due_at": now + timedelta(days=7),
    }
    values.update(fields)
    return services.save_assignment(assignment=Assignment(classroom=classroom, **values), question_sets=[])


@pytest.fixture
def joined(student, classroom):
    return services.join(student=student, code=classroom.join_code, now=timezone.now())


# --------------------------------------------------------------------------------------------- instructor
def test_instructor_creates_a_class_and_sees_its_code(client, teacher, exam):
    client.force_login(teacher)
    response = client.post("/classes/new/", {"name": "Evening class", "exam": exam.pk})
    classroom = Classroom.objects.get(name="Evening class")
    assert response.status_code == 302 and response["Location"] == f"/classes/{classroom.pk}/members/"
    page = client.get(response["Location"]).content.decode()
    assert classroom.join_code in page and f"/classes/join/{classroom.join_code}/" in page


def test_a_student_cannot_create_a_class(client, student, exam):
    client.force_login(student)
    assert client.post("/classes/new/", {"name": "Mine", "exam": exam.pk}).status_code == 403
    assert not Classroom.objects.exists()


def test_create_form_errors_rerender(client, teacher):
    client.force_login(teacher)
    response = client.post("/classes/new/", {"name": "", "exam": "999"})
    assert response.status_code == 200 and b"This field is required" in response.content
    assert not Classroom.objects.exists()


def test_assignment_form_validates_and_saves(client, teacher, classroom, bank):
    client.force_login(teacher)
    url = f"/classes/{classroom.pk}/assignments/new/"
    assert client.get(url).status_code == 200
    bad = {
        "title": "W1",
        "mode": "custom",
        "question_count": "0",
        "feedback": "end",
        "opens_at": "2026-03-02T09:00",
        "due_at": "2026-03-01T09:00",
        "attempts_allowed": "0",
    }
    response = client.post(url, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "The due date must be after the opening date." in page and "Allow between 1 and 20 attempts." in page
    )
    assert not Assignment.objects.exists()
    good = {
        **bad,
        "question_count": "5",
        "due_at": "2026-03-09T09:00",
        "attempts_allowed": "2",
        "domains": ["1"],
        "question_sets": [bank.pk],
        "time_limit_minutes": "15",
    }
    assert client.post(url, good).status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.domains, assignment.attempts_allowed, list(assignment.question_sets.all())) == (
        [1],
        2,
        [bank],
    )


def test_accommodations_are_validated(client, teacher, classroom, joined):
    client.force_login(teacher)
    url = f"/classes/{classroom.pk}/members/{joined.pk}/"
    response = client.post(
        url, {f"m{joined.pk}-extra_time_percent": "900", f"m{joined.pk}-extra_attempts": "1"}
    )
    assert response.status_code == 400 and b"Extra time can be at most 200%" in response.content
    joined.refresh_from_db()
    assert joined.extra_time_percent == 0
    client.post(url, {f"m{joined.pk}-extra_time_percent": "50", f"m{joined.pk}-extra_attempts": "1"})
    joined.refresh_from_db()
    assert (joined.extra_time_percent, joined.extra_attempts) == (50, 1)


def test_remove_regenerate_and_add_co_instructor(client, teacher, other_teacher, classroom, joined):
    client.force_login(teacher)
    client.post(f"/classes/{classroom.pk}/members/{joined.pk}/remove/")
    joined.refresh_from_db()
    assert joined.removed and not joined.is_active
    old = classroom.join_code
    client.post(f"/classes/{classroom.pk}/code/")
    classroom.refresh_from_db()
    assert classroom.join_code != old
    response = client.post(f"/classes/{classroom.pk}/instructors/", {"username": "nobody"})
    assert response.status_code == 400 and "There is no instructor called" in response.content.decode()
    client.post(f"/classes/{classroom.pk}/instructors/", {"username": other_teacher.username})
    client.force_login(other_teacher)
    assert client.get(f"/classes/{classroom.pk}/").status_code == 200  # the co-instructor sees the dashboard


def test_sharing_page_lists_only_own_sets(client, teacher, other_teacher, classroom, exam):
    mine = make_question_set(exam=exam, slug="mine", visibility="private", owner=teacher)
    theirs = make_question_set(exam=exam, slug="theirs", visibility="private", owner=other_teacher)
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/sets/").content.decode()
    assert f'value="{mine.pk}"' in page and f'value="{theirs.pk}"' not in page
    response = client.post(f"/classes/{classroom.pk}/sets/", {"sets": [theirs.pk]})
    assert response.status_code == 400 and not classroom.question_sets.exists()
    client.post(f"/classes/{classroom.pk}/sets/", {"sets": [mine.pk]})
    assert list(classroom.question_sets.all()) == [mine]


def test_dashboard_shows_students_and_assignments(client, teacher, classroom, joined, student):
    assignment_for(classroom)
    client.force_login(teacher)
    page = client.get(f"/classes/{classroom.pk}/").content.decode()
    assert student.username in page and "Week 1" in page and "0 of 1 (0%)" in page


# ------------------------------------------------------------------------------------------------ student
def test_join_link_previews_then_joins(client, student, classroom):
    client.force_login(student)
    page = client.get(f"/classes/join/{classroom.join_code.lower()}/").content.decode()
    assert "Join Spring cohort?" in page and "instructors see your assignments" in page
    assert not Membership.objects.exists()  # a GET joins nothing
    response = client.post("/classes/join/", {"code": classroom.join_code})
    assert response.status_code == 302 and response["Location"] == f"/classes/{classroom.pk}/"


def test_a_wrong_code_says_so(client, student, classroom):
    client.force_login(student)
    response = client.post("/classes/join/", {"code": "WRONG999"})
    assert response.status_code == 400 and "No class has that code" in response.content.decode()
    assert "No class has that code" in client.get("/classes/join/WRONG999/").content.decode()


def test_the_join_page_needs_a_login(client, classroom):
    response = client.get(f"/classes/join/{classroom.join_code}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_student_starts_an_assignment_from_the_dashboard(client, student, classroom, joined, questions):
    assignment = assignment_for(classroom)
    client.force_login(student)
    dashboard = client.get("/dashboard/").content.decode()
    assert "Your assignments" in dashboard and "Week 1" in dashboard and "To do" in dashboard
    response = client.post(f"/classes/{classroom.pk}/assignments/{assignment.pk}/start/")
    attempt = Attempt.objects.get(user=student)
    assert response["Location"] == f"/attempts/{attempt.pk}/"
    assert AssignmentAttempt.objects.get().assignment == assignment
    submit_attempt(attempt=attempt, now=timezone.now())
    again = client.post(f"/classes/{classroom.pk}/assignments/{assignment.pk}/start/", follow=True)
    assert "You have used all 1 attempt" in again.content.decode()
    assert Attempt.objects.count() == 1


def test_student_leaves(client, student, classroom, joined):
    client.force_login(student)
    assert client.get(f"/classes/{classroom.pk}/").status_code == 200
    client.post(f"/classes/{classroom.pk}/leave/")
    assert client.get(f"/classes/{classroom.pk}/").status_code == 404


# ------------------------------------------------------------------------------------------ access rules
INSTRUCTOR_URLS = [
    ("get", "/classes/{c}/"),
    ("get", "/classes/{c}/members/"),
    ("post", "/classes/{c}/members/{m}/"),
    ("post", "/classes/{c}/members/{m}/remove/"),
    ("post", "/classes/{c}/members/{m}/readmit/"),
    ("post", "/classes/{c}/code/"),
    ("post", "/classes/{c}/instructors/"),
    ("get", "/classes/{c}/sets/"),
    ("post", "/classes/{c}/sets/"),
    ("get", "/classes/{c}/results.csv"),
    ("get", "/classes/{c}/items/"),
    ("get", "/classes/{c}/assignments/new/"),
    ("post", "/classes/{c}/assignments/new/"),
    ("get", "/classes/{c}/assignments/{a}/"),
    ("post", "/classes/{c}/assignments/{a}/"),
]


@pytest.mark.parametrize(("method", "url"), INSTRUCTOR_URLS)
@pytest.mark.parametrize("who", ["other_teacher", "student"])
def test_nobody_else_reaches_an_instructors_pages(request, client, classroom, joined, method, url, who):
    assignment = assignment_for(classroom)
    before = (classroom.join_code, Assignment.objects.count(), list(Membership.objects.values()))
    client.force_login(request.getfixturevalue(who))
    path = url.format(c=classroom.pk, m=joined.pk, a=assignment.pk)
    response = getattr(client, method)(path, {"username": "oscar", "title": "x"})
    # The student is in the class, so its page is theirs; every instructor page is a 404 for both.
    expected = 200 if (who == "student" and path == f"/classes/{classroom.pk}/") else 404
    assert response.status_code == expected
    classroom.refresh_from_db()
    assert (classroom.join_code, Assignment.objects.count(), list(Membership.objects.values())) == before


def test_ids_of_another_class_are_404(client, teacher, classroom, other_classroom, other_student):
    theirs = services.join(student=other_student, code=other_classroom.join_code, now=timezone.now())
    other_assignment = assignment_for(other_classroom)
    client.force_login(teacher)
    assert client.post(f"/classes/{classroom.pk}/members/{theirs.pk}/remove/").status_code == 404
    assert client.get(f"/classes/{classroom.pk}/assignments/{other_assignment.pk}/").status_code == 404
    assert client.get(f"/classes/{other_classroom.pk}/results.csv").status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active


def test_a_student_cannot_start_another_class_assignment(
    client, student, classroom, joined, other_classroom, questions
):
    other_assignment = assignment_for(other_classroom)
    mine = assignment_for(classroom)
    client.force_login(student)
    assert (
        client.post(f"/classes/{other_classroom.pk}/assignments/{other_assignment.pk}/start/").status_code
        == 404
    )
    assert client.post(f"/classes/{classroom.pk}/assignments/{other_assignment.pk}/start/").status_code == 404
    assert client.get(f"/classes/{classroom.pk}/assignments/{mine.pk}/start/").status_code == 405
    assert not Attempt.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client, classroom):
    for path in ("/classes/", f"/classes/{classroom.pk}/", f"/classes/{classroom.pk}/results.csv"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_superuser_sees_any_class(client, admin, classroom):
    client.force_login(admin)
    assert client.get(f"/classes/{classroom.pk}/").status_code == 200


def test_a_student_who_left_cannot_be_pulled_back_in(client, teacher, classroom, joined):
    services.leave(membership=joined, now=timezone.now())
    client.force_login(teacher)
    assert client.post(f"/classes/{classroom.pk}/members/{joined.pk}/readmit/").status_code == 404
    joined.refresh_from_db()
    assert not joined.is_active


@pytest.mark.parametrize(
    ("fields", "minutes"),
    [({"time_limit_minutes": 10}, 15), ({"mode": "mock", "question_count": 0}, 135)],  # the exam's 90 + 50%
)
def test_the_dashboard_and_class_page_show_the_time_the_clock_will_give(
    client, student, classroom, joined, questions, fields, minutes
):
    services.set_accommodations(membership=joined, extra_time_percent=50, extra_attempts=0)
    assignment = assignment_for(classroom, **fields)
    client.force_login(student)
    for url in ("/dashboard/", f"/classes/{classroom.pk}/"):
        page = client.get(url).content.decode()
        assert f"{minutes} minutes (with your extra time)" in page, url
    client.post(f"/classes/{classroom.pk}/assignments/{assignment.pk}/start/")
    attempt = Attempt.objects.get(user=student)
    assert round((attempt.deadline - attempt.started_at).total_seconds() / 60) == minutes
    assert attempt.exam_conditions  # a timed assignment runs on the focused exam screen


def test_without_extra_time_the_listing_shows_the_time_limit_alone(client, student, classroom, joined):
    assignment_for(classroom, time_limit_minutes=10)
    client.force_login(student)
    page = client.get("/dashboard/").content.decode()
    assert "10 minutes" in page and "extra time" not in page
