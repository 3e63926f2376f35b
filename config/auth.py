"""Authentication wiring: Django's model backend behind django-axes's lockout check, and the client address."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class LockoutModelBackend(AxesStandaloneBackend, ModelBackend):
    """Refuse a locked-out username/IP pair, otherwise authenticate against the user table.

    One backend rather than axes's usual pair (its check, then ModelBackend), so that `login(request, user)`
    after sign-up still knows which backend to record without naming one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        # Raises AxesBackendPermissionDenied (caught by django.contrib.auth.authenticate) while locked out.
        AxesStandaloneBackend.authenticate(self, request, username=username, password=password, **kwargs)
        return ModelBackend.authenticate(self, request, username=username, password=password, **kwargs)


def client_ip(request):
    """The address login failures are counted against.

    With TRUSTED_PROXY_COUNT=0 (the default) it is the TCP peer, and X-Forwarded-For is ignored because any
    client can send it. With N trusted proxies, each appending the address it saw, the client is the N-th
    entry from the right of X-Forwarded-For; entries further left were written by the client and are not used.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        return remote  # not (fully) proxied: fall back to the connection's address
    return forwarded[-count]
