"""Account URLs of our own; Django's auth views (log in, passwords) sit next to them under /accounts/."""

from django.urls import path

from apps.accounts import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup-sent"),
    path("activate/<str:uidb64>/<str:token>/", views.activate, name="activate"),
    path("profile/", views.profile, name="profile"),
]
