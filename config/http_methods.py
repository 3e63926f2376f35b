"""Which HTTP methods a page takes: HEAD and OPTIONS wherever GET is (link checkers, uptime monitors and
proxies send them), with an honest Allow header; anything else gets a 405."""

import logging
from functools import wraps

from django.http import HttpResponse, HttpResponseNotAllowed

logger = logging.getLogger("django.request")
READ = ("GET", "HEAD", "OPTIONS")


def allow(*methods):
    """A view decorator taking GET, HEAD and OPTIONS, plus `methods`. OPTIONS is answered here (200 with an
    Allow header) without running the view; HEAD runs it as GET and the server sends no body."""
    allowed = sorted({*READ, *methods})

    def decorator(view):
        @wraps(view)
        def inner(request, *args, **kwargs):
            if request.method not in allowed:
                logger.warning("Method Not Allowed (%s): %s", request.method, request.path)
                return HttpResponseNotAllowed(allowed)
            if request.method == "OPTIONS":
                response = HttpResponse(status=200)
                response["Allow"] = ", ".join(allowed)
                return response
            return view(request, *args, **kwargs)

        return inner

    return decorator


require_safe = allow()  # pages that only show something
require_get_or_post = allow("POST")  # pages with a form that posts back to them
