"""Question file formats: reading any of them into plain data, and choosing one by file name or content."""

from pathlib import Path

from apps.content.textfile import UndecodableText, decode_text
from apps.questions.data import FormatError
from apps.questions.formats import csv, gift, moodle_xml, yaml

READERS = {"yaml": yaml.parse, "gift": gift.parse, "moodle-xml": moodle_xml.parse, "csv": csv.parse}
SUFFIXES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".gift": "gift",
    ".txt": "gift",
    ".xml": "moodle-xml",
    ".csv": "csv",
}
MAX_BYTES = 10_000_000


def guess_format(name, text):
    by_suffix = SUFFIXES.get(Path(name).suffix.lower())
    if by_suffix:
        return by_suffix
    head = text.lstrip()[:200]
    if head.startswith(("<?xml", "<quiz")):
        return "moodle-xml"
    if head.startswith("Question,") or head.startswith('"Question"'):
        return "csv"
    if "questions:" in text:
        return "yaml"
    return "gift"


def decode(raw):
    if len(raw) > MAX_BYTES:
        raise FormatError(0, f"the file is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        return decode_text(raw)
    except UndecodableText as exc:
        raise FormatError(exc.line, exc.message) from None


def read(name, raw, fmt=None):
    """Parse file bytes; returns (format, ParsedFile). Raises FormatError for unreadable files."""
    text = decode(raw)
    fmt = fmt or guess_format(name, text)
    if fmt not in READERS:
        raise FormatError(0, f"unknown format {fmt!r} (known: {', '.join(READERS)})")
    return fmt, READERS[fmt](text)
