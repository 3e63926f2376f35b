"""A kind defined here only, registered for one test, goes the whole way: author -> validate -> start -> save ->
grade -> review -> export and import. Nothing outside this module knows it, so nothing outside the kinds
package may switch on a kind.
"""

import random

import pytest
from django.template import Template
from django.urls import reverse
from django.utils import timezone

from apps.exams.services import submit_attempt
from apps.questions import formats, kinds
from apps.questions.data import ChoiceData, QuestionData
from apps.questions.exports import export_set
from apps.questions.formats import gift, moodle_xml
from apps.questions.kinds.base import (
    ChoicePart,
    FormData,
    InvalidResponse,
    QuestionKind,
    Response,
    Rule,
    Snapshot,
)
from apps.questions.models import Question
from apps.questions.services import import_questions, publish_questions, question_data
from apps.questions.validation import question_errors
from tests.factories import make_attempt, make_exam, make_question, make_question_set

TEMPLATES = {
    "exam": Template(
        '<fieldset class="truth">{% for choice in question.choices %}<label><input type="radio" name="truth" '
        'value="{{ choice.id }}"{% if choice.selected %} checked{% endif %}>{{ choice.html|safe }}</label>'
        "{% endfor %}</fieldset>"
    ),
    "review": Template(
        '<p class="truth-review">Yours: {{ row.yours|default:"none" }}; right: {{ row.right }}</p>'
    ),
    "preview": Template("<p>{{ question.stem_html|safe }}</p>"),
    "anki_front": Template("<p>True or false?</p>"),
    "anki_back": Template("<p>{{ card.answer }}</p>"),
}


class TrueFalse(QuestionKind):
    """A statement that is true or false, kept in two Choice rows, True first."""

    code = "true_false"
    label = "True or false"
    part = "choices"
    limits = "the choices True and False, one correct"

    def template_for(self, use):
        return TEMPLATES[use]

    def part_rules(self, question: QuestionData) -> list[Rule]:
        found: list[Rule] = []
        if [choice.text for choice in question.choices] != ["True", "False"]:
            found.append(("a true or false question has the choices True and False, in that order", False))
        if sum(1 for choice in question.choices if choice.correct) != 1:
            found.append(("a true or false question has one correct choice", False))
        return found

    def content(self, question: Question) -> Snapshot:
        choices: list[ChoicePart] = [
            {"id": c.pk, "html": c.text_html, "correct": c.is_correct, "rationale_html": c.rationale_html}
            for c in question.choices.all()
        ]
        return {"choices": choices}

    def layout(self, content: Snapshot, rng: random.Random) -> list[int]:
        return [choice["id"] for choice in content["choices"]]  # always True, then False

    def arranged(self, content: Snapshot, layout: list[int]) -> Snapshot:
        by_id = {choice["id"]: choice for choice in content["choices"]}
        return {"choices": [by_id[pk] for pk in layout]}

    def parse(self, snapshot: Snapshot, data: FormData) -> Response | None:
        values = [value for value in data.getlist("truth") if value]
        if not values:
            return None
        if values[-1] not in ("1", "2"):
            raise InvalidResponse("the answer is true or false")
        return {"choice": snapshot["choices"][int(values[-1]) - 1]["id"]}

    def correct_response(self, snapshot: Snapshot) -> Response:
        return {"choice": next(c["id"] for c in snapshot["choices"] if c["correct"])}

    def public_parts(self, snapshot: Snapshot) -> dict[str, object]:
        return {
            "choices": [{"id": place, "html": c["html"]} for place, c in enumerate(snapshot["choices"], 1)]
        }

    def mark_answer(self, snapshot, view, response):
        for choice, stored in zip(view["choices"], snapshot["choices"], strict=True):
            choice["selected"] = stored["id"] == response.get("choice")

    def _text(self, snapshot, choice_id):
        return next((c["html"] for c in snapshot["choices"] if c["id"] == choice_id), None)

    def review(self, snapshot: Snapshot, response: Response) -> dict[str, object]:
        right = self.correct_response(snapshot)["choice"]
        return {"yours": self._text(snapshot, response.get("choice")), "right": self._text(snapshot, right)}

    def answer_summary(self, snapshot: Snapshot, response: Response) -> str:
        return self._text(snapshot, response["choice"]) or ""

    def card(self, snapshot: Snapshot) -> dict[str, object]:
        return {"answer": self._text(snapshot, self.correct_response(snapshot)["choice"])}


