"""Top-level URL map."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("apps.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("apps.exams.urls")),
    path("", include("apps.questions.urls")),
    path("", include("apps.progress.urls")),
    path("", include("apps.classrooms.urls")),
    path("", include("apps.content.urls")),
]

handler400 = "config.errors.bad_request"
handler500 = "config.errors.server_error"
