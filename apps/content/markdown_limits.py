"""Limits on Markdown input, checked before Python-Markdown runs, so rendering stays fast and never recurses deeply.

Python-Markdown handles nested blocks by recursion and some inline patterns by scanning ahead from every
opening bracket, so a few kilobytes of `>`, `- ` or `[` can raise RecursionError or take minutes. These limits
are far above what notes and questions need (docs/content-format.md lists them) and are checked in one
linear pass over the text.
"""

import re
from typing import NoReturn

MAX_MARKDOWN_CHARS = 100_000  # one note or one question field
MAX_NESTING = 16  # blockquotes, list items, admonitions and Markdown HTML blocks inside each other
MAX_BRACKET_DEPTH = 32  # `[`, `(` and `<` left open at once within one paragraph
MAX_BACKTICK_RUN = 16  # backticks in a row outside fenced code
MAX_HEADINGS = 300
MAX_FOOTNOTES = 300
MAX_ABBREVIATIONS = 100


class MarkdownTooComplex(ValueError):
    """Markdown that would take too long or nest too deeply to render: `reason`, and `line` (1-based in the
    text; 0 for the text as a whole). Its message is "<reason> at line <line>"."""

    def __init__(self, line: int, reason: str):
        super().__init__(f"{reason} at line {line}" if line else reason)
        self.line = line
        self.reason = reason


_FENCE = re.compile(r"^\s*(`{3,%s}(?!`)|~{3,})" % MAX_BACKTICK_RUN)  # noqa: UP031 - braces in the pattern
# One container opener at the start of a line: a quote marker, a list marker, an admonition or details block.
_CONTAINER = re.compile(r"(?:>|[-*+](?=\s|$)|\d{1,9}[.)](?=\s|$)|(?:!!!|\?\?\?\+?)(?=\s|$))[ \t]*")
_MARKDOWN_HTML_OPEN = re.compile(r"<([A-Za-z][\w-]*)\b[^<>]*\bmarkdown\b[^<>]*>")
_HTML_CLOSE = re.compile(r"</([A-Za-z][\w-]*)\s*>")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_FOOTNOTE_DEFINITION = re.compile(r"^\s{0,3}\[\^[^\]]*\]:")
_ABBREVIATION = re.compile(r"^\s{0,3}\*\[[^\]]*\]:")
_BACKTICKS = re.compile("`" * (MAX_BACKTICK_RUN + 1))
_OPENERS, _CLOSERS = "[(<", "])>"


def _too_complex(line: int, message: str) -> NoReturn:
    raise MarkdownTooComplex(line, message)


def _line_nesting(line: str) -> int:
    """How many containers a line opens: its quote and list markers, plus one per 4 columns of indentation."""
    expanded = line.expandtabs(4)
    stripped = expanded.lstrip(" ")
    markers, position = 0, 0
    while match := _CONTAINER.match(stripped, position):
        if match.end() == position:
            break
        markers, position = markers + 1, match.end()
    if not markers:
        return 0
    return (len(expanded) - len(stripped)) // 4 + markers


def check_markdown(text: str) -> None:
    """Raise MarkdownTooComplex for text beyond the limits above; return None for text that may be rendered."""
    if len(text) > MAX_MARKDOWN_CHARS:
        _too_complex(0, f"the text is longer than {MAX_MARKDOWN_CHARS:,} characters; split it")
    fence = None
    html_stack: list[str] = []
    depth = {opener: 0 for opener in _OPENERS}
    headings = footnotes = abbreviations = 0
    previous = ""
    for number, line in enumerate(text.split("\n"), 1):
        after_text, previous = bool(previous.strip()), line
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)[0]
            fence = marker if fence is None else (None if fence == marker else fence)
            continue
        if fence is not None:
            continue  # code is shown as written: none of the patterns below apply inside it
        if not line.strip():
            depth = dict.fromkeys(depth, 0)  # a blank line ends the paragraph the inline patterns scan
            continue
        for match in re.finditer(r"<[^<>]*>", line):
            opened = _MARKDOWN_HTML_OPEN.fullmatch(match.group())
            closed = _HTML_CLOSE.fullmatch(match.group())
            if opened:
                html_stack.append(opened.group(1).lower())
            elif closed and html_stack and html_stack[-1] == closed.group(1).lower():
                html_stack.pop()
        if len(html_stack) + _line_nesting(line) > MAX_NESTING:
            _too_complex(number, f"nesting deeper than {MAX_NESTING}")
        if _BACKTICKS.search(line):
            _too_complex(number, f"more than {MAX_BACKTICK_RUN} backticks in a row")
        escaped = False
        for char in line:
            if escaped:
                escaped = False  # `\[` is a literal bracket: it opens nothing
            elif char == "\\":
                escaped = True
            elif char in depth:
                depth[char] += 1
                if depth[char] > MAX_BRACKET_DEPTH:
                    _too_complex(number, f"more than {MAX_BRACKET_DEPTH} unclosed '{char}'")
            elif char in _CLOSERS:
                opener = _OPENERS[_CLOSERS.index(char)]
                depth[opener] = max(0, depth[opener] - 1)
        headings += bool(_HEADING.match(line) or (after_text and _SETEXT_UNDERLINE.match(line)))
        footnotes += bool(_FOOTNOTE_DEFINITION.match(line))
        abbreviations += bool(_ABBREVIATION.match(line))
        if headings > MAX_HEADINGS:
            _too_complex(number, f"more than {MAX_HEADINGS} headings")
        if footnotes > MAX_FOOTNOTES:
            _too_complex(number, f"more than {MAX_FOOTNOTES} footnotes")
        if abbreviations > MAX_ABBREVIATIONS:
            _too_complex(number, f"more than {MAX_ABBREVIATIONS} abbreviations")
