"""Reading study-note files: optional YAML front matter + Markdown body (pure: no database)."""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
from django.utils.text import slugify

from apps.content.markdown import plain_inline
from apps.content.problems import Problems, display_path, shown
from apps.content.textfile import UndecodableText, decode_text
from apps.content.yamlfile import LineDict, YAMLSyntaxError, load_yaml

# A folder import reads these; a .txt file only when named on the command line or with --include-txt
# (a folder of notes often holds a requirements.txt or a licence that is not a note).
NOTE_SUFFIXES = (".md", ".markdown", ".mdown")
TEXT_SUFFIX = ".txt"
FRONT_MATTER_KEYS = {"title", "exam", "task_statements", "services", "order", "summary"}
# Keys other tools write that mean the same as one of ours (Jekyll, Hugo, Docusaurus, MkDocs, Obsidian).
FRONT_MATTER_SYNONYMS = {"description": "summary"}
# Keys that are stored and used, but not required: Obsidian's and most static-site generators'.
FRONT_MATTER_LISTS = {"tags", "aliases"}
_FIRST_HEADING = re.compile(r"^\s*#\s+(?P<title>.+?)\s*#*\s*$")
MAX_NOTE_BYTES = 2_000_000


@dataclass
class NoteFile:
    path: Path
    slug: str
    title: str
    exam_code: str
    body: str
    relative_path: str = ""
    summary: str = ""
    order: int = 1000
    task_numbers: list[str] = field(default_factory=list)
    service_slugs: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # other front-matter keys, kept as JSON values
    key_lines: dict[str, int] = field(default_factory=dict)
    source_path: str = ""
    body_line: int = 1  # the file line the Markdown body starts on

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


class _LineYAMLHandler(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler, reading with line numbers. The text it hands over starts with the
    rest of the opening `---` line, so YAML line numbers are already file line numbers."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return load_yaml(fm)


def find_note_files(root: str | Path, *, include_txt: bool = False) -> list[Path]:
    """Note files under `root` (or `root` itself, whatever its suffix), in a stable order."""
    root = Path(root)
    if root.is_file():
        return [root]
    suffixes = {*NOTE_SUFFIXES, TEXT_SUFFIX} if include_txt else set(NOTE_SUFFIXES)
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in suffixes
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def relative_path(path: Path, root: str | Path) -> str:
    """A note file's path inside its source, with forward slashes (a single file: its name)."""
    root = Path(root)
    return (path.relative_to(root) if root.is_dir() else Path(path.name)).as_posix()


def slug_for(path: Path, root: str | Path) -> str:
    """The address of a note: its path inside the source, readable in any script (`第1章.md` → `第1章`)."""
    relative = Path(relative_path(path, root))
    return slugify("-".join(relative.with_suffix("").parts), allow_unicode=True)[:200] or "note"


def _kept_value(value: object) -> Any:
    """A front-matter value as JSON can store it (dates become ISO text)."""
    return json.loads(json.dumps(value, default=str))


def read_note_file(
    path: Path,
    *,
    root: str | Path,
    default_exam: str | None,
    problems: Problems,
    notices: list[str] | None = None,
) -> NoteFile | None:
    """Read one note file; returns a NoteFile, or None after adding its problems (or, for an empty file, a
    notice: an empty file is skipped, not an error)."""
    notices = [] if notices is None else notices
    raw = path.read_bytes()
    if len(raw) > MAX_NOTE_BYTES:
        problems.add(path, 1, f"file is larger than {MAX_NOTE_BYTES // 1_000_000} MB")
        return None
    try:
        text = decode_text(raw)
    except UndecodableText as exc:
        problems.add(path, exc.line, exc.message)
        return None
    text = text.replace("\r\n", "\n")
    handler = _LineYAMLHandler()
    meta, body = LineDict(), text
    if handler.detect(text):
        try:
            fm, body = handler.split(text)
            meta = handler.load(fm) or LineDict()
        except YAMLSyntaxError as exc:
            problems.add(path, exc.line, f"front matter: {exc}")
            return None
        if not isinstance(meta, LineDict):
            problems.add(path, 2, "front matter must be a YAML mapping of keys such as title: and exam:")
            return None
    if not body.strip():
        notices.append(f"{display_path(path)}: skipped, the file has no text")
        return None
    before = len(problems)

    def text_value(key: str) -> str:
        value = meta.get(key)
        if value is not None and not isinstance(value, str | int | float):
            problems.add(path, meta.line_of(key), f"'{key}' must be text")
            return ""
        return "" if value is None else str(value).strip()

    def list_value(key: str) -> list[str]:
        value = meta.get(key, [])
        if value is None:
            return []
        if isinstance(value, str | int | float):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str | int | float) for item in value):
            problems.add(path, meta.line_of(key), f"'{key}' must be a list")
            return []
        return [str(item).strip() for item in value if str(item).strip()]

    order = meta.get("order", 1000)
    if isinstance(order, bool) or not isinstance(order, int) or order < 0:
        problems.add(path, meta.line_of("order"), f"'order' must be a whole number, not {shown(order)}")
        order = 1000
    summary = text_value("summary")
    for synonym, ours in FRONT_MATTER_SYNONYMS.items():
        if synonym in meta and not summary and ours == "summary":
            summary = text_value(synonym)[:500]  # another tool's description: kept as far as it fits
    known = FRONT_MATTER_KEYS | FRONT_MATTER_SYNONYMS.keys() | FRONT_MATTER_LISTS
    extra = {str(key): _kept_value(value) for key, value in meta.items() if key not in known}
    title, body = _title_and_body(text_value("title"), body)
    note = NoteFile(
        path=path,
        slug=slug_for(path, root),
        relative_path=relative_path(path, root),
        title=title or path.stem.replace("_", " ").replace("-", " ").strip() or path.name,
        exam_code=text_value("exam") or (default_exam or ""),
        body=body.strip("\n") + "\n",
        summary=summary,
        order=order,
        task_numbers=list_value("task_statements"),
        service_slugs=list_value("services"),
        tags=[tag.lstrip("#") for tag in list_value("tags")],
        aliases=list_value("aliases"),
        extra=extra,
        key_lines=dict(meta.key_lines) if meta else {},
        body_line=text.count("\n", 0, max(text.find(body.strip("\n")), 0)) + 1,
    )
    if not note.exam_code:
        problems.add(path, 1, "no exam: add 'exam: CODE' to the front matter or pass --exam CODE")
    return note if len(problems) == before else None


def _first_h1(lines: list[str]) -> str:
    fence: str | None = None
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = None if fence == marker else (fence or marker)
            continue
        match = None if fence else _FIRST_HEADING.match(line)
        if match:
            return match.group("title").strip()
    return ""


def _title_and_body(title: str, body: str) -> tuple[str, str]:
    """Use the first `# heading` as the title when none is given; drop it when it opens the note and repeats
    the title (the page shows the title already)."""
    lines = body.split("\n")
    heading = _first_h1(lines)
    # A heading may carry inline Markdown (`# **S3** and `boto3``); the title is its text as a reader sees it.
    title = title or (plain_inline(heading) if heading else "")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = _FIRST_HEADING.match(line)
        if match and match.group("title").strip() in {title, heading}:
            return title, "\n".join(lines[index + 1 :])
        break
    return title, body
