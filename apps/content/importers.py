"""Writing blueprints, the glossary and notes into the database: atomic, idempotent, reported."""

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from apps.content.blueprints import RELATED, parse_blueprint
from apps.content.glossary import parse_glossary
from apps.content.markdown import RENDERER_VERSION
from apps.content.markdown_limits import MarkdownTooComplex
from apps.content.models import Domain, Exam, Note, Service, TaskStatement
from apps.content.notefiles import find_note_files, read_note_file
from apps.content.problems import Problems, column_error, display_path
from apps.content.rendering import RenderedTexts

BUNDLED_PREFIX = "bundled:"


@dataclass
class Report:
    """Counts per kind of object: created / updated / unchanged (and removed, for bundled notes)."""

    counts: dict = field(default_factory=dict)

    def count(self, kind, outcome):
        self.counts.setdefault(kind, Counter())[outcome] += 1

    @property
    def changed(self):
        return any(c["created"] or c["updated"] or c["removed"] for c in self.counts.values())

    def lines(self):
        out = []
        for kind, c in self.counts.items():
            line = f"{kind}: {c['created']} created, {c['updated']} updated, {c['unchanged']} unchanged"
            if c["removed"]:
                line += f", {c['removed']} removed"
            out.append(line)
        out.append(
            "Changes were saved." if self.changed else "Nothing changed: the database already matched."
        )
        return out


def _upsert(model, lookup, values):
    """Create or update one row. Returns the row and "created", "updated" or "unchanged"."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), "created"
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return obj, "updated" if changed else "unchanged"


def _set_m2m(manager, wanted):
    """Replace a many-to-many set; True when it changed."""
    wanted_ids = {obj.pk for obj in wanted}
    current = set(manager.values_list("pk", flat=True))
    if current == wanted_ids:
        return False
    manager.set(wanted_ids)
    return True


# ---------------------------------------------------------------------------------------------- load_content
def load_content(*, root):
    """Load every blueprint, the glossary and the bundled notes under `root` (the fixtures folder)."""
    root = Path(root)
    problems = Problems()
    specs = []
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
    note_files = []
    for path in find_note_files(content_dir) if content_dir.exists() else []:
        note = read_note_file(path, root=path.parent, default_exam=None, problems=problems)
        if note:
            note.source_path = BUNDLED_PREFIX + path.relative_to(content_dir).as_posix()
            note_files.append(note)
    _check_exam_references(specs, problems)
    rendered = _render_notes(note_files, problems)
    problems.raise_if_any()

    report = Report()
    with transaction.atomic():
        exams = _apply_blueprints(specs, report)
        _apply_glossary(services, exams, report, problems)
        problems.raise_if_any()  # rolls back
        _apply_notes(note_files, rendered, report, problems, remove_stale_bundled=True)
        problems.raise_if_any()
    return report


def _check_exam_references(specs, problems):
    codes = {spec.code for spec in specs} | set(Exam.objects.values_list("code", flat=True))
    for spec in specs:
        if spec.successor and spec.successor not in codes:
            problems.add(
                spec.path, spec.line_of("successor"), f"successor {spec.successor} is not a known exam"
            )


def _apply_blueprints(specs, report):
    exams = {}
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


def _apply_related(specs, report):
    """Make the links between task statements exactly those the blueprints declare (a link is declared once,
    on either side, and shown on both)."""
    tasks = {(t.exam.code, t.number): t for t in TaskStatement.objects.select_related("exam")}
    problems = Problems()
    wanted = {task.pk: set() for task in tasks.values()}
    for spec in specs:
        for domain in spec.domains:
            for task in domain.tasks:
                this = tasks[(spec.code, task.number)]
                for ref in task.related:
                    match = RELATED.match(ref)
                    target = tasks.get((match["code"], match["number"]))
                    if target is None:
                        problems.add(spec.path, task.line, f"related task statement {ref!r} does not exist")
                    elif target.pk != this.pk:
                        wanted[this.pk].add(target.pk)
                        wanted[target.pk].add(this.pk)
    problems.raise_if_any()
    Link = TaskStatement.related.through
    current = {}
    for from_id, to_id in Link.objects.values_list("from_taskstatement_id", "to_taskstatement_id"):
        current.setdefault(from_id, set()).add(to_id)
    for task in tasks.values():
        if current.get(task.pk, set()) != wanted[task.pk]:
            task.related.set(wanted[task.pk])
            report.count("related links", "updated")
        else:
            report.count("related links", "unchanged")


def _apply_glossary(specs, exams, report, problems):
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
def import_notes(*, path, exam_code):
    """Import a user's note file or folder into `exam_code` (front matter may name another exam)."""
    path = Path(path)
    problems = Problems()
    if not path.exists():
        problems.add(path, 0, "no such file or folder")
        problems.raise_if_any()
    if not Exam.objects.filter(code=exam_code).exists():
        known = ", ".join(Exam.objects.values_list("code", flat=True)) or "none yet: run load_content"
        problems.add(path, 0, f"unknown exam {exam_code!r} (known: {known})")
        problems.raise_if_any()
    files = find_note_files(path)
    if not files:
        problems.add(path, 0, "no note files found (.md, .markdown, .mdown or .txt)")
    notes = []
    for file in files:
        note = read_note_file(file, root=path, default_exam=exam_code, problems=problems)
        if note:
            note.source_path = display_path(file)
            notes.append(note)
    rendered = _render_notes(notes, problems)
    problems.raise_if_any()
    report = Report()
    with transaction.atomic():
        _apply_notes(notes, rendered, report, problems, remove_stale_bundled=False)
        problems.raise_if_any()
    return report