@pytest.fixture
def true_false():
    with kinds.registered(TrueFalse()) as kind:
        yield kind
    assert kinds.find("true_false") is None


@pytest.fixture
def bank(db):
    return make_question_set(exam=make_exam(code="TST-C01"), slug="tf-bank")


def author(bank, *, choices):
    return make_question(
        question_set=bank,
        kind="true_false",
        stem="S3 stores objects.",
        choices=choices,
        external_id="tf-1",
        status="draft",
    )


TRUE_IS_RIGHT = [
    ChoiceData("True", correct=True, rationale="It does."),
    ChoiceData("False", rationale="It does."),
]


def test_a_kind_of_the_test_suite_only_is_validated_by_its_own_rules(true_false, bank):
    question = author(bank, choices=[ChoiceData("True"), ChoiceData("False")])
    assert question_errors(question_data(question)) == ["a true or false question has one correct choice"]
    published, refused = publish_questions(questions=Question.objects.filter(pk=question.pk))
    assert (published, len(refused)) == (0, 1)


def test_an_unregistered_kind_is_refused_by_validation(bank):
    data = QuestionData(kind="true_false", stem="S3 stores objects.", choices=TRUE_IS_RIGHT)
    assert question_errors(data)[0].startswith("kind must be one of multiple_choice")


def test_a_kind_of_the_test_suite_only_goes_from_authoring_to_export(true_false, bank, student, client):
    # author and validate
    question = author(bank, choices=TRUE_IS_RIGHT)
    assert question_errors(question_data(question)) == []
    assert publish_questions(questions=Question.objects.filter(pk=question.pk))[0] == 1

    # start: the exam screen draws the kind's partial
    attempt = make_attempt(user=student, questions=[question], now=timezone.now())
    slot = attempt.slots.get()
    client.force_login(student)
    page = client.get(reverse("exams:question", args=[attempt.pk, 1]))
    assert page.status_code == 200
    assert b'name="truth" value="1"' in page.content
    assert b"rationale" not in page.content and b"It does." not in page.content  # no key, no rationale

    # save through the answer view; a value the kind does not know is refused
    answer = reverse("exams:answer", args=[attempt.pk, 1])
    assert client.post(answer, {"truth": "7", "seq": "1"}).status_code == 400
    assert client.post(answer, {"truth": "1", "seq": "1"}).status_code == 302
    slot.refresh_from_db()
    assert slot.response == {"choice": question.choices.get(text_md="True").pk}

    # grade, and the review draws the kind's partial
    attempt, _ = submit_attempt(attempt=attempt, now=timezone.now())
    assert attempt.slots.get().is_correct is True
    results = client.get(reverse("exams:results", args=[attempt.pk]))
    assert '<p class="truth-review">Yours: True; right: True</p>' in results.content.decode()

    # export to YAML and import it back into another set
    text, left_out = export_set(bank, "yaml")
    assert left_out == []
    assert "kind: true_false" in text
    copy = make_question_set(exam=bank.exam, slug="tf-copy")
    report = import_questions(question_set=copy, parsed=formats.read("tf.yaml", text.encode())[1])
    assert report.created == 1
    imported = copy.questions.get()
    assert question_data(imported).content_hash() == question_data(question).content_hash()

    # formats that cannot hold the kind leave it out and say so
    data = question_data(question)
    assert gift.dump([data])[1] == [data]
    assert moodle_xml.dump([data])[1] == [data]
