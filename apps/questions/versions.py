"""Immutable question versions: what a question showed and graded at one moment, recorded whenever that changes.

A version's content is the question unshuffled, with ids that never change: choices by their row id, ordering
items by their correct position, matching prompts and responses by their pair's row id. Each attempt keeps
only the order it showed the parts in (apps/exams/snapshots.py); grading and review read the version.
"""

import hashlib
import json

from django.db import transaction
from django.db.models import Max, QuerySet

from apps.questions import kinds
from apps.questions.kinds.base import Snapshot
from apps.questions.models import Question, QuestionVersion


def version_content(question: Question) -> Snapshot:
    """The JSON-able content of a question (with its parts, task statement and scenario) as students see it: what
    every kind shares, and the kind's own parts (unshuffled, with stable ids)."""
    task = question.task_statement
    scenario = question.scenario if question.scenario_id else None
    content: Snapshot = {
        "kind": question.kind,
        "stem_html": question.stem_html,
        "explanation_html": question.explanation_html,
        "scenario": {"title": scenario.title, "html": scenario.text_html} if scenario else None,
        "task": task.number if task else "",
        "task_title": task.title if task else "",
        "domain": task.domain.number if task else 0,
        "domain_title": task.domain.title if task else "",
        "question_id": question.pk,
    }
    content.update(kinds.get(question.kind).content(question))
    return content


def content_digest(content: Snapshot) -> str:
    """A fingerprint of a version's content (equal contents, equal digests)."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def with_parts(questions: QuerySet[Question]) -> QuerySet[Question]:
    """The questions with everything version_content reads, in a fixed number of queries."""
    return questions.select_related("task_statement__domain", "scenario", "current_version").prefetch_related(
        "choices", "ordering_items", "pairs"
    )


@transaction.atomic
def record_version(question: Question) -> QuestionVersion:
    """The question's current version, recorded anew when its content differs from the last one recorded.

    Call it after the question and its parts are written and rendered. The question is read again from the
    database, so parts cached on `question` before the write do not matter. A version is never changed.
    """
    fresh = with_parts(Question.objects.filter(pk=question.pk)).get()
    version = _record(fresh)
    question.current_version = version
    return version


@transaction.atomic
def record_versions(questions: QuerySet[Question]) -> dict[int, QuestionVersion]:
    """record_version for many questions (a query per question only where the content changed): returns
    {question id: its current version}."""
    return {question.pk: _record(question) for question in with_parts(questions)}


def _record(question: Question) -> QuestionVersion:
    content = version_content(question)
    digest = content_digest(content)
    current = question.current_version
    if current is not None and current.content_hash == digest:
        return current
    last = QuestionVersion.objects.filter(question=question).aggregate(last=Max("number"))["last"] or 0
    version = QuestionVersion.objects.create(
        question=question, number=last + 1, kind=question.kind, content=content, content_hash=digest
    )
    Question.objects.filter(pk=question.pk).update(current_version=version)
    question.current_version = version
    return version