def _render_notes(notes, problems):
    """Check and render the notes that changed, before any write transaction opens (which then only writes).

    A note beyond the Markdown limits or with a field longer than its column is a `file:line` problem."""
    stored = dict(
        ((code, slug), digest)
        for code, slug, digest in Note.objects.values_list("exam__code", "slug", "content_hash")
    )
    rendered = RenderedTexts()
    for note in notes:
        errors = [
            (note.line_of(key), error)
            for key, field, value in (
                ("title", "title", note.title),
                ("summary", "summary", note.summary),
                ("", "source_path", note.source_path),
            )
            if (error := column_error(Note, field, value, label=field.replace("_", " ")))
        ]
        for line, error in errors:
            problems.add(note.path, line, error)
        if errors or stored.get((note.exam_code, note.slug)) == _note_hash(note):
            continue
        try:
            rendered.add_page(note.body)
        except MarkdownTooComplex as exc:
            problems.add(note.path, note.body_line + max(exc.line, 1) - 1, exc.reason)
    return rendered


def _mention_patterns(services):
    """One regex per service over its full name and aliases (case-sensitive, whole words)."""
    patterns = []
    for service in services:
        names = {service.name, *service.aliases}
        names = sorted((n for n in names if len(n) >= 3), key=len, reverse=True)
        if names:
            alternatives = "|".join(re.escape(name) for name in names)
            patterns.append((service, re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")))
    return patterns


def _note_hash(note):
    payload = {
        "renderer": RENDERER_VERSION,
        "title": note.title,
        "summary": note.summary,
        "order": note.order,
        "body": note.body,
        "tasks": note.task_numbers,
        "services": note.service_slugs,
        "source": note.source_path,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _apply_notes(notes, rendered, report, problems, *, remove_stale_bundled):
    exams = {exam.code: exam for exam in Exam.objects.all()}
    tasks = {(t.exam_id, t.number): t for t in TaskStatement.objects.all()}
    services = {s.slug: s for s in Service.objects.all()}
    patterns = _mention_patterns(services.values())
    seen_slugs, kept = {}, set()
    for note in notes:
        exam = exams.get(note.exam_code)
        if exam is None:
            problems.add(note.path, note.line_of("exam"), f"unknown exam {note.exam_code!r}")
            continue
        key = (exam.pk, note.slug)
        if key in seen_slugs:
            problems.add(
                note.path,
                1,
                f"the address /{exam.slug}/notes/{note.slug}/ is also used by "
                f"{display_path(seen_slugs[key])}; rename one of the files",
            )
            continue
        seen_slugs[key] = note.path
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
        digest = _note_hash(note)
        existing = Note.objects.filter(exam=exam, slug=note.slug).only("pk", "content_hash").first()
        if existing and existing.content_hash == digest:
            report.count("notes", "unchanged")
            kept.add(existing.pk)
            continue
        page = rendered.page(note.body)
        mentioned = {s for s, pattern in patterns if pattern.search(page.text)}
        values = {
            "title": note.title,
            "summary": note.summary,
            "order": note.order,
            "source_path": note.source_path,
            "body_md": note.body,
            "body_html": page.html,
            "toc_html": page.toc_html,
            "search_text": page.text,
            "word_count": page.word_count,
            "content_hash": digest,
        }
        obj, outcome = _upsert(Note, {"exam": exam, "slug": note.slug}, values)
        report.count("notes", outcome)
        obj.task_statements.set(wanted_tasks)
        obj.services.set(set(explicit) | mentioned)
        kept.add(obj.pk)
    if remove_stale_bundled and not problems:
        stale = Note.objects.filter(source_path__startswith=BUNDLED_PREFIX).exclude(pk__in=kept)
        for _ in range(stale.count()):
            report.count("notes", "removed")
        stale.delete()
