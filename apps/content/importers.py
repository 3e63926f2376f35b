"""Writing blueprints, the glossary and notes into the database: atomic, idempotent, reported."""

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.db import models, transaction
from django.urls import reverse
from django.utils.text import slugify

from apps.content.blueprints import RELATED, ExamSpec, parse_blueprint
from apps.content.dialects import WIKILINK, Links
from apps.content.glossary import ServiceSpec, parse_glossary
from apps.content.markdown import RENDERER_VERSION, Rendered, render_markdown
from apps.content.markdown_limits import MarkdownTooComplex, check_markdown
from apps.content.media import ImageFile, find_inside, fingerprint, read_image
from apps.content.models import Domain, Exam, Note, NoteMedia, NoteSource, Service, TaskStatement
from apps.content.notefiles import NoteFile, find_note_files, read_note_file
from apps.content.problems import Problems, column_error, display_path
from apps.content.selectors import note_link_names

BUNDLED_PREFIX = "bundled:"


@dataclass
class Report:
    """Counts per kind of object: created / updated / unchanged (and removed, for bundled notes)."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    # What the person importing should know but that refuses nothing: skipped files, moved addresses.
    notices: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str) -> None:
        self.counts.setdefault(kind, Counter())[outcome] += 1

    def notice(self, text: str) -> None:
        self.notices.append(text)

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] or c["removed"] for c in self.counts.values())

    def lines(self) -> list[str]:
        out = []
        for kind, c in self.counts.items():
            line = f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            if c["removed"]:
                line += f", {c['removed']} removed"
            out.append(line)
        out.extend(self.notices)
        out.append(
            "Changes were saved." if self.changed else "Nothing changed: the database already matched."
        )
        return out


_M = TypeVar("_M", bound=models.Model)


def _upsert(model: type[_M], lookup: dict[str, Any], values: dict[str, Any]) -> tuple[_M, str]:
    """Create or update one row. Returns the row and "created", "updated" or "unchanged"."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return obj, "updated" if changed else "unchanged"


def _set_m2m(manager: Any, wanted: Iterable[models.Model]) -> bool:
    """Replace a many-to-many set; True when it changed."""
    wanted_ids = {obj.pk for obj in wanted}
    current = set(manager.values_list("pk", flat=True))
    if current == wanted_ids:
        return False
    manager.set(wanted_ids)
    return True


# ---------------------------------------------------------------------------------------------- load_content
def load_content(*, root: str | Path) -> Report:
    """Load every blueprint, the glossary and the bundled notes under `root` (the fixtures folder)."""
    root = Path(root)
    problems = Problems()
    specs: list[ExamSpec] = []
    for path in sorted((root / "blueprints").glob("*.y*ml")):
        spec = parse_blueprint(path, path.read_text(encoding="utf-8"), problems)
        if spec:
            specs.append(spec)
    glossary_path = root / "services.yaml"
    services = (
        parse_glossary(glossary_path, glossary_path.read_text(encoding="utf-8"), problems)
        if glossary_path.exists()
        else []
    )
    content_dir = root / "content"
    note_files: list[NoteFile] = []
    notices: list[str] = []
    for path in find_note_files(content_dir) if content_dir.exists() else []:
        note = read_note_file(path, root=path.parent, default_exam=None, problems=problems, notices=notices)
        if note:
            note.relative_path = path.relative_to(content_dir).as_posix()
            note.source_path = BUNDLED_PREFIX + note.relative_path
            note_files.append(note)
    _check_exam_references(specs, problems)
    _check_notes(note_files, problems)
    problems.raise_if_any()
    prerendered = _prerender_bundled(note_files)

    report = Report(notices=notices)
    with transaction.atomic():
        exams = _apply_blueprints(specs, report)
        _apply_glossary(services, exams, report, problems)
        problems.raise_if_any()  # rolls back
        # The exams may have been created just now, so the bundled notes are planned inside the transaction.
        source, _ = NoteSource.objects.get_or_create(
            slug=NoteSource.BUNDLED, defaults={"name": "Bundled notes"}
        )
        planned = _plan_notes(note_files, source=source, problems=problems, report=report)
        problems.raise_if_any()
        for plan in planned:
            plan.rendered = prerendered.get(plan.digest)
        _render_planned(planned)  # only what could not be rendered ahead (a first load: no exams yet)
        _write_notes(planned, source=source, report=report, remove_stale=True)
    return report


