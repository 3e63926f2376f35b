"""`check_bank [--set SLUG] [--file PATH]`: lint question sets; non-zero exit when any rule is broken."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.content.models import Exam
from apps.content.problems import display_path
from apps.questions import formats
from apps.questions.data import FormatError
from apps.questions.lint import coverage_table, lint_questions
from apps.questions.models import QuestionSet
from apps.questions.services import question_data


class Command(BaseCommand):
    help = (
        "Lint question sets: structure rules, duplicate and near-duplicate stems, missing explanations and "
        "rationales, and coverage per task statement and kind. Ends with one summary line per exam."
    )

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="set_slug", help="only this set")
        parser.add_argument(
            "--file", help="lint a question file instead of the database (nothing is imported)"
        )

    def handle(self, *args, set_slug, file, **options):
        exams = {
            exam.code: list(exam.task_statements.order_by("position").values_list("number", flat=True))
            for exam in Exam.objects.all()
        }
        items = self._from_file(file) if file else self._from_database(set_slug)
        codes = {code for _, code, _ in items}
        findings, coverage = lint_questions(
            items, task_numbers_by_exam={c: exams[c] for c in codes if c in exams}
        )
        for finding in findings:
            self.stdout.write(str(finding))
        for code in sorted(coverage):
            self.stdout.write("")
            for row in coverage_table(coverage[code]):
                self.stdout.write(row)
        errors = sum(1 for finding in findings if finding.level == "error")
        warnings = len(findings) - errors
        self.stdout.write(f"\n{errors} error(s), {warnings} warning(s) in {len(items)} question(s).")
        for code in sorted(coverage):
            self.stdout.write(coverage[code].summary())
        if errors:
            raise CommandError(f"check_bank found {errors} error(s).")

    def _from_database(self, set_slug):
        sets = QuestionSet.objects.select_related("exam")
        if set_slug:
            sets = sets.filter(slug=set_slug)
            if not sets.exists():
                raise CommandError(f"there is no question set {set_slug!r}")
        items = []
        for question_set in sets:
            questions = question_set.questions.select_related("task_statement", "scenario").prefetch_related(
                "services", "choices", "ordering_items", "pairs"
            )
            for question in questions:
                where = f"{question_set.slug} #{question.pk}" + (
                    f" ({question.external_id})" if question.external_id else ""
                )
                items.append((where, question_set.exam.code, question_data(question)))
        return items

    def _from_file(self, file):
        path = Path(file)
        try:
            _, parsed = formats.read(path.name, path.read_bytes())
        except (OSError, FormatError) as exc:
            raise CommandError(f"{display_path(path)}: {exc}") from None
        code = parsed.set_meta.get("exam", "")
        return [
            (f"{display_path(path)}:{q.line}" + (f" ({q.external_id})" if q.external_id else ""), code, q)
            for q in parsed.questions
        ]
