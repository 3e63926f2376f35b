"""Practice exam URLs."""

from django.urls import path

from apps.exams import views

app_name = "exams"
urlpatterns = [
    path("practice/new/", views.new_practice, name="new"),
    path("attempts/", views.history, name="history"),
    path("attempts/mistakes/<str:code>.apkg", views.mistakes_deck, name="mistakes-deck"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt-detail"),
    path("attempts/<int:pk>/q/<int:position>/", views.question, name="question"),
    path("attempts/<int:pk>/q/<int:position>/answer/", views.answer, name="answer"),
    path("attempts/<int:pk>/q/<int:position>/check/", views.check, name="check"),
    path("attempts/<int:pk>/review/", views.review, name="review"),
    path("attempts/<int:pk>/submit/", views.submit, name="submit"),
    path("attempts/<int:pk>/results/", views.results, name="results"),
    path("attempts/<int:pk>/retry/", views.retry_from_attempt, name="retry"),
]
