"""An instructor writes a multiple-response question in the admin and previews it as a student sees it."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from apps.questions.models import Question
from apps.questions.roles import INSTRUCTORS
from tests.e2e.conftest import screenshot
from tests.factories import make_exam, make_question_set

CHOICES = [
    ("Amazon S3", True, "S3 keeps objects with eleven nines of durability."),
    ("Amazon DynamoDB", True, "DynamoDB replicates every item across three zones."),
    ("AWS Lambda", False, "Lambda runs code and keeps no data."),
    ("Amazon SNS", False, "SNS delivers messages and keeps none."),
    ("AWS IAM", False, "IAM manages access, not data."),
]


@pytest.fixture
def instructor_with_a_set(transactional_db):
    user = get_user_model().objects.create_user(username="irene", password="irene-pass-1234", is_staff=True)
    user.groups.add(Group.objects.get(name=INSTRUCTORS))
    exam = make_exam(code="TST-C01", guide_version="2.0")
    make_question_set(exam=exam, slug="irene-bank", title="Irene's bank", owner=user)
    return user


def test_an_instructor_adds_a_multiple_response_question_and_previews_it(
    live_server, page, instructor_with_a_set
):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/questions/question/add/")
    page.get_by_label("Username").fill("irene")
    page.get_by_label("Password").fill("irene-pass-1234")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Add question")).to_be_visible()

    page.get_by_label("Question set").select_option(label="Irene's bank (TST-C01)")
    page.get_by_label("Kind").select_option("multiple_response")
    page.get_by_label("Status").select_option("published")
    page.get_by_label("Task statement").select_option(label="TST-C01 1.1 Task 1.1 of TST-C01")
    page.get_by_label("Stem (Markdown)").fill("Which services store data durably? (Choose TWO.)")
    page.get_by_label("Explanation (Markdown)").fill("S3 and DynamoDB both keep data **durably**.")
    expect(page.locator(".kind-ordering")).to_be_hidden()  # only the parts of the chosen kind are shown
    expect(page.locator(".kind-multiple_response")).to_be_visible()

    for i, (text, correct, rationale) in enumerate(CHOICES):
        page.get_by_role("button", name="Add another Choice").click()
        page.locator(f"[name='choices-{i}-position']").fill(str(i + 1))
        page.locator(f"[name='choices-{i}-text_md']").fill(text)
        page.locator(f"[name='choices-{i}-rationale_md']").fill(rationale)
        page.locator(f"[name='choices-{i}-is_correct']").set_checked(correct)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    question = Question.objects.get()
    assert (question.kind, question.status, question.author) == (
        "multiple_response",
        "published",
        instructor_with_a_set,
    )

    page.locator("#result_list").get_by_role("link", name="Which services store data durably?").click()
    page.get_by_role("link", name="Preview as student").click()
    expect(page).to_have_url(re.compile(rf"/admin/questions/question/{question.pk}/preview/$"))

    as_student, with_answer = page.locator("article.question-display").all()
    expect(as_student.locator(".question-stem")).to_have_text(
        "Which services store data durably? (Choose TWO.)"
    )
    expect(as_student.locator(".choice label")).to_have_text([text for text, _, _ in CHOICES])
    expect(as_student.locator("input[type=checkbox]")).to_have_count(5)
    expect(as_student.locator("input:checked")).to_have_count(0)
    expect(as_student.locator(".rationale")).to_have_count(0)

    expect(with_answer.locator(".rationale")).to_have_text(
        [f"{'Correct.' if correct else 'Incorrect.'} {rationale}" for _, correct, rationale in CHOICES]
    )
    expect(with_answer.locator(".choice-correct label")).to_have_text(["Amazon S3", "Amazon DynamoDB"])
    expect(with_answer.locator("input:checked")).to_have_count(2)
    expect(with_answer.locator(".explanation strong")).to_have_text("durably")
    assert page.js_errors == []
    screenshot(page, "admin-question-preview")
