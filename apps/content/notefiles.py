"""Reading study-note files: optional YAML front matter + Markdown body (pure: no database)."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
from django.utils.text import slugify

from apps.content.problems import shown
from apps.content.textfile import UndecodableText, decode_text
from apps.content.yamlfile import LineDict, YAMLSyntaxError, load_yaml

NOTE_SUFFIXES = {".md", ".markdown", ".mdown", ".txt"}
FRONT_MATTER_KEYS = {"title", "exam", "task_statements", "services", "order", "summary"}
_FIRST_HEADING = re.compile(r"^\s*#\s+(?P<title>.+?)\s*#*\s*$")
MAX_NOTE_BYTES = 2_000_000


@dataclass
class NoteFile:
    path: Path
    slug: str
    title: str
    exam_code: str
    body: str
    summary: str = ""
    order: int = 1000
    task_numbers: list = field(default_factory=list)
    service_slugs: list = field(default_factory=list)
    key_lines: dict = field(default_factory=dict)
    body_line: int = 1  # the file line the Markdown body starts on

    def line_of(self, key):
        return self.key_lines.get(key, 1)


class _LineYAMLHandler(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler, reading with line numbers. The text it hands over starts with the
    rest of the opening `---` line, so YAML line numbers are already file line numbers."""

    def load(self, fm, **kwargs):
        return load_yaml(fm)


def find_note_files(root):
    """Note files under `root` (or `root` itself), in a stable order."""
    root = Path(root)
    if root.is_file():
        return [root]
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in NOTE_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def slug_for(path, root):
    root = Path(root)
    relative = path.relative_to(root) if root.is_dir() else Path(path.name)
    return slugify("-".join(relative.with_suffix("").parts))[:200] or "note"


def read_note_file(path, *, root, default_exam, problems):
    """Read one note file; returns a NoteFile, or None after adding its problems."""
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
    before = len(problems)
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            problems.add(
                path,
                meta.line_of(key),
                f"unknown front-matter key '{key}' (allowed: {', '.join(sorted(FRONT_MATTER_KEYS))})",
            )

    def text_value(key):
        value = meta.get(key)
        if value is not None and not isinstance(value, str | int | float):
            problems.add(path, meta.line_of(key), f"'{key}' must be text")
            return ""
        return "" if value is None else str(value).strip()

    def list_value(key):
        value = meta.get(key, [])
        if isinstance(value, str | int | float):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str | int | float) for item in value):
            problems.add(path, meta.line_of(key), f"'{key}' must be a list")
            return []
        return [str(item).strip() for item in value]

    order = meta.get("order", 1000)
    if isinstance(order, bool) or not isinstance(order, int) or order < 0:
        problems.add(path, meta.line_of("order"), f"'order' must be a whole number, not {shown(order)}")
        order = 1000
    title, body = _title_and_body(text_value("title"), body)
    note = NoteFile(
        path=path,
        slug=slug_for(path, root),
        title=title or path.stem.replace("_", " ").replace("-", " ").strip() or path.name,
        exam_code=text_value("exam") or (default_exam or ""),
        body=body.strip("\n") + "\n",
        summary=text_value("summary"),
        order=order,
        task_numbers=list_value("task_statements"),
        service_slugs=list_value("services"),
        key_lines=dict(meta.key_lines) if meta else {},
        body_line=text.count("\n", 0, max(text.find(body.strip("\n")), 0)) + 1,
    )
    if not note.exam_code:
        problems.add(path, 1, "no exam: add 'exam: CODE' to the front matter or pass --exam CODE")
    if not note.body.strip():
        problems.add(path, 1, "the note has no text")
    return note if len(problems) == before else None


def _first_h1(lines):
    fence = None
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


def _title_and_body(title, body):
    """Use the first `# heading` as the title when none is given; drop it when it opens the note and repeats
    the title (the page shows the title already)."""
    lines = body.split("\n")
    title = title or _first_h1(lines)
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = _FIRST_HEADING.match(line)
        if match and match.group("title").strip() == title:
            return title, "\n".join(lines[index + 1 :])
        break
    return title, body
