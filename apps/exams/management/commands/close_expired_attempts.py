"""`close_expired_attempts`: submit attempts whose time ran out (run it from cron every minute or so)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from apps.exams.services import close_expired_attempts


class Command(BaseCommand):
    help = "Submit, with their saved answers, all open attempts whose deadline has passed."

    def handle(self, *args, **options):
        closed = close_expired_attempts(now=timezone.now())
        self.stdout.write(f"{closed} expired attempt(s) submitted.")
