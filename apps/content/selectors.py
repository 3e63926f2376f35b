"""Reads with a rule: what each content page shows, in a bounded number of queries."""

from collections import OrderedDict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from apps.content import search
from apps.content.models import Domain, Exam, Note, Service, TaskStatement


def exams_for_home() -> list[Exam]:
    return list(
        Exam.objects.annotate(note_count=Count("notes", distinct=True))
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.order_by("number")))
        .select_related("successor")
        .order_by("order", "code")  # an aggregate makes Django drop Meta.ordering
    )


def exam_overview(
    slug: str, *, read_ids: Collection[int] = ()
) -> tuple[Exam, list[Domain], OrderedDict[str, list[Service]], list[Note]]:
    """The exam with its domains and task statements, each task statement counting its notes and read notes."""
    exam = get_object_or_404(Exam.objects.select_related("successor"), slug=slug)
    tasks = (
        TaskStatement.objects.select_related("exam")
        .annotate(note_count=Count("notes"), read_count=Count("notes", filter=Q(notes__in=read_ids)))
        .order_by("position")
    )
    domains = list(
        exam.domains.order_by("number").prefetch_related(Prefetch("task_statements", queryset=tasks))
    )
    services = list(exam.services.order_by("category", "name"))
    notes = list(exam.notes.for_listing().select_related("exam"))
    exam.predecessor_list = list(exam.predecessors.all())
    return exam, domains, group_by_category(services), notes


def group_by_category(services: Iterable[Service]) -> OrderedDict[str, list[Service]]:
    groups: OrderedDict[str, list[Service]] = OrderedDict()
    for service in sorted(services, key=lambda s: (s.category, s.sort_name.lower())):
        groups.setdefault(service.category, []).append(service)
    return groups


def task_statement_page(
    exam_slug: str, number: str
) -> tuple[TaskStatement, list[Note], list[Service], list[TaskStatement]]:
    task = get_object_or_404(
        TaskStatement.objects.select_related("exam", "domain"), exam__slug=exam_slug, number=number
    )
    notes = list(task.notes.for_listing().select_related("exam").prefetch_related("services"))
    services = sorted({s for note in notes for s in note.services.all()}, key=lambda s: s.sort_name.lower())
    related: list[TaskStatement] = list(
        task.related.select_related("exam").annotate(note_count=Count("notes"))
    )
    return task, notes, services, related


@dataclass
class NoteNeighbours:
    previous: Note | None
    next: Note | None


def note_page(exam_slug: str, slug: str) -> tuple[Note, list[TaskStatement], list[Service], NoteNeighbours]:
    note = get_object_or_404(Note.objects.select_related("exam"), exam__slug=exam_slug, slug=slug)
    tasks = list(note.task_statements.select_related("exam", "domain").order_by("position"))
    services = sorted(note.services.all(), key=lambda s: s.sort_name.lower())
    siblings = list(Note.objects.filter(exam=note.exam).only("pk", "slug", "title", "order", "exam_id"))
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == note.pk)
    for sibling in siblings:
        sibling.exam = note.exam  # same exam: building their URLs needs no query
    neighbours = NoteNeighbours(
        previous=siblings[index - 1] if index > 0 else None,
        next=siblings[index + 1] if index + 1 < len(siblings) else None,
    )
    return note, tasks, services, neighbours


def glossary(*, exam_code: str = "", category: str = "") -> OrderedDict[str, list[Service]]:
    """Services A-Z (by name without the Amazon/AWS prefix), optionally filtered by exam and category."""
    services = Service.objects.prefetch_related(Prefetch("exams", queryset=Exam.objects.only("code", "slug")))
    if exam_code:
        services = services.filter(exams__code=exam_code)
    if category:
        services = services.filter(category=category)
    letters: OrderedDict[str, list[Service]] = OrderedDict()
    for service in sorted(services, key=lambda s: s.sort_name.lower()):
        letter = service.sort_name[:1].upper()
        letters.setdefault(letter if letter.isalpha() else "#", []).append(service)
    return letters


def glossary_filters() -> tuple[list[Exam], list[str]]:
    categories = list(Service.objects.order_by("category").values_list("category", flat=True).distinct())
    exams = list(Exam.objects.only("code", "title"))
    return exams, categories


def service_page(slug: str) -> tuple[Service, list[Exam], list[Note], list[TaskStatement]]:
    service = get_object_or_404(Service, slug=slug)
    exams = list(service.exams.all())
    notes = list(service.notes.for_listing().select_related("exam"))
    tasks = list(
        TaskStatement.objects.filter(notes__services=service)
        .select_related("exam")
        .distinct()
        .order_by("exam__order", "position")
    )
    return service, exams, notes, tasks


@dataclass
class SearchHit:
    kind: str
    title: str
    url: str
    context: str
    snippet: str
    score: int


def search_content(query: str | None, *, limit: int = 30) -> tuple[list[str], list[SearchHit]]:
    """Notes and services matching every term of the query, best first, with highlighted snippets."""
    terms = search.query_terms(query)
    if not terms:
        return terms, []
    note_filter, service_filter = Q(), Q()
    for term in terms:
        note_filter &= Q(title__icontains=term) | Q(search_text__icontains=term) | Q(summary__icontains=term)
        service_filter &= Q(name__icontains=term) | Q(summary__icontains=term) | Q(aliases__icontains=term)
    hits: list[SearchHit] = []
    notes = (
        Note.objects.filter(note_filter)
        .select_related("exam")
        .only("slug", "title", "search_text", "summary", "exam__slug", "exam__code")
    )
    for note in notes[:200]:
        hits.append(
            SearchHit(
                "note",
                note.title,
                note.get_absolute_url(),
                note.exam.code,
                search.snippet(note.search_text, terms),
                search.score(note.search_text, note.title, terms),
            )
        )
    for service in Service.objects.filter(service_filter)[:200]:
        hits.append(
            SearchHit(
                "service",
                service.name,
                service.get_absolute_url(),
                service.category,
                search.snippet(service.summary, terms),
                search.score(service.summary + " " + " ".join(service.aliases), service.name, terms),
            )
        )
    hits.sort(key=lambda hit: (-hit.score, hit.title))
    return terms, hits[:limit]


def read_counts_by_exam(read_ids: Collection[int]) -> dict[int, int]:
    """Exam id -> how many of the given note ids belong to it."""
    if not read_ids:
        return {}
    rows = Note.objects.filter(pk__in=read_ids).values("exam_id").annotate(n=Count("pk"))
    return {row["exam_id"]: row["n"] for row in rows}


def note_link_names(*, exam_ids: Iterable[int], source_id: int | None = None) -> dict[str, str]:
    """Names an Obsidian `[[link]]` may use -> note address (names casefolded). A note of the same source is
    found by its path, file name, title or aliases, and wins over a note of the same exam found by title."""
    index: dict[str, str] = {}
    notes = (
        Note.objects.filter(exam_id__in=exam_ids)
        .select_related("exam")
        .only("slug", "title", "aliases", "relative_path", "source_id", "exam__slug")
    )
    for note in sorted(notes, key=lambda n: (source_id is None or n.source_id != source_id, n.pk)):
        url = reverse("content:note-detail", args=[note.exam.slug, note.slug])
        names = [note.title]
        if source_id is not None and note.source_id == source_id:
            stem = PurePosixPath(note.relative_path).with_suffix("")
            names += [stem.as_posix(), stem.name, *note.aliases]
        for name in names:
            index.setdefault(name.casefold(), url)
    return index
