"""The Review and submit page: unanswered and flagged questions."""

from tests.exams.views.helpers import right_choice, soup_of, url
from tests.factories import on_screen


def test_the_review_page_lists_unanswered_and_flagged_questions(signed_in, three):
    signed_in.post(
        url("answer", three, 1),
        {
            "choice": on_screen(three.slots.get(position=1), right_choice(three.slots.get(position=1))),
            "seq": 1,
        },
    )
    signed_in.post(url("answer", three, 2), {"seq": 1, "fields": "flagged", "flagged": "1"})
    page = soup_of(signed_in.get(url("review", three)))

    def listed(heading):
        section = page.find("section", attrs={"aria-labelledby": heading})
        return [a.get_text() for a in section.select("a")] if section else []

    assert listed("unanswered-heading") == ["Question 2", "Question 3"]
    assert listed("flagged-heading") == ["Question 2"]
    assert "3 questions · 2 not answered · 1 flagged for review." in page.get_text()
