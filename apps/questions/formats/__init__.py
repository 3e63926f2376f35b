"""Question file formats: reading any of them into plain data, and choosing one by file name or content."""

import re
from collections.abc import Callable
from pathlib import Path

from apps.content.textfile import UndecodableText, decode_text
from apps.questions.data import FormatError, ParsedFile
from apps.questions.formats import aiken, csv, gift, json, markdown, moodle_xml, yaml

READERS: dict[str, Callable[[str], ParsedFile]] = {
    "yaml": yaml.parse,
    "json": json.parse,
    "gift": gift.parse,
    "moodle-xml": moodle_xml.parse,
    "csv": csv.parse,
    "markdown": markdown.parse,
    "aiken": aiken.parse,
}
SUFFIXES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "json",
    ".gift": "gift",
    ".xml": "moodle-xml",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
}  # .txt is GIFT or Aiken: told apart by content
MAX_BYTES = 10_000_000
# certprep's own formats: a question breaking a rule stops the import (others skip or draft it).
STRICT = {"yaml", "json"}


def _gift_like(text: str) -> bool:
    head = text[:200_000]
    return ("{" in head and "}" in head and ("=" in head or "~" in head)) or bool(
        re.search(r"\{\s*(?:T|F|TRUE|FALSE)\s*\}", head, re.IGNORECASE)
    )


# In order: the first format whose content test passes is chosen. Nothing passes -> the user is asked for
# --format; no format is a fallback for another.
SNIFFERS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("moodle-xml", lambda text: text.lstrip()[:200].startswith(("<?xml", "<quiz"))),
    ("json", json.sniff),
    ("yaml", lambda text: re.search(r"^questions:", text[:200_000], re.MULTILINE) is not None),
    ("csv", lambda text: text.lstrip()[:200].startswith(("Question,", '"Question"'))),
    ("markdown", markdown.sniff),
    ("aiken", aiken.sniff),
    ("gift", _gift_like),
)


def guess_format(name: str, text: str) -> str:
    by_suffix = SUFFIXES.get(Path(name).suffix.lower())
    if by_suffix:
        return by_suffix
    for fmt, sniff in SNIFFERS:
        if sniff(text):
            return fmt
    raise FormatError(0, f"cannot tell the format of this file; give it (known: {', '.join(READERS)})")


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise FormatError(0, f"the file is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        return decode_text(raw)
    except UndecodableText as exc:
        raise FormatError(exc.line, exc.message) from None


def read(name: str, raw: bytes, fmt: str | None = None) -> tuple[str, ParsedFile]:
    """Parse file bytes; returns (format, ParsedFile). Raises FormatError for unreadable files and for files
    in which no question can be read."""
    text = decode(raw)
    fmt = fmt or guess_format(name, text)
    if fmt not in READERS:
        raise FormatError(0, f"unknown format {fmt!r} (known: {', '.join(READERS)})")
    parsed = READERS[fmt](text)
    if not parsed.questions:
        skipped = "; ".join(f"{s.where}: {s.reason}" for s in parsed.skipped[:5])
        more = f" (skipped {skipped}{'…' if len(parsed.skipped) > 5 else ''})" if skipped else ""
        raise FormatError(0, f"no questions found — is this a {fmt} file?{more}")
    return fmt, parsed
