"""`load_bank`: load the bundled question bank (fixtures/questions/<exam>/*.yaml); idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.content.problems import ImportFailed
from apps.questions.bank import load_bank
from apps.questions.data import FormatError


class Command(BaseCommand):
    help = "Load the question bank that ships with certprep. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--root", default=str(settings.CONTENT_DIR / "questions"))

    def handle(self, *args, root, **options):
        try:
            reports = load_bank(root=root)
        except FormatError as exc:
            raise CommandError(f"{exc}\nNothing was loaded.") from None
        except ImportFailed as exc:
            raise CommandError("\n".join([*exc.problems, "Nothing was loaded."])) from None
        for slug, report in reports.items():
            self.stdout.write(f"{slug}: " + report.lines()[0].removeprefix("questions: "))
            for line in report.lines()[1:]:
                self.stdout.write(line)
