"""The results page: score, estimate, each answer, filters, links to the notes, and Retry my mistakes."""

import pytest
from django.urls import reverse

from apps.questions.services import refresh_question
from tests.exams.views.helpers import soup_of, url
from tests.factories import make_note


def shown_questions(response):
    return [article["aria-labelledby"] for article in soup_of(response).select("article.review-item")]


@pytest.mark.parametrize(
    ("show", "shown"),
    [
        ("all", ["review-1", "review-2", "review-3"]),
        ("incorrect", ["review-2", "review-3"]),
        ("flagged", ["review-2"]),
        ("nonsense", ["review-1", "review-2", "review-3"]),
    ],
)
def test_the_results_review_can_be_filtered(signed_in, graded, show, shown):
    assert shown_questions(signed_in.get(url("results", graded), {"show": show})) == shown


def test_the_results_show_the_score_the_estimate_and_each_answer(signed_in, graded):
    page = soup_of(signed_in.get(url("results", graded)))
    assert page.select_one(".big-number").get_text(strip=True) == "1 / 3"
    assert "estimated scaled score" in page.select_one(".estimate").get_text()
    badges = [a.select_one("h3 .badge").get_text() for a in page.select("article.review-item")]
    assert badges == ["Correct", "Incorrect", "Not answered"]
    assert "Why Right choice." in page.select_one("#review-1").find_parent("article").get_text()
    assert page.find("button", string="Retry my mistakes (2)") is not None


def test_the_results_link_each_question_to_the_notes_of_its_task_statement(signed_in, exam, graded):
    make_note(exam=exam, slug="storage", title="Storage basics", tasks=["1.1"])
    page = soup_of(signed_in.get(url("results", graded)))
    links = page.find_all("a", string="Study: Storage basics")
    assert len(links) == 3
    assert links[0]["href"] == reverse("content:note-detail", args=[exam.slug, "storage"])


def test_the_results_link_a_question_with_a_section_to_that_heading_instead(signed_in, exam, graded):
    make_note(exam=exam, slug="storage", title="Storage basics", tasks=["1.1"])
    make_note(exam=exam, slug="buckets", title="Buckets", body="## Bucket policies\n\nText.\n")
    first = graded.slots.get(position=1).question
    first.section = "buckets#bucket-policies"
    first.save()
    refresh_question(question=first)  # resolves the section, as an import or an admin save does
    page = soup_of(signed_in.get(url("results", graded)))
    footer = page.select_one("#review-1").find_parent("article").select_one("footer")
    link = footer.select_one("a.study-section")
    assert link.get_text() == "Where the notes teach this: Buckets"
    assert link["href"] == reverse("content:note-detail", args=[exam.slug, "buckets"]) + "#bucket-policies"
    assert footer.find("a", string="Study: Storage basics") is None
    assert len(page.find_all("a", string="Study: Storage basics")) == 2  # the others fall back to the notes


def test_the_results_of_an_open_attempt_send_the_student_back_to_it(signed_in, three):
    assert signed_in.get(url("results", three))["Location"] == url("question", three, 1)


def test_retry_my_mistakes_opens_new_practice_in_retry_mode(signed_in, graded):
    response = signed_in.post(url("retry", graded))
    assert response["Location"] == reverse("exams:new") + "?exam=TST-C01&mode=retry"
