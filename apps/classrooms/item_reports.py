"""Item analysis reports: which responses count, gathered in a fixed number of queries, as rows for the page."""

from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import strip_tags

from apps.classrooms import item_analysis
from apps.classrooms.selectors import class_attempts
from apps.exams import modes
from apps.exams.models import Attempt, Slot
from apps.questions.models import ProblemReport, Question, QuestionSet


@dataclass
class ChoiceRow:
    text: str
    correct: bool | None  # None: picked by someone, but removed from the question since
    count: int
    share: float | None


@dataclass
class Flag:
    code: str
    label: str


@dataclass
class ReportNote:
    category: str
    text: str


@dataclass
class ItemRow:
    question_id: int
    stem: str
    kind: str
    kind_label: str
    set_title: str
    status: str
    status_label: str
    responses: int
    correct: int
    facility: float | None
    discrimination: float | None
    blank: int
    choices: list[ChoiceRow] | None  # None for ordering and matching questions
    version: int  # the question's current version: the numbers above count its responses only
    earlier: int  # responses to earlier versions of the question, left out of the numbers
    flags: list[Flag] = field(default_factory=list)
    reports: list[ReportNote] = field(default_factory=list)
    admin_url: str = ""  # empty unless the viewer may change the question

    @property
    def flagged(self):
        return bool(self.flags)

    @property
    def contested(self):
        """Suspicious in the numbers and reported by a student: the first thing to look at."""
        return self.flagged and bool(self.reports)

    @property
    def facility_percent(self):
        return None if self.facility is None else round(100 * self.facility)


@dataclass
class ItemReport:
    rows: list[ItemRow]
    attempts: int  # attempts that gave at least one response
    withheld: int = 0  # questions of sets whose key the viewer may not see: left out of the rows

    @property
    def contested_count(self):
        return sum(1 for row in self.rows if row.contested)

    @property
    def flagged_count(self):
        return sum(1 for row in self.rows if row.flagged)


def question_set_for_instructor(user, pk):
    """A question set of the user's own (a superuser: any), or 404 with no hint it exists."""
    return get_object_or_404(QuestionSet.objects.owned_by(user).select_related("exam"), pk=pk)


def sets_with_visible_keys(user, classroom):
    """The sets whose questions and answer keys a class's item analysis may show this viewer: public sets,
    the viewer's own, and the sets shared with this class (a superuser: all).

    A student of this class may also attend another instructor's class and practise with the sets shared
    there; those questions are left out, as docs/item-analysis.md says.
    """
    if user.is_superuser:
        return QuestionSet.objects.all()
    return QuestionSet.objects.filter(
        Q(visibility=QuestionSet.Visibility.PUBLIC)
        | Q(owner=user)
        | Q(pk__in=classroom.question_sets.values("pk"))
    )


def classroom_report(classroom, *, user):
    """Every question answered in the class's mock and custom attempts (see class_attempts for whose), of the
    sets whose keys the viewer may see (sets_with_visible_keys); the others are only counted.

    A report is shown when the viewer may change its question, or when a current student of the class
    wrote it: reports to another author's question from outside the class are that author's business.
    """
    # Only modes whose questions are a fair sample: a retry or a review is made of questions the student got
    # wrong or is due to forget, and answers chosen for being hard would distort facility and discrimination.
    attempts = class_attempts(classroom).filter(mode__in=modes.representative_codes())
    answered = Slot.objects.filter(attempt__in=attempts.values("pk"), scored=True, question__isnull=False)
    visible = sets_with_visible_keys(user, classroom).values("pk")
    slots = answered.filter(question__question_set__in=visible)
    questions = Question.objects.filter(pk__in=slots.values("question_id"))
    reports = ProblemReport.objects.filter(question__in=questions.values("pk"), resolved=False)
    if not user.is_superuser:
        students = classroom.memberships.active().values("student_id")
        reports = reports.filter(Q(question__question_set__owner=user) | Q(reporter__in=students))
    report = _report(slots, questions, reports, user=user)
    report.withheld = (
        answered.exclude(question__question_set__in=visible)
        .order_by()
        .values("question_id")
        .distinct()
        .count()
    )
    return report


