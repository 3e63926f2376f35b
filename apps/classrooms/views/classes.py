"""Classroom pages: the list, create, join and leave, the class page (students) and dashboard (instructors),
members and accommodations, co-instructors, the join code, sharing sets and the CSV export."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from apps.classrooms import board as boards
from apps.classrooms import selectors, services
from apps.classrooms.forms import AccommodationForm, ClassroomForm, CoInstructorForm, JoinForm, ShareSetsForm
from apps.classrooms.models import Classroom, Membership
from apps.classrooms.services import ClassroomError
from config.http_methods import require_get_or_post, require_safe


def _join_url(request, classroom):
    return request.build_absolute_uri(reverse("classrooms:join-code", args=[classroom.join_code]))


@login_required
@require_safe
def classroom_list(request):
    user = request.user
    # A revoked instructor's classes drop out of the list, as they do from every class page.
    taught = (
        (Classroom.objects.taught_by(user) if selectors.can_teach(user) else Classroom.objects.none())
        .select_related("exam")
        .annotate(
            students=Count("memberships", filter=Q(memberships__left_at__isnull=True), distinct=True),
            assignment_count=Count("assignments", distinct=True),
        )
    )
    attended = Classroom.objects.attended_by(user).select_related("exam").prefetch_related("instructors")
    context = {
        "taught": list(taught),
        "attended": list(attended),
        "can_teach": selectors.can_teach(user),
        "join_form": JoinForm(),
        "nav": "classes",
    }
    return render(request, "classrooms/classroom_list.html", context)


@login_required
@require_get_or_post
def classroom_create(request):
    if not selectors.can_teach(request.user):
        raise PermissionDenied("Only instructors can create a classroom.")
    form = ClassroomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        classroom = services.create_classroom(
            instructor=request.user, name=form.cleaned_data["name"], exam=form.cleaned_data["exam"]
        )
        messages.success(
            request, f"{classroom.name} is ready. Give your students the join code or link below."
        )
        return redirect("classrooms:members", classroom.pk)
    return render(request, "classrooms/classroom_form.html", {"form": form, "nav": "classes"})


@login_required
@require_get_or_post
def join(request, code=""):
    """Join with a code: typed in the form, or from a join link (which asks to confirm before joining)."""
    link = code and request.method == "GET"
    form = JoinForm(request.POST or ({"code": code} if link else None))
    preview = None
    if link and form.is_valid():
        preview = (
            Classroom.objects.filter(join_code=services.normalize_code(code)).select_related("exam").first()
        )
        if preview is None:
            form.add_error("code", services.UNKNOWN_CODE)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.join(
                student=request.user, code=form.cleaned_data["code"], now=timezone.now()
            )
        except ClassroomError as error:
            form.add_error("code", str(error))
        else:
            messages.success(request, f"You joined {membership.classroom.name}.")
            return redirect("classrooms:detail", membership.classroom_id)
    status = 400 if form.errors and request.method == "POST" else 200
    return render(
        request, "classrooms/join.html", {"form": form, "preview": preview, "nav": "classes"}, status=status
    )


@login_required
@require_safe
def detail(request, pk):
    """Instructors get the class dashboard; a student of the class gets the class page; anyone else a 404."""
    classroom = get_object_or_404(Classroom.objects.select_related("exam"), pk=pk)
    now = timezone.now()
    if selectors.classrooms_for_instructor(request.user).filter(pk=classroom.pk).exists():
        context = {
            "classroom": classroom,
            "board": boards.class_board(classroom, now=now),
            "recent_days": boards.RECENT_DAYS,
            "heat_legend": boards.heat_legend(),
            "inactive_days": boards.INACTIVE_DAYS,
            "nav": "classes",
        }
        return render(request, "classrooms/dashboard.html", context)
    membership = selectors.membership_for(request.user, pk)
    context = {
        "classroom": classroom,
        "membership": membership,
        "assignments": selectors.student_assignments(request.user, now=now, classroom=classroom),
        "instructors": list(classroom.instructors.order_by("username")),
        "sets": list(classroom.question_sets.order_by("title")),
        "nav": "classes",
    }
    return render(request, "classrooms/classroom_student.html", context)


@login_required
@require_POST
def leave(request, pk):
    membership = selectors.membership_for(request.user, pk)
    services.leave(membership=membership, now=timezone.now())
    messages.success(
        request, f"You left {membership.classroom.name}. Its instructors no longer see your work."
    )
    return redirect("classrooms:list")


# -------------------------------------------------------------------------------------- members (instructor)
def _members_page(request, classroom, *, status=200, instructor_form=None):
    memberships = list(Membership.objects.filter(classroom=classroom).select_related("student"))
    active = [m for m in memberships if m.is_active]
    context = {
        "classroom": classroom,
        "active": [(m, AccommodationForm(instance=m, prefix=f"m{m.pk}")) for m in active],
        "former": [m for m in memberships if not m.is_active],
        "instructors": list(classroom.instructors.order_by("username")),
        "removable": set(selectors.co_instructors(classroom).values_list("pk", flat=True))
        if selectors.may_manage_instructors(request.user, classroom)
        else set(),
        "instructor_form": instructor_form or CoInstructorForm(),
        "join_url": _join_url(request, classroom),
        "nav": "classes",
    }
    return render(request, "classrooms/members.html", context, status=status)


@login_required
@require_safe
def members(request, pk):
    return _members_page(request, selectors.classroom_for_instructor(request.user, pk))


def _membership_in(classroom, membership_pk):
    return get_object_or_404(
        Membership.objects.select_related("student"), classroom=classroom, pk=membership_pk
    )


@login_required
@require_POST
def member_update(request, pk, membership_pk):
    classroom = selectors.classroom_for_instructor(request.user, pk)
    membership = _membership_in(classroom, membership_pk)
    if not membership.is_active:
        raise Http404("That student is no longer in the class.")
    form = AccommodationForm(request.POST, instance=membership, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(
            request,
            f"Accommodations for {membership.student.get_username()} were not saved: "
            + " ".join(str(error) for errors in form.errors.values() for error in errors),
        )
        return _members_page(request, classroom, status=400)
    services.set_accommodations(membership=membership, **form.cleaned_data)
    messages.success(request, f"Saved the accommodations of {membership.student.get_username()}.")
    return redirect("classrooms:members", classroom.pk)


@login_required
@require_POST
def member_remove(request, pk, membership_pk):
    classroom = selectors.classroom_for_instructor(request.user, pk)
    membership = _membership_in(classroom, membership_pk)
    services.remove_student(membership=membership, now=timezone.now())
    messages.success(request, f"Removed {membership.student.get_username()} from the class.")
    return redirect("classrooms:members", classroom.pk)


@login_required
@require_POST
def member_readmit(request, pk, membership_pk):
    classroom = selectors.classroom_for_instructor(request.user, pk)
    membership = _membership_in(classroom, membership_pk)
    if not membership.removed:  # a student who left on their own comes back only by joining again
        raise Http404("Only a removed student can be let back in.")
    services.readmit_student(membership=membership, now=timezone.now())
    messages.success(request, f"{membership.student.get_username()} is back in the class.")
    return redirect("classrooms:members", classroom.pk)


@login_required
@require_POST
def regenerate_code(request, pk):
    classroom = selectors.classroom_for_instructor(request.user, pk)
    code = services.regenerate_code(classroom=classroom)
    messages.success(request, f"The new join code is {code}. The old code and link no longer work.")
    return redirect("classrooms:members", classroom.pk)


@login_required
@require_POST
def add_instructor(request, pk):
    classroom = selectors.classroom_for_instructor(request.user, pk)
    form = CoInstructorForm(request.POST)
    if form.is_valid():
        try:
            user = services.add_co_instructor(classroom=classroom, username=form.cleaned_data["username"])
        except ClassroomError as error:
            form.add_error("username", str(error))
        else:
            messages.success(request, f"{user.get_username()} now teaches {classroom.name} with you.")
            return redirect("classrooms:members", classroom.pk)
    return _members_page(request, classroom, status=400, instructor_form=form)


@login_required
@require_POST
def remove_instructor(request, pk, user_pk):
    """The class's owner takes a co-instructor off the class (the owner cannot be removed)."""
    classroom = selectors.classroom_for_instructor(request.user, pk)
    if not selectors.may_manage_instructors(request.user, classroom):
        raise PermissionDenied("Only the class's owner can remove a co-instructor.")
    co_instructor = get_object_or_404(selectors.co_instructors(classroom), pk=user_pk)
    try:
        services.remove_co_instructor(classroom=classroom, user=co_instructor)
    except ClassroomError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{co_instructor.get_username()} no longer teaches {classroom.name}.")
    return redirect("classrooms:members", classroom.pk)


