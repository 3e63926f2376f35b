"""App config for practice attempts: drawing questions, saving answers, the clock, and scoring."""

from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "apps.exams"
    label = "exams"
    verbose_name = "Practice exams"
