"""`check_bank [--set SLUG] [--file PATH …] [--anchors EXAM]`: lint question sets; non-zero exit on any error."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.content.problems import display_path
from apps.questions import bank_rules, formats
from apps.questions.data import FormatError
from apps.questions.lint import Item, coverage_table, lint_questions
from apps.questions.models import QuestionSet
from apps.questions.sections import SectionIndex, anchor_listing
from apps.questions.selectors import exam_contexts, service_matcher
from apps.questions.services import question_data


class Command(BaseCommand):
    help = (
        "Lint question sets: structure rules, duplicate and near-duplicate stems, missing explanations and "
        "rationales, length and position cues, test-wise strategies, objective and guide-service coverage, "
        "explanation links, and coverage per task statement and kind. Ends with three lines per exam."
    )

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="set_slug", help="only this set")
        parser.add_argument(
            "--file",
            nargs="+",
            action="extend",
            help="lint question files instead of the database (nothing is imported); each file is also "
            "judged on its own for length cues",
        )
        parser.add_argument(
            "--anchors",
            metavar="EXAM",
            help="list the headings a question's `section` can name (note-slug#heading-id) for an exam, "
            "then stop",
        )

    def handle(self, *args, set_slug, file, anchors, **options):
        if anchors:
            lines = anchor_listing(anchors)
            if not lines:
                raise CommandError(f"no notes with headings for exam {anchors!r}")
            for line in lines:
                self.stdout.write(line)
            return
        items = self._from_files(file) if file else self._from_database(set_slug)
        codes = {item.exam for item in items}
        exams = {code: context for code, context in exam_contexts().items() if code in codes}
        sections = SectionIndex()
        result = lint_questions(
            items,
            exams=exams,
            matcher=service_matcher(),
            resolve_section=lambda text, exam_slug: sections.resolve(text, exam_slug=exam_slug),
        )
        for finding in result.findings:
            self.stdout.write(str(finding))
        for code in sorted(result.coverage):
            self.stdout.write("")
            for row in coverage_table(result.coverage[code]):
                self.stdout.write(row)
            self.stdout.write(bank_rules.strategies_line(code, result.bank[code].strategies))
        errors = sum(1 for finding in result.findings if finding.level == "error")
        warnings = len(result.findings) - errors
        self.stdout.write(f"\n{errors} error(s), {warnings} warning(s) in {len(items)} question(s).")
        for code in sorted(result.coverage):
            report = result.bank[code]
            self.stdout.write(result.coverage[code].summary())
            self.stdout.write(bank_rules.cues_line(code, report.cues, report.strategies))
            self.stdout.write(bank_rules.coverage_line(report.coverage))
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
                items.append(Item(where, question_set.exam.code, question_data(question), question_set.slug))
        return items

    def _from_files(self, files):
        items = []
        for file in files:
            path = Path(file)
            try:
                _, parsed = formats.read(path.name, path.read_bytes())
            except (OSError, FormatError) as exc:
                raise CommandError(f"{display_path(path)}: {exc}") from None
            code, shown = parsed.set_meta.get("exam", ""), display_path(path)
            items += [
                Item(
                    f"{shown}:{q.line}" + (f" ({q.external_id})" if q.external_id else ""),
                    code,
                    q,
                    str(shown),
                )
                for q in parsed.questions
            ]
        return items
