"""An assignment limited to question sets that were all deleted since says so, to students and instructors,
and starts nothing: it never quietly widens to every set."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.classrooms import selectors, services
from apps.classrooms.models import Assignment
from apps.classrooms.services import ClassroomError
from apps.exams.models import Attempt
from tests.classrooms.test_services import make_assignment
from tests.factories import make_question_set, make_questions


@pytest.fixture
def orphaned(teacher, member, classroom, questions, exam):
    now = timezone.now()
    own = make_question_set(exam=exam, slug="irene-set", visibility="private", owner=teacher)
    make_questions(question_set=own, count=3, task_statement="1.2", prefix="Own")
    services.share_sets(classroom=classroom, user=teacher, sets=[own])
    assignment = make_assignment(classroom, now, question_count=3, question_sets=[own])
    own.delete()
    return Assignment.objects.get(pk=assignment.pk)


def test_it_starts_no_attempt_over_every_set(orphaned, student):
    assert orphaned.limited_to_sets and orphaned.sets_deleted
    with pytest.raises(ClassroomError, match="have been deleted"):
        services.start_assignment(student=student, assignment=orphaned, now=timezone.now())
    assert not Attempt.objects.exists()


def test_the_student_and_the_instructor_are_told(orphaned, student, teacher, classroom):
    [item] = selectors.student_assignments(student, now=timezone.now())
    assert item.assignment.sets_deleted
    client = Client()
    client.force_login(student)
    page = client.get(reverse("classrooms:detail", args=[classroom.pk])).content.decode()
    assert Assignment.SETS_DELETED in page
    assert reverse("classrooms:assignment-start", args=[classroom.pk, orphaned.pk]) not in page
    response = client.post(reverse("classrooms:assignment-start", args=[classroom.pk, orphaned.pk]), follow=True)
    assert Assignment.SETS_DELETED in response.content.decode() and not Attempt.objects.exists()
    client.force_login(teacher)
    dashboard = client.get(reverse("classrooms:detail", args=[classroom.pk])).content.decode()
    assert "Its question sets were deleted" in dashboard


def test_an_assignment_saved_without_sets_still_draws_from_every_set(member, classroom, questions, student):
    assignment = make_assignment(classroom, timezone.now(), question_count=3)
    assert not assignment.limited_to_sets and not assignment.sets_deleted
    attempt = services.start_assignment(student=student, assignment=assignment, now=timezone.now())
    assert attempt.slots.count() == 3
