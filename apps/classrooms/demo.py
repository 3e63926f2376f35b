"""The demo class that `make run` sets up beside the demo accounts, so an instructor sees a class at once."""

from datetime import timedelta

from django.utils import timezone

from apps.classrooms import services
from apps.classrooms.models import Assignment, Classroom, Membership
from apps.content.models import Exam
from apps.exams.modes.custom import CUSTOM

DEMO_CLASS = "Demo class"
DEMO_EXAM = "AIF-C01"


def ensure_demo_classroom(*, instructor, student):
    """The instructor's "Demo class" on AIF-C01 with the student in it and one open assignment. Returns the
    class, or None when the exam is not loaded. A second run changes nothing."""
    exam = Exam.objects.filter(code=DEMO_EXAM).first()
    if exam is None:
        return None
    classroom = Classroom.objects.filter(name=DEMO_CLASS, created_by=instructor).first()
    if classroom is None:
        classroom = services.create_classroom(instructor=instructor, name=DEMO_CLASS, exam=exam)
    now = timezone.now()
    Membership.objects.get_or_create(classroom=classroom, student=student, defaults={"joined_at": now})
    if not classroom.assignments.exists():
        services.save_assignment(
            assignment=Assignment(
                classroom=classroom,
                title="Domain 1 warm-up",
                mode=CUSTOM.code,
                domains=[1],
                question_count=10,
                opens_at=now,
                due_at=now + timedelta(days=14),
                attempts_allowed=2,
            ),
            question_sets=[],
            by=instructor,
        )
    return classroom
