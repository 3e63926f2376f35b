"""The bundled question bank: every fixtures/questions/<exam>/*.yaml file, loaded as one transaction."""

from pathlib import Path

from django.db import transaction

from apps.content.models import Exam
from apps.content.problems import Problems, display_path
from apps.questions import formats
from apps.questions.data import FormatError
from apps.questions.models import QuestionSet
from apps.questions.services import QuestionImportReport, ensure_question_set, import_questions


def load_bank(*, root):
    """Returns {set slug: QuestionImportReport}; raises FormatError / ImportFailed and loads nothing."""
    files = sorted(Path(root).glob("*/*.y*ml"))
    parsed_files = []
    for path in files:
        try:
            _, parsed = formats.read(path.name, path.read_bytes(), "yaml")
        except FormatError as exc:
            raise FormatError(exc.line, f"{display_path(path)}:{exc.line}: {exc.message}") from None
        parsed_files.append((path, parsed))
    problems = Problems()
    exams = {exam.code: exam for exam in Exam.objects.all()}
    for path, parsed in parsed_files:
        meta = parsed.set_meta
        if not meta.get("slug") or meta.get("exam") not in exams:
            problems.add(
                path, 1, "a bundled file starts with set: {slug: ..., exam: <a loaded exam code>, ...}"
            )
    problems.raise_if_any()
    reports = {}
    with transaction.atomic():
        for path, parsed in parsed_files:
            meta = parsed.set_meta
            question_set, _ = ensure_question_set(
                slug=meta["slug"],
                exam=exams[meta["exam"]],
                title=meta.get("title", ""),
                visibility=meta.get("visibility", QuestionSet.Visibility.PUBLIC),
                description=meta.get("description", ""),
            )
            report = import_questions(
                question_set=question_set, parsed=parsed, source=display_path(path), strict=True
            )
            total = reports.setdefault(meta["slug"], QuestionImportReport())
            total.created += report.created
            total.updated += report.updated
            total.unchanged += report.unchanged
            total.skipped += report.skipped
            total.drafted += report.drafted
    return reports
