"""`import_notes PATH --exam CODE`: import a folder (or file) of Markdown notes into an exam."""

from django.core.management.base import BaseCommand, CommandError

from apps.content.importers import import_notes
from apps.content.management.commands.load_content import _failure
from apps.content.problems import ImportFailed
from apps.terminal import progress


class Command(BaseCommand):
    help = (
        "Import Markdown notes (.md, .markdown, .mdown, .txt) from PATH into an exam. Front matter is "
        "optional; importing again updates notes in place. One bad file: nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a note file or a folder of notes")
        parser.add_argument("--exam", required=True, help="exam code, e.g. AIF-C01")

    def handle(self, *args, path, exam, **options):
        try:
            with progress(self.stderr, f"Importing notes into {exam}"):
                report = import_notes(path=path, exam_code=exam)
        except ImportFailed as exc:
            raise CommandError(_failure(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
