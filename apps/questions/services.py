"""Writes to the question bank: saving rendered questions, imports, bulk actions, duplicates and reports."""

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from apps.content.markdown_limits import MarkdownTooComplex
from apps.content.media import ImageFile
from apps.content.models import Exam, NoteMedia, Service, TaskStatement
from apps.content.problems import Problems, column_error, shown
from apps.content.rendering import RenderedTexts
from apps.questions.data import (
    ChoiceData,
    PairData,
    ParsedFile,
    QuestionData,
    ScenarioData,
    Skipped,
    stem_key,
)
from apps.questions.models import (
    Choice,
    MatchingPair,
    OrderingItem,
    ProblemReport,
    Question,
    QuestionSet,
    QuestionVersion,
    Scenario,
)
from apps.questions.sections import SectionIndex
from apps.questions.validation import (
    objective_ids,
    question_errors,
    question_rule_errors,
    shape_errors,
)
from apps.questions.versions import record_version, record_versions


# ------------------------------------------------------------------------------------------- model <-> data
def question_data(question: Question) -> QuestionData:
    """The plain data of a stored question (what exports write and hashes cover)."""
    return QuestionData(
        kind=question.kind,
        stem=question.stem_md,
        explanation=question.explanation_md,
        task_statement=question.task_statement.number if question.task_statement is not None else "",
        guide_version=question.guide_version,
        difficulty=question.difficulty,
        status=question.status,
        services=sorted(s.slug for s in question.services.all()),
        objectives=list(question.objectives or []),
        section=question.section,
        scenario=question.scenario.external_id if question.scenario is not None else "",
        external_id=question.external_id,
        choices=[ChoiceData(c.text_md, c.is_correct, c.rationale_md) for c in question.choices.all()],
        items=[item.text_md for item in question.ordering_items.all()],
        pairs=[PairData(p.prompt_md, p.response_md) for p in question.pairs.all()],
    )


def prerender_question(data: QuestionData, rendered: RenderedTexts) -> None:
    """Render every Markdown text of a QuestionData into `rendered` (raises MarkdownTooComplex, naming the
    field)."""
    texts: list[tuple[str, str, Callable[[str], None]]] = [
        ("stem", data.stem, rendered.add_block),
        ("explanation", data.explanation, rendered.add_block),
    ]
    for n, choice in enumerate(data.choices, 1):
        texts += [(f"choice {n}", choice.text, rendered.add_inline)]
        texts += [(f"rationale {n}", choice.rationale, rendered.add_inline)] if choice.rationale else []
    texts += [(f"item {n}", text, rendered.add_inline) for n, text in enumerate(data.items, 1)]
    for n, pair in enumerate(data.pairs, 1):
        texts += [(f"prompt {n}", pair.prompt, rendered.add_inline)] if pair.prompt else []
        texts += [(f"response {n}", pair.response, rendered.add_inline)]
    for label, text, add in texts:
        try:
            add(text)
        except MarkdownTooComplex as exc:
            raise MarkdownTooComplex(exc.line, f"{label}: {exc.reason}") from None


def render_question(question: Question, rendered: RenderedTexts | None = None) -> None:
    """Store the HTML of every Markdown field of a question and its parts (never rendered per request).

    `rendered` holds the texts rendered before the write transaction; anything missing is rendered here."""
    rendered = rendered or RenderedTexts()
    question.stem_html = rendered.block(question.stem_md)
    question.explanation_html = rendered.block(question.explanation_md)
    for choice in question.choices.all():
        choice.text_html = rendered.inline(choice.text_md)
        choice.rationale_html = rendered.inline(choice.rationale_md) if choice.rationale_md else ""
        choice.save(update_fields=["text_html", "rationale_html"])
    for item in question.ordering_items.all():
        item.text_html = rendered.inline(item.text_md)
        item.save(update_fields=["text_html"])
    for pair in question.pairs.all():
        pair.prompt_html = rendered.inline(pair.prompt_md) if pair.prompt_md else ""
        pair.response_html = rendered.inline(pair.response_md)
        pair.save(update_fields=["prompt_html", "response_html"])


