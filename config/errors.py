"""The 400 and 500 pages, rendered without reading the request again.

Django's own handlers run the CSRF check first (for a token on the page), which reads the request's body; when
that body is what broke the request, the handler failed the same way and the client got a bare 500 with a
chain of tracebacks in the log. These render the plain templates and touch nothing of the request.
"""

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.template import loader


def bad_request(request, exception):
    return HttpResponseBadRequest(loader.get_template("400.html").render())


def server_error(request):
    return HttpResponseServerError(loader.get_template("500.html").render())
