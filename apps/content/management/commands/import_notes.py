"""`import_notes PATH --exam CODE`: import a folder (or file) of Markdown notes into an exam."""

from django.core.management.base import BaseCommand, CommandError

from apps.content.importers import import_notes
from apps.content.management.commands.load_content import _failure
from apps.content.problems import ImportFailed


class Command(BaseCommand):
    help = (
        "Import Markdown notes (.md, .markdown, .mdown; .txt when named or with --include-txt) from PATH into "
        "an exam. The folder is one source: importing it again updates its notes in place and never touches "
        "another source's notes. One bad file: nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a note file or a folder of notes")
        parser.add_argument("--exam", required=True, help="exam code, e.g. AIF-C01")
        parser.add_argument(
            "--source",
            default=None,
            help="name of the source these notes belong to (default: the folder's name)",
        )
        parser.add_argument(
            "--include-txt", action="store_true", help="also read .txt files found in the folder"
        )

    def handle(self, *args, path, exam, source, include_txt, **options):
        try:
            report = import_notes(path=path, exam_code=exam, source_name=source, include_txt=include_txt)
        except ImportFailed as exc:
            raise CommandError(_failure(exc)) from None
        for line in report.lines():
            self.stdout.write(line)
