"""Operations on study content that a view performs: saving notes and marking them read."""

from apps.content.markdown import render_markdown
from apps.content.models import Note, NoteRead

# Reading progress is stored in the database for a signed-in student, so it follows them to any browser,
# and under this session key for an anonymous visitor; logging in carries the session's marks over.
READ_NOTES_KEY = "read_notes"


def _signed_in(user):
    return user is not None and user.is_authenticated


def read_note_ids(user, session):
    """The ids of the notes this reader marked as read: one query when signed in, none otherwise."""
    if _signed_in(user):
        return set(NoteRead.objects.filter(user=user).values_list("note_id", flat=True))
    return set(session.get(READ_NOTES_KEY, []))


def set_note_read(*, user, session, note, read, now):
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


def merge_session_reads(*, user, session, now):
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


def save_note(*, note, task_statements=None, services=None, rendered=None):
    """Store a note with its sanitized HTML, and set its links. `rendered` is the note's Markdown rendered
    before the caller's transaction (rendered here otherwise)."""
    rendered = rendered.page(note.body_md) if rendered is not None else render_markdown(note.body_md)
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
