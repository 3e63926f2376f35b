"""Reads with a rule: the sets a user may practise with, where the notes teach a question, what lint needs."""

import functools
from collections.abc import Callable, Iterable
from typing import TypedDict

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from apps.content.models import Exam, Note, Service, TaskStatement
from apps.questions import bank_rules
from apps.questions.lint import ExamContext
from apps.questions.models import Question, QuestionSet, QuestionVersion
from apps.questions.roles import instructor_role


class StudyLink(TypedDict):
    """Where the notes teach a question's point."""

    url: str
    title: str


def sets_visible_to(user: User | AnonymousUser) -> QuerySet[QuestionSet]:
    """Public sets for everybody; a signed-in user also sees their own sets, and the "classrooms" sets shared
    with a classroom they attend (until they leave it) or teach (while they hold the instructor role)."""
    rule = Q(visibility=QuestionSet.Visibility.PUBLIC)
    if user.is_authenticated:
        # Named through the relation, not imported: the classrooms app builds on this one, not the reverse.
        attending = Q(classrooms__memberships__student=user, classrooms__memberships__left_at__isnull=True)
        # The role is checked by the query itself (no queries of its own for the user's permissions).
        teaching = Q(classrooms__instructors=user) & instructor_role(user)
        shared = QuestionSet.objects.filter(
            attending | teaching, visibility=QuestionSet.Visibility.CLASSROOMS
        ).values("pk")
        rule |= Q(owner=user) | Q(pk__in=shared)
    return QuestionSet.objects.filter(rule)


def question_for_report(user: User | AnonymousUser, pk: int) -> Question:
    """A published question of a set the user may see, or 404."""
    visible: QuerySet[Question] = Question.objects.published().filter(question_set__in=sets_visible_to(user))
    return get_object_or_404(
        visible.select_related("question_set__exam", "task_statement", "current_version"), pk=pk
    )


def version_for_report(question: Question, number: str) -> QuestionVersion | None:
    """The version of `question` a student reports on: the one numbered `number` (as the results page passes
    it, from the attempt's slot), else the current one."""
    current = question.current_version
    # isascii: isdigit also holds for "²" or "①", which int() refuses.
    if (
        number.isascii()
        and number.isdigit()
        and len(number) <= 9
        and (current is None or int(number) != current.number)
    ):
        found = question.versions.filter(number=int(number)).first()
        if found is not None:
            return found
    return current


def note_url_maker() -> Callable[[str, str], str]:
    """A note's address from (exam slug, note slug), each note reversed once: a page of 65 questions links to
    a handful of notes, and reversing a URL costs more than building the rest of a link."""
    return functools.cache(
        lambda exam_slug, note_slug: reverse("content:note-detail", args=[exam_slug, note_slug])
    )


def _section_url(note_url: Callable[[str, str], str], exam_slug: str, note_slug: str, section: str) -> str:
    return note_url(exam_slug, note_slug) + "#" + section.rsplit("#", 1)[-1]


def section_links(question_ids: Iterable[int]) -> dict[int, StudyLink]:
    """{question id: {"url", "title"}} for the questions whose `section` resolves to a note heading: where the
    notes teach the point. One query, however many questions."""
    rows = Question.objects.filter(pk__in=list(question_ids), section_note__isnull=False).values_list(
        "pk", "section", "section_note__slug", "section_note__title", "section_note__exam__slug"
    )
    note_url = note_url_maker()
    return {
        pk: {"url": _section_url(note_url, exam_slug, slug, section), "title": title}
        for pk, section, slug, title, exam_slug in rows
        if "#" in section
    }


def study_links(question_ids: Iterable[int]) -> dict[int, StudyLink]:
    """{question id: {"url", "title"}}: the question's section, or else the first note of its task statement
    (its task statement's page when it has none). Two queries, however many questions."""
    rows = Question.objects.filter(pk__in=list(question_ids)).values_list(
        "pk",
        "section",
        "section_note__slug",
        "section_note__title",
        "section_note__exam__slug",
        "task_statement_id",
        "task_statement__number",
        "task_statement__exam__slug",
    )
    links: dict[int, StudyLink] = {}
    tasks: dict[int, tuple[int, str, str]] = {}
    note_url = note_url_maker()
    for pk, section, slug, title, exam_slug, task_id, number, task_exam in rows:
        if slug and "#" in section:
            links[pk] = {"url": _section_url(note_url, exam_slug, slug, section), "title": title}
        elif task_id:
            tasks[pk] = (task_id, number, task_exam)
    first_note: dict[int, tuple[str, str, str]] = {}
    if tasks:
        notes = Note.objects.filter(task_statements__in={task_id for task_id, _, _ in tasks.values()})
        for task_id, slug, title, exam_slug in notes.order_by("order", "slug").values_list(
            "task_statements", "slug", "title", "exam__slug"
        ):
            first_note.setdefault(task_id, (slug, title, exam_slug))
    for pk, (task_id, number, exam_slug) in tasks.items():
        if task_id in first_note:
            slug, title, note_exam = first_note[task_id]
            links[pk] = {"url": note_url(note_exam, slug), "title": title}
        else:
            url = reverse("content:task-statement-detail", args=[exam_slug, number])
            links[pk] = {"url": url, "title": f"Task statement {number}"}
    return links


def exam_contexts() -> dict[str, ExamContext]:
    """For check_bank: every exam's task statements, their objectives and the text of their notes."""
    by_pk = {
        pk: ExamContext(code=code, slug=slug, tasks=[])
        for pk, code, slug in Exam.objects.values_list("pk", "code", "slug")
    }
    for task in TaskStatement.objects.order_by("position"):
        context = by_pk[task.exam_id]
        context.tasks.append(task.number)
        context.objectives_by_task[task.number] = list(task.objectives or [])
    for exam_id, number, text in Note.task_statements.through.objects.values_list(
        "taskstatement__exam_id", "taskstatement__number", "note__search_text"
    ):
        by_pk[exam_id].note_texts_by_task.setdefault(number, []).append(text)
    return {context.code: context for context in by_pk.values()}


def service_matcher() -> bank_rules.ServiceMatcher:
    """Finds the glossary's services in a text (bank_rules.ServiceMatcher)."""
    return bank_rules.ServiceMatcher(
        bank_rules.GlossaryEntry(slug, name, tuple(aliases or ()))
        for slug, name, aliases in Service.objects.values_list("slug", "name", "aliases")
    )
