"""App config for exams, domains, task statements, AWS services and study notes."""

from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "apps.content"
    label = "content"
    verbose_name = "Study content"
