"""`import_questions FILE --set SLUG [--exam CODE] [--format FORMAT] [--overwrite]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.content.models import Exam
from apps.content.problems import ImportFailed, display_path
from apps.questions import formats
from apps.questions.data import FormatError
from apps.questions.models import QuestionSet
from apps.questions.services import ensure_question_set, prepare_import, write_import
from apps.terminal import progress


class Command(BaseCommand):
    help = (
        "Import questions from a file into a set (created when missing, which needs --exam). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--set", required=True, dest="set_slug", help="slug of the question set")
        parser.add_argument("--exam", help="exam code, needed when the set does not exist yet")
        parser.add_argument(
            "--format",
            choices=sorted(formats.READERS),
            help="told from the file's name or content when omitted",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="also replace questions changed here since they were imported (kept otherwise)",
        )

    def handle(self, *args, file, set_slug, exam, format, overwrite, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        name = display_path(path)
        try:
            fmt, parsed = formats.read(path.name, path.read_bytes(), format)
        except FormatError as exc:
            raise CommandError(f"{name}:{exc.line}: {exc.message}\nNothing was imported.") from None
        exam_obj = None
        if exam:
            exam_obj = Exam.objects.filter(code=exam).first()
            if exam_obj is None:
                raise CommandError(
                    f"unknown exam {exam!r} (known: {', '.join(Exam.objects.values_list('code', flat=True))})"
                )
        question_set = QuestionSet.objects.select_related("exam").filter(slug=set_slug).first()
        if question_set is not None:
            if exam_obj and question_set.exam_id != exam_obj.pk:
                raise CommandError(f"set {set_slug!r} belongs to {question_set.exam.code}, not {exam}")
            exam_obj = question_set.exam
        elif exam_obj is None:
            raise CommandError(
                f"there is no question set {set_slug!r}; give its exam to create it (--exam CODE)"
            )
        try:
            # Checked and rendered first; the set is created only together with its questions.
            with progress(self.stderr, f"Checking {name}"):
                prepared = prepare_import(
                    exam=exam_obj,
                    parsed=parsed,
                    source=name,
                    strict=fmt in formats.STRICT,
                    question_set=question_set,
                )
        except ImportFailed as exc:
            raise CommandError("\n".join([*exc.problems, "Nothing was imported."])) from None
        with transaction.atomic(), progress(self.stderr, f"Importing {name}"):
            question_set, created = ensure_question_set(
                slug=set_slug,
                exam=exam_obj,
                title=parsed.set_meta.get("title", ""),
                visibility=parsed.set_meta.get("visibility"),
                description=parsed.set_meta.get("description", ""),
            )
            report = write_import(prepared, question_set=question_set, overwrite=overwrite)
        if created:
            self.stdout.write(f"Created question set {question_set.slug} ({question_set.exam.code}).")
        self.stdout.write(f"Read {name} as {fmt}.")
        for line in report.lines():
            self.stdout.write(line)
