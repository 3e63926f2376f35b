"""Explanation links: a question's `section` names a heading of a note; parsing and resolving it."""

import re
from dataclasses import dataclass
from html import unescape

from django.utils.html import strip_tags

from apps.content.models import Note

# note-slug#heading-id, or exam-slug/note-slug#heading-id for a note of another exam.
SECTION = re.compile(r"(?:(?P<exam>[a-z0-9][a-z0-9-]*)/)?(?P<note>[a-z0-9][a-z0-9_-]*)#(?P<anchor>[\w-]+)")
# Heading ids as apps/content/markdown.py's toc extension writes them into a note's body_html.
_HEADING = re.compile(r'<h[1-6][^>]*\bid="(?P<id>[^"]+)"[^>]*>(?P<inner>.*?)</h[1-6]>', re.DOTALL)
SHAPE = "note-slug#heading-id, or exam-slug/note-slug#heading-id for a note of another exam"


@dataclass(frozen=True)
class SectionRef:
    exam_slug: str
    note_slug: str
    anchor: str


def parse_section(text: str, *, exam_slug: str) -> SectionRef | None:
    """The parts of a section reference (the question's own exam when it names none), or None if malformed."""
    match = SECTION.fullmatch(text.strip())
    if not match:
        return None
    return SectionRef(match["exam"] or exam_slug, match["note"], match["anchor"])


def heading_anchors(body_html: str) -> list[tuple[str, str]]:
    """(id, heading text) of every heading of a rendered note, in document order."""
    out = []
    for match in _HEADING.finditer(body_html):
        inner = re.sub(r'<a class="headerlink".*?</a>', "", match["inner"], flags=re.DOTALL)
        out.append((match["id"], " ".join(unescape(strip_tags(inner)).split())))
    return out


class SectionIndex:
    """Heading anchors of the notes that references name, each note read once (imports, check_bank)."""

    def __init__(self) -> None:
        self._notes: dict[tuple[str, str], tuple[int, set[str]] | None] = {}

    def _note(self, exam_slug: str, note_slug: str) -> tuple[int, set[str]] | None:
        key = (exam_slug, note_slug)
        if key not in self._notes:
            row = (
                Note.objects.filter(exam__slug=exam_slug, slug=note_slug)
                .values_list("pk", "body_html")
                .first()
            )
            self._notes[key] = (row[0], {anchor for anchor, _ in heading_anchors(row[1])}) if row else None
        return self._notes[key]

    def resolve(self, text: str, *, exam_slug: str) -> tuple[int | None, str]:
        """(note pk, "") when the reference names an existing heading; (None, what is wrong) otherwise."""
        ref = parse_section(text, exam_slug=exam_slug)
        if ref is None:
            return None, f"section {text!r} must look like {SHAPE}"
        found = self._note(ref.exam_slug, ref.note_slug)
        if found is None:
            return None, f"section {text!r}: there is no note {ref.note_slug!r} in {ref.exam_slug}"
        pk, anchors = found
        if ref.anchor not in anchors:
            return None, (
                f"section {text!r}: the note {ref.note_slug!r} has no heading {ref.anchor!r} "
                f"(list them with: manage.py check_bank --anchors {ref.exam_slug})"
            )
        return pk, ""


def anchor_listing(exam: str) -> list[str]:
    """Lines `note-slug#heading-id  Heading text` for every heading of every note of an exam (code or slug)."""
    notes = (
        Note.objects.filter(exam__slug=exam.lower())
        .order_by("order", "slug")
        .values_list("slug", "body_html")
    )
    return [f"{slug}#{anchor}  {title}" for slug, html in notes for anchor, title in heading_anchors(html)]
