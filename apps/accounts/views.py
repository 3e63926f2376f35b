"""Sign-up with its mailed link, and the profile page (log in, log out and passwords are Django's views)."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.views.decorators.debug import sensitive_post_parameters

from apps.accounts.forms import ProfileForm, SignupForm
from apps.accounts.services import activate as activate_account
from apps.accounts.services import profile_for, sign_up
from config.http_methods import require_get_or_post, require_safe


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


@sensitive_post_parameters("password1", "password2")
@require_get_or_post
def signup(request):
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:profile")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        site_url = request.build_absolute_uri("/").rstrip("/")
        sign_up(form=form, site_url=site_url, next_url=next_url)
        # The same page whether or not an account already used the address (see services.sign_up).
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:signup-sent")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url})


@require_safe
def signup_sent(request):
    return render(request, "accounts/signup_sent.html", {"email": request.session.get("signup_email", "")})


@require_get_or_post
def activate(request, uidb64, token):
    """The link of the sign-up mail: a button opens the account (a mail scanner following links opens
    nothing), signs its owner in and goes on to the profile (or the page they were on their way to)."""
    user = _user_for_link(uidb64, token)
    if user is None:
        return render(request, "accounts/activate.html", {"valid": False}, status=400)
    if request.method == "POST":
        activate_account(user=user)
        login(request, user)
        messages.success(request, f"Welcome, {user.get_username()}: your account is ready.")
        return redirect(_safe_next(request) or "accounts:profile")
    return render(
        request, "accounts/activate.html", {"valid": True, "account": user, "next": _safe_next(request)}
    )


def _user_for_link(uidb64, token):
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=False).first() if pk < 2**31 else None
    return user if user is not None and default_token_generator.check_token(user, token) else None


@login_required
@require_get_or_post
def profile(request):
    profile = profile_for(request.user)
    today = timezone.localdate()
    # Read before the form binds: the summary shows what is saved, not what an invalid form holds.
    saved = {
        "exam": profile.target_exam,
        "exam_date": profile.exam_date,
        "days_left": profile.days_until_exam(today),
    }
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=profile, today=today)
    if form.is_valid():
        form.save()
        messages.success(request, "Your profile was saved.")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "saved": saved, "nav": "profile"})
