"""Images that come along with imported notes: found inside the imported folder only, checked by content."""

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

MAX_IMAGE_BYTES = 5_000_000
# Types are told by their first bytes, never by the file name alone. SVG is left out on purpose: it is a
# document that can carry scripts and links, so an SVG stays a captioned placeholder.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
# Obsidian finds `![[name.png]]` anywhere in the vault; we look that far but no further.
_MAX_FILES_SEARCHED = 5000


@dataclass(frozen=True)
class ImageFile:
    digest: str
    content_type: str
    extension: str
    data: bytes


def sniff(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PNG, JPEG, GIF or WebP image, told by its first bytes; else None."""
    for signature, content_type, extension in _SIGNATURES:
        if data.startswith(signature):
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def find_inside(root: Path, note_dir: Path, reference: str, *, by_name: bool = False) -> Path | None:
    """The file `reference` points at, only when it is inside `root` once symlinks are followed. With
    `by_name` (Obsidian embeds), a bare file name is also looked for anywhere under `root`."""
    parts = urlsplit(reference)
    if parts.scheme or parts.netloc or reference.startswith(("/", "\\")) or ":" in reference[:3]:
        return None
    name = unquote(parts.path)
    if not name or "\x00" in name:
        return None
    root = root.resolve()
    candidates = [note_dir / name, root / name]
    for candidate in candidates:
        try:
            path = candidate.resolve()
        except (OSError, RuntimeError):
            continue
        if path.is_relative_to(root) and path.is_file():
            return path
    if by_name and "/" not in name:
        for index, path in enumerate(root.rglob("*")):
            if index >= _MAX_FILES_SEARCHED:
                break
            if path.name == name:
                resolved = path.resolve()
                if resolved.is_relative_to(root) and resolved.is_file():
                    return resolved
    return None


def read_image(path: Path) -> ImageFile | str:
    """The image at `path`, or the reason it cannot come along."""
    if path.suffix.lower() == ".svg":
        return "SVG images are not imported (they can carry scripts); it is shown as a placeholder"
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        return (
            f"the image is {size / 1_000_000:.1f} MB, more than the {MAX_IMAGE_BYTES // 1_000_000} MB allowed "
            "per image; it is shown as a placeholder (make it smaller and import again)"
        )
    data = path.read_bytes()
    kind = sniff(data)
    if kind is None:
        return "not a PNG, JPEG, GIF or WebP image; it is shown as a placeholder"
    return ImageFile(hashlib.sha256(data).hexdigest(), kind[0], kind[1], data)


_MARKDOWN_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?(?P<ref>[^)\s>]+)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc=[\"'](?P<ref>[^\"']+)", re.IGNORECASE)
_EMBED = re.compile(r"!\[\[(?P<ref>[^\]\|#\n]+)")


def fingerprint(text: str, *, root: Path, note_dir: Path) -> str:
    """A digest of the image files a note uses inside `root`, so a changed image updates the note."""
    found = []
    for pattern, by_name in ((_MARKDOWN_IMAGE, False), (_HTML_IMAGE, False), (_EMBED, True)):
        for match in pattern.finditer(text):
            path = find_inside(root, note_dir, match["ref"].strip(), by_name=by_name)
            if path is not None:
                size = path.stat().st_size
                content = hashlib.sha256(path.read_bytes()).hexdigest() if size <= MAX_IMAGE_BYTES else size
                found.append(f"{match['ref']}:{content}")
    return hashlib.sha256("\n".join(sorted(found)).encode()).hexdigest() if found else ""
