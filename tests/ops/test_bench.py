"""The classroom benchmark's own parts: the bench students, the reading of the exam screen, the integrity check."""

import random
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from apps.exams.models import Attempt, ReviewCard, Slot
from bench import integrity, load
from tests.factories import make_attempt, make_exam, make_question, make_question_set

KINDS = ["multiple_choice", "multiple_response", "ordering", "matching"]


def make_bench_data(**options):
    out = StringIO()
    call_command("make_bench_data", stdout=out, **options)
    return out.getvalue()


def bench_students():
    return list(get_user_model().objects.filter(username__startswith="bench-student-").order_by("username"))


# ------------------------------------------------------------------------------------------ make_bench_data
@pytest.mark.django_db
def test_make_bench_data_creates_the_students_once_with_the_known_password():
    first = make_bench_data(students=3, seed=7)
    hashes = [user.password for user in bench_students()]
    second = make_bench_data(students=3, seed=7)

    assert "3 created, 0 updated, 0 unchanged" in first
    assert "0 created, 0 updated, 3 unchanged" in second
    students = bench_students()
    assert [user.username for user in students] == [
        "bench-student-001",
        "bench-student-002",
        "bench-student-003",
    ]
    assert [user.password for user in students] == hashes  # the same rows: the salt comes from the seed
    assert all(user.check_password("bench-student-pass") and not user.is_staff for user in students)


@pytest.mark.django_db
def test_make_bench_data_brings_students_up_to_date_and_adds_the_missing_ones():
    make_bench_data(students=2, seed=7)
    get_user_model().objects.filter(username="bench-student-001").update(is_active=False)

    out = make_bench_data(students=3, seed=7)

    assert "1 created, 1 updated, 1 unchanged" in out
    assert all(user.is_active for user in bench_students())


# ------------------------------------------------------------------------------------ a consistent run
@pytest.fixture
def questions(db):
    exam = make_exam(code="TST-C01")
    bank = make_question_set(exam=exam, slug="public-bank", visibility="public")
    return [make_question(question_set=bank, kind=kind, stem=f"A {kind} question?") for kind in KINDS]


def post_save(client, attempt, screen, answer, *, seq, flagged):
    """A save as the load generator sends it; returns its run-log entry."""
    form = {"seq": str(seq), "fields": "flagged", **answer, **({"flagged": "1"} if flagged else {})}
    response = client.post(
        f"/attempts/{attempt.pk}/q/{screen.position}/answer/", form, HTTP_HX_REQUEST="true"
    )
    outcome = load.OUTCOME.search(response.content.decode())
    acked = response.status_code == 200 and outcome is not None and outcome.group(1) in load.ACKNOWLEDGED
    return {"position": screen.position, "seq": seq, "form": answer, "flagged": flagged, "acked": acked}


@pytest.fixture
def run_log(client, questions):
    """Three bench students answer every question through the views as the load generator does (reading the
    screen, numbered saves, a changed answer, a flag, a question answered again) and submit."""
    make_bench_data(students=3, seed=7)
    log = {"students": []}
    for number, user in enumerate(bench_students()):
        attempt = make_attempt(user=user, questions=questions, now=timezone.now(), seed=f"s{number}")
        client.force_login(user)
        rng, saves = random.Random(number), []
        for position in range(1, len(questions) + 1):
            page = client.get(
                f"/attempts/{attempt.pk}/q/{position}/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="exam-main"
            )
            screen = load.read_screen(position, page.content.decode())
            answer = load.pick_answer(screen, rng)
            saves.append(post_save(client, attempt, screen, answer, seq=screen.seq, flagged=position == 2))
            if position == 3:  # a change of mind on the same screen: the next number
                changed = load.pick_answer(screen, rng, answer)
                saves.append(post_save(client, attempt, screen, changed, seq=screen.seq + 1, flagged=False))
        page = client.get(f"/attempts/{attempt.pk}/q/1/")  # back to the first question, answered anew
        screen = load.read_screen(1, page.content.decode())
        saves.append(
            post_save(
                client,
                attempt,
                screen,
                load.pick_answer(screen, rng, saves[0]["form"]),
                seq=screen.seq,
                flagged=True,
            )
        )
        submitted = client.post(f"/attempts/{attempt.pk}/submit/", {"confirm": "yes"})
        assert submitted.status_code == 302
        log["students"].append(
            {"username": user.username, "attempt": attempt.pk, "submitted": True, "saves": saves}
        )
    return log


