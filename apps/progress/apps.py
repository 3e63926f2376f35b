"""App config for the learning dashboard: what a student knows and how ready they are for the exam."""

from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "apps.progress"
    label = "progress"
    verbose_name = "Learning progress"