def _prerender_bundled(note_files: list[NoteFile]) -> dict[str, Rendered]:
    """The bundled notes that changed, rendered before the write transaction: planned against the database as
    it is now, keyed by the plan's digest (which covers everything the rendering depends on). A plan that
    differs inside the transaction (new exams or addresses) simply finds nothing here."""
    source = NoteSource.objects.filter(slug=NoteSource.BUNDLED).first() or NoteSource(
        slug=NoteSource.BUNDLED, name="Bundled notes"
    )
    planned = _plan_notes(note_files, source=source, problems=Problems(), report=Report())
    _render_planned(planned)
    return {plan.digest: plan.rendered for plan in planned if plan.rendered is not None}


def _check_exam_references(specs: list[ExamSpec], problems: Problems) -> None:
    codes = {spec.code for spec in specs} | set(Exam.objects.values_list("code", flat=True))
    for spec in specs:
        if spec.successor and spec.successor not in codes:
            problems.add(
                spec.path, spec.line_of("successor"), f"successor {spec.successor} is not a known exam"
            )


def _apply_blueprints(specs: list[ExamSpec], report: Report) -> dict[str, Exam]:
    exams: dict[str, Exam] = {}
    for spec in specs:
        values = {key: value for key, value in spec.fields.items() if key != "code"}
        exam, outcome = _upsert(Exam, {"code": spec.code}, values)
        report.count("exams", outcome)
        exams[spec.code] = exam
        for domain_spec in spec.domains:
            domain, outcome = _upsert(
                Domain,
                {"exam": exam, "number": domain_spec.number},
                {"title": domain_spec.title, "weight": domain_spec.weight, "aliases": domain_spec.aliases},
            )
            report.count("domains", outcome)
            for task in domain_spec.tasks:
                major, minor = (int(part) for part in task.number.split("."))
                _, outcome = _upsert(
                    TaskStatement,
                    {"exam": exam, "number": task.number},
                    {
                        "domain": domain,
                        "title": task.title,
                        "aliases": task.aliases,
                        "objectives": task.objectives,
                        "position": major * 100 + minor,
                    },
                )
                report.count("task statements", outcome)
    for spec in specs:
        successor = Exam.objects.get(code=spec.successor) if spec.successor else None
        exam = exams[spec.code]
        if exam.successor_id != (successor.pk if successor else None):
            exam.successor = successor
            exam.save(update_fields=["successor"])
    _apply_related(specs, report)
    return exams


def _apply_related(specs: list[ExamSpec], report: Report) -> None:
    """Make the links between task statements exactly those the blueprints declare (a link is declared once,
    on either side, and shown on both)."""
    tasks = {(t.exam.code, t.number): t for t in TaskStatement.objects.select_related("exam")}
    problems = Problems()
    wanted: dict[int, set[int]] = {task.pk: set() for task in tasks.values()}
    for spec in specs:
        for domain in spec.domains:
            for task in domain.tasks:
                this = tasks[(spec.code, task.number)]
                for ref in task.related:
                    match = RELATED.match(ref)
                    assert match is not None  # the blueprint reader checked its form
                    target = tasks.get((match["code"], match["number"]))
                    if target is None:
                        problems.add(spec.path, task.line, f"related task statement {ref!r} does not exist")
                    elif target.pk != this.pk:
                        wanted[this.pk].add(target.pk)
                        wanted[target.pk].add(this.pk)
    problems.raise_if_any()
    Link = TaskStatement.related.through
    current: dict[int, set[int]] = {}
    for from_id, to_id in Link.objects.values_list("from_taskstatement_id", "to_taskstatement_id"):
        current.setdefault(from_id, set()).add(to_id)
    for statement in tasks.values():
        if current.get(statement.pk, set()) != wanted[statement.pk]:
            statement.related.set(wanted[statement.pk])
            report.count("related links", "updated")
        else:
            report.count("related links", "unchanged")


