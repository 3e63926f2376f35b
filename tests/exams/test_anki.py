"""The missed questions as an Anki deck: a valid .apkg, only the student's own mistakes, sanitized HTML."""

import io
import json
import sqlite3
import zipfile
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from apps.exams.anki import stable_id
from apps.exams.scoring import correct_response
from apps.exams.services import save_response, submit_attempt
from apps.questions.models import QuestionVersion
from apps.questions.services import refresh_question
from tests.factories import (
    make_attempt,
    make_exam,
    make_note,
    make_question,
    make_question_set,
    make_questions,
)


def deck_url(code="TST-C01"):
    return reverse("exams:mistakes-deck", args=[code])


def read_deck(response):
    """(notes as (front, back, tags), decks JSON) from an .apkg download."""
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"collection.anki2", "media"} <= set(archive.namelist())
    connection = sqlite3.connect(":memory:")
    connection.deserialize(archive.read("collection.anki2"))
    notes = [
        (*fields.split("\x1f"), tags.split())
        for fields, tags in connection.execute("SELECT flds, tags FROM notes ORDER BY id")
    ]
    decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
    connection.close()
    return notes, decks


def sit(user, questions, *, wrong, now, feedback="end"):
    """`user` sits a practice over `questions`, answering those in `wrong` wrong and the rest right."""
    attempt = make_attempt(user=user, questions=questions, now=now, feedback=feedback)
    for slot in attempt.slots.all():
        if slot.question in wrong:
            response = {"choice": next(c["id"] for c in slot.snapshot["choices"] if not c["correct"])}
        else:
            response = correct_response(slot.snapshot)
        save_response(attempt=attempt, slot=slot, response=response, seq=1, now=now)
    submit_attempt(attempt=attempt, now=now)
    return attempt


@pytest.fixture
def questions(bank):
    return make_questions(question_set=bank, count=3, prefix="Deck question")


