"""A whole course in the browser: an instructor creates a class, shares a set and assigns a 5-question practice;
two students join with the code and take it; the instructor sees both on the dashboard, downloads the CSV and
reads the item analysis."""

import csv
import re

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from apps.classrooms.models import AssignmentAttempt, Classroom
from apps.questions.roles import ensure_instructor_group
from tests.e2e.conftest import screenshot
from tests.factories import make_exam, make_question_set, make_questions


def log_in(page, url, username, password):
    page.goto(url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def take_assignment(page, url, code, right):
    """Join with the code, start the assignment from the dashboard and answer `right` of 5 questions right."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Classes").click()
    page.get_by_label("Join code").fill(code.lower())
    page.get_by_role("button", name="Join a class").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring cohort")
    page.goto(url + "/dashboard/")
    assignments = page.get_by_role("region", name="Your assignments", exact=True)
    expect(assignments).to_contain_text("Week 1 quiz")
    expect(assignments).to_contain_text("To do")
    assignments.get_by_role("button", name="Start Week 1 quiz").click()
    for position in range(1, 6):
        expect(page.locator("#q-heading")).to_have_text(re.compile(rf"^Question {position}\b"))
        choice = "Right choice" if position <= right else "Wrong choice B"
        with page.expect_response(
            lambda r: r.url.endswith("/answer/") and r.request.method == "POST"
        ) as saved:
            page.get_by_role("radio", name=choice, exact=True).check()
        assert saved.value.ok
        if position < 5:
            page.get_by_role("button", name="Save and next").click()
    page.get_by_role("button", name="Review and submit").click()
    page.get_by_label(re.compile("I am ready to submit")).check()
    page.get_by_role("button", name="Submit the exam").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+/results/$"))
    page.goto(url + "/dashboard/")
    expect(page.get_by_role("region", name="Your assignments", exact=True)).to_contain_text("Done")


def test_a_whole_course(live_server, browser, transactional_db, instructor, student, other_student, tmp_path):
    url = live_server.url
    exam = make_exam(code="TST-C01")
    ensure_instructor_group()
    instructor.groups.add(Group.objects.get(name="Instructors"))
    own = make_question_set(exam=exam, slug="irene-week-1", visibility="private", owner=instructor)
    own.title = "Irene's week 1"
    own.save()
    make_questions(question_set=own, count=5, task_statement="1.1", prefix="Week 1 question")
    pages = [browser.new_context(viewport={"width": 1280, "height": 900}).new_page() for _ in range(3)]
    teacher_page, alice, bob = pages

    # The instructor creates the class, shares the set and assigns five questions from it.
    log_in(teacher_page, url, "irene", "irene-pass-1234")
    nav = teacher_page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Classes").click()
    teacher_page.get_by_role("button", name="New class").click()
    teacher_page.get_by_label("Class name").fill("Spring cohort")
    teacher_page.get_by_label("Exam").select_option(label=str(exam))
    teacher_page.get_by_role("button", name="Create the class").click()
    classroom = Classroom.objects.get()
    expect(teacher_page.locator(".join-code")).to_have_text(classroom.join_code)
    screenshot(teacher_page, "classroom-members-empty")
    class_nav = teacher_page.get_by_role("navigation", name="Class Spring cohort")
    class_nav.get_by_role("link", name="Question sets").click()
    teacher_page.get_by_label(re.compile("Irene's week 1")).check()
    teacher_page.get_by_role("button", name="Save").click()
    expect(teacher_page.get_by_role("status")).to_contain_text(
        "can now be seen by the classes it is shared with"
    )
    class_nav.get_by_role("link", name="New assignment").click()
    teacher_page.get_by_label("Title").fill("Week 1 quiz")
    teacher_page.get_by_label("Custom practice").check()
    teacher_page.get_by_label(re.compile("Irene's week 1")).check()
    teacher_page.get_by_label("Number of questions").fill("5")
    screenshot(teacher_page, "classroom-assignment-form")
    teacher_page.get_by_role("button", name="Save the assignment").click()
    expect(teacher_page.get_by_role("region", name="Assignments", exact=True)).to_contain_text("Week 1 quiz")

    # Two students join with the code and take it: Alice gets all five right, Bob two.
    log_in(alice, url, "alice", "alice-pass-1234")
    take_assignment(alice, url, classroom.join_code, right=5)
    log_in(bob, url, "bob", "bob-pass-1234")
    take_assignment(bob, url, classroom.join_code, right=2)
    screenshot(bob, "classroom-student-dashboard")
    assert AssignmentAttempt.objects.filter(attempt__status="submitted").count() == 2

    # The instructor sees both on the dashboard, downloads the CSV, and reads the item analysis.
    teacher_page.goto(url + f"/classes/{classroom.pk}/")
    assignments = teacher_page.get_by_role("region", name="Assignments", exact=True)
    expect(assignments).to_contain_text("2 of 2 (100%)")
    expect(assignments).to_contain_text("70%")  # the average of 100% and 40%
    heat = teacher_page.get_by_role("region", name="Students by domain table")
    expect(heat.locator("tbody tr")).to_have_count(2)
    expect(heat.locator("tbody tr", has_text="alice")).to_contain_text("100%")
    expect(heat.locator("tbody tr", has_text="bob")).to_contain_text("40%")
    screenshot(teacher_page, "classroom-dashboard")
    teacher_page.set_viewport_size({"width": 390, "height": 844})
    screenshot(teacher_page, "classroom-dashboard-phone")
    overflow = teacher_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, "the class dashboard scrolls sideways on a phone"
    teacher_page.set_viewport_size({"width": 1280, "height": 900})
    with teacher_page.expect_download() as download:
        teacher_page.get_by_role("link", name="Results (CSV)").click()
    path = tmp_path / "results.csv"
    download.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert {(r["username"], r["assignment"], r["best score %"], r["domain 1 %"]) for r in rows} == {
        ("alice", "Week 1 quiz", "100.0", "100"),
        ("bob", "Week 1 quiz", "40.0", "40"),
    }
    teacher_page.get_by_role("navigation", name="Class Spring cohort").get_by_role(
        "link", name="Item analysis"
    ).click()
    expect(teacher_page.get_by_role("heading", level=1)).to_contain_text("Item analysis")
    table = teacher_page.locator("table").first
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(table).to_contain_text("Week 1 question")
    screenshot(teacher_page, "classroom-item-analysis")
    for page in pages:
        page.context.close()
