"""Importing a question file from the admin: the upload form, the report, and refused files."""

from tests.questions.admin.helpers import VALID_YAML, messages_of, soup_of, upload, url


def test_the_import_page_offers_the_upload_form(as_instructor, own_set):
    soup = soup_of(as_instructor.get(url("questionset_import", own_set.pk)))
    assert soup.select_one("form[enctype='multipart/form-data'] input[type=file][name=file]")
    assert "Irene's bank" in soup.select_one("#content").get_text()


def test_importing_a_yaml_file_creates_questions_and_shows_the_report(as_instructor, instructor, own_set):
    response = as_instructor.post(url("questionset_import", own_set.pk), upload("bank.yaml", VALID_YAML))

    assert response.status_code == 302
    assert response["Location"] == url("question_changelist") + f"?question_set__id__exact={own_set.pk}"
    assert messages_of(response) == [
        "questions: 2 created, 0 updated, 0 unchanged, 0 skipped",
        "  imported as draft line 15: needs a task statement",
    ]
    questions = {q.external_id: q for q in own_set.questions.all()}
    assert set(questions) == {"imp-001", "imp-002"}
    assert questions["imp-001"].status == "published" and questions["imp-001"].author == instructor
    assert questions["imp-002"].status == "draft"
    assert questions["imp-001"].stem_html == "<p>Which service stores objects?</p>"


def test_importing_the_same_file_again_changes_nothing(as_instructor, own_set):
    as_instructor.post(url("questionset_import", own_set.pk), upload("bank.yaml", VALID_YAML))
    response = as_instructor.post(url("questionset_import", own_set.pk), upload("bank.yaml", VALID_YAML))
    assert "questions: 0 created, 0 updated, 2 unchanged, 0 skipped" in messages_of(response)
    assert own_set.questions.count() == 2


def test_a_malformed_yaml_file_shows_file_and_line_and_imports_nothing(as_instructor, own_set):
    broken = VALID_YAML.replace("    kind: ordering\n", "    kind: ordering: matching\n")
    response = as_instructor.post(url("questionset_import", own_set.pk), upload("broken.yaml", broken))
    assert response.status_code == 200
    error = soup_of(response).select_one(".errorlist").get_text()
    assert error.startswith("broken.yaml:16: YAML syntax error: mapping values are not allowed here")
    assert error.endswith("Nothing was imported.")
    assert not own_set.questions.exists()


def test_a_yaml_question_breaking_a_rule_shows_file_and_line_and_imports_nothing(as_instructor, own_set):
    three_choices = VALID_YAML.replace("      - text: AWS Lambda\n", "")
    response = as_instructor.post(url("questionset_import", own_set.pk), upload("bank.yaml", three_choices))
    assert response.status_code == 200
    errors = [li.get_text() for li in soup_of(response).select(".errorlist li")]
    assert errors == [
        "bank.yaml:2: a multiple choice question has exactly 4 choices, not 3",
        "Nothing was imported.",
    ]
    assert not own_set.questions.exists()  # not even the valid second question
