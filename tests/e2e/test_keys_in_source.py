"""The exam page's source, as the browser gets it, names choices and matching responses only by their place on
the screen: a question imported with its right answer first (as GIFT files usually have it) gives nothing away."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from apps.exams.models import Slot
from apps.exams.scoring import correct_response
from apps.questions.data import PairData
from apps.questions.formats import gift
from apps.questions.services import import_questions
from tests.e2e.test_exam_flow import log_in, shows_question
from tests.factories import answer_form, make_attempt, make_exam, make_question, make_question_set

GIFT = """$CATEGORY: TST-C01/1.1
::Right first::Which service stores objects? {
  =Amazon S3#Object storage.
  ~Amazon EBS#Block storage.
  ~Amazon EFS#A file system.
  ~AWS Lambda#Runs code.
  ####S3 stores objects.
}
"""


def test_the_exam_page_source_holds_no_row_ids_and_a_click_saves_the_right_choice(
    live_server, page, transactional_db, student
):
    exam = make_exam()
    bank = make_question_set(exam=exam, slug="bank", visibility="public")
    for _ in range(3):  # rows first, so that no row id can pass for a place on the screen
        make_question(question_set=bank, kind="multiple_choice")
    imported = make_question_set(exam=exam, slug="imported", visibility="public")
    import_questions(question_set=imported, parsed=gift.parse(GIFT), strict=False)
    question = imported.questions.get()
    matching = make_question(
        question_set=imported,
        kind="matching",
        pairs=[PairData("Store objects", "Amazon S3"), PairData("Run code", "AWS Lambda"), PairData("", "AWS KMS")],
    )
    attempt = make_attempt(user=student, questions=[question, matching], now=timezone.now(), seed="src")
    right = {slot.kind: slot for slot in attempt.slots.all()}["multiple_choice"]
    log_in(page, live_server.url, f"/attempts/{attempt.pk}/q/{right.position}/")
    shows_question(page, right.position)

    for slot in attempt.slots.all():
        page.goto(f"{live_server.url}/attempts/{attempt.pk}/q/{slot.position}/")
        source = page.content()
        parts = slot.snapshot["choices"] if slot.kind == "multiple_choice" else slot.snapshot["responses"]
        name = "choice" if slot.kind == "multiple_choice" else "match-"
        values = re.findall(rf'name="{name}[^"]*" value="([^"]*)"|<option value="(\d+)"', source)
        shown = sorted({int(a or b) for a, b in values if (a or b)})
        assert shown == list(range(1, len(parts) + 1)), slot.kind
        for part in parts:
            assert f'value="{part["id"]}"' not in source or part["id"] <= len(parts)
        assert "Object storage." not in source and '"correct"' not in source

    # Clicking the right choice (found by its text, as a student would) stores it by its row id.
    page.goto(f"{live_server.url}/attempts/{attempt.pk}/q/{right.position}/")
    page.get_by_role("radio", name="Amazon S3").check()
    expect(page.locator("#save-status")).to_have_text(re.compile(r"Saved: [A-D]"))
    assert Slot.objects.get(pk=right.pk).response == correct_response(right.snapshot)
    assert answer_form(right.snapshot, correct_response(right.snapshot))["choice"] == int(
        page.get_by_role("radio", name="Amazon S3").get_attribute("value")
    )
    assert page.js_errors == []
