"""Markdown → sanitized HTML for notes and questions: one pipeline, run when content is saved."""

import functools
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import markdown
import nh3
from bs4 import BeautifulSoup
from pymdownx import emoji, slugs, superfences

from apps.content.dialects import CALLOUT_STYLES, DialectsExtension, Links, callout_style
from apps.content.markdown_limits import MarkdownTooComplex, check_markdown

# Bump when the pipeline changes, so `load_content` re-renders stored notes.
RENDERER_VERSION = 2

_EXTENSIONS = [
    "tables",
    "footnotes",
    "attr_list",
    "md_in_html",
    "def_list",
    "abbr",
    "sane_lists",
    "admonition",
    "toc",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.arithmatex",
    "pymdownx.tasklist",
    "pymdownx.details",
    "pymdownx.tilde",
    "pymdownx.mark",
    "pymdownx.tabbed",
    "pymdownx.emoji",
]


@functools.cache
def _shared_gemoji() -> dict[str, Any]:
    return emoji.gemoji(None, None)


def _gemoji_index(options: object, md: object) -> dict[str, Any]:
    """pymdownx's Gemoji index, built once. Its own `emoji.gemoji` deep-copies the whole index for every
    Markdown instance (about 20 ms, most of the time it took to render a short text); the extension only
    reads the index, so every render can share one."""
    return _shared_gemoji()


def _extension_configs(baselevel: int) -> dict[str, dict[str, Any]]:
    return {
        "toc": {
            "permalink": "#",
            "permalink_title": "Link to this section",
            "slugify": slugs.slugify(case="lower"),
            "baselevel": baselevel,
            "toc_depth": "2-4",
        },
        "footnotes": {"BACKLINK_TITLE": "Back to the text"},
        "pymdownx.superfences": {
            "custom_fences": [
                {"name": "mermaid", "class": "mermaid", "format": superfences.fence_div_format},
            ]
        },
        "pymdownx.highlight": {"use_pygments": True, "css_class": "highlight", "guess_lang": False},
        "pymdownx.arithmatex": {"generic": True},
        "pymdownx.tasklist": {"custom_checkbox": False},
        # MkDocs Material's tabs; the alternate layout works with CSS alone (radio buttons and labels).
        "pymdownx.tabbed": {"alternate_style": True},
        # `:smile:` as the Unicode character itself: no image fetched from a CDN.
        "pymdownx.emoji": {"emoji_index": _gemoji_index, "emoji_generator": emoji.to_alt},
    }


# Allow-list for the sanitizer: structure and typography only. No script, style, iframe, form or object;
# no event handlers or style attributes (nh3 never lets those through); links limited to safe schemes.
_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
    "var",
}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "input": {"type", "checked", "disabled", "name"},
    "label": {"for"},
    "ol": {"start", "reversed"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "details": {"open"},
}
_URL_SCHEMES = {"http", "https", "mailto"}
# Elements whose content is dropped with them, not kept as text.
_CLEAN_CONTENT_TAGS = {
    "script",
    "style",
    "template",
    "iframe",
    "object",
    "embed",
    "noscript",
    "textarea",
    "select",
}