def _apply_glossary(
    specs: list[ServiceSpec], exams: dict[str, Exam], report: Report, problems: Problems
) -> None:
    known = {exam.code: exam for exam in Exam.objects.all()}
    for spec in specs:
        unknown = [code for code in spec.exams if code not in known]
        if unknown:
            problems.add(
                "services.yaml",
                spec.line,
                f"service '{spec.slug}' names unknown exam(s) {', '.join(unknown)}",
            )
            continue
        service, outcome = _upsert(
            Service,
            {"slug": spec.slug},
            {
                "name": spec.name,
                "category": spec.category,
                "aliases": spec.aliases,
                "summary": spec.summary,
                "availability": spec.availability,
                "availability_note": spec.availability_note,
                "scope_note": spec.scope_note,
            },
        )
        if _set_m2m(service.exams, [known[code] for code in spec.exams]) and outcome == "unchanged":
            outcome = "updated"
        report.count("services", outcome)


# ---------------------------------------------------------------------------------------------- notes
def import_notes(
    *, path: str | Path, exam_code: str | None, source_name: str | None = None, include_txt: bool = False
) -> Report:
    """Import a user's note file or folder into `exam_code` (front matter may name another exam).

    The notes belong to one source, named after the folder unless `source_name` is given: importing the
    same source again updates its notes in place and never touches another source's notes."""
    path = Path(path)
    problems = Problems()
    if not path.exists():
        problems.add(path, 0, "no such file or folder")
        problems.raise_if_any()
    if not Exam.objects.filter(code=exam_code).exists():
        known = ", ".join(Exam.objects.values_list("code", flat=True)) or "none yet: run load_content"
        problems.add(path, 0, f"unknown exam {exam_code!r} (known: {known})")
        problems.raise_if_any()
    folder = (path if path.is_dir() else path.parent).resolve()
    name, slug = _source_name(path, folder, source_name, problems)
    problems.raise_if_any()
    files = find_note_files(path, include_txt=include_txt)
    if not files:
        problems.add(path, 0, "no note files found (.md, .markdown or .mdown; .txt with --include-txt)")
    notes: list[NoteFile] = []
    notices: list[str] = []
    for file in files:
        note = read_note_file(file, root=path, default_exam=exam_code, problems=problems, notices=notices)
        if note:
            note.source_path = display_path(file)
            notes.append(note)
    _check_notes(notes, problems)
    problems.raise_if_any()
    report = Report(notices=notices)
    source = NoteSource.objects.filter(slug=slug).first() or NoteSource(slug=slug, name=name)
    root = path if path.is_dir() else path.parent
    planned = _plan_notes(notes, source=source, problems=problems, report=report, root=root)
    problems.raise_if_any()
    # Before the write transaction: rendering is the slow part.
    media = _render_planned(planned, root=root, report=report)
    with transaction.atomic():
        if source.pk is None or source.location != str(folder):
            source.location = str(folder)
            source.save()
        _write_media(media, report)
        _write_notes(planned, source=source, report=report, remove_stale=False)
    return report


def _source_name(path: Path, folder: Path, given: str | None, problems: Problems) -> tuple[str, str]:
    """The source's name and slug; refuses a name that belongs to a different folder unless it was given."""
    name = (given or folder.name or "notes").strip()
    slug = slugify(name, allow_unicode=True)[:80]
    if not slug:
        problems.add(path, 0, f"cannot make a source name from {name!r}; pass --source NAME")
    elif slug == NoteSource.BUNDLED:
        problems.add(
            path,
            0,
            "the source name 'bundled' is kept for the notes shipped with certprep; pass --source NAME",
        )
    else:
        existing = NoteSource.objects.filter(slug=slug).first()
        if existing and not given and existing.location and existing.location != str(folder):
            problems.add(
                path,
                0,
                f"notes named {existing.name!r} were imported from {existing.location}; to update them from "
                f"this folder pass --source {slug}, to keep both pass another --source NAME",
            )
    return name, slug


