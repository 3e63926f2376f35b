"""`load_content`: load the bundled blueprints, service glossary and study notes (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.content.importers import load_content
from apps.content.problems import ImportFailed
from apps.terminal import progress


class Command(BaseCommand):
    help = "Load exam blueprints, the AWS service glossary and the bundled study notes. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--root", default=str(settings.CONTENT_DIR), help="fixtures folder (default: %(default)s)"
        )

    def handle(self, *args, root, **options):
        try:
            with progress(self.stderr, "Loading content"):
                report = load_content(root=root)
        except ImportFailed as exc:
            raise CommandError(_failure(exc)) from None
        for line in report.lines():
            self.stdout.write(line)


def _failure(exc):
    lines = [*exc.problems, f"{len(exc.problems)} problem(s) found; nothing was changed."]
    return "\n".join(lines)