# Content tabs (pymdownx.tabbed) are radio buttons and labels with these generated names and ids only.
_TAB_NAME = re.compile(r"__tabbed_\d+(_\d+)?")


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    if element == "input":
        if attribute == "type":
            return value if value in {"checkbox", "radio"} else None
        if attribute in {"name", "id"}:
            return value if _TAB_NAME.fullmatch(value) else None
        return value
    if element == "label" and attribute == "for":
        return value if _TAB_NAME.fullmatch(value) else None
    if attribute == "id" and element not in {"h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "div", "a"}:
        return None
    return value


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        clean_content_tags=_CLEAN_CONTENT_TAGS,
        attributes=_ATTRIBUTES,
        attribute_filter=_attribute_filter,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^(#{1,6})\s+\S")


def top_heading_level(text: str) -> int:
    """The highest-ranking ATX heading level used outside code fences (7 when there is none)."""
    level, fence = 7, None
    for line in text.splitlines():
        match = _FENCE.match(line)
        if match:
            marker = match.group(1)[0]
            if fence is None:
                fence = marker
            elif fence == marker:
                fence = None
            continue
        if fence is None:
            heading = _ATX_HEADING.match(line)
            if heading:
                level = min(level, len(heading.group(1)))
    return level


def _servable_image(src: str | None) -> bool:
    """Images the browser can load: web URLs and files this site serves. Author-machine paths cannot."""
    if not src:
        return False
    parts = urlsplit(src)
    if parts.scheme in {"http", "https"} and parts.netloc:
        return True
    return not parts.scheme and src.startswith(("/static/", "/media/"))


def _callout_looks(soup):
    """Admonitions of any type (`!!! abstract`, `??? faq`) get one of our five looks; `???` boxes (details)
    look like the others."""
    for box in soup.select("div.admonition, details"):
        classes = box.get("class") or []
        kinds = [c for c in classes if c not in {"admonition", *CALLOUT_STYLES.values()}]
        if box.name == "details" and not classes:
            continue  # a plain <details> written in the note stays plain
        style = callout_style(kinds[0]) if kinds else next((c for c in classes if c != "admonition"), "note")
        box["class"] = ["admonition", style]
        summary = box.find("summary", recursive=False) if box.name == "details" else None
        if summary is not None:
            summary["class"] = ["admonition-title"]


def _postprocess(html: str, links: Links) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    _callout_looks(soup)
    for img in soup.find_all("img"):
        src = str(img.get("src", ""))
        if not _servable_image(src) and src:
            # A path relative to the note: the importer stores the file when it is inside the folder.
            src = links.image_url(src) or src
            img["src"] = src
        if _servable_image(src):
            img["loading"] = "lazy"
            continue
        caption = str(img.get("alt") or "") or src.rsplit("/", 1)[-1] or "image"
        label = soup.new_tag("span", attrs={"class": "image-missing-label", "aria-hidden": "true"})
        label.string = "Image not available"
        text = soup.new_tag("span", attrs={"class": "image-missing-caption", "aria-hidden": "true"})
        text.string = caption
        # The <img> becomes the placeholder where it stands: replace_with() looks the tag up among all its
        # siblings, so a paragraph of thousands of images took time growing with their square (minutes).
        img.name, img.can_be_empty_element = "span", False
        img.attrs = {"class": "image-missing", "role": "img", "aria-label": f"Image not available: {caption}"}
        img.extend([label, text])
    # Wide tables scroll inside their own box instead of widening the page on a phone.
    for table in soup.find_all("table"):
        if table.parent and "table-scroll" in (table.parent.get("class") or []):
            continue
        # Wrapped where it stands, like the images above (wrap() scans the siblings too): the <table> becomes
        # the box and a new <table> inside it takes over its attributes and rows.
        inner = soup.new_tag("table", attrs=dict(table.attrs))  # type: ignore[arg-type]  # a class stays a list
        inner.extend(list(table.contents))
        table.name = "div"
        table.attrs = {
            "class": "table-scroll",
            "tabindex": "0",
            "role": "region",
            "aria-label": "Table (scrolls sideways)",
        }
        table.append(inner)
    return soup


@dataclass
class Rendered:
    html: str
    toc_html: str
    text: str
    word_count: int
    has_mermaid: bool
    has_math: bool
    headings: list[dict[str, Any]] = field(default_factory=list)


def render_markdown(text: str, *, with_toc: bool = True, links: Links | None = None) -> Rendered:
    """Render Markdown to sanitized HTML plus a table of contents and plain text for search.

    `links` resolves Obsidian `[[Note]]` links and `![[image]]` embeds and relative image paths; without it
    they render as unresolved. Raises MarkdownTooComplex for text beyond the limits of
    apps.content.markdown_limits, before rendering."""
    check_markdown(text)
    try:
        return _render_markdown(text, with_toc=with_toc, links=links)
    except RecursionError:  # a last resort: the limits are meant to stop deep nesting before this
        raise MarkdownTooComplex(0, "the text is nested too deeply to render") from None


def _render_markdown(text: str, *, with_toc: bool, links: Links | None) -> Rendered:
    top = top_heading_level(text)
    # The page title is the h1, so the note's own top heading level becomes h2, whatever the author used.
    baselevel = max(1, 3 - top) if top < 7 else 1
    links = links or Links()
    md = markdown.Markdown(
        extensions=[*_EXTENSIONS, DialectsExtension(links=links)],
        extension_configs=_extension_configs(baselevel),
    )
    raw = md.convert(text)
    soup = _postprocess(sanitize(raw), links)
    html = str(soup)
    for node in soup.select(".mermaid, .headerlink, .footnote-backref"):
        node.decompose()
    plain = " ".join(soup.get_text(" ").split())
    toc_tokens = getattr(md, "toc_tokens", []) if with_toc else []
    toc_html = sanitize(md.toc) if with_toc and toc_tokens else ""
    return Rendered(
        html=html,
        toc_html=toc_html,
        text=plain,
        word_count=len(plain.split()),
        has_mermaid='class="mermaid"' in html,
        has_math='class="arithmatex"' in html,
        headings=_flatten(toc_tokens),
    )


def _flatten(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for token in tokens:
        out.append({"id": token["id"], "name": token["name"], "level": token["level"]})
        out.extend(_flatten(token.get("children", [])))
    return out


_SINGLE_PARAGRAPH = re.compile(r"^<p>(?P<inner>.*)</p>$", re.DOTALL)


def render_inline(text: str) -> str:
    """Markdown for short texts shown inside a label or a table cell: one paragraph loses its <p>."""
    html = render_markdown(text, with_toc=False).html.strip()
    match = _SINGLE_PARAGRAPH.match(html)
    if match and "<p>" not in match.group("inner"):
        return match.group("inner")
    return html


def plain_inline(text: str) -> str:
    """The text a reader sees of a short piece of inline Markdown (a heading used as a page title)."""
    return " ".join(BeautifulSoup(render_inline(text), "html.parser").get_text().split())
