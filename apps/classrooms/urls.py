"""Classroom URLs: students join and work on assignments; instructors run the class."""

from django.urls import path

from apps.classrooms.views import analysis, assignments, classes

app_name = "classrooms"
urlpatterns = [
    path("classes/", classes.classroom_list, name="list"),
    path("classes/new/", classes.classroom_create, name="create"),
    path("classes/join/", classes.join, name="join"),
    path("classes/join/<str:code>/", classes.join, name="join-code"),
    path("classes/<int:pk>/", classes.detail, name="detail"),
    path("classes/<int:pk>/leave/", classes.leave, name="leave"),
    path("classes/<int:pk>/members/", classes.members, name="members"),
    path("classes/<int:pk>/members/<int:membership_pk>/", classes.member_update, name="member-update"),
    path("classes/<int:pk>/members/<int:membership_pk>/remove/", classes.member_remove, name="member-remove"),
    path(
        "classes/<int:pk>/members/<int:membership_pk>/readmit/", classes.member_readmit, name="member-readmit"
    ),
    path("classes/<int:pk>/code/", classes.regenerate_code, name="regenerate-code"),
    path("classes/<int:pk>/instructors/", classes.add_instructor, name="add-instructor"),
    path(
        "classes/<int:pk>/instructors/<int:user_pk>/remove/",
        classes.remove_instructor,
        name="remove-instructor",
    ),
    path("classes/<int:pk>/sets/", classes.sharing, name="sharing"),
    path("classes/<int:pk>/results.csv", classes.results_csv, name="results-csv"),
    path("classes/<int:pk>/items/", analysis.classroom_items, name="items"),
    path("classes/sets/<int:pk>/items/", analysis.set_items, name="set-items"),
    path("classes/<int:pk>/assignments/new/", assignments.assignment_form, name="assignment-new"),
    path(
        "classes/<int:pk>/assignments/<int:assignment_pk>/",
        assignments.assignment_form,
        name="assignment-edit",
    ),
    path(
        "classes/<int:pk>/assignments/<int:assignment_pk>/start/",
        assignments.assignment_start,
        name="assignment-start",
    ),
]
