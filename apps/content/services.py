"""Operations on study content that a view performs (reading progress kept in the session)."""

from apps.content.markdown import render_markdown

READ_NOTES_KEY = "read_notes"


def read_note_ids(session):
    return set(session.get(READ_NOTES_KEY, []))


def set_note_read(*, session, note, read):
    """Mark a note read or unread for this browser session; returns the new state."""
    ids = read_note_ids(session)
    ids.add(note.pk) if read else ids.discard(note.pk)
    session[READ_NOTES_KEY] = sorted(ids)
    return read


def save_note(*, note, task_statements=None, services=None):
    """Render a note's Markdown, store the sanitized result with it, and set its links."""
    rendered = render_markdown(note.body_md)
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
