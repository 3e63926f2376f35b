"""Images embedded in question files (Moodle XML `<file>` elements, `data:` URIs): kept as note media."""

import base64
import binascii
import hashlib
import re
from urllib.parse import quote

from django.urls import reverse

from apps.content.media import MAX_IMAGE_BYTES, ImageFile, sniff

PLUGINFILE = "@@PLUGINFILE@@"
# A data URI of an image in an HTML or Markdown text; the base64 run is bounded so matching stays linear.
_MAX_ENCODED = MAX_IMAGE_BYTES * 4 // 3 + 4
_DATA_URI = re.compile(rf"data:image/(?:png|jpeg|gif|webp);base64,([A-Za-z0-9+/=]{{4,{_MAX_ENCODED}}})")


def image(encoded: str) -> ImageFile | None:
    """The image base64 `encoded` holds, or None when it is too large, not base64, or not PNG/JPEG/GIF/WebP
    (an SVG never comes along: it can carry scripts). A reference to it then stays a captioned placeholder."""
    encoded = "".join(encoded.split())
    if not encoded or len(encoded) > _MAX_ENCODED:
        return None
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return None
    kind = sniff(data)
    if kind is None:
        return None
    return ImageFile(hashlib.sha256(data).hexdigest(), kind[0], kind[1], data)


def url(found: ImageFile) -> str:
    return reverse("content:note-media", args=[found.digest, found.extension])


def embed_files(text: str, files: list[tuple[str, str, str]], media: dict[str, ImageFile]) -> str:
    """`text` with its `@@PLUGINFILE@@/name` references pointing at the images `files` hold ((path, name,
    base64) each, as Moodle writes them next to a text); the images are added to `media` by digest."""
    for path, name, encoded in files:
        found = image(encoded)
        if found is None:
            continue
        media[found.digest] = found
        folder = path if path.startswith("/") and path.endswith("/") else "/"
        for reference in {f"{PLUGINFILE}{folder}{name}", f"{PLUGINFILE}{folder}{quote(name)}"}:
            text = text.replace(reference, url(found))
    return text


def embed_data_uris(text: str, media: dict[str, ImageFile]) -> str:
    """`text` with each image data URI replaced by the address of the stored image."""

    def replace(match: re.Match[str]) -> str:
        found = image(match.group(1))
        if found is None:
            return match.group(0)
        media[found.digest] = found
        return url(found)

    return _DATA_URI.sub(replace, text) if "data:image/" in text else text
