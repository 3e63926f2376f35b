"""Bounded Markdown: pathological input is refused before rendering, quickly and with its line."""

import time

import pytest

from apps.content import markdown as markdown_module
from apps.content.markdown import render_inline, render_markdown
from apps.content.markdown_limits import (
    MAX_BRACKET_DEPTH,
    MAX_MARKDOWN_CHARS,
    MAX_NESTING,
    MarkdownTooComplex,
    check_markdown,
)


def refused(text):
    started = time.monotonic()
    with pytest.raises(MarkdownTooComplex) as caught:
        render_markdown(text)
    assert time.monotonic() - started < 1, "the limits are checked before Python-Markdown runs"
    return caught.value


def test_a_run_of_opening_brackets_is_refused_at_once():
    error = refused("Intro\n\n" + "[" * 16000)
    assert error.line == 3
    assert str(error) == f"more than {MAX_BRACKET_DEPTH} unclosed '[' at line 3"


@pytest.mark.parametrize(
    "text",
    [">" * 400, "> " * 400, "- " * 1000, "1. " * 500, "\n".join("    " * i + "- item" for i in range(40))],
    ids=["quote-run", "spaced-quotes", "dashes", "numbers", "indented-lists"],
)
def test_deep_nesting_is_refused_with_its_line(text):
    error = refused(text)
    assert f"nesting deeper than {MAX_NESTING} at line {error.line}" == str(error)


def test_nested_markdown_html_blocks_count_as_nesting():
    text = '<div markdown="1">\n\n' * 40 + "x\n\n" + "</div>\n\n" * 40
    assert "nesting deeper than" in str(refused(text))


@pytest.mark.parametrize(
    "text",
    ["[a](" * 2000, "<http://" * 2000, "[a][" * 2000, "![" * 2000, "[\n" * 4000, "`" * 5000],
    ids=["open-links", "autolinks", "references", "images", "bracket-lines", "backticks"],
)
def test_quadratic_inline_patterns_are_refused(text):
    refused(text)


def test_too_long_a_text_is_refused():
    assert "longer than" in str(refused("word " * (MAX_MARKDOWN_CHARS // 5 + 1)))


def test_render_inline_applies_the_same_limits():
    with pytest.raises(MarkdownTooComplex):
        render_inline(">" * 400)


def test_text_within_the_limits_renders():
    quotes = "> " * MAX_NESTING + "deep but allowed"
    assert "deep but allowed" in render_markdown(quotes).html
    brackets = "[" * MAX_BRACKET_DEPTH + " open brackets, then text"
    assert "open brackets" in render_markdown(brackets).html
    escaped = "\\[" * 200
    assert render_markdown(escaped).html.count("[") == 200


def test_code_is_not_counted_as_nesting_or_brackets():
    code = "```python\n" + "\n".join(" " * 100 + "- [[[[" * 20 for _ in range(5)) + "\n```\n"
    check_markdown(code)
    assert "highlight" in render_markdown(code).html


def test_a_recursion_error_never_escapes(monkeypatch):
    def explode(text, **options):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markdown_module, "_render_markdown", explode)
    with pytest.raises(MarkdownTooComplex, match="nested too deeply"):
        render_markdown("plain text")


def test_thousands_of_missing_images_render_without_a_scan_of_their_siblings_each(monkeypatch):
    # A 100 KB stem of `![a](b)` (about 12,000 images, within every limit) took minutes to render: each
    # missing image was swapped for its placeholder with replace_with(), which finds the tag by scanning all
    # its siblings. Counting the siblings scanned keeps the test exact on a busy machine.
    from bs4.element import Tag

    scans = []
    original = Tag.index
    monkeypatch.setattr(Tag, "index", lambda self, element: scans.append(original(self, element)) or scans[-1])
    html = render_markdown("![a](b) " * 2000, with_toc=False).html
    assert html.count('class="image-missing"') == 2000
    assert html.count("Image not available: a") == 2000
    assert sum(scans) < 10_000  # siblings looked at: about 2,000,000 when each scan went along the line


def test_thousands_of_tables_are_wrapped_without_a_scan_of_their_siblings_each(monkeypatch):
    # The same for tables: wrap() found each table among all its siblings (11,000 tables fit in 100 KB).
    from bs4.element import Tag

    scans = []
    original = Tag.index
    monkeypatch.setattr(Tag, "index", lambda self, element: scans.append(original(self, element)) or scans[-1])
    html = render_markdown("|a|b|\n|-|-|\n|1|2|\n\n" * 1000, with_toc=False).html
    assert html.count('<div aria-label="Table (scrolls sideways)" class="table-scroll"') == 1000
    assert html.count("<td>1</td>") == 1000 and html.count("<th>a</th>") == 1000
    assert sum(scans) < 10_000  # siblings looked at: about 500,000 when each table was scanned for
