"""The product's URL map plus /bench/floor/: the cheapest view Django can serve through our middleware."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
def floor(request):
    """No database, no template, no session read: what every other page costs at least."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("", include("config.urls")),
]
