"""App config for operations: backing up and restoring the database, deployment checks."""

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "apps.ops"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from apps.ops import checks  # noqa: F401  (registers the deployment checks)