def _check_notes(notes: list[NoteFile], problems: Problems) -> None:
    """Every check that needs no database, before anything is planned or written: fields longer than their
    columns and Markdown beyond the limits of apps.content.markdown_limits, each a `file:line` problem."""
    for note in notes:
        for key, name, value in (
            ("title", "title", note.title),
            ("summary", "summary", note.summary),
            ("", "source_path", note.source_path),
        ):
            if error := column_error(Note, name, value, label=name.replace("_", " ")):
                problems.add(note.path, note.line_of(key), error)
        try:
            check_markdown(note.body)
        except MarkdownTooComplex as exc:
            problems.add(note.path, note.body_line + max(exc.line, 1) - 1, exc.reason)


def _mention_patterns(services: Iterable[Service]) -> list[tuple[Service, re.Pattern[str]]]:
    """One regex per service over its full name and aliases (case-sensitive, whole words)."""
    patterns = []
    for service in services:
        names = sorted((n for n in {service.name, *service.aliases} if len(n) >= 3), key=len, reverse=True)
        if names:
            alternatives = "|".join(re.escape(name) for name in names)
            patterns.append((service, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")))
    return patterns


def _note_hash(note: NoteFile, exam_code: str) -> str:
    payload = {
        "renderer": RENDERER_VERSION,
        "exam": exam_code,
        "title": note.title,
        "summary": note.summary,
        "order": note.order,
        "body": note.body,
        "tasks": note.task_numbers,
        "services": note.service_slugs,
        "tags": note.tags,
        "aliases": note.aliases,
        "extra": note.extra,
        "path": note.relative_path,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class PlannedNote:
    """One note file with everything decided before writing: its exam, address, links and whether it
    changed since the last import."""

    file: NoteFile
    exam: Exam
    slug: str
    digest: str
    tasks: list[TaskStatement]
    services: list[Service]
    existing_pk: int | None = None
    stored_hash: str = ""
    unchanged: bool = False
    rendered: Rendered | None = None
    # (pk, new slug) of an imported note that gives way to a bundled one
    displaced: tuple[int, str] | None = None
    # [[link]] names -> note addresses, and image references -> the stored copies' addresses
    links_index: dict[str, str] = field(default_factory=dict)
    image_urls: dict[str, str] = field(default_factory=dict)


@dataclass
class _Address:
    pk: int | None
    title: str
    source_id: int | None
    source_name: str


def _plan_notes(
    notes: list[NoteFile], *, source: NoteSource, problems: Problems, report: Report, root: Path | None = None
) -> list[PlannedNote]:
    """Check every note against the database and choose its address; writes nothing."""
    exams = {exam.code: exam for exam in Exam.objects.all()}
    tasks = {(t.exam_id, t.number): t for t in TaskStatement.objects.all()}
    services = {s.slug: s for s in Service.objects.all()}
    # Every address in use, and this source's own notes by their path inside it.
    taken = {
        (row["exam_id"], row["slug"]): _Address(
            row["pk"], row["title"], row["source_id"], row["source__name"] or "written in the admin"
        )
        for row in Note.objects.values("pk", "exam_id", "slug", "title", "source_id", "source__name")
    }
    own = {}
    if source.pk is not None:
        own = {
            row["relative_path"]: row
            for row in Note.objects.filter(source=source).values(
                "pk", "relative_path", "exam_id", "slug", "content_hash"
            )
        }
    seen: dict[tuple[int, str], Path] = {}
    planned: list[PlannedNote] = []
    for note in notes:
        exam = exams.get(note.exam_code)
        if exam is None:
            problems.add(note.path, note.line_of("exam"), f"unknown exam {note.exam_code!r}")
            continue
        key = (exam.pk, note.slug)
        if key in seen:
            problems.add(
                note.path,
                1,
                f"the address /{exam.slug}/notes/{note.slug}/ is also used by "
                f"{display_path(seen[key])}; rename one of the files",
            )
            continue
        seen[key] = note.path
        wanted_tasks = []
        for number in note.task_numbers:
            task = tasks.get((exam.pk, number))
            if task is None:
                problems.add(
                    note.path,
                    note.line_of("task_statements"),
                    f"{exam.code} has no task statement {number!r}",
                )
            else:
                wanted_tasks.append(task)
        explicit = []
        for slug in note.service_slugs:
            if slug not in services:
                problems.add(
                    note.path, note.line_of("services"), f"unknown service {slug!r} (see /services/)"
                )
            else:
                explicit.append(services[slug])
        if problems:
            continue
        current = own.get(note.relative_path)
        digest = _note_hash(note, exam.code)
        plan = PlannedNote(note, exam, note.slug, digest, wanted_tasks, explicit)
        if current and current["exam_id"] == exam.pk:
            plan.existing_pk, plan.slug = current["pk"], current["slug"]
            plan.stored_hash = current["content_hash"]
        else:
            plan.existing_pk = current["pk"] if current else None
            plan.slug = _choose_address(plan, source=source, taken=taken, report=report)
        taken[(exam.pk, plan.slug)] = _Address(plan.existing_pk, note.title, source.pk, source.name)
        planned.append(plan)
    index = _link_index(planned, source)
    for plan in planned:
        # Where its [[links]] lead is part of what a note shows: a link that now resolves re-renders it.
        targets = sorted({m["target"].strip() for m in WIKILINK.finditer(plan.file.body) if not m["embed"]})
        resolved = [index.get(target.casefold()) for target in targets]
        images = fingerprint(plan.file.body, root=root, note_dir=plan.file.path.parent) if root else ""
        plan.digest = hashlib.sha256((plan.digest + json.dumps([resolved, images])).encode()).hexdigest()
        plan.links_index = index
        plan.unchanged = bool(plan.stored_hash) and plan.stored_hash == plan.digest
    return planned


def _link_index(planned: list[PlannedNote], source: NoteSource) -> dict[str, str]:
    """Names a `[[link]]` may use -> note address: this import's notes and the source's earlier ones (by
    path, file name, title and aliases), then any note of the same exams by title."""
    index: dict[str, str] = {}
    exam_ids = {plan.exam.pk for plan in planned}
    for plan in planned:
        url = reverse("content:note-detail", args=[plan.exam.slug, plan.slug])
        stem = PurePosixPath(plan.file.relative_path).with_suffix("")
        for name in (stem.as_posix(), stem.name, plan.file.title, *plan.file.aliases):
            index.setdefault(name.casefold(), url)
    for name, url in note_link_names(exam_ids=exam_ids, source_id=source.pk).items():
        index.setdefault(name, url)
    return index


def _choose_address(
    plan: PlannedNote, *, source: NoteSource, taken: dict[tuple[int, str], _Address], report: Report
) -> str:
    """The note's own slug when it is free; otherwise the slug prefixed by its source. A bundled note always
    gets its own slug (questions and bookmarks point at it): the imported note in its way moves instead."""
    exam, wanted = plan.exam, plan.slug
    holder = taken.get((exam.pk, wanted))
    if holder is None or (holder.pk is not None and holder.pk == plan.existing_pk):
        return wanted
    if source.is_bundled:
        if holder.source_id != source.pk and holder.pk is not None:
            holder_source = (
                NoteSource.objects.filter(pk=holder.source_id).first()
                if holder.source_id is not None
                else None
            )
            moved = _free_slug(exam, wanted, holder_source.slug if holder_source else "own", taken)
            plan.displaced = (holder.pk, moved)
            taken[(exam.pk, moved)] = holder
            report.notice(
                f"The note {holder.title!r} ({holder.source_name}) moved from /exams/{exam.slug}/notes/{wanted}/ "
                f"to /exams/{exam.slug}/notes/{moved}/: a bundled note now has that address."
            )
        return wanted
    slug = _free_slug(exam, wanted, source.slug, taken)
    report.notice(
        f"{plan.file.relative_path}: /exams/{exam.slug}/notes/{wanted}/ is the address of {holder.title!r} "
        f"({holder.source_name}), so this note is at /exams/{exam.slug}/notes/{slug}/."
    )
    return slug


def _free_slug(exam: Exam, wanted: str, prefix: str, taken: dict[tuple[int, str], _Address]) -> str:
    base = f"{prefix}-{wanted}"[:190]
    slug, number = base, 2
    while (exam.pk, slug) in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _render_planned(
    planned: list[PlannedNote], *, root: Path | None = None, report: Report | None = None
) -> dict[str, ImageFile]:
    """Render the notes that changed. With `root` (an imported folder), images the notes use that are inside
    it come along: returns them by digest."""
    media: dict[str, ImageFile] = {}
    for plan in planned:
        if not plan.unchanged and plan.rendered is None:
            links = _links_for(plan, root=root, media=media, report=report)
            plan.rendered = render_markdown(plan.file.body, links=links)
    return media


def _links_for(
    plan: PlannedNote, *, root: Path | None, media: dict[str, ImageFile], report: Report | None
) -> Links:
    index = plan.links_index
    note_dir = plan.file.path.parent

    def note_url(name: str) -> str | None:
        return index.get(name.casefold())

    def image_url(reference: str, *, by_name: bool = False) -> str | None:
        if root is None:
            return None
        assert report is not None  # an imported folder comes with its report
        path = find_inside(root, note_dir, reference, by_name=by_name)
        if path is None:
            if not urlsplit(reference).scheme:
                report.notice(f"{plan.file.relative_path}: image {reference!r} is not in the imported folder")
            return None
        image = read_image(path)
        if isinstance(image, str):
            report.notice(f"{plan.file.relative_path}: {reference}: {image}")
            return None
        media[image.digest] = image
        url = reverse("content:note-media", args=[image.digest, image.extension])
        plan.image_urls[reference] = url
        return url

    return Links(note_url=note_url, image_url=image_url)


def _write_media(media: dict[str, ImageFile], report: Report) -> None:
    stored = set(NoteMedia.objects.filter(digest__in=list(media)).values_list("digest", flat=True))
    for digest, image in media.items():
        if digest in stored:
            report.count("images", "unchanged")
            continue
        NoteMedia.objects.create(
            digest=digest, content_type=image.content_type, data=image.data, size=len(image.data)
        )
        report.count("images", "created")


def _write_notes(
    planned: list[PlannedNote], *, source: NoteSource, report: Report, remove_stale: bool
) -> None:
    """Create or update each planned note of `source` (identity: its path inside the source)."""
    patterns = _mention_patterns(Service.objects.all())
    kept = set()
    for plan in planned:
        if plan.displaced:
            Note.objects.filter(pk=plan.displaced[0]).update(slug=plan.displaced[1])
        if plan.unchanged:
            report.count("notes", "unchanged")
            kept.add(plan.existing_pk)
            continue
        note, rendered = plan.file, plan.rendered
        assert rendered is not None  # _render_planned rendered every note that changed
        mentioned = {s for s, pattern in patterns if pattern.search(rendered.text)}
        values = {
            "exam": plan.exam,
            "slug": plan.slug,
            "title": note.title,
            "summary": note.summary,
            "order": note.order,
            "source_path": note.source_path,
            "tags": note.tags,
            "aliases": note.aliases,
            "extra_front_matter": note.extra,
            "image_urls": plan.image_urls,
            "body_md": note.body,
            "body_html": rendered.html,
            "toc_html": rendered.toc_html,
            "search_text": rendered.text,
            "word_count": rendered.word_count,
            "content_hash": plan.digest,
        }
        obj, outcome = _upsert(Note, {"source": source, "relative_path": note.relative_path}, values)
        report.count("notes", outcome)
        obj.task_statements.set(plan.tasks)
        obj.services.set(set(plan.services) | mentioned)
        kept.add(obj.pk)
    stale = Note.objects.filter(source=source).exclude(pk__in=kept)
    if remove_stale:
        for _ in range(stale.count()):
            report.count("notes", "removed")
        stale.delete()
    elif missing := stale.count():
        report.notice(
            f"{missing} note(s) imported earlier from {source.name!r} are no longer in the folder; they were "
            "kept (delete them in the admin if they should go)."
        )
    _report_unused_keys(planned, report)


def _report_unused_keys(planned: list[PlannedNote], report: Report) -> None:
    files_by_key = Counter(key for plan in planned for key in plan.file.extra)
    if files_by_key:
        keys = ", ".join(
            f"{key} ({count} file{'s' if count > 1 else ''})" for key, count in sorted(files_by_key.items())
        )
        report.notice(f"Front-matter keys kept with the notes but not used: {keys}.")
