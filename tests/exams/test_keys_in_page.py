"""No answer key in the exam page's source: a question imported with its right answer first (as GIFT, Moodle XML
and CSV files usually have it) is shown with choice values that are only places on the screen, and a saved
answer still reads back, grades and shows where the student put it."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from apps.exams.models import Slot
from apps.exams.scoring import correct_response
from apps.questions.data import PairData
from apps.questions.formats import gift
from apps.questions.services import import_questions
from tests.factories import answer_form, make_attempt, make_question, make_question_set

GIFT = """$CATEGORY: TST-C01/1.1
::Right first::Which service stores objects? {
  =Amazon S3#Object storage.
  ~Amazon EBS#Block storage.
  ~Amazon EFS#A file system.
  ~AWS Lambda#Runs code.
  ####S3 stores objects.
}

::Two right first::Which services store data? {
  ~%50%Amazon S3#Objects.
  ~%50%Amazon DynamoDB#Items.
  ~%-100%AWS Lambda#Runs code.
  ~%-100%Amazon SNS#Notifies.
  ~%-100%AWS IAM#Manages access.
  ####Both store data.
}
"""
HTMX_MAIN = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "exam-main"}


@pytest.fixture
def imported(exam, bank):
    # Another question first, so that row ids and places on the screen cannot coincide.
    make_question(question_set=bank, kind="multiple_choice")
    make_question(question_set=bank, kind="matching")
    question_set = make_question_set(exam=exam, slug="imported", title="Imported", visibility="public")
    report = import_questions(question_set=question_set, parsed=gift.parse(GIFT), strict=False)
    assert not report.skipped, report.skipped
    matching = make_question(
        question_set=question_set,
        kind="matching",
        pairs=[
            PairData("Store objects", "Amazon S3"),
            PairData("Run code", "AWS Lambda & Step Functions (< 15 min)"),
            PairData("", "AWS KMS"),  # a distractor: created last, so it has the highest id
            PairData("", "Amazon SNS"),  # another one
        ],
    )
    questions = list(question_set.questions.order_by("pk"))
    assert [q.kind for q in questions] == ["multiple_choice", "multiple_response", "matching"]
    assert questions[-1] == matching
    return questions


def values(html, name):
    """The non-empty values the page offers for a field: its inputs', or the options of its drop-down."""
    tags = BeautifulSoup(html, "html.parser").select(f"input[name={name}], select[name={name}] option")
    return [tag["value"] for tag in tags if tag.get("value")]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx fragment"])
def test_choice_and_response_values_are_places_on_the_screen_not_row_ids(signed_in, student, imported, htmx):
    attempt = make_attempt(user=student, questions=imported, now=timezone.now(), seed="keys")
    for slot in attempt.slots.all():
        url = reverse("exams:question", args=[attempt.pk, slot.position])
        html = signed_in.get(url, **(HTMX_MAIN if htmx else {})).content.decode()
        snapshot = slot.snapshot
        if slot.kind == "matching":
            places = [str(n) for n in range(1, len(snapshot["responses"]) + 1)]
            for prompt in snapshot["prompts"]:
                assert values(html, f"match-{prompt['id']}") == places  # every list: 1..n, nothing else
            row_ids = {r["id"] for r in snapshot["responses"]}
        else:
            name = "choice" if slot.kind == "multiple_choice" else "choices"
            assert values(html, name) == [str(n) for n in range(1, len(snapshot["choices"]) + 1)]
            row_ids = {c["id"] for c in snapshot["choices"]}
        for row_id in row_ids - set(range(1, len(row_ids) + 1)):  # the ids that cannot pass for a place
            assert not re.search(rf'value="{row_id}"', html), f"row id {row_id} in the {slot.kind} page"
        assert '"correct"' not in html and "Object storage." not in html


def test_matching_drop_downs_show_ampersands_and_brackets_once(signed_in, student, imported):
    attempt = make_attempt(user=student, questions=imported[-1:], now=timezone.now())
    html = signed_in.get(reverse("exams:question", args=[attempt.pk, 1])).content.decode()
    assert "AWS Lambda &amp; Step Functions (&lt; 15 min)</option>" in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html


def test_posting_the_places_stores_and_grades_the_answer_by_the_snapshot_ids(signed_in, student, imported):
    attempt = make_attempt(user=student, questions=imported, now=timezone.now(), seed="keys")
    for slot in attempt.slots.all():
        right = correct_response(slot.snapshot)
        url = reverse("exams:answer", args=[attempt.pk, slot.position])
        response = signed_in.post(url, {**answer_form(slot.snapshot, right), "seq": 1})
        assert response.status_code == 302
        assert Slot.objects.get(pk=slot.pk).response == right  # stored as before: by snapshot id
        page = signed_in.get(reverse("exams:question", args=[attempt.pk, slot.position])).content.decode()
        soup = BeautifulSoup(page, "html.parser")
        if slot.kind == "matching":
            shown = {
                select["name"]: select.select_one("option[selected]")["value"]
                for select in soup.select("select[name^=match-]")
            }
            assert shown == {key: str(value) for key, value in answer_form(slot.snapshot, right).items()}
        else:
            checked = [int(tag["value"]) for tag in soup.select("input[name^=choice][checked]")]
            form = answer_form(slot.snapshot, right)
            assert checked == sorted(form.get("choices") or [form.get("choice")])
    signed_in.post(reverse("exams:submit", args=[attempt.pk]), {"confirm": "yes"})
    attempt.refresh_from_db()
    assert attempt.correct_count == 3


def test_an_answer_saved_before_places_were_used_still_shows_and_grades(signed_in, student, imported):
    # Stored answers always held snapshot ids, so attempts begun before the change need no migration.
    attempt = make_attempt(user=student, questions=imported[:1], now=timezone.now())
    slot = attempt.slots.get()
    right = correct_response(slot.snapshot)
    Slot.objects.filter(pk=slot.pk).update(response=right, seq=1)
    page = signed_in.get(reverse("exams:question", args=[attempt.pk, 1])).content.decode()
    checked = BeautifulSoup(page, "html.parser").select("input[name=choice][checked]")
    assert [int(tag["value"]) for tag in checked] == [answer_form(slot.snapshot, right)["choice"]]
