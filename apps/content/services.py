"""Operations on study content that a view performs: saving notes and marking them read."""

from collections.abc import Iterable
from datetime import datetime
from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.backends.base import SessionBase

from apps.content.dialects import Links
from apps.content.markdown import Rendered, render_markdown
from apps.content.markdown_limits import MarkdownTooComplex
from apps.content.models import Note, NoteRead, Service, TaskStatement
from apps.content.selectors import note_link_names

# Reading progress is stored in the database for a signed-in student, so it follows them to any browser,
# and under this session key for an anonymous visitor; logging in carries the session's marks over.
READ_NOTES_KEY = "read_notes"


def _signed_in(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return user is not None and user.is_authenticated


def read_note_ids(user: User | AnonymousUser | None, session: SessionBase) -> set[int]:
    """The ids of the notes this reader marked as read: one query when signed in, none otherwise."""
    if _signed_in(user):
        return set(NoteRead.objects.filter(user=user).values_list("note_id", flat=True))
    return set(session.get(READ_NOTES_KEY, []))


def set_note_read(
    *, user: User | AnonymousUser | None, session: SessionBase, note: Note, read: bool, now: datetime
) -> bool:
    """Mark a note read or unread for this reader; safe to repeat. Returns the new state."""
    if _signed_in(user):
        if read:
            # Keeps the first read_at, and a double click cannot trip the unique constraint.
            NoteRead.objects.bulk_create([NoteRead(user=user, note=note, read_at=now)], ignore_conflicts=True)
        else:
            NoteRead.objects.filter(user=user, note=note).delete()
        return read
    ids = set(session.get(READ_NOTES_KEY, []))
    ids.add(note.pk) if read else ids.discard(note.pk)
    session[READ_NOTES_KEY] = sorted(ids)
    return read


def merge_session_reads(*, user: User, session: SessionBase, now: datetime) -> None:
    """Add the notes marked in this session before logging in to the user's account.

    Only adds: what the account already holds stays as it is. Notes deleted since they were marked are
    skipped. The session's list is emptied afterwards, so calling this twice does no harm.
    """
    ids = session.get(READ_NOTES_KEY)
    if not ids:
        return
    note_ids = Note.objects.filter(pk__in=ids).order_by().values_list("pk", flat=True)
    NoteRead.objects.bulk_create(
        [NoteRead(user=user, note_id=note_id, read_at=now) for note_id in note_ids], ignore_conflicts=True
    )
    # Emptied only once the rows are stored: a failed write leaves the marks where they were.
    del session[READ_NOTES_KEY]


def render_note(
    *, body: str, exam_id: int | None, source_id: int | None, image_urls: dict[str, str]
) -> Rendered:
    """A note's Markdown rendered with its links and images resolved as they were on import (the folder may
    be gone; its images are stored). Raises MarkdownTooComplex beyond the limits."""
    names = note_link_names(exam_ids=[exam_id] if exam_id else [], source_id=source_id)
    links = Links(
        note_url=lambda name: names.get(name.casefold()),
        image_url=lambda reference, by_name=False: image_urls.get(reference),
    )
    return render_markdown(body, links=links)


def _is_id(value: str) -> bool:
    # isascii: isdigit also holds for "²" or "①", which int() refuses.
    return str(value).isascii() and str(value).isdigit()


def prerender_note(*, note_id: str | None, body: str, exam_id: str | None) -> Rendered | None:
    """Render a note posted in the admin before the admin's transaction opens (None when it cannot be: the
    save then renders it, and the form reports what is wrong)."""
    note = Note.objects.filter(pk=note_id).first() if note_id and _is_id(note_id) else None
    exam = int(exam_id) if exam_id and _is_id(exam_id) else None
    try:
        return render_note(
            body=body.strip(),
            exam_id=exam or (note.exam_id if note else None),
            source_id=note.source_id if note else None,
            image_urls=note.image_urls if note else {},
        )
    except MarkdownTooComplex:
        return None


def save_note(
    *,
    note: Note,
    task_statements: Iterable[TaskStatement] | None = None,
    services: Iterable[Service] | None = None,
    rendered: Rendered | None = None,
) -> Note:
    """Store a note with its sanitized HTML, and set its links. `rendered` is the note's Markdown rendered
    before the caller's transaction (rendered here otherwise)."""
    if rendered is None:
        rendered = render_note(
            body=note.body_md, exam_id=note.exam_id, source_id=note.source_id, image_urls=note.image_urls
        )
    note.body_html = rendered.html
    note.toc_html = rendered.toc_html
    note.search_text = rendered.text
    note.word_count = rendered.word_count
    note.content_hash = ""  # edited outside an import: the next import of the same file re-renders it
    note.save()
    if task_statements is not None:
        note.task_statements.set(task_statements)
    if services is not None:
        note.services.set(services)
    return note