def test_the_screen_reader_finds_every_kind_of_question_and_every_save_is_acknowledged(run_log):
    kinds = {slot.kind for slot in Slot.objects.filter(attempt__user__username="bench-student-001")}
    saves = [save for student in run_log["students"] for save in student["saves"]]

    assert kinds == set(KINDS)
    assert len(saves) == 3 * 6 and all(save["acked"] for save in saves)


def test_a_consistent_run_passes_the_integrity_check(run_log):
    report = integrity.check(run_log)

    assert report.ok, report.problems
    assert (report.attempts, report.slots, report.acknowledged_saves) == (3, 12, 18)
    assert report.review_cards == 12  # every answered question fed to the schedule once


# ------------------------------------------------------------------------------- what the check must catch
def first_attempt():
    return Attempt.objects.get(user__username="bench-student-001")


def lose_a_save():
    Slot.objects.filter(attempt=first_attempt(), position=1).update(seq=F("seq") - 1)


def store_another_answer():
    slot = Slot.objects.get(attempt=first_attempt(), position=1)
    Slot.objects.filter(pk=slot.pk).update(response=None)


def lose_a_flag():
    Slot.objects.filter(attempt=first_attempt(), position=2).update(flagged=False)


def miscount_the_score():
    Attempt.objects.filter(pk=first_attempt().pk).update(correct_count=F("correct_count") + 1)


def misgrade_a_slot():
    slot = Slot.objects.get(attempt=first_attempt(), position=4)
    Slot.objects.filter(pk=slot.pk).update(is_correct=not slot.is_correct)


def miscount_a_domain():
    attempt = first_attempt()
    rows = attempt.domain_results
    rows[0]["correct"] = (rows[0]["correct"] + 1) % (rows[0]["total"] + 1)
    Attempt.objects.filter(pk=attempt.pk).update(domain_results=rows)


def leave_it_open():
    Attempt.objects.filter(pk=first_attempt().pk).update(status=Attempt.Status.OPEN, submitted_at=None)


def grade_it_twice():
    ReviewCard.objects.filter(user__username="bench-student-001").update(reps=F("reps") + 1)


def start_a_second_attempt():
    attempt = first_attempt()
    make_attempt(
        user=attempt.user, questions=[slot.question for slot in attempt.slots.all()], now=timezone.now()
    )


@pytest.mark.parametrize(
    ("corrupt", "says"),
    [
        (lose_a_save, "lost"),
        (store_another_answer, "stored None"),
        (lose_a_flag, "flag stored False"),
        (miscount_the_score, "stored correct_count"),
        (misgrade_a_slot, "stored is_correct"),
        (miscount_a_domain, "stored domain_results"),
        (leave_it_open, "not submitted"),
        (grade_it_twice, "fed to the review schedule"),
        (start_a_second_attempt, "attempts in the database"),
    ],
)
def test_the_integrity_check_fails_on_a_mismatch(run_log, corrupt, says):
    corrupt()

    report = integrity.check(run_log)

    assert not report.ok
    assert any(says in problem for problem in report.problems), report.problems


def test_a_save_acknowledged_but_missing_from_the_log_of_sent_saves_fails(run_log):
    # The database holds a save the run never sent (or the log lost one): that too is a mismatch.
    run_log["students"][0]["saves"] = [
        save for save in run_log["students"][0]["saves"] if save["position"] != 4
    ]

    report = integrity.check(run_log)

    assert not report.ok
    assert any("never sent" in problem for problem in report.problems), report.problems
