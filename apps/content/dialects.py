"""Markdown as other tools write it (GitHub, Obsidian, Docusaurus), turned into what our pipeline renders."""

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from markdown import Markdown, util
from markdown.blockprocessors import BlockQuoteProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor

# Every callout type of GitHub, Obsidian, MkDocs and Docusaurus -> one of the five looks we style.
CALLOUT_STYLES = {
    "note": "note",
    "info": "note",
    "abstract": "note",
    "summary": "note",
    "tldr": "note",
    "todo": "note",
    "example": "note",
    "quote": "note",
    "cite": "note",
    "question": "note",
    "help": "note",
    "faq": "note",
    "tip": "tip",
    "hint": "tip",
    "success": "tip",
    "check": "tip",
    "done": "tip",
    "important": "important",
    "warning": "warning",
    "attention": "warning",
    "caution": "danger",
    "danger": "danger",
    "error": "danger",
    "failure": "danger",
    "fail": "danger",
    "missing": "danger",
    "bug": "danger",
}


def callout_style(kind: str) -> str:
    """The CSS look of a callout type; a type we do not know looks like a note."""
    return CALLOUT_STYLES.get(kind.lower(), "note")


_FENCE = re.compile(r"^(?P<indent> *)(?P<fence>`{3,}|~{3,})")
_HR = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space> +|$)")
_BLOCK_START = re.compile(r"^ {0,3}(#{1,6}\s|>|\||<|!!!|\?\?\?|===|:::)")


class _Fence:
    """Tracks fenced code so that no preprocessor rewrites what is inside a code block."""

    def __init__(self):
        self.marker = None

    def toggles(self, line: str) -> bool:
        match = _FENCE.match(line)
        if not match:
            return False
        fence = match["fence"]
        if self.marker is None:
            self.marker = fence
            return True
        if fence[0] == self.marker[0] and len(fence) >= len(self.marker) and not line.strip()[len(fence) :]:
            self.marker = None
            return True
        return False


class GitHubListsPreprocessor(Preprocessor):
    """Lists as GitHub reads them: a list may start right under a line of text, and an item's children are
    the lines indented to its text (2 spaces under `- `, 3 under `1. `), not only by 4 spaces.

    Python-Markdown wants a blank line before a list and 4 spaces per level; this rewrites list lines to
    that form and leaves every other line alone. (The list extensions on PyPI fix one indent width only.)"""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        stack: list[int] = []  # content column of each open item, outermost first
        fence, fence_shift = _Fence(), 0
        previous = ""
        for line in lines:
            if fence.marker is not None:
                fence.toggles(line)
                out.append(_shift(line, fence_shift))
                previous = line
                continue
            if not line.strip():
                out.append(line)
                previous = line
                continue
            indent = len(line) - len(line.lstrip(" "))
            item = None if _HR.match(line) else _ITEM.match(line)
            if item and not stack and indent >= 4:
                item = None  # an indented code block or the body of an admonition, not a list
            interrupts = not stack and previous.strip() and _is_paragraph(previous)
            if item and interrupts and item["marker"][0].isdigit() and item["marker"][:-1] != "1":
                item = None  # as on GitHub, only a list starting at 1 may interrupt a paragraph ("In\n2024. ...")
            if item:
                while stack and indent < stack[-1]:
                    stack.pop()
                if interrupts and not _ITEM.match(previous):
                    out.append("")  # GitHub starts a list under a paragraph line; Python-Markdown needs a gap
                marker = item["marker"].replace(")", ".")
                depth = len(stack)
                rest = line[item.end() :]
                out.append(" " * (4 * depth) + marker + (" " + rest if rest else ""))
                stack.append(indent + len(item["marker"]) + max(1, len(item["space"])))
                previous = line
                continue
            list_ends = (not previous.strip() and stack and indent < stack[0]) or (
                indent == 0 and _BLOCK_START.match(line)
            )
            if list_ends:
                stack = []
            if stack:
                owner = len(stack) - 1
                while owner > 0 and indent < stack[owner]:
                    owner -= 1
                if not previous.strip():
                    del stack[owner + 1 :]
                extra = max(0, indent - stack[owner])
                new_line = " " * (4 * (owner + 1) + extra) + line.lstrip(" ")
                if fence.toggles(line):
                    fence_shift = len(new_line) - len(line)
                    if previous.strip():
                        out.append("")  # a code block right under an item's text needs a gap here too
                out.append(new_line)
            else:
                if fence.toggles(line):
                    fence_shift = 0
                out.append(line)
            previous = line
        return out


