"""`create_demo_accounts`: the demo logins shown in README.md (refused when DEBUG is off)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.demo import ensure_demo_accounts
from apps.classrooms.demo import ensure_demo_classroom


class Command(BaseCommand):
    help = "Create the demo accounts (admin, instructor, student) with their published passwords."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="create them even with DEBUG off (their passwords are public: never on a reachable server)",
        )

    def handle(self, *args, allow_production, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("Demo accounts have public passwords; they are only created with DEBUG=1.")
        self.stdout.write("Demo accounts (passwords are public; for local use only):")
        for username, password, role, created in ensure_demo_accounts():
            state = "created" if created else "ready"
            self.stdout.write(f"  {role:<11} username: {username:<11} password: {password:<22} ({state})")
        users = get_user_model().objects.in_bulk(["instructor", "student"], field_name="username")
        classroom = ensure_demo_classroom(instructor=users["instructor"], student=users["student"])
        if classroom:
            self.stdout.write(f"Demo class: “{classroom.name}” taught by instructor, join code {classroom.join_code}")
