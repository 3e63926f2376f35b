"""Request checks that hold for every view: bodies are form data."""

from django.http import HttpResponse

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
WRONG_BODY = "This address takes form data, as the site's own forms send it, not {type}. Nothing was changed."


def _has_body(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return True


class FormBodyMiddleware:
    """Refuse (415) a request whose body is not form data, before any view reads it.

    Every form of this site posts form data. Django reads any other body (JSON, XML, text) as an empty form,
    which a view would take for a form with nothing filled in or ticked, and act on it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "GET" and request.content_type not in FORM_TYPES and _has_body(request):
            message = WRONG_BODY.format(type=request.content_type or "a body without a content type")
            return HttpResponse(message, status=415, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
