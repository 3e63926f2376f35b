"""Account URLs of our own; Django's auth views (log in, passwords) sit next to them under /accounts/."""

from django.urls import path

from apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
]
