"""The class dashboard and its CSV export: students × domains, assignment completion and scores, who has not
practised lately — in a fixed number of queries whatever the size of the class."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from django.contrib.auth.models import User
from django.db.models import Count, F, Max, Q

from apps.classrooms.models import Assignment, AssignmentAttempt, Classroom, Membership
from apps.classrooms.selectors import LINK_FIELDS, AttemptLink, StudentAssignment, class_attempts, summarize
from apps.content.models import Domain
from apps.exams.models import Slot

RECENT_DAYS = 30  # the heatmap's window: a student's answers from the last 30 days
# The heatmap's colour bands: the lowest percent right of each band above "low", in rising order.
HEAT_BANDS: tuple[tuple[int, str], ...] = ((50, "mid"), (70, "good"), (85, "high"))


def heat_legend() -> list[tuple[str, str]]:
    """(band, the percents it covers) for the heatmap's key: below 50%, 50–69%, 70–84%, 85% and over."""
    lows = [low for low, _ in HEAT_BANDS]
    legend = [("low", f"below {lows[0]}%")]
    for (low, name), high in zip(HEAT_BANDS, [*lows[1:], None], strict=True):
        legend.append((name, f"{low}–{high - 1}%" if high else f"{low}% and over"))
    return legend


INACTIVE_DAYS = 7


@dataclass
class Cell:
    answers: int
    correct: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.correct / self.answers) if self.answers else None

    @property
    def band(self) -> str:
        """The colour band of `HEAT_BANDS` (the number is always shown too)."""
        percent = self.percent
        if percent is None:
            return "none"
        return next((name for low, name in reversed(HEAT_BANDS) if percent >= low), "low")


@dataclass
class StudentRow:
    membership: Membership
    cells: list[Cell]
    last_practice: datetime | None = None
    inactive: bool = False
    assignments: dict[int, StudentAssignment] = field(default_factory=dict)  # by assignment id

    @property
    def student(self) -> User:
        return self.membership.student


@dataclass
class AssignmentRow:
    assignment: Assignment
    done: int
    students: int
    average: float | None

    @property
    def completion(self) -> int:
        return round(100 * self.done / self.students) if self.students else 0


@dataclass
class ClassBoard:
    domains: list[Domain]
    students: list[StudentRow]
    assignments: list[AssignmentRow]
    inactive: list[StudentRow]
    since: datetime


def class_board(classroom: Classroom, *, now: datetime) -> ClassBoard:
    """Everything the class dashboard shows (six queries)."""
    memberships = list(
        Membership.objects.active()
        .filter(classroom=classroom)
        .select_related("student")
        .order_by("student__username")
    )
    domains = list(Domain.objects.filter(exam_id=classroom.exam_id).order_by("number"))
    since = now - timedelta(days=RECENT_DAYS)
    recent = class_attempts(classroom).filter(started_at__gte=since)
    heat = {}
    for cell in (
        Slot.objects.filter(attempt__in=recent.values("pk"), scored=True)
        .values("attempt__user_id", "domain_number")
        .annotate(answers=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    ):
        heat[(cell["attempt__user_id"], cell["domain_number"])] = Cell(cell["answers"], cell["correct"])
    last = dict(
        Slot.objects.filter(
            attempt__exam_id=classroom.exam_id,
            attempt__user__memberships__classroom=classroom,
            attempt__user__memberships__left_at__isnull=True,
            answered_at__gte=F("attempt__user__memberships__joined_at"),
        )
        .values("attempt__user_id")
        .annotate(last=Max("answered_at"))
        .values_list("attempt__user_id", "last")
    )
    assignments = list(
        Assignment.objects.filter(classroom=classroom)
        .annotate(set_count=Count("question_sets"))
        .order_by("due_at", "pk")
    )
    links: dict[tuple[int, int], list[AttemptLink]] = {}
    for link in AssignmentAttempt.objects.filter(
        assignment__classroom=classroom, student_id__in=[m.student_id for m in memberships]
    ).values(*LINK_FIELDS):
        links.setdefault((link["assignment_id"], link["student_id"]), []).append(cast(AttemptLink, link))

    students = []
    for membership in memberships:
        uid = membership.student_id
        row = StudentRow(
            membership=membership,
            cells=[heat.get((uid, d.number), Cell(0, 0)) for d in domains],
            last_practice=last.get(uid),
        )
        row.inactive = row.last_practice is None or row.last_practice < now - timedelta(days=INACTIVE_DAYS)
        for assignment in assignments:
            allowed = assignment.attempts_allowed + membership.extra_attempts
            row.assignments[assignment.pk] = summarize(
                assignment, links.get((assignment.pk, uid), []), allowed, now
            )
        students.append(row)
    assignment_rows = []
    for assignment in assignments:
        best = [s.assignments[assignment.pk].best_percent for s in students]
        scores = [b for b in best if b is not None]
        assignment_rows.append(
            AssignmentRow(
                assignment=assignment,
                done=len(scores),
                students=len(students),
                average=round(sum(scores) / len(scores), 1) if scores else None,
            )
        )
    return ClassBoard(
        domains=domains,
        students=students,
        assignments=assignment_rows,
        inactive=[s for s in students if s.inactive],
        since=since,
    )


STATUS_LABELS = {
    "upcoming": "Not open yet",
    "todo": "To do",
    "in_progress": "In progress",
    "done": "Done",
    "late": "Late",
}


def results_table(classroom: Classroom, *, now: datetime) -> list[Sequence[object]]:
    """The CSV export: a header and one row per student per assignment, with per-domain percentages of the
    student's best submitted attempt."""
    board = class_board(classroom, now=now)
    header = [
        "username",
        "name",
        "assignment",
        "status",
        "submitted late",
        "attempts used",
        "attempts allowed",
        "best score %",
    ] + [f"domain {d.number} %" for d in board.domains]
    rows: list[Sequence[object]] = [header]
    for student in board.students:
        for item in board.assignments:
            summary = student.assignments[item.assignment.pk]
            domain_percent = {int(result["key"]): result["percent"] for result in summary.best_domains}
            rows.append(
                [
                    student.student.get_username(),
                    student.student.get_full_name(),
                    item.assignment.title,
                    STATUS_LABELS[summary.status],
                    "yes" if summary.submitted_late else "no",
                    summary.used,
                    summary.allowed,
                    "" if summary.best_percent is None else summary.best_percent,
                ]
                + [domain_percent.get(d.number, "") for d in board.domains]
            )
    return rows
