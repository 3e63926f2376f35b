"""Deployment checks of our own (`manage.py check --deploy`): settings that are unsafe on a server, alone or
together."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

LAN_MODE_BEHIND_PROXY = "ops.E001"
DEBUG_ON = "ops.E002"


@register(Tags.security, deploy=True)
def lan_mode_trusts_no_proxy(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """LAN mode means students reach the app directly. Trusting X-Forwarded-For there lets any client name
    the address its failed log-ins are counted against, and so dodge the lockout."""
    if settings.INSECURE_LAN_MODE and settings.TRUSTED_PROXY_COUNT > 0:
        return [
            Error(
                "INSECURE_LAN_MODE=1 with TRUSTED_PROXY_COUNT="
                f"{settings.TRUSTED_PROXY_COUNT}: in LAN mode no proxy stands in front of the app, so a "
                "client could pick its own log-in lockout address through X-Forwarded-For.",
                hint="Set TRUSTED_PROXY_COUNT=0 in LAN mode (docs/deploy.md, LAN mode).",
                id=LAN_MODE_BEHIND_PROXY,
            )
        ]
    return []


@register(Tags.security, deploy=True)
def debug_is_off(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    # Django only warns (security.W018); a deployment with DEBUG on (say, from a developer's .env copied to
    # a server) shows tracebacks and the demo accounts, so here it is an error whatever the fail level.
    if not settings.DEBUG:
        return []
    return [
        Error(
            "DEBUG is on: never deploy like this.",
            hint="Set DEBUG=0 in the server's environment (a .env written by `make run` is for development only).",
            id=DEBUG_ON,
        )
    ]
