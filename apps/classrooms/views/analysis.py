"""Item analysis pages: how each question performed over a class's attempts, or over an instructor's own set."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from apps.classrooms import item_analysis, item_reports
from apps.classrooms.selectors import can_teach, classroom_for_instructor
from config.http_methods import require_safe

MINIMUMS = {
    "discrimination": item_analysis.MIN_RESPONSES_DISCRIMINATION,
    "negative_discrimination": item_analysis.MIN_RESPONSES_NEGATIVE_DISCRIMINATION,
    "popular_distractor": item_analysis.MIN_RESPONSES_POPULAR_DISTRACTOR,
    "nobody_correct": item_analysis.MIN_RESPONSES_NOBODY_CORRECT,
}


@login_required
@require_safe
def classroom_items(request, pk):
    classroom = classroom_for_instructor(request.user, pk)
    context = {
        "classroom": classroom,
        "subject": classroom.name,
        "report": item_reports.classroom_report(classroom, user=request.user),
        "minimums": MINIMUMS,
        "nav": "classes",
    }
    return render(request, "classrooms/item_analysis.html", context)


@login_required
@require_safe
def set_items(request, pk):
    # 404 rather than 403 for a student: the page gives no hint that the set exists.
    if not can_teach(request.user):
        raise Http404("No such question set.")
    question_set = item_reports.question_set_for_instructor(request.user, pk)
    context = {
        "question_set": question_set,
        "subject": question_set.title,
        "report": item_reports.question_set_report(question_set, user=request.user),
        "minimums": MINIMUMS,
        "nav": "classes",
    }
    return render(request, "classrooms/item_analysis.html", context)
