"""App config for question sets, questions and problem reports."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QuestionsConfig(AppConfig):
    name = "apps.questions"
    label = "questions"
    verbose_name = "Question bank"

    def ready(self):
        from apps.questions.roles import ensure_instructor_group

        # Permissions exist only after migrate has run, so the group is kept in step right after it.
        post_migrate.connect(ensure_instructor_group, sender=self, dispatch_uid="questions-instructor-group")
