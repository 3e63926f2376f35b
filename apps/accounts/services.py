"""Writes on accounts: the one place a profile comes into being."""

from apps.accounts.models import Profile


def profile_for(user):
    """The user's profile, created empty the first time it is asked for (safe to call twice)."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile
