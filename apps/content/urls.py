"""Public study pages: exams, task statements, notes, the service glossary and search."""

from django.urls import path, re_path, register_converter

from apps.content import views
from apps.content.converters import TaskNumberConverter, UnicodeSlugConverter

register_converter(TaskNumberConverter, "task")
register_converter(UnicodeSlugConverter, "uslug")

app_name = "content"
urlpatterns = [
    path("", views.home, name="home"),
    path("exams/<slug:exam_slug>/", views.exam_detail, name="exam-detail"),
    path(
        "exams/<slug:exam_slug>/tasks/<task:number>/",
        views.task_statement_detail,
        name="task-statement-detail",
    ),
    path("exams/<slug:exam_slug>/notes/<uslug:slug>/", views.note_detail, name="note-detail"),
    path("exams/<slug:exam_slug>/notes/<uslug:slug>/read/", views.note_read, name="note-read"),
    re_path(
        r"^media/notes/(?P<digest>[0-9a-f]{64})\.(?P<extension>png|jpg|gif|webp)$",
        views.note_media,
        name="note-media",
    ),
    path("services/", views.service_list, name="service-list"),
    path("services/<slug:slug>/", views.service_detail, name="service-detail"),
    path("search/", views.search, name="search"),
    path("health/", views.health, name="health"),
]
