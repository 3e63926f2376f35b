"""Running a class through the services: join codes, members, co-instructors, sharing, assignments."""

from datetime import timedelta

import pytest

from apps.classrooms import selectors, services
from apps.classrooms.models import Assignment, AssignmentAttempt, Membership
from apps.classrooms.services import ClassroomError
from apps.exams.models import Attempt
from apps.exams.services import submit_attempt
from apps.questions.selectors import sets_visible_to
from tests.factories import make_question_set, make_questions


def make_assignment(classroom, now, **fields):
    values = {
        "title": "Week 1",
        "mode": "custom",
        "question_count": 5,
        "opens_at": now - timedelta(days=1),
        "due_at": now + timedelta(days=6),
        "attempts_allowed": 1,
    }
    values.update(fields)
    sets = values.pop("question_sets", [])
    return services.save_assignment(assignment=Assignment(classroom=classroom, **values), question_sets=sets)


# ------------------------------------------------------------------------------------------------- classes
def test_only_instructors_create_classes(student, exam):
    with pytest.raises(ClassroomError):
        services.create_classroom(instructor=student, name="Mine", exam=exam)


def test_a_new_class_has_a_readable_code_and_its_creator_teaches_it(classroom, teacher):
    assert len(classroom.join_code) == 8
    assert not set(classroom.join_code) & set("01OIL")
    assert list(classroom.instructors.all()) == [teacher]


def test_join_with_the_code_typed_loosely(student, classroom, now):
    code = classroom.join_code.lower()
    membership = services.join(student=student, code=f" {code[:4]}-{code[4:]} ", now=now)
    assert membership.is_active and membership.joined_at == now


@pytest.mark.parametrize("code", ["", "NOPE2345", "not a code"])
def test_a_wrong_code_joins_nothing(student, classroom, now, code):
    with pytest.raises(ClassroomError, match="No class has that code"):
        services.join(student=student, code=code, now=now)
    assert not Membership.objects.exists()


def test_joining_twice_is_refused(member, student, classroom, now):
    with pytest.raises(ClassroomError, match="already in"):
        services.join(student=student, code=classroom.join_code, now=now)


def test_an_instructor_cannot_join_their_own_class(teacher, classroom, now):
    with pytest.raises(ClassroomError, match="You teach"):
        services.join(student=teacher, code=classroom.join_code, now=now)


def test_leave_and_join_again_keeps_accommodations_and_restarts_the_clock(member, student, classroom, now):
    services.set_accommodations(membership=member, extra_time_percent=50, extra_attempts=1)
    services.leave(membership=member, now=now + timedelta(days=1))
    assert not Membership.objects.active().exists()
    again = services.join(student=student, code=classroom.join_code, now=now + timedelta(days=2))
    assert again.pk == member.pk and again.joined_at == now + timedelta(days=2)
    again.refresh_from_db()
    assert (again.extra_time_percent, again.extra_attempts, again.left_at) == (50, 1, None)


def test_a_removed_student_cannot_rejoin_with_the_code_until_let_back_in(member, student, classroom, now):
    services.remove_student(membership=member, now=now)
    with pytest.raises(ClassroomError, match="removed you"):
        services.join(student=student, code=classroom.join_code, now=now)
    services.readmit_student(membership=member, now=now + timedelta(hours=1))
    member.refresh_from_db()
    assert member.is_active and not member.removed


def test_a_new_code_stops_the_old_one(member, other_student, classroom, now):
    old = classroom.join_code
    new = services.regenerate_code(classroom=classroom)
    assert new != old
    with pytest.raises(ClassroomError):
        services.join(student=other_student, code=old, now=now)
    services.join(student=other_student, code=new, now=now)
    assert Membership.objects.active().count() == 2  # the students already in stay


def test_co_instructors_must_be_instructors(classroom, other_teacher, student):
    with pytest.raises(ClassroomError, match="no instructor"):
        services.add_co_instructor(classroom=classroom, username=student.username)
    with pytest.raises(ClassroomError, match="no instructor"):
        services.add_co_instructor(classroom=classroom, username="nobody")
    services.add_co_instructor(classroom=classroom, username=other_teacher.username.upper())
    assert set(classroom.instructors.all()) == {classroom.created_by, other_teacher}
    with pytest.raises(ClassroomError, match="already teaches"):
        services.add_co_instructor(classroom=classroom, username=other_teacher.username)


# ------------------------------------------------------------------------------------------------ sharing
def test_a_shared_set_is_seen_by_the_class_only_while_in_it(
    teacher, classroom, member, student, other_student, exam, now
):
    own = make_question_set(exam=exam, slug="irene-set", visibility="private", owner=teacher)
    assert own not in sets_visible_to(student)
    opened = services.share_sets(classroom=classroom, user=teacher, sets=[own])
    assert opened == [own]
    own.refresh_from_db()
    assert own.visibility == "classrooms"
    assert own in sets_visible_to(student)
    assert own not in sets_visible_to(other_student)  # not in the class
    services.leave(membership=member, now=now)
    assert own not in sets_visible_to(student)


