"""`manage.py add_instructor USERNAME`: staff status and the Instructors group in one step."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.questions.roles import INSTRUCTORS, make_instructor


class Command(BaseCommand):
    help = f"Make an existing user an instructor: staff status (the admin) and the {INSTRUCTORS} group."

    def add_arguments(self, parser):
        parser.add_argument("username", help="the user's login name (they can sign up first at /accounts/signup/)")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}: create it in the admin or let them sign up first.") from None
        if make_instructor(user=user):
            self.stdout.write(f"{username} is now an instructor (staff status, group {INSTRUCTORS}).")
        else:
            self.stdout.write(f"{username} already was an instructor; nothing changed.")
