"""The move of existing attempts from per-slot snapshots onto question versions (exams.0005_slots_to_versions):
on a database made as the code before it made one, grading, the review and the stored scores do not change.

One test (migrating back and forth costs a few seconds); it runs on SQLite and on PostgreSQL alike.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from apps.exams import presenters, scoring
from tests.exams.before_versions import old_snapshot_question
from tests.factories import make_exam

BEFORE = [
    ("exams", "0003_mode_choices_from_registry"),
    ("questions", "0004_question_kind_choices_from_registry"),
]
NOW = timezone.now().replace(microsecond=0)


def wrong_response(snapshot):
    """A wrong answer of any kind (by the snapshot's ids, as the exam page stores it)."""
    kind = snapshot["kind"]
    if kind == "multiple_choice":
        return {"choice": next(c["id"] for c in snapshot["choices"] if not c["correct"])}
    if kind == "multiple_response":
        return {"choices": sorted(c["id"] for c in snapshot["choices"] if not c["correct"])}
    if kind == "ordering":
        return {"order": [item["id"] for item in snapshot["items"]]}  # as shown: never the answer
    right = scoring.correct_response(snapshot)["matches"]
    first, second = list(right)[:2]
    return {"matches": {**right, first: right[second], second: right[first]}}


class OldBank:
    """Questions, attempts and reports written through the models as they were before versions."""

    def __init__(self, apps, exam_pk, user_pk):
        self.apps, self.user_pk = apps, user_pk
        get = apps.get_model
        self.Question, self.Slot = get("questions", "Question"), get("exams", "Slot")
        self.Attempt = get("exams", "Attempt")
        exam = get("content", "Exam").objects.get(pk=exam_pk)
        self.task = get("content", "TaskStatement").objects.get(exam=exam, number="1.1")
        self.question_set = get("questions", "QuestionSet").objects.create(slug="old", title="Old", exam=exam)
        self.scenario = get("questions", "Scenario").objects.create(
            question_set=self.question_set,
            external_id="shop",
            title="A shop",
            text_md="x",
            text_html="<p>x</p>",
        )
        self.exam = exam

    def question(self, kind, stem, **fields):
        question = self.Question.objects.create(
            question_set=self.question_set,
            kind=kind,
            stem_md=stem,
            stem_html=f"<p>{stem}</p>",
            explanation_html="<p>Because.</p>",
            task_statement=self.task,
            status="published",
            **fields,
        )
        get = self.apps.get_model
        if kind in ("multiple_choice", "multiple_response"):
            for n, correct in enumerate([True, kind == "multiple_response", False, False], 1):
                get("questions", "Choice").objects.create(
                    question=question,
                    text_md=f"Choice {n}",
                    text_html=f"Choice <em>{n}</em>",
                    is_correct=correct,
                    rationale_html=f"Why {n}",
                    position=n,
                )
        elif kind == "ordering":
            for n in range(1, 5):
                get("questions", "OrderingItem").objects.create(
                    question=question, text_md=f"Step {n}", text_html=f"Step {n}", position=n
                )
        else:
            for n, (prompt, response) in enumerate(
                [("Store", "S3"), ("Run", "Lambda"), ("Keys", "KMS"), ("", "Athena")], 1
            ):
                get("questions", "MatchingPair").objects.create(
                    question=question,
                    prompt_md=prompt,
                    prompt_html=prompt,
                    response_md=response,
                    response_html=response,
                    position=n,
                )
        return question

    def sit(self, questions, *, seed, right):
        """A submitted attempt over `questions` (those in `right` answered right, the others wrong, the
        last one left blank), graded and scored as submit_attempt did."""
        attempt = self.Attempt.objects.create(
            user_id=self.user_pk,
            exam=self.exam,
            mode="custom",
            status="submitted",
            started_at=NOW - timedelta(minutes=30),
            submitted_at=NOW,
            question_count=len(questions),
        )
        slots = []
        for position, question in enumerate(questions, 1):
            question = self.Question.objects.get(pk=question.pk)
            snapshot = old_snapshot_question(question, seed=seed)
            if position == len(questions):
                response = None
            elif question.pk in right:
                response = scoring.correct_response(snapshot)
            else:
                response = wrong_response(snapshot)
            slots.append(
                self.Slot.objects.create(
                    attempt=attempt,
                    position=position,
                    question=question,
                    question_revision=question.revision,
                    task_statement=question.task_statement,
                    domain_number=1,
                    kind=question.kind,
                    snapshot=snapshot,
                    response=response,
                    seq=1 if response else 0,
                    closed=True,
                    is_correct=scoring.is_correct(snapshot, response),
                )
            )
        correct = sum(slot.is_correct for slot in slots)
        self.Attempt.objects.filter(pk=attempt.pk).update(
            scored_count=len(slots), correct_count=correct, percent=round(100 * correct / len(slots), 1)
        )
        return attempt


def what_students_see(Slot, Attempt):
    """Per slot: the picture, the grade now, the stored grade and the review row; per attempt: its scores."""
    slots = {
        slot.pk: {
            "snapshot": slot.snapshot,
            "graded": scoring.is_correct(slot.snapshot, slot.response),
            "stored": slot.is_correct,
            "review": {k: v for k, v in presenters.review_row(slot).items() if k != "slot"},
        }
        for slot in Slot.objects.order_by("pk")
    }
    scores = list(Attempt.objects.order_by("pk").values("pk", "scored_count", "correct_count", "percent"))
    return slots, scores


@pytest.mark.django_db(transaction=True)
def test_attempts_made_before_versions_grade_and_review_the_same_after_the_migration(django_user_model):
    exam = make_exam()
    user = django_user_model.objects.create_user(username="old-timer", password="x")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    bank = OldBank(old_apps, exam.pk, user.pk)

    mc = bank.question("multiple_choice", "Which one?", scenario=bank.scenario)
    mr = bank.question("multiple_response", "Which two?")
    ordering = bank.question("ordering", "In which order?")
    matching = bank.question("matching", "Match them.")
    doomed = bank.question("multiple_choice", "Deleted later?")
    kinds = [mc, mr, ordering, matching, doomed]
    bank.sit([*kinds, mr], seed="a", right={mc.pk, ordering.pk})
    bank.sit([*kinds, mc], seed="b", right={mr.pk, matching.pk, doomed.pk})
    ProblemReport = old_apps.get_model("questions", "ProblemReport")
    ProblemReport.objects.create(question=mc, category="typo", text="Typo", question_revision=1)
    # An edit: revision 2 of the multiple-choice question (a new key), then attempts on it.
    old_apps.get_model("questions", "Choice").objects.filter(question=mc, position=3).update(is_correct=True)
    old_apps.get_model("questions", "Choice").objects.filter(question=mc, position=1).update(is_correct=False)
    bank.Question.objects.filter(pk=mc.pk).update(revision=2, stem_html="<p>Which one, now?</p>")
    # Not an edit of the questions (no new revision), but the next attempts show another task title.
    old_apps.get_model("content", "TaskStatement").objects.filter(pk=bank.task.pk).update(title="Renamed")
    bank.sit([mc, mr, ordering], seed="c", right={mc.pk})
    ProblemReport.objects.create(question=mc, category="unclear", text="Still?", question_revision=2)
    bank.Question.objects.filter(pk=doomed.pk).delete()
    before = what_students_see(bank.Slot, bank.Attempt)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from apps.exams.models import Attempt, Slot
    from apps.questions.models import ProblemReport as Report
    from apps.questions.models import Question, QuestionVersion

    assert what_students_see(Slot, Attempt) == before
    assert {slot["graded"] for slot in before[0].values()} == {True, False}  # both verdicts were compared
    versions = {q.pk: q.current_version for q in Question.objects.select_related("current_version")}
    assert sorted(v.number for v in QuestionVersion.objects.filter(question_id=mc.pk)) == [1, 2]
    assert versions[mc.pk].number == 2 and versions[mc.pk].content["stem_html"] == "<p>Which one, now?</p>"
    slot_versions = {
        q.pk: set(Slot.objects.filter(question_id=q.pk).values_list("version__number", flat=True))
        for q in kinds
    }
    assert slot_versions[matching.pk] == {1}  # one version shared by both attempts
    # One revision shown two ways (before and after the rename): two versions, so that neither picture changes.
    assert slot_versions[mr.pk] == slot_versions[ordering.pk] == {1, 2}
    assert versions[mr.pk].number == 2 and versions[mr.pk].content["task_title"] == "Renamed"
    # The live question no longer matches its only version (the rename): it gets a new current one.
    assert versions[matching.pk].number == 2
    orphan = QuestionVersion.objects.get(question=None)
    assert orphan.content["question_id"] == doomed.pk and orphan.slots.count() == 2
    reports = dict(Report.objects.values_list("text", "question_version__number"))
    assert reports == {"Typo": 1, "Still?": 2}
