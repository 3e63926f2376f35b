"""Missed questions as an Anki deck (.apkg) built with genanki from stored snapshots (plain data in, bytes out)."""

import hashlib
import io
import itertools
import sqlite3
import zipfile
from html import escape

import genanki
from django.template.loader import render_to_string

from apps.content.markdown import sanitize
from apps.questions import kinds
from apps.questions.kinds.base import Snapshot, Use

CSS = """.card { font-family: system-ui, sans-serif; font-size: 18px; text-align: left; }
.choices { list-style: none; padding-left: 0; }
.scenario { border-left: 3px solid #999; padding-left: .75em; }
.explanation { margin-top: 1em; }"""


def stable_id(*parts):
    """A number in genanki's recommended id range (2**30 to 2**31), the same for the same parts every time,
    so that importing a newer download updates the deck instead of adding a second one."""
    digest = hashlib.sha256("-".join(str(part) for part in parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:4], "big") % (1 << 30)


def _card_part(snapshot: Snapshot, use: Use) -> str:
    kind = kinds.get(snapshot["kind"])
    return render_to_string(kind.template_for(use), {"card": kind.card(snapshot)}).strip()


def front_html(snapshot):
    """The question side: scenario and stem as HTML, then the kind's partial (the parts to choose from as text)."""
    parts = []
    if snapshot.get("scenario"):
        scenario = snapshot["scenario"]
        parts.append(
            f'<div class="scenario"><p><strong>Scenario: {escape(scenario["title"])}</strong></p>'
            f"{scenario['html']}</div>"
        )
    parts.append(f'<div class="stem">{snapshot["stem_html"]}</div>')
    parts.append(_card_part(snapshot, "anki_front"))
    return sanitize("".join(parts))


def back_html(snapshot, link=None):
    """The answer side: the correct answer (the kind's partial), the explanation, then where the notes teach it
    (`link`: an absolute "url" and a "title")."""
    answer = _card_part(snapshot, "anki_back")
    explanation = snapshot.get("explanation_html") or ""
    study = (
        f'<p class="study"><a href="{escape(link["url"])}">Study this in the notes: {escape(link["title"])}</a></p>'
        if link
        else ""
    )
    return sanitize(
        f'<div class="answer"><p><strong>Answer</strong></p>{answer}</div>'
        f'<div class="explanation"><p><strong>Why</strong></p>{explanation}</div>{study}'
    )


def mistakes_deck(*, exam_code, exam_title, snapshots, now, links=None):
    """The .apkg bytes of a deck with one note per (question id, snapshot); `now` stamps the notes; `links`
    ({question id: {"url", "title"}}, absolute URLs) send each card's back to the notes."""
    links = links or {}
    model = genanki.Model(
        stable_id("certprep-model", exam_code),
        f"certprep {exam_code} question",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[
            {"name": "Question", "qfmt": "{{Front}}", "afmt": '{{FrontSide}}<hr id="answer">{{Back}}'}
        ],
        css=CSS,
    )
    deck = genanki.Deck(stable_id("certprep-deck", exam_code), f"certprep::{exam_code} my mistakes")
    deck.description = escape(
        f"Questions of {exam_code} {exam_title} you got wrong and have not answered right since."
    )
    for question_id, snapshot in snapshots:
        tags = ["certprep", exam_code.replace(" ", "_")]
        if snapshot.get("task"):
            tags.append(f"task-{snapshot['task']}")
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[front_html(snapshot), back_html(snapshot, links.get(question_id))],
                tags=tags,
                # The same question keeps its note across downloads: a re-import updates it.
                guid=genanki.guid_for("certprep", exam_code, question_id),
            )
        )
    return _package_bytes(genanki.Package(deck), now.timestamp())


def _package_bytes(package, timestamp):
    # genanki's write_to_file leaves its temporary database behind in /tmp on every call; this builds the
    # same zip (collection.anki2 plus an empty media map) from an in-memory database.
    connection = sqlite3.connect(":memory:")
    try:
        package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        connection.commit()
        collection = connection.serialize()
    finally:
        connection.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("collection.anki2", collection)
        archive.writestr("media", "{}")
    return buffer.getvalue()
