"""Markdown → sanitized HTML for notes and questions: one pipeline, run when content is saved."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
import nh3
from bs4 import BeautifulSoup
from pymdownx import slugs, superfences

from apps.content.markdown_limits import MarkdownTooComplex, check_markdown

# Bump when the pipeline changes, so `load_content` re-renders stored notes.
RENDERER_VERSION = 1

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
    "github-callouts",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.arithmatex",
    "pymdownx.tasklist",
    "pymdownx.details",
    "pymdownx.tilde",
    "pymdownx.mark",
]


def _extension_configs(baselevel):
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
    "input": {"type", "checked", "disabled"},
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


def _attribute_filter(element, attribute, value):
    if element == "input":
        if attribute == "type":
            return value if value == "checkbox" else None
        return value
    if attribute == "id" and element not in {"h1", "h2", "h3", "h4", "h5", "h6", "li", "sup", "div", "a"}:
        return None
    return value


def sanitize(html):
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


def top_heading_level(text):
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


def _servable_image(src):
    """Images the browser can load: web URLs and files this site serves. Author-machine paths cannot."""
    if not src:
        return False
    parts = urlsplit(src)
    if parts.scheme in {"http", "https"} and parts.netloc:
        return True
    return not parts.scheme and src.startswith(("/static/", "/media/"))


def _postprocess(html):
    soup = BeautifulSoup(html, "html.parser")
    for img in soup.find_all("img"):
        src = img.get("src", "")
        if _servable_image(src):
            img["loading"] = "lazy"
            continue
        caption = img.get("alt") or src.rsplit("/", 1)[-1] or "image"
        placeholder = soup.new_tag("span", attrs={"class": "image-missing", "role": "img"})
        placeholder["aria-label"] = f"Image not available: {caption}"
        label = soup.new_tag("span", attrs={"class": "image-missing-label", "aria-hidden": "true"})
        label.string = "Image not available"
        text = soup.new_tag("span", attrs={"class": "image-missing-caption", "aria-hidden": "true"})
        text.string = caption
        placeholder.extend([label, text])
        img.replace_with(placeholder)
    # Wide tables scroll inside their own box instead of widening the page on a phone.
    for table in soup.find_all("table"):
        if table.parent and "table-scroll" in (table.parent.get("class") or []):
            continue
        wrapper = soup.new_tag("div", attrs={"class": "table-scroll", "tabindex": "0", "role": "region"})
        wrapper["aria-label"] = "Table (scrolls sideways)"
        table.wrap(wrapper)
    return soup


@dataclass
class Rendered:
    html: str
    toc_html: str
    text: str
    word_count: int
    has_mermaid: bool
    has_math: bool
    headings: list = field(default_factory=list)


def render_markdown(text, *, with_toc=True):
    """Render Markdown to sanitized HTML plus a table of contents and plain text for search.

    Raises MarkdownTooComplex for text beyond the limits of apps.content.markdown_limits, before rendering."""
    check_markdown(text)
    try:
        return _render_markdown(text, with_toc=with_toc)
    except RecursionError:  # a last resort: the limits are meant to stop deep nesting before this
        raise MarkdownTooComplex(0, "the text is nested too deeply to render") from None


def _render_markdown(text, *, with_toc):
    top = top_heading_level(text)
    # The page title is the h1, so the note's own top heading level becomes h2, whatever the author used.
    baselevel = max(1, 3 - top) if top < 7 else 1
    md = markdown.Markdown(extensions=_EXTENSIONS, extension_configs=_extension_configs(baselevel))
    raw = md.convert(text)
    soup = _postprocess(sanitize(raw))
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


def _flatten(tokens):
    out = []
    for token in tokens:
        out.append({"id": token["id"], "name": token["name"], "level": token["level"]})
        out.extend(_flatten(token.get("children", [])))
    return out


_SINGLE_PARAGRAPH = re.compile(r"^<p>(?P<inner>.*)</p>$", re.DOTALL)


def render_inline(text):
    """Markdown for short texts shown inside a label or a table cell: one paragraph loses its <p>."""
    html = render_markdown(text, with_toc=False).html.strip()
    match = _SINGLE_PARAGRAPH.match(html)
    if match and "<p>" not in match.group("inner"):
        return match.group("inner")
    return html
