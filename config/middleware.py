"""Request checks that hold for every view: bodies are UTF-8 form data of a bounded size, addresses carry no
NUL bytes, and pages that show a signed-in user's data are never stored by a browser or proxy cache."""

import re
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
WRONG_BODY = "This address takes form data, as the site's own forms send it, not {type}. Nothing was changed."
WRONG_CHARSET = "Form data must be sent as UTF-8, as the site's own forms send it, not {charset}. Nothing was changed."
TOO_LARGE = "This request is larger than {limit} MB, the most any form of this site takes. Nothing was changed."
NUL_IN_ADDRESS = "The address contains a NUL character, which no page of this site has."
NO_BOUNDARY = "This multipart body has no valid boundary, so it cannot be read. Nothing was changed."
UTF8 = {"utf-8", "utf8"}
BOUNDARY = re.compile(r"[ -~]{0,200}[!-~]")  # what Django's multipart parser takes


def _plain(message, status):
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return -1  # unreadable: treated as a body of unknown size


class FormBodyMiddleware:
    """Refuse a body before any view, any other middleware or an error page reads it.

    - 415 when it is not form data. Every form of this site posts form data. Django reads any other body
      (JSON, XML, text) as an empty form, which a view would take for a form with nothing filled in or ticked.
    - 415 when its charset is not UTF-8. Django refuses to decode it, and would do so again in the CSRF check
      of every error page, so the refusal must come first.
    - 400 when it is multipart without a boundary Django's parser takes.
    - 413 when it is larger than REQUEST_BODY_MAX_BYTES (room for the largest question file an import takes),
      judged by its Content-Length before a byte of it is read: a 50 MB "log-in" is never read at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET":
            return self.get_response(request)
        length = _content_length(request)
        if request.content_type not in FORM_TYPES and length != 0:
            message = WRONG_BODY.format(type=request.content_type or "a body without a content type")
            return _plain(message, 415)
        charset = request.content_params.get("charset")
        if charset is not None and charset.strip().lower() not in UTF8:
            return _plain(WRONG_CHARSET.format(charset=charset[:40]), 415)
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return _plain(TOO_LARGE.format(limit=settings.REQUEST_BODY_MAX_BYTES // 1_000_000), 413)
        if request.content_type == "multipart/form-data" and not BOUNDARY.fullmatch(
            request.content_params.get("boundary", "")
        ):
            # Django's parser would refuse it too, but inside the CSRF check, logging a traceback that quotes
            # the header (up to 8 KB of log for every few bytes sent).
            return _plain(NO_BOUNDARY, 400)
        return self.get_response(request)


class NoNulInAddressMiddleware:
    """400 for an address (path or query string) with a NUL byte: PostgreSQL refuses NUL in any text, so a
    search term, exam code or task number carrying one would otherwise fail deep inside a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("QUERY_STRING", "").encode("latin-1", "replace")
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(raw):
            return _plain(NUL_IN_ADDRESS, 400)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """`Cache-Control: private, no-store` on every response within a session: on a shared classroom computer,
    Back or a cache must never bring the previous student's results to the next one.

    Judged by the session cookie (sent, or set by this response, as at log-in) rather than by loading the
    user: every signed-in request carries it, and checking it costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        name = settings.SESSION_COOKIE_NAME
        if name in request.COOKIES or name in response.cookies:
            patch_cache_control(response, private=True, no_store=True)
        return response
