"""App config for exams, domains, task statements, AWS services and study notes."""

from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "apps.content"
    label = "content"
    verbose_name = "Study content"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from apps.content.signals import merge_session_reads_on_login

        user_logged_in.connect(merge_session_reads_on_login, dispatch_uid="content-merge-session-reads")
