"""`export_questions --set SLUG [--format yaml|json|gift|moodle-xml] [--output FILE]`"""

from django.core.management.base import BaseCommand, CommandError

from apps.questions.exports import EXPORTERS, export_set
from apps.questions.models import QuestionSet


class Command(BaseCommand):
    help = "Write a question set as YAML or JSON (round-trip exactly), GIFT or Moodle XML."

    def add_arguments(self, parser):
        parser.add_argument("--set", required=True, dest="set_slug")
        parser.add_argument("--format", choices=sorted(EXPORTERS), default="yaml")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, set_slug, format, output, **options):
        question_set = QuestionSet.objects.select_related("exam").filter(slug=set_slug).first()
        if question_set is None:
            raise CommandError(f"there is no question set {set_slug!r}")
        text, left_out = export_set(question_set, format)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
        for question in left_out:
            self.stderr.write(f"left out (no {format} form): {question.external_id or question.stem[:60]}")
