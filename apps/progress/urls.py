"""Dashboard URLs."""

from django.urls import path

from apps.progress import views

app_name = "progress"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/tasks/<slug:exam_slug>/", views.exam_accuracy, name="exam-accuracy"),
    path("dashboard/task/<slug:exam_slug>/<str:number>/", views.task_accuracy, name="task-accuracy"),
]