def question_set_report(question_set, *, user):
    """The set's questions over every submitted mock and custom attempt of anybody that showed them, plus any
    question of the set with an open report. Students stay anonymous: only counts leave this function."""
    slots = Slot.objects.filter(
        question__question_set=question_set,
        scored=True,
        attempt__status=Attempt.Status.SUBMITTED,
        attempt__mode__in=modes.representative_codes(),  # as in classroom_report
    )
    reports = ProblemReport.objects.filter(question__question_set=question_set, resolved=False)
    questions = Question.objects.filter(
        Q(pk__in=slots.values("question_id")) | Q(pk__in=reports.values("question_id")),
        question_set=question_set,
    )
    return _report(slots, questions, reports, user=user)


def _report(slots, questions, reports, *, user):
    """Three queries whatever the size: the slots with their attempt's score, the questions with their current
    version, and the open reports.

    Each question's numbers count the responses to its current version only, read against that version's key
    and texts: a question fixed after a problem report starts fresh statistics (the row says how many
    responses its earlier versions had)."""
    responses = defaultdict(list)  # by (question id, version id)
    attempt_ids = set()
    rows = slots.order_by().values_list(
        "question_id",
        "version_id",
        "attempt_id",
        "is_correct",
        "response",
        "attempt__correct_count",
        "attempt__scored_count",
    )
    for question_id, version_id, attempt_id, is_correct, response, attempt_correct, attempt_scored in rows:
        attempt_ids.add(attempt_id)
        responses[question_id, version_id].append(
            item_analysis.Response(
                correct=bool(is_correct),
                attempt_correct=attempt_correct or 0,
                attempt_scored=attempt_scored or 0,
                picked=item_analysis.picked_choices(response),
                answered=bool(response),
            )
        )
    notes = defaultdict(list)
    for report in reports.order_by("created_at", "pk"):
        notes[report.question_id].append(ReportNote(category=report.get_category_display(), text=report.text))
    answered: defaultdict[int, int] = defaultdict(int)
    for (question_id, _), counted in responses.items():
        answered[question_id] += len(counted)
    items = []
    for question in questions.select_related("question_set", "current_version"):
        current = responses.get((question.pk, question.current_version_id), [])
        earlier = answered[question.pk] - len(current)
        items.append(_row(question, current, notes[question.pk], earlier, user=user))
    items.sort(key=_order)
    return ItemReport(rows=items, attempts=len(attempt_ids))


def _text(html, limit=None):
    text = " ".join(unescape(strip_tags(html or "")).split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


def _as_seen(content):
    """(stem, [(choice id, is correct, text)]) of a version, choices in authoring order."""
    choices = content.get("choices", [])
    return _text(content["stem_html"], 80), [(c["id"], c["correct"], _text(c["html"])) for c in choices]


def _row(question, responses, notes, earlier, *, user):
    stem, choices = _as_seen(question.current_version.content)
    stats = item_analysis.item_stats(
        responses, kind=question.kind, choices=[(pk, correct) for pk, correct, _ in choices]
    )
    texts = {pk: text for pk, _, text in choices}
    may_change = user.is_superuser or question.question_set.owner_id == user.pk
    return ItemRow(
        question_id=question.pk,
        stem=stem,
        kind=question.kind,
        kind_label=question.get_kind_display(),
        set_title=question.question_set.title,
        status=question.status,
        status_label=question.get_status_display(),
        responses=stats.responses,
        correct=stats.correct,
        facility=stats.facility,
        discrimination=stats.discrimination,
        blank=stats.blank,
        choices=None
        if stats.choices is None
        else [
            ChoiceRow(
                text=texts.get(count.id, "A choice removed since"),
                correct=count.correct,
                count=count.count,
                share=count.share,
            )
            for count in stats.choices
        ],
        version=question.current_version.number,
        earlier=earlier,
        flags=[Flag(code, item_analysis.FLAG_LABELS[code]) for code in stats.flags],
        reports=notes,
        admin_url=reverse("admin:questions_question_change", args=[question.pk]) if may_change else "",
    )


def _order(row):
    """Contested first, then flagged, then the rest; within each, the hardest first (unanswered last)."""
    group = 0 if row.contested else 1 if row.flagged else 2
    return (group, 2 if row.facility is None else row.facility, row.question_id)
