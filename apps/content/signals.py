"""Signal receivers of the content app: they hand the event to a service and hold no rule of their own."""

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import timezone

from apps.content.services import merge_session_reads


def merge_session_reads_on_login(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    # login() always passes the request; code that sends the signal by hand may not.
    if request is not None:
        merge_session_reads(user=user, session=request.session, now=timezone.now())