# --------------------------------------------------------------------------------------- sharing and export
@login_required
@require_get_or_post
def sharing(request, pk):
    classroom = selectors.classroom_for_instructor(request.user, pk)
    mine = services.shareable_sets(classroom=classroom, user=request.user).order_by("title")
    shared = classroom.question_sets.filter(pk__in=mine.values("pk"))
    form = ShareSetsForm(request.POST or None, sets=mine, initial={"sets": list(shared)})
    if request.method == "POST" and form.is_valid():
        opened = services.share_sets(classroom=classroom, user=request.user, sets=form.cleaned_data["sets"])
        note = ""
        if opened:
            titles = ", ".join(s.title for s in opened)
            note = f" {titles} {'was' if len(opened) == 1 else 'were'} private and can now be seen by the classes it is shared with."
        messages.success(request, f"Saved which sets {classroom.name} can practise with.{note}")
        return redirect("classrooms:detail", classroom.pk)
    others = classroom.question_sets.exclude(pk__in=mine.values("pk")).select_related("owner")
    context = {"classroom": classroom, "form": form, "others": list(others), "nav": "classes"}
    return render(request, "classrooms/sharing.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def results_csv(request, pk):
    classroom = selectors.classroom_for_instructor(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{slugify(classroom.name) or 'class'}-results-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, name) or ""  # None only without a name
    writer = csv.writer(response)
    for row in boards.results_table(classroom, now=timezone.now()):
        writer.writerow([_safe_cell(value) for value in row])
    return response


def _safe_cell(value):
    """Spreadsheets run a cell that starts with = + - @ as a formula: a username must not become one."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
