"""Student-facing question URLs."""

from django.urls import path

from apps.questions import views

app_name = "questions"
urlpatterns = [
    path("questions/<int:pk>/report/", views.report, name="report"),
]
