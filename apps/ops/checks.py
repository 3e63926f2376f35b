"""Deployment checks of our own, run by `manage.py check --deploy`."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def debug_is_off(app_configs, **kwargs) -> list[checks.CheckMessage]:
    # Django only warns (security.W018); a deployment with DEBUG on (say, from a developer's .env copied to
    # a server) shows tracebacks and the demo accounts, so here it is an error whatever the fail level.
    if not settings.DEBUG:
        return []
    return [
        checks.Error(
            "DEBUG is on: never deploy like this.",
            hint="Set DEBUG=0 in the server's environment (a .env written by `make run` is for development only).",
            id="ops.E001",
        )
    ]
