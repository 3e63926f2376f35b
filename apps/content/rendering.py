"""Markdown rendered before a write transaction opens, so the transaction only writes what was rendered.

On SQLite a write transaction holds the site-wide write lock from its first statement (BEGIN IMMEDIATE), so
rendering inside it would make every student's save wait for an instructor's import or admin save.
"""

import contextlib
import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect, QueryDict

from apps.content.markdown import Rendered, render_inline, render_markdown
from apps.content.markdown_limits import MarkdownTooComplex, check_markdown

if TYPE_CHECKING:  # the mixin's methods call the ModelAdmin it is mixed into
    from django.contrib.admin import ModelAdmin

    _AdminBase = ModelAdmin[Any]
else:
    _AdminBase = object


class RenderedTexts:
    """Source text → rendered HTML, filled ahead of a transaction and read while writing.

    A text that was not rendered ahead is rendered on the spot, so a missed field costs time, never wrong HTML.
    """

    def __init__(self) -> None:
        self._pages: dict[str, Rendered] = {}
        self._blocks: dict[str, str] = {}
        self._inlines: dict[str, str] = {}

    def add_page(self, text: str) -> None:
        """Render a whole page (a note: with its table of contents and search text)."""
        if text not in self._pages:
            self._pages[text] = render_markdown(text)

    def add_block(self, text: str) -> None:
        """Render a block text (raises MarkdownTooComplex)."""
        if text not in self._blocks:
            self._blocks[text] = render_markdown(text, with_toc=False).html

    def add_inline(self, text: str) -> None:
        if text not in self._inlines:
            self._inlines[text] = render_inline(text)

    def remember_block(self, text: str, html: str) -> None:
        """HTML rendered earlier from this text (a copy of a stored question)."""
        self._blocks[text] = html

    def remember_inline(self, text: str, html: str) -> None:
        self._inlines[text] = html

    def page(self, text: str) -> Rendered:
        return self._pages.get(text) or render_markdown(text)

    def block(self, text: str) -> str:
        html = self._blocks.get(text)
        return html if html is not None else render_markdown(text, with_toc=False).html

    def inline(self, text: str) -> str:
        html = self._inlines.get(text)
        return html if html is not None else render_inline(text)


def markdown_field_error(text: str) -> forms.ValidationError | None:
    """The form error for a Markdown text beyond the limits, or None."""
    try:
        check_markdown(text or "")
    except MarkdownTooComplex as exc:
        return forms.ValidationError(f"This Markdown cannot be shown: {exc}.")
    return None


class PrerenderedAdminMixin(_AdminBase):
    """A ModelAdmin whose POSTed Markdown fields are rendered before the admin opens its transaction.

    `page_fields`, `block_fields` and `inline_fields` are regular expressions over POST keys (inline formset
    keys look like `choices-0-text_md`). The rendered texts travel on `request.rendered_markdown` to the save
    methods.
    """

    page_fields: tuple[str, ...] = ()
    block_fields: tuple[str, ...] = ()
    inline_fields: tuple[str, ...] = ()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            request.rendered_markdown = self._prerender(request.POST)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except MarkdownTooComplex as exc:  # the form checks the limits; this is a last resort, never a 500
            message = f"Nothing was saved: a Markdown text cannot be shown: {exc}."
            self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def _prerender(self, data: QueryDict) -> RenderedTexts:
        rendered = RenderedTexts()
        for key in data:
            add = None
            if any(re.fullmatch(pattern, key) for pattern in self.page_fields):
                add = rendered.add_page
            elif any(re.fullmatch(pattern, key) for pattern in self.block_fields):
                add = rendered.add_block
            elif any(re.fullmatch(pattern, key) for pattern in self.inline_fields):
                add = rendered.add_inline
            text = data.get(key, "").strip()  # as the form's field stores it
            if add is None or not text:
                continue
            with contextlib.suppress(MarkdownTooComplex):  # the form reports it with the field
                add(text)
        return rendered
