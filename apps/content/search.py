"""Query terms, snippets and <mark> highlighting for search results (pure: no database)."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8


def query_terms(query: str | None) -> list[str]:
    """Distinct words of a query, longest first, so highlighting prefers "SageMaker" over "Sage"."""
    words: list[str] = []
    for word in (query or "")[:MAX_QUERY_LENGTH].split():
        word = word.strip("\"'.,;:!?()[]{}")
        if word and word.lower() not in {w.lower() for w in words}:
            words.append(word)
    return sorted(words[:MAX_TERMS], key=len, reverse=True)


def _pattern(terms: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)


def highlight(text: str, terms: list[str]) -> SafeString:
    """Escape `text` and wrap every occurrence of a term in <mark>."""
    if not terms:
        return escape(text)
    out: list[str] = []
    last = 0
    for match in _pattern(terms).finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def snippet(text: str, terms: list[str], *, width: int = 220) -> SafeString:
    """A highlighted window of `text` showing as many different query words as possible (the opening words
    when nothing matches)."""
    pattern = _pattern(terms) if terms else None
    matches = list(pattern.finditer(text)) if pattern else []
    if not matches:
        cut = text[:width]
        return highlight(cut + ("…" if len(text) > width else ""), terms)
    best_start, best_count = matches[0].start(), 0
    for match in matches[:200]:
        start = max(0, match.start() - width // 3)
        window = text[start : start + width].lower()
        count = sum(1 for term in terms if term.lower() in window)
        if count > best_count:
            best_start, best_count = start, count
            if count == len(terms):
                break
    start = best_start
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + width // 3 else start
    end = min(len(text), start + width)
    piece = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    return highlight(piece, terms)


def score(text: str, title: str, terms: list[str]) -> int:
    """Title matches count ten times as much as matches in the body."""
    pattern = _pattern(terms)
    return 10 * len(pattern.findall(title)) + len(pattern.findall(text))