def refresh_question(*, question: Question, rendered: RenderedTexts | None = None) -> Question:
    """After an edit: store the HTML, and record a new version when what students see or are graded on
    changed."""
    render_question(question, rendered)
    data = question_data(question)
    digest = data.content_hash()
    fields = ["stem_html", "explanation_html", "stem_key", "content_hash", "not_aws_format"]
    question.stem_key = stem_key(question.kind, question.stem_md)
    question.content_hash = digest
    exam_slug = question.question_set.exam.slug
    question.section_note_id = (
        SectionIndex().resolve(question.section, exam_slug=exam_slug)[0] if question.section else None
    )
    fields.append("section_note")
    if question.not_aws_format:  # an instructor reshaped it: the mark stays only while a shape rule is broken
        question.not_aws_format = "; ".join(shape_errors(data))
    question.save(update_fields=fields)
    record_version(question)
    return question


def write_question_parts(
    question: Question, data: QuestionData, rendered: RenderedTexts | None = None
) -> None:
    """Replace a question's choices, ordering items and matching pairs with those of `data`, with their HTML
    when `rendered` holds it (imports render before they write)."""
    html: Callable[[str], str] = rendered.inline if rendered is not None else (lambda text: "")
    question.choices.all().delete()
    question.ordering_items.all().delete()
    question.pairs.all().delete()
    Choice.objects.bulk_create(
        Choice(
            question=question,
            text_md=c.text,
            text_html=html(c.text),
            is_correct=c.correct,
            rationale_md=c.rationale,
            rationale_html=html(c.rationale) if c.rationale else "",
            position=i,
        )
        for i, c in enumerate(data.choices, 1)
    )
    OrderingItem.objects.bulk_create(
        OrderingItem(question=question, text_md=text, text_html=html(text), position=i)
        for i, text in enumerate(data.items, 1)
    )
    MatchingPair.objects.bulk_create(
        MatchingPair(
            question=question,
            prompt_md=p.prompt,
            prompt_html=html(p.prompt) if p.prompt else "",
            response_md=p.response,
            response_html=html(p.response),
            position=i,
        )
        for i, p in enumerate(data.pairs, 1)
    )


