"""The bundled question bank: every fixtures/questions/<exam>/*.yaml file, loaded as one transaction."""

from pathlib import Path

from django.db import transaction

from apps.content.models import Exam
from apps.content.problems import Problems, display_path
from apps.questions import formats
from apps.questions.data import FormatError
from apps.questions.models import QuestionSet
from apps.questions.services import QuestionImportReport, ensure_question_set, prepare_import, write_import


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
    # Checked and rendered before the transaction, which then only writes.
    sets = {
        s.slug: s for s in QuestionSet.objects.filter(slug__in=[p.set_meta["slug"] for _, p in parsed_files])
    }
    scenarios: dict[str, set[str]] = {}
    prepared_files = []
    for path, parsed in parsed_files:
        meta = parsed.set_meta
        prepared = prepare_import(
            exam=exams[meta["exam"]],
            parsed=parsed,
            source=display_path(path),
            strict=True,
            question_set=sets.get(meta["slug"]),
            other_scenarios=scenarios.setdefault(meta["slug"], set()),
        )
        scenarios[meta["slug"]] |= {scenario.external_id for scenario in parsed.scenarios}
        prepared_files.append((parsed, prepared))
    reports: dict[str, QuestionImportReport] = {}
    with transaction.atomic():
        for parsed, prepared in prepared_files:
            meta = parsed.set_meta
            question_set, _ = ensure_question_set(
                slug=meta["slug"],
                exam=exams[meta["exam"]],
                title=meta.get("title", ""),
                visibility=meta.get("visibility", QuestionSet.Visibility.PUBLIC),
                description=meta.get("description", ""),
            )
            report = write_import(prepared, question_set=question_set)
            total = reports.setdefault(meta["slug"], QuestionImportReport())
            total.created += report.created
            total.updated += report.updated
            total.unchanged += report.unchanged
            total.skipped += report.skipped
            total.drafted += report.drafted
    return reports