def _shift(line: str, shift: int) -> str:
    if shift >= 0:
        return " " * shift + line if line.strip() else line
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, -shift) :]


def _is_paragraph(line: str) -> bool:
    return not _BLOCK_START.match(line) and not line.startswith("    ")


_DOCUSAURUS_OPEN = re.compile(
    r"^(?P<indent> *)(?P<colons>:{3,})(?P<kind>[A-Za-z][\w-]*)(?:\[(?P<bracket>[^\]]*)\])?[ \t]*(?P<title>.*?)\s*$"
)
_DOCUSAURUS_CLOSE = re.compile(r"^ *(?P<colons>:{3,})\s*$")


class DocusaurusAdmonitionPreprocessor(Preprocessor):
    """`:::tip Title` ... `:::` (Docusaurus, also `:::tip[Title]`) becomes an `!!! tip "Title"` admonition."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        depth = 0
        fence = _Fence()
        for line in lines:
            prefix = "    " * depth
            if fence.marker is None and not fence.toggles(line):
                opener = _DOCUSAURUS_OPEN.match(line)
                if opener:
                    title = (opener["bracket"] or opener["title"] or "").replace('"', "'")
                    out.append(f"{prefix}!!! {opener['kind'].lower()}" + (f' "{title}"' if title else ""))
                    depth += 1
                    continue
                if depth and _DOCUSAURUS_CLOSE.match(line):
                    depth -= 1
                    out.append("")
                    continue
            elif fence.marker is not None:
                fence.toggles(line)
            out.append(prefix + line if line.strip() else line)
        return out


_DETAILS_OPEN = re.compile(r"^(?P<indent> {0,3})<details(?P<attrs>(?:\s[^>]*)?)>", re.IGNORECASE)


class DetailsMarkdownPreprocessor(Preprocessor):
    """GitHub renders Markdown inside `<details>`; md_in_html does when the tag says `markdown="1"`."""

    def run(self, lines: list[str]) -> list[str]:
        fence, out = _Fence(), []
        for line in lines:
            if fence.marker is None and not fence.toggles(line):
                match = _DETAILS_OPEN.match(line)
                if match and "markdown" not in match["attrs"]:
                    line = f'{match["indent"]}<details markdown="1"{match["attrs"]}>' + line[match.end() :]
            elif fence.marker is not None:
                fence.toggles(line)
            out.append(line)
        return out


class CalloutProcessor(BlockQuoteProcessor):
    """GitHub alerts and Obsidian callouts: `> [!tip] Title`, any type and case; `> [!faq]- Title` folds
    (a closed <details>), `+` folds open."""

    REGEX = re.compile(
        r"(^|\n) {0,3}> *\[!(?P<kind>[A-Za-z][\w-]*)\](?P<fold>[+-]?)[ \t]*(?P<title>[^\n]*)(?:\n|$)"
    )

    def test(self, parent, block):
        match = self.REGEX.search(block)
        return (
            bool(match) and not self.parser.state.isstate("blockquote") and not util.nearing_recursion_limit()
        )

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        block = blocks.pop(0)
        match = self.REGEX.search(block)
        assert match is not None  # test() found it
        before = block[: match.start()]
        if before.strip():
            self.parser.parseBlocks(parent, [before])
        rest = block[match.end() :]
        quoted: list[str] = []
        lines = rest.split("\n")
        for index, line in enumerate(lines):
            if line.lstrip().startswith(">") or (quoted and line.strip()):
                quoted.append(self.clean(line))
            else:
                blocks.insert(0, "\n".join(lines[index:]))
                break
        kind = match["kind"]
        css = f"admonition {callout_style(kind)}"
        title_text = match["title"].strip() or kind.capitalize()
        if match["fold"]:
            box = etree.SubElement(parent, "details", {"class": css})
            if match["fold"] == "+":
                box.set("open", "open")
            title = etree.SubElement(box, "summary", {"class": "admonition-title"})
        else:
            box = etree.SubElement(parent, "div", {"class": css})
            title = etree.SubElement(box, "p", {"class": "admonition-title"})
        title.text = title_text
        self.parser.state.set("blockquote")
        self.parser.parseChunk(box, "\n".join(quoted))
        self.parser.state.reset()


@dataclass
class Links:
    """How `[[Note]]` and `![[image.png]]` resolve for the note being rendered: each returns a URL or None."""

    note_url: Callable[[str], str | None] = lambda name: None
    image_url: Callable[..., str | None] = lambda name, by_name=False: None


WIKILINK_PATTERN = (
    r"(?P<embed>!?)\[\[(?P<target>[^\]\|#\n]*)(?:#(?P<heading>[^\]\|\n]*))?(?:\|(?P<label>[^\]\n]*))?\]\]"
)


WIKILINK = re.compile(WIKILINK_PATTERN)
# `![[Other note]]` embeds a note in Obsidian; here it becomes a link to it. Only these embed an image.
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp", ".avif"}


class WikiLinkProcessor(InlineProcessor):
    """Obsidian's `[[Note]]`, `[[Note|label]]`, `[[Note#Heading]]` and `![[image.png]]`."""

    def __init__(self, pattern, md, links: Links):
        super().__init__(pattern, md)
        self.links = links

    def handleMatch(self, m, data):
        target, heading = m["target"].strip(), (m["heading"] or "").strip()
        label = (m["label"] or "").strip()
        if m["embed"] and PurePosixPath(target).suffix.lower() in IMAGE_SUFFIXES:
            img = etree.Element("img", {"alt": label if label and not label.isdigit() else target})
            img.set("src", self.links.image_url(target, by_name=True) or target)
            if label.isdigit():
                img.set("width", label)
            return img, m.start(0), m.end(0)
        text = label or (f"{target} › {heading}" if target and heading else target or heading)
        url = self.links.note_url(target) if target else ""
        if url is not None and heading:
            url += "#" + _heading_anchor(heading)
        if url is None:
            span = etree.Element("span", {"class": "wikilink-unresolved", "title": "No note with this name"})
            span.text = text
            return span, m.start(0), m.end(0)
        link = etree.Element("a", {"href": url, "class": "wikilink"})
        link.text = text
        return link, m.start(0), m.end(0)


def _heading_anchor(heading: str) -> str:
    from pymdownx import slugs

    return slugs.slugify(case="lower")(heading, "-")


class DialectsExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"links": [Links(), "how wiki links and embeds resolve"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        # Both run before superfences stashes fenced code (25) and track fences themselves.
        # Lists first, while Docusaurus bodies are not yet indented.
        md.preprocessors.register(GitHubListsPreprocessor(md), "github_lists", 28)
        md.preprocessors.register(DocusaurusAdmonitionPreprocessor(md), "docusaurus_admonitions", 27)
        md.preprocessors.register(DetailsMarkdownPreprocessor(md), "details_markdown", 26)
        md.parser.blockprocessors.register(CalloutProcessor(md.parser), "callouts", 21.1)
        md.inlinePatterns.register(
            WikiLinkProcessor(WIKILINK_PATTERN, md, self.getConfig("links")), "wikilinks", 175
        )