def test_sharing_touches_only_the_users_own_sets(teacher, other_teacher, classroom, exam):
    mine = make_question_set(exam=exam, slug="mine", visibility="classrooms", owner=teacher)
    theirs = make_question_set(exam=exam, slug="theirs", visibility="classrooms", owner=other_teacher)
    services.share_sets(classroom=classroom, user=teacher, sets=[mine, theirs])
    assert list(classroom.question_sets.all()) == [mine]
    classroom.question_sets.add(theirs)  # a co-instructor shared theirs
    services.share_sets(classroom=classroom, user=teacher, sets=[])
    assert list(classroom.question_sets.all()) == [theirs]


# -------------------------------------------------------------------------------------------- assignments
def test_an_assignment_attempt_follows_the_assignment(member, classroom, questions, student, now):
    assignment = make_assignment(classroom, now, domains=[2], question_count=3, time_limit_minutes=10)
    attempt = services.start_assignment(student=student, assignment=assignment, now=now)
    assert attempt.question_count == 3
    assert {slot.domain_number for slot in attempt.slots.all()} == {2}
    assert attempt.deadline == now + timedelta(minutes=10)
    assert AssignmentAttempt.objects.get(attempt=attempt).assignment == assignment


def test_extra_time_and_attempts_apply(member, classroom, questions, student, now):
    services.set_accommodations(membership=member, extra_time_percent=50, extra_attempts=1)
    assignment = make_assignment(classroom, now, time_limit_minutes=10)
    first = services.start_assignment(student=student, assignment=assignment, now=now)
    assert first.deadline == now + timedelta(minutes=15)
    submit_attempt(attempt=first, now=now)
    second = services.start_assignment(student=student, assignment=assignment, now=now)
    assert second.pk != first.pk
    submit_attempt(attempt=second, now=now)
    with pytest.raises(ClassroomError, match="used all 2 attempts"):
        services.start_assignment(student=student, assignment=assignment, now=now)


def test_a_mock_assignment_runs_on_the_exam_clock_plus_extra_time(member, classroom, questions, student, now):
    services.set_accommodations(membership=member, extra_time_percent=50, extra_attempts=0)
    assignment = make_assignment(classroom, now, mode="mock")
    attempt = services.start_assignment(student=student, assignment=assignment, now=now)
    assert attempt.mode == Attempt.Mode.MOCK
    assert attempt.deadline == now + timedelta(minutes=135)  # the exam's 90 minutes + 50%


def test_starting_again_resumes_the_open_attempt(member, classroom, questions, student, now):
    assignment = make_assignment(classroom, now)
    first = services.start_assignment(student=student, assignment=assignment, now=now)
    assert services.start_assignment(student=student, assignment=assignment, now=now).pk == first.pk
    assert AssignmentAttempt.objects.count() == 1


def test_not_before_it_opens_and_not_for_outsiders(member, classroom, questions, student, other_student, now):
    assignment = make_assignment(
        classroom, now, opens_at=now + timedelta(days=1), due_at=now + timedelta(days=2)
    )
    with pytest.raises(ClassroomError, match="opens on"):
        services.start_assignment(student=student, assignment=assignment, now=now)
    with pytest.raises(ClassroomError, match="not in this class"):
        services.start_assignment(student=other_student, assignment=assignment, now=now + timedelta(days=1))
    assert not Attempt.objects.exists()


def test_only_the_chosen_sets_are_drawn(teacher, member, classroom, questions, student, exam, now):
    own = make_question_set(exam=exam, slug="irene-set", visibility="private", owner=teacher)
    mine = make_questions(question_set=own, count=3, task_statement="1.2", prefix="Own")
    services.share_sets(classroom=classroom, user=teacher, sets=[own])
    assignment = make_assignment(classroom, now, question_count=10, question_sets=[own])
    attempt = services.start_assignment(student=student, assignment=assignment, now=now)
    assert {s.question_id for s in attempt.slots.all()} == {q.pk for q in mine}


def test_statuses_on_the_students_list(member, classroom, questions, student, now):
    todo = make_assignment(classroom, now, title="To do")
    late = make_assignment(
        classroom, now, title="Late", opens_at=now - timedelta(days=3), due_at=now - timedelta(days=1)
    )
    upcoming = make_assignment(
        classroom, now, title="Soon", opens_at=now + timedelta(days=1), due_at=now + timedelta(days=3)
    )
    done = make_assignment(classroom, now, title="Done", attempts_allowed=2)
    attempt = services.start_assignment(student=student, assignment=done, now=now)
    submit_attempt(attempt=attempt, now=now)
    items = {item.assignment.pk: item for item in selectors.student_assignments(student, now=now)}
    assert items[todo.pk].status == "todo" and items[todo.pk].can_start
    assert items[late.pk].status == "late" and items[late.pk].can_start
    assert items[upcoming.pk].status == "upcoming" and not items[upcoming.pk].can_start
    assert items[done.pk].status == "done" and items[done.pk].used == 1 and items[done.pk].can_start
    assert items[done.pk].best_percent == attempt.percent


def test_a_student_who_left_has_no_assignments(member, classroom, student, now):
    make_assignment(classroom, now)
    services.leave(membership=member, now=now)
    assert selectors.student_assignments(student, now=now) == []
