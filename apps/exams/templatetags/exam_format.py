"""Formatting for the exam pages: durations and choice letters."""

from django import template

register = template.Library()


@register.filter
def duration(seconds):
    """12345 -> "3:25:45"; 75 -> "1:15"."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@register.filter
def letter(number):
    """1 -> "A"."""
    return chr(64 + int(number))
