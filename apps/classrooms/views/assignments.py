"""Assignments: instructors create and edit them; a student starts (or resumes) their attempt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.classrooms import selectors, services
from apps.classrooms.forms import AssignmentForm
from apps.classrooms.models import Assignment
from apps.classrooms.services import ClassroomError
from config.http_methods import require_get_or_post


@login_required
@require_get_or_post
def assignment_form(request, pk, assignment_pk=None):
    classroom = selectors.classroom_for_instructor(request.user, pk)
    assignment = (
        selectors.assignment_in(classroom, assignment_pk)
        if assignment_pk
        else Assignment(classroom=classroom)
    )
    sets = selectors.assignable_sets(classroom)
    form = AssignmentForm(request.POST or None, instance=assignment, classroom=classroom, sets=sets)
    if request.method == "POST" and form.is_valid():
        assignment = form.save(commit=False)
        services.save_assignment(
            assignment=assignment, question_sets=form.cleaned_data["question_sets"], by=request.user
        )
        messages.success(request, f"Saved the assignment “{assignment.title}”.")
        return redirect("classrooms:detail", classroom.pk)
    context = {"classroom": classroom, "form": form, "assignment": assignment, "nav": "classes"}
    return render(request, "classrooms/assignment_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def assignment_start(request, pk, assignment_pk):
    membership = selectors.membership_for(request.user, pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("classroom__exam"), classroom=membership.classroom, pk=assignment_pk
    )
    try:
        attempt = services.start_assignment(student=request.user, assignment=assignment, now=timezone.now())
    except ClassroomError as error:
        messages.error(request, str(error))
        return redirect("classrooms:detail", pk)
    return redirect("exams:attempt-detail", attempt.pk)
