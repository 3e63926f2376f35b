"""The admin preview of a question: the question, then the answer with rationales, explanation and links."""

from tests.factories import make_note, make_question
from tests.questions.admin.helpers import soup_of, url


def test_the_preview_shows_the_question_then_the_answer_with_rationales_and_explanation(
    as_instructor, own_set
):
    question = make_question(
        question_set=own_set,
        kind="multiple_response",
        explanation="Both keep data **durably**.",
        guide_version="2.0",
    )
    response = as_instructor.get(url("question_preview", question.pk))
    assert response.status_code == 200
    as_student, with_answer = soup_of(response).select("article.question-display")

    for part in (as_student, with_answer):
        assert part.select_one(".question-stem").get_text() == "Which services store data? (Choose TWO.)"
        assert [label.get_text(strip=True) for label in part.select(".choice label")] == [
            "Amazon S3",
            "Amazon DynamoDB",
            "AWS Lambda",
            "Amazon SNS",
            "AWS IAM",
        ]
        boxes = part.select(".choice input")
        assert all(box["type"] == "checkbox" and box.has_attr("disabled") for box in boxes)

    assert as_student.select(".rationale, .explanation, input[checked], .choice-correct") == []

    rationales = [p.get_text(" ", strip=True) for p in with_answer.select(".rationale")]
    assert rationales == [
        "Correct. Object storage.",
        "Correct. A key-value database.",
        "Incorrect. Runs code.",
        "Incorrect. Sends notifications.",
        "Incorrect. Manages access.",
    ]
    assert len(with_answer.select(".choice-correct input[checked]")) == 2
    assert with_answer.select_one(".explanation strong").get_text() == "durably"


def test_the_preview_links_the_explanation_to_its_section_or_says_it_does_not_resolve(
    as_instructor, exam, own_set
):
    make_note(exam=exam, slug="widgets", body="## Where widgets live\n\nText.\n")
    linked = make_question(question_set=own_set, stem="Linked?", section="widgets#where-widgets-live")
    broken = make_question(question_set=own_set, stem="Broken?", section="widgets#nowhere", status="draft")
    _, with_answer = soup_of(as_instructor.get(url("question_preview", linked.pk))).select(
        "article.question-display"
    )
    link = with_answer.select_one(".study-section a")
    assert link["href"] == "/exams/tst-c01/notes/widgets/#where-widgets-live"
    _, with_answer = soup_of(as_instructor.get(url("question_preview", broken.pk))).select(
        "article.question-display"
    )
    assert "names no heading of a note" in with_answer.select_one(".study-section").get_text()


def test_the_preview_of_a_matching_question_reveals_the_correct_responses_only_in_the_answer_part(
    as_instructor, own_set
):
    question = make_question(question_set=own_set, kind="matching")
    as_student, with_answer = soup_of(as_instructor.get(url("question_preview", question.pk))).select(
        "article.question-display"
    )
    assert [td.get_text() for td in as_student.select("tbody td:first-child")] == [
        "Store objects",
        "Run code without servers",
        "Manage encryption keys",
    ]
    assert "Amazon S3" not in as_student.select_one("tbody").get_text()
    assert [td.get_text() for td in with_answer.select("tbody td:last-child")] == [
        "Amazon S3",
        "AWS Lambda",
        "AWS KMS",
    ]
