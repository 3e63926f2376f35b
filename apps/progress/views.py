"""The student dashboard, and the accuracy fragments the study pages load into themselves."""

from urllib.parse import urlsplit

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.vary import vary_on_headers

from apps.classrooms.selectors import student_assignments
from apps.content.models import Exam, TaskStatement
from apps.content.selectors import exams_for_home, read_counts_by_exam
from apps.content.services import read_note_ids
from apps.exams.scoring import cut_percent
from apps.progress import selectors
from config.http_methods import require_safe


def _dashboard_url(exam):
    return reverse("progress:dashboard") + "?" + urlencode({"exam": exam.code})


def _chance(probability):
    """The chance of passing as the page says it: never a flat 0% or 100% from a sample of draws."""
    if probability < 0.01:
        return "under 1%"
    if probability > 0.99:
        return "over 99%"
    return f"{round(100 * probability)}%"


@login_required
@require_safe
def dashboard(request):
    # Sorted here: Django leaves Meta.ordering out of a query with an aggregate, as exams_for_home has.
    exams = sorted(exams_for_home(), key=lambda e: (e.order, e.code))
    if not exams:
        return render(request, "progress/dashboard.html", {"exams": [], "nav": "dashboard"})
    profile = getattr(request.user, "profile", None)
    target_id = profile.target_exam_id if profile else None
    code = request.GET.get("exam", "")
    # Without a choice or a target exam, the exam the student last practised: a newcomer who has just taken an
    # MLA-C02 mock must not land on an empty AIF-C01 board.
    exam = next((e for e in exams if e.code == code), None) or next(
        (e for e in exams if e.pk == target_id), None
    )
    if exam is None:
        last_id = selectors.last_practised_exam_id(request.user)
        exam = next((e for e in exams if e.pk == last_id), exams[0])
    now = timezone.now()
    board = selectors.dashboard(request.user, exam, domains=list(exam.domains.all()), now=now)
    read_ids = read_note_ids(request.user, request.session)
    read_counts = read_counts_by_exam(read_ids)
    for each in exams:
        each.read_count = read_counts.get(each.pk, 0)
    cut = cut_percent(passing=exam.passing_score, high=exam.score_max)
    chart = {
        "labels": [f"{point['day']:%-d %b %Y}" for point in board.trend],
        "values": [point["percent"] for point in board.trend],
        "cut": cut,
    }
    estimate = board.readiness.estimate if board.readiness else None
    context = {
        "exams": exams,
        "exam": exam,
        "board": board,
        "estimate": estimate,
        "chance": _chance(estimate.probability) if estimate else "",
        "gap": next((row for row in board.mastery if estimate and row.number == estimate.gap), None),
        "cut": cut,
        "chart": chart,
        "is_target": exam.pk == target_id,
        "days_left": profile.days_until_exam(timezone.localdate(now))
        if profile and exam.pk == target_id
        else None,
        "read_ids": read_ids,
        "min_task_answers": selectors.MIN_TASK_ANSWERS,
        "assignments": student_assignments(request.user, now=now),
        "nav": "dashboard",
    }
    return render(request, "progress/dashboard.html", context)


def _current_path(request):
    """The path of the page the fragment is for (htmx sends its address); "" when the header is missing or
    is not a URL at all (a client can send anything)."""
    try:
        return urlsplit(request.headers.get("HX-Current-URL", "")).path
    except ValueError:
        return ""


def _fragment_access(request, exam):
    """The redirect or fragment for a request that should not get the accuracy fragment, else None.

    Without HTMX the numbers belong on the dashboard; a session that expired after the page loaded gets a
    login link in the fragment's place instead of a login page inside the study page.
    """
    if not request.htmx:
        return redirect(_dashboard_url(exam))
    if not request.user.is_authenticated:
        back = _current_path(request) or exam.get_absolute_url()
        login = reverse("login") + "?" + urlencode({"next": back})
        return render(request, "progress/_accuracy.html#signed-out", {"login_url": login})
    return None


@require_safe
@vary_on_headers("HX-Request")
def task_accuracy(request, exam_slug, number):
    """The student's accuracy on one task statement, for the task statement page."""
    task = get_object_or_404(
        TaskStatement.objects.select_related("exam"), exam__slug=exam_slug, number=number
    )
    refused = _fragment_access(request, task.exam)
    if refused:
        return refused
    accuracy = selectors.accuracy_by_task(request.user, task.exam, task=task, now=timezone.now())
    context = {"exam": task.exam, "task": task, "accuracy": accuracy.get(task.pk)}
    return render(request, "progress/_accuracy.html#task-accuracy", context)


@require_safe
@vary_on_headers("HX-Request")
def exam_accuracy(request, exam_slug):
    """The student's accuracy on every task statement of an exam, for the exam overview."""
    exam = get_object_or_404(Exam, slug=exam_slug)
    refused = _fragment_access(request, exam)
    if refused:
        return refused
    accuracy = selectors.accuracy_by_task(request.user, exam, now=timezone.now())
    rows = [(task, accuracy.get(task.pk)) for task in selectors.exam_task_statements(exam)]
    context = {"exam": exam, "rows": rows, "practised": sum(1 for _, a in rows if a)}
    return render(request, "progress/_accuracy.html#exam-accuracy", context)