# ------------------------------------------------------------------------------------------------- import
@dataclass
class QuestionImportReport:
    """What an import did; every question of the file is counted under exactly one outcome."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: list[str] = field(default_factory=list)  # where: changed here since imported, left as it is
    skipped: list[Skipped] = field(default_factory=list)
    drafted: list[tuple[str, str]] = field(
        default_factory=list
    )  # (where, why): created or updated as a draft
    images: int = 0  # images embedded in the file, stored for the first time

    def lines(self) -> list[str]:
        kept = f"{len(self.kept)} changed here, kept, " if self.kept else ""
        out = [
            f"questions: {self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{kept}{len(self.skipped)} skipped"
        ]
        out += [f"  skipped {s.where}: {s.reason}" for s in self.skipped]
        out += [
            f"  changed here, kept {where}: edited since it was imported (--overwrite replaces it)"
            for where in self.kept
        ]
        out += [f"  imported as draft {where}: {why}" for where, why in self.drafted]
        if self.images:
            out.append(f"images: {self.images} stored")
        return out


# What writing one imported question did: the QuestionImportReport counter it adds to (or "kept").
Outcome = Literal["created", "updated", "unchanged", "kept"]


def import_signature(content_hash: str, status: str) -> str:
    """What a re-import compares to tell whether a question was changed here since it was imported."""
    return hashlib.sha256(f"{content_hash}\n{status}".encode()).hexdigest()


@dataclass
class PreparedImport:
    """Questions that passed every rule, rendered and ready to write (see write_import)."""

    scenarios: list[ScenarioData]
    questions: list[
        tuple[QuestionData, str, list[str]]
    ]  # (QuestionData, why it is not in AWS's shape or "", [why it is a draft])
    report: QuestionImportReport
    rendered: RenderedTexts
    section_notes: dict[int, int | None]  # id(question data) -> pk of the note section it links to
    media: dict[str, ImageFile] = field(default_factory=dict)  # by digest: the images embedded in the file


def prepare_import(
    *,
    exam: Exam,
    parsed: ParsedFile,
    source: str = "file",
    strict: bool = True,
    question_set: QuestionSet | None = None,
    other_scenarios: Iterable[str] = (),
) -> PreparedImport:
    """Check and render parsed questions for `exam` without writing anything; raises ImportFailed.

    strict (certprep's own YAML and JSON): a question breaking a rule stops the import with `source:line:
    problem`. Otherwise (GIFT, Moodle XML, CSV, Markdown, Aiken): such a question is skipped with its reason
    and the others import, and a question only out of AWS's shape (3 choices...) is imported as a draft marked
    "not AWS format". Questions without a task statement are imported as drafts. The same question twice in a
    file is taken once. `question_set` is the set imported into, when it exists already (its scenarios may be
    referred to; its unchanged questions are not rendered again); `other_scenarios` are ids of scenarios
    written in the same transaction by another file.
    """
    tasks = {t.number: t for t in exam.task_statements.all()}
    objectives = objective_ids({number: task.objectives for number, task in tasks.items()})
    sections, section_notes = SectionIndex(), dict[int, int | None]()
    services = set(Service.objects.values_list("slug", flat=True))
    scenario_ids = {s.external_id for s in parsed.scenarios} | set(other_scenarios)
    stored: set[tuple[str, str]] = set()
    if question_set is not None:
        scenario_ids |= set(question_set.scenarios.values_list("external_id", flat=True))
        stored = set(question_set.questions.values_list("content_hash", "status"))
    problems, report = Problems(), QuestionImportReport(skipped=list(parsed.skipped))
    accepted: list[tuple[QuestionData, str, list[str]]] = []
    first_seen: dict[str, str] = {}
    rendered = RenderedTexts()
    for scenario in parsed.scenarios:
        errors = scenario_errors(scenario)
        if not errors:
            try:
                rendered.add_block(scenario.text)
            except MarkdownTooComplex as exc:
                errors.append(f"scenario {shown(scenario.external_id)} text: {exc}")
        for error in errors:
            problems.add(source, scenario.line, error)
    for data in parsed.questions:
        data.guide_version = data.guide_version or exam.guide_version  # stored that way, so hashed that way
        identity = f"id:{data.external_id}" if data.external_id else f"content:{data.content_key()}"
        if identity in first_seen:
            reason = f"the same question as {first_seen[identity]}"
            if strict:
                problems.add(source, data.line, reason)
            else:
                report.skipped.append(Skipped(data.location, reason))
            continue
        first_seen[identity] = data.location
        notes = []
        off_shape = [] if strict else shape_errors(data)
        if off_shape:
            data.status = "draft"
            notes.append("not AWS format — " + "; ".join(off_shape))
        if data.status == "published":
            missing = [] if data.task_statement else ["a task statement"]
            if not strict and not data.explanation.strip():
                missing.append("an explanation")
            if missing:
                data.status = "draft"
                notes.append("needs " + " and ".join(missing))
        if strict:
            errors = question_errors(data, task_numbers=set(tasks), objectives=objectives)
        else:
            errors = question_rule_errors(data, task_numbers=set(tasks), objectives=objectives)[0]
        errors += [f"unknown service {shown(slug)}" for slug in data.services if slug not in services]
        if data.section:
            note_pk, problem = sections.resolve(data.section, exam_slug=exam.slug)
            section_notes[id(data)] = note_pk
            if problem and data.status == "published":
                errors.append(problem)
        if data.scenario and data.scenario not in scenario_ids:
            errors.append(f"unknown scenario {shown(data.scenario)}")
        if not errors and (data.content_hash(), data.status) not in stored:
            try:
                prerender_question(data, rendered)
            except MarkdownTooComplex as exc:
                errors.append(str(exc))
        if errors and strict:
            for error in errors:
                problems.add(source, data.line, error)
        elif errors:
            report.skipped.append(Skipped(data.location, "; ".join(errors)))
        else:
            accepted.append((data, "; ".join(off_shape), notes))
    problems.raise_if_any()
    return PreparedImport(
        scenarios=parsed.scenarios,
        questions=accepted,
        report=report,
        rendered=rendered,
        section_notes=section_notes,
        media=parsed.media,
    )


def write_import(
    prepared: PreparedImport,
    *,
    question_set: QuestionSet,
    author: User | None = None,
    overwrite: bool = False,
) -> QuestionImportReport:
    """Write prepared questions into a set in one short transaction; returns the report. A question changed
    here since it was imported is kept as it is unless `overwrite`."""
    report = prepared.report
    tasks = {t.number: t for t in question_set.exam.task_statements.all()}
    services = {s.slug: s for s in Service.objects.all()}
    with transaction.atomic():
        report.images += _store_media(prepared.media)
        scenarios, rewritten = _upsert_scenarios(question_set, prepared.scenarios, prepared.rendered)
        for data, not_aws, notes in prepared.questions:
            outcome = _upsert_question(
                question_set,
                data,
                tasks,
                services,
                scenarios,
                author,
                prepared.rendered,
                prepared.section_notes.get(id(data)),
                not_aws=not_aws,
                overwrite=overwrite,
            )
            if outcome == "kept":
                report.kept.append(data.location)
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome != "unchanged":
                report.drafted += [(data.location, note) for note in notes]
        # Questions the file left as they were still show a scenario it rewrote: that is a new version too.
        record_versions(question_set.questions.filter(scenario__in=rewritten))
    return report


def import_questions(
    *,
    question_set: QuestionSet,
    parsed: ParsedFile,
    source: str = "file",
    strict: bool = True,
    author: User | None = None,
    overwrite: bool = False,
) -> QuestionImportReport:
    """Import parsed questions into a set, all or nothing: check and render first, then write briefly.

    Re-importing never duplicates: questions are matched by id, or by their whole content when the format has
    no ids; one changed here since it was imported is kept unless `overwrite`.
    """
    prepared = prepare_import(
        exam=question_set.exam, parsed=parsed, source=source, strict=strict, question_set=question_set
    )
    return write_import(prepared, question_set=question_set, author=author, overwrite=overwrite)


def scenario_errors(scenario: ScenarioData) -> list[str]:
    errors = [
        error
        for error in (
            column_error(Scenario, "external_id", scenario.external_id, label="scenario id"),
            column_error(Scenario, "title", scenario.title, label="scenario title"),
        )
        if error
    ]
    return errors


def _upsert_scenarios(
    question_set: QuestionSet, scenarios: Iterable[ScenarioData], rendered: RenderedTexts
) -> tuple[dict[str, Scenario], list[Scenario]]:
    """Create or update the file's scenarios; returns ({external id: scenario}, [scenarios rewritten])."""
    rewritten: list[Scenario] = []
    for data in scenarios:
        scenario, _ = Scenario.objects.get_or_create(
            question_set=question_set,
            external_id=data.external_id,
            defaults={"title": data.title, "text_md": data.text},
        )
        if (scenario.title, scenario.text_md) != (data.title, data.text) or not scenario.text_html:
            scenario.title, scenario.text_md = data.title, data.text
            scenario.text_html = rendered.block(data.text)
            scenario.save()
            rewritten.append(scenario)
    return {s.external_id: s for s in question_set.scenarios.all()}, rewritten


def _store_media(media: Mapping[str, ImageFile]) -> int:
    """Store embedded images not stored yet (by the digest of their bytes, like notes' images)."""
    stored = set(NoteMedia.objects.filter(digest__in=list(media)).values_list("digest", flat=True))
    new = [
        NoteMedia(digest=digest, content_type=found.content_type, data=found.data, size=len(found.data))
        for digest, found in media.items()
        if digest not in stored
    ]
    NoteMedia.objects.bulk_create(new, ignore_conflicts=True)  # another import may store the same image
    return len(new)


def _matching_question(question_set: QuestionSet, data: QuestionData, key: str) -> Question | None:
    """The stored question this imported one is: same external id, else same imported content; questions
    never imported (made in the admin, or imported before imports were recorded) match on their content."""
    questions = question_set.questions.all()
    if data.external_id:
        found = questions.filter(external_id=data.external_id).first()
        if found is not None:
            return found
        questions = questions.filter(external_id="")  # another id is another question, whatever its text
    found = questions.filter(import_key=key).order_by("pk").first()
    if found is not None:
        return found
    candidates = questions.filter(import_key="", stem_key=stem_key(data.kind, data.stem)).order_by("pk")
    for candidate in candidates.prefetch_related("choices", "ordering_items", "pairs"):
        if question_data(candidate).content_key() == key:
            return candidate
    return None


def _upsert_question(
    question_set: QuestionSet,
    data: QuestionData,
    tasks: Mapping[str, TaskStatement],
    services: Mapping[str, Service],
    scenarios: Mapping[str, Scenario],
    author: User | None,
    rendered: RenderedTexts,
    section_note_id: int | None = None,
    *,
    not_aws: str = "",
    overwrite: bool = False,
) -> Outcome:
    key = data.content_key()
    existing = _matching_question(question_set, data, key)
    digest = data.content_hash()
    signature = import_signature(digest, data.status)
    if (
        existing is not None
        and existing.content_hash == digest
        and existing.status == data.status
        and existing.section_note_id == section_note_id
    ):
        if (existing.import_key, existing.import_signature) != (key, signature):
            Question.objects.filter(pk=existing.pk).update(import_key=key, import_signature=signature)
        return "unchanged"
    if (
        existing is not None
        and not overwrite
        and import_signature(existing.content_hash, existing.status) != existing.import_signature
    ):
        return "kept"
    question = existing or Question(question_set=question_set, author=author)
    parts_changed = existing is None or existing.content_hash != digest
    question.kind, question.stem_md, question.explanation_md = data.kind, data.stem, data.explanation
    question.stem_html, question.explanation_html = (
        rendered.block(data.stem),
        rendered.block(data.explanation),
    )
    question.task_statement = tasks.get(data.task_statement)
    question.guide_version = data.guide_version
    question.difficulty, question.status = data.difficulty, data.status
    question.external_id = data.external_id or question.external_id
    question.scenario = scenarios.get(data.scenario) if data.scenario else None
    question.objectives, question.section = list(data.objectives), data.section
    question.section_note_id = section_note_id
    question.stem_key, question.content_hash = stem_key(data.kind, data.stem), digest
    question.import_key, question.import_signature, question.not_aws_format = key, signature, not_aws
    question.save()
    question.services.set([services[slug] for slug in data.services])
    if parts_changed:  # rewritten parts get new ids, and with them a new version
        write_question_parts(question, data, rendered)
    record_version(question)
    return "updated" if existing is not None else "created"


# ------------------------------------------------------------------------------------------- bulk actions
def publish_questions(*, questions: QuerySet[Question]) -> tuple[int, list[tuple[Question, list[str]]]]:
    """Publish each question that passes every rule; return (published count, [(question, errors)])."""
    published, refused = 0, list[tuple[Question, list[str]]]()
    for question in questions.select_related("task_statement").prefetch_related(
        "choices", "ordering_items", "pairs"
    ):
        data = question_data(question)
        data.status = "published"
        errors = question_errors(data)
        if question.not_aws_format:  # e.g. partial credit dropped on import: someone must look at it first
            errors.append(f"not AWS format ({question.not_aws_format}); check it in the editor and save it")
        if errors:
            refused.append((question, errors))
            continue
        if question.status != Question.Status.PUBLISHED:
            question.status = Question.Status.PUBLISHED
            question.save(update_fields=["status", "updated_at"])
        published += 1
    return published, refused


def retire_questions(*, questions: QuerySet[Question]) -> int:
    return questions.exclude(status=Question.Status.RETIRED).update(status=Question.Status.RETIRED)


def confirm_for_current_guide(*, questions: QuerySet[Question]) -> int:
    """An instructor has checked these against the exam's current guide version."""
    count = 0
    for question in questions.select_related("question_set__exam"):
        current = question.question_set.exam.guide_version
        if current and question.guide_version != current:
            question.guide_version = current
            question.save(update_fields=["guide_version", "updated_at"])
            count += 1
    return count


def move_questions(*, questions: QuerySet[Question], target_set: QuestionSet) -> tuple[int, list[Question]]:
    """Move questions into another set of the same exam; returns (moved, refused)."""
    moved, refused = 0, list[Question]()
    for question in questions.select_related("question_set"):
        if question.question_set.exam_id != target_set.exam_id:
            refused.append(question)
            continue
        taken = (
            question.external_id and target_set.questions.filter(external_id=question.external_id).exists()
        )
        question.question_set = target_set
        if taken:
            question.external_id = ""
        question.save(update_fields=["question_set", "external_id", "updated_at"])
        moved += 1
    return moved, refused


def duplicate_question(*, question: Question, author: User) -> Question:
    """A draft copy of a question with all its parts, for an instructor to vary (its HTML is copied too)."""
    data = question_data(question)
    rendered = RenderedTexts()
    rendered.remember_block(question.stem_md, question.stem_html)
    rendered.remember_block(question.explanation_md, question.explanation_html)
    for choice in question.choices.all():
        rendered.remember_inline(choice.text_md, choice.text_html)
        rendered.remember_inline(choice.rationale_md, choice.rationale_html)
    for item in question.ordering_items.all():
        rendered.remember_inline(item.text_md, item.text_html)
    for pair in question.pairs.all():
        rendered.remember_inline(pair.prompt_md, pair.prompt_html)
        rendered.remember_inline(pair.response_md, pair.response_html)
    with transaction.atomic():
        return _write_copy(question, data, rendered, author)


def _write_copy(question: Question, data: QuestionData, rendered: RenderedTexts, author: User) -> Question:
    copy = Question.objects.create(
        question_set=question.question_set,
        kind=question.kind,
        stem_md=question.stem_md,
        explanation_md=question.explanation_md,
        task_statement=question.task_statement,
        guide_version=question.guide_version,
        difficulty=question.difficulty,
        status=Question.Status.DRAFT,
        scenario=question.scenario,
        objectives=list(question.objectives or []),
        section=question.section,
        author=author,
        stem_key=question.stem_key,
    )
    copy.services.set(question.services.all())
    write_question_parts(copy, data, rendered)
    return refresh_question(question=copy, rendered=rendered)


def report_problem(
    *, question: Question, user: User, category: str, text: str, version: QuestionVersion | None = None
) -> ProblemReport:
    """A student's report on the version of `question` they saw (`version`; by default the current one)."""
    return ProblemReport.objects.create(
        question=question,
        question_version_id=version.pk if version is not None else question.current_version_id,
        reporter=user,
        category=category,
        text=text.strip(),
    )


def ensure_question_set(
    *,
    slug: str,
    exam: Exam | None = None,
    title: str = "",
    visibility: str | None = None,
    description: str = "",
    owner: User | None = None,
) -> tuple[QuestionSet, bool]:
    """The set with this slug, created when missing (which needs its exam). Returns (set, created)."""
    existing = QuestionSet.objects.select_related("exam").filter(slug=slug).first()
    if existing is not None:
        return existing, False
    if exam is None:
        raise ValueError(f"there is no question set {slug!r}; give its exam to create it")
    created = QuestionSet.objects.create(
        slug=slug,
        exam=exam,
        title=title or slug.replace("-", " ").capitalize(),
        owner=owner,
        visibility=visibility or QuestionSet.Visibility.PRIVATE,
        description=description,
    )
    return created, True
