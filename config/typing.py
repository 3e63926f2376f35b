"""Request types for views: what the middleware adds to Django's HttpRequest, in one place."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxRequest(HttpRequest):
    """Any request: django-htmx's middleware sets `request.htmx`."""

    htmx: HtmxDetails


class AuthenticatedRequest(HtmxRequest):
    """A request a login decorator let through: its user is signed in."""

    user: User
