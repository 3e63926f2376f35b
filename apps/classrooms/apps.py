"""App config for classrooms: classes, members, shared question sets, assignments and item analysis."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClassroomsConfig(AppConfig):
    name = "apps.classrooms"
    label = "classrooms"
    verbose_name = "Classrooms"

    def ready(self):
        from apps.questions.roles import ensure_instructor_group

        # The Instructors group also gets this app's permissions, which exist only once it has migrated.
        post_migrate.connect(ensure_instructor_group, sender=self, dispatch_uid="classrooms-instructor-group")
