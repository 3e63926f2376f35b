"""Study pages. Public: no login is needed to read notes."""

from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from apps.content import selectors
from apps.content.media import CONTENT_TYPES
from apps.content.models import Note, NoteMedia
from apps.content.services import read_note_ids, set_note_read


@require_GET
def home(request):
    if request.user.is_authenticated:
        # A student's home is their dashboard (named, not imported: content depends on no other app).
        return redirect("progress:dashboard")
    exams = selectors.exams_for_home()
    read_counts = selectors.read_counts_by_exam(read_note_ids(request.user, request.session))
    for exam in exams:
        exam.read_count = read_counts.get(exam.pk, 0)
    return render(request, "content/home.html", {"exams": exams})


@require_GET
def exam_detail(request, exam_slug):
    read_ids = read_note_ids(request.user, request.session)
    exam, domains, services_by_category, notes = selectors.exam_overview(exam_slug, read_ids=read_ids)
    return render(
        request,
        "content/exam_detail.html",
        {
            "exam": exam,
            "domains": domains,
            "services_by_category": services_by_category,
            "notes": notes,
            "read_ids": read_ids,
            "nav": "exams",
            "crumbs": [(exam.code, None)],
        },
    )


@require_GET
def task_statement_detail(request, exam_slug, number):
    task, notes, services, related = selectors.task_statement_page(exam_slug, number)
    return render(
        request,
        "content/task_statement_detail.html",
        {
            "task": task,
            "exam": task.exam,
            "notes": notes,
            "services": services,
            "related": related,
            "read_ids": read_note_ids(request.user, request.session),
            "nav": "exams",
            "crumbs": [
                (task.exam.code, task.exam.get_absolute_url()),
                (f"Task statement {task.number}", None),
            ],
        },
    )


@require_GET
def note_detail(request, exam_slug, slug):
    note, tasks, services, neighbours = selectors.note_page(exam_slug, slug)
    return render(
        request,
        "content/note_detail.html",
        {
            "note": note,
            "exam": note.exam,
            "tasks": tasks,
            "services": services,
            "neighbours": neighbours,
            "is_read": note.pk in read_note_ids(request.user, request.session),
            "nav": "exams",
            "crumbs": _note_crumbs(note, tasks),
        },
    )


@require_POST
def note_read(request, exam_slug, slug):
    note = get_object_or_404(Note.objects.select_related("exam"), exam__slug=exam_slug, slug=slug)
    is_read = set_note_read(
        user=request.user,
        session=request.session,
        note=note,
        read=request.POST.get("read") != "0",
        now=timezone.now(),
    )
    if request.htmx:
        return render(request, "content/note_detail.html#read-toggle", {"note": note, "is_read": is_read})
    return redirect(note)


@require_GET
def note_media(request, digest, extension):
    """An image imported with notes. Its address is its content's hash, so it may be cached for good."""
    media = NoteMedia.objects.filter(digest=digest).only("content_type", "data").first()
    if media is None or CONTENT_TYPES[extension] != media.content_type:
        raise Http404("No such image.")
    response = HttpResponse(bytes(media.data), content_type=media.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_GET
@vary_on_headers("HX-Request")
def service_list(request):
    exams, categories = selectors.glossary_filters()
    exam_code = request.GET.get("exam", "")
    category = request.GET.get("category", "")
    exam_code = exam_code if exam_code in {e.code for e in exams} else ""
    category = category if category in categories else ""
    letters = selectors.glossary(exam_code=exam_code, category=category)
    context = {
        "letters": letters,
        "exams": exams,
        "categories": categories,
        "exam_code": exam_code,
        "category": category,
        "count": sum(len(group) for group in letters.values()),
        "nav": "services",
        "crumbs": [("AWS services", None)],
    }
    template = "content/service_list.html#service-results" if request.htmx else "content/service_list.html"
    return render(request, template, context)


@require_GET
def service_detail(request, slug):
    service, exams, notes, tasks = selectors.service_page(slug)
    return render(
        request,
        "content/service_detail.html",
        {
            "service": service,
            "exams": exams,
            "notes": notes,
            "tasks": tasks,
            "nav": "services",
            "crumbs": [("AWS services", reverse("content:service-list")), (service.name, None)],
        },
    )


@require_GET
@vary_on_headers("HX-Request")
def search(request):
    query = request.GET.get("q", "").strip()
    terms, hits = selectors.search_content(query)
    context = {"query": query, "terms": terms, "hits": hits}
    template = "content/search.html#search-results" if request.htmx else "content/search.html"
    return render(request, template, context)


@require_GET
@never_cache
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _note_crumbs(note, tasks):
    crumbs = [(note.exam.code, note.exam.get_absolute_url())]
    if tasks:
        crumbs.append((f"Task statement {tasks[0].number}", tasks[0].get_absolute_url()))
    crumbs.append((note.title, None))
    return crumbs
