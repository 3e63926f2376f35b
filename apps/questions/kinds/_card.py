"""Texts for an Anki card: a choice, item or prompt as plain text (a script's text goes too)."""

from html import unescape

from django.utils.html import strip_tags

from apps.content.markdown import sanitize


def card_text(fragment_html: str) -> str:
    """Plain text; the card's partial escapes it again."""
    return unescape(strip_tags(sanitize(fragment_html))).strip()
