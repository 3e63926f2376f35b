"""Writes on accounts: the one place a profile comes into being, and signing up."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.accounts.models import Profile

if TYPE_CHECKING:
    from apps.accounts.forms import SignupForm


def profile_for(user: User) -> Profile:
    """The user's profile, created empty the first time it is asked for (safe to call twice)."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def sign_up(*, form: "SignupForm", site_url: str, next_url: str = "") -> User | None:
    """Create the account of a valid SignupForm, inactive until its owner opens the link mailed to them.

    When an account already uses the address, nothing is created and that account's owner gets a mail saying
    so instead: the page answers the same either way, so sign-up never tells anyone who has an account
    (password reset is just as careful). Returns the new user, or None.
    """
    email = form.cleaned_data["email"]
    owner = get_user_model().objects.filter(email__iexact=email).first()
    if owner is not None and not _never_opened(owner):
        _mail(owner, "registration/signup_taken_email.txt", {"site_url": site_url})
        return None
    with transaction.atomic():
        if owner is not None:
            # A sign-up whose link was never followed holds the address for nobody: the mailbox's owner may
            # have lost that mail (password reset ignores inactive accounts, so "you already have one" would
            # leave them stuck), or someone else typed their address. The newest sign-up takes its place;
            # either way only the mailbox's owner can open the account.
            owner.delete()
        user: User = form.save(commit=False)
        user.is_active = False
        user.save()
    link = activation_path(user) + (f"?next={next_url}" if next_url else "")
    _mail(user, "registration/signup_activate_email.txt", {"site_url": site_url, "link": site_url + link})
    return user


def _never_opened(user: User) -> bool:
    """An account made by sign-up whose mailed link was never followed (nobody ever signed in to it)."""
    return not user.is_active and user.last_login is None and not user.is_staff


def activation_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("accounts:activate", args=[uid, default_token_generator.make_token(user)])


def activate(*, user: User) -> User:
    """Open a new account (its link was followed). Safe to call twice."""
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def _mail(user: User, template: str, context: dict[str, Any]) -> None:
    body = render_to_string(template, {"user": user, **context})
    subject, _, text = body.partition("\n")
    send_mail(subject.strip(), text.lstrip(), None, [user.email])