def test_the_deck_is_an_apkg_with_the_missed_questions_and_their_answers(signed_in, student, questions):
    first, second, right = questions
    sit(student, questions, wrong=[first, second], now=timezone.now())

    response = signed_in.get(deck_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/apkg"
    assert response["Content-Disposition"] == 'attachment; filename="certprep-tst-c01-mistakes.apkg"'
    notes, decks = read_deck(response)
    fronts = sorted(front for front, _back, _tags in notes)
    assert len(fronts) == 2
    assert "Deck question 1 of task 1.1?" in fronts[0] and "Deck question 2 of task 1.1?" in fronts[1]
    assert all("Deck question 3" not in front for front in fronts)
    front, back, tags = notes[0]
    assert "Right choice" in front and "Wrong choice B" in front  # the choices, as text
    assert "Right choice" in BeautifulSoup(back, "html.parser").select_one(".answer").get_text()
    assert "Because the first choice is right." in back
    assert sorted(tags) == ["TST-C01", "certprep", "task-1.1"]
    assert str(stable_id("certprep-deck", "TST-C01")) in decks


def test_each_card_links_to_the_section_that_teaches_it_or_else_to_its_notes(
    signed_in, student, exam, questions
):
    first, second, _ = questions
    make_note(exam=exam, slug="storage", title="Storage basics", tasks=["1.1"])
    make_note(exam=exam, slug="buckets", title="Buckets", body="## Bucket policies\n\nText.\n")
    first.section = "buckets#bucket-policies"
    first.save()
    refresh_question(question=first)
    sit(student, questions, wrong=[first, second], now=timezone.now())
    notes, _ = read_deck(signed_in.get(deck_url()))
    links = {
        front.split("Deck question ")[1][:1]: BeautifulSoup(back, "html.parser").select_one(".study a")
        for front, back, _tags in notes
    }
    assert links["1"]["href"] == "http://testserver/exams/tst-c01/notes/buckets/#bucket-policies"
    assert links["1"].get_text() == "Study this in the notes: Buckets"
    assert links["2"]["href"] == "http://testserver/exams/tst-c01/notes/storage/"


def test_a_multiple_response_card_says_how_many_to_select_once(signed_in, student, bank):
    said = make_question(question_set=bank, kind="multiple_response", stem="Which store data? (Choose TWO.)")
    unsaid = make_question(
        question_set=bank, kind="multiple_response", stem="Which services keep data for later use?"
    )
    attempt = make_attempt(user=student, questions=[said, unsaid], now=timezone.now())
    for slot in attempt.slots.all():
        wrong = [c["id"] for c in slot.snapshot["choices"] if not c["correct"]][:2]
        save_response(attempt=attempt, slot=slot, response={"choices": wrong}, seq=1, now=timezone.now())
    submit_attempt(attempt=attempt, now=timezone.now())
    fronts = sorted(front for front, _back, _tags in read_deck(signed_in.get(deck_url()))[0])
    said_front = next(front for front in fronts if "(Choose TWO.)" in front)
    unsaid_front = next(front for front in fronts if "keep data for later" in front)
    assert "Select" not in said_front and "Choose 2" not in said_front
    assert unsaid_front.count("(Select TWO.)") == 1


def test_a_question_answered_right_since_is_not_in_the_deck(signed_in, student, questions):
    first = questions[0]
    now = timezone.now()
    sit(student, [first], wrong=[first], now=now - timedelta(days=1))
    sit(student, [first], wrong=[], now=now)
    notes, _decks = read_deck(signed_in.get(deck_url()))
    assert notes == []


def test_another_students_mistakes_are_never_in_my_deck(signed_in, student, other_student, questions):
    first, second, _third = questions
    sit(other_student, questions, wrong=questions, now=timezone.now())
    sit(student, [first, second], wrong=[second], now=timezone.now())
    notes, _decks = read_deck(signed_in.get(deck_url()))
    assert len(notes) == 1
    assert "Deck question 2 of task 1.1?" in notes[0][0]


def test_a_deck_with_no_mistakes_is_still_a_valid_package(signed_in, exam):
    notes, decks = read_deck(signed_in.get(deck_url()))
    assert notes == []
    assert str(stable_id("certprep-deck", "TST-C01")) in decks


def test_the_deck_and_note_ids_stay_the_same_between_downloads(signed_in, student, questions):
    sit(student, questions, wrong=questions[:1], now=timezone.now())
    first, second = signed_in.get(deck_url()), signed_in.get(deck_url())

    def ids(response):
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        connection = sqlite3.connect(":memory:")
        connection.deserialize(archive.read("collection.anki2"))
        return connection.execute("SELECT guid, mid FROM notes").fetchall(), set(
            json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
        )

    assert ids(first) == ids(second)
    assert stable_id("certprep-deck", "TST-C01") != stable_id("certprep-deck", "OTH-C01")


def test_only_the_exams_own_mistakes_are_in_its_deck(signed_in, student, questions):
    other = make_exam(code="OTH-C01")
    elsewhere = make_questions(
        question_set=make_question_set(exam=other, slug="oth", visibility="public"), count=1, prefix="Other"
    )
    sit(student, elsewhere, wrong=elsewhere, now=timezone.now())
    assert read_deck(signed_in.get(deck_url()))[0] == []
    assert len(read_deck(signed_in.get(deck_url("OTH-C01")))[0]) == 1


def test_html_in_a_stored_version_is_sanitized_in_the_deck(signed_in, student, questions):
    first = questions[0]
    attempt = sit(student, [first], wrong=[first], now=timezone.now())
    slot = attempt.slots.get()
    content = slot.version.content
    content["stem_html"] = (
        '<p onclick="steal()">Stem<script>alert(1)</script><img src=x onerror="steal()"></p>'
    )
    content["explanation_html"] = '<p>Why<iframe src="https://example.com"></iframe></p>'
    content["choices"][0]["html"] = "<b>Bold</b> <script>alert(2)</script>choice"
    QuestionVersion.objects.filter(pk=slot.version_id).update(content=content)

    ((front, back, _tags),) = read_deck(signed_in.get(deck_url()))[0]

    for html in (front, back):
        assert "<script" not in html and "onclick" not in html and "onerror" not in html
        assert "alert(" not in html and "<iframe" not in html
    assert "Stem" in front and "Bold" in front and "Why" in back


def test_an_unknown_exam_is_not_found(signed_in, exam):
    assert signed_in.get(deck_url("NOPE-C01")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, exam):
    response = client.get(deck_url())
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={deck_url()}"


def test_the_deck_takes_only_get(signed_in, exam):
    assert signed_in.post(deck_url()).status_code == 405


def test_the_results_and_new_practice_pages_link_to_the_deck(signed_in, student, questions):
    attempt = sit(student, questions, wrong=questions[:1], now=timezone.now())
    for page in (
        signed_in.get(reverse("exams:results", args=[attempt.pk])),
        signed_in.get(reverse("exams:new"), {"exam": "TST-C01"}),
    ):
        link = BeautifulSoup(page.content, "html.parser").find("a", string="Download my mistakes for Anki")
        assert link["href"] == deck_url()


@pytest.mark.parametrize("size", [1, 40])
def test_the_deck_uses_the_same_queries_for_1_and_40_mistakes(
    signed_in, student, bank, size, django_assert_max_num_queries
):
    questions = make_questions(question_set=bank, count=size)
    sit(student, questions, wrong=questions, now=timezone.now() - timedelta(days=1))
    sit(student, questions, wrong=questions, now=timezone.now())
    # session, user, exam, the latest answers, the missed questions' snapshots, their sections, their notes
    with django_assert_max_num_queries(7):
        response = signed_in.get(deck_url())
    assert len(read_deck(response)[0]) == size
