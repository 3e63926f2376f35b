"""Decoding the text files people import: UTF-8 (with or without a BOM) or UTF-16 with a BOM, never NUL bytes."""

import codecs


class UndecodableText(ValueError):
    """Bytes that are not text we read; `line` is 1-based (0: the whole file)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def decode_text(raw: bytes) -> str:
    """The text of an imported file; raises UndecodableText with the line of the first bad byte.

    UTF-16 with a byte-order mark is what some spreadsheet and Windows editors save as "Unicode"; without the
    mark its bytes are indistinguishable from binary, so it is refused like any other non-UTF-8 file.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not raw.startswith(codecs.BOM_UTF32_LE):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise UndecodableText(0, "not valid UTF-16 text; save the file as UTF-8") from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise UndecodableText(
                line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
            ) from None
    nul = text.find("\0")
    if nul >= 0:
        # PostgreSQL cannot store NUL characters; a file full of them is binary or UTF-16 without its mark.
        raise UndecodableText(
            text.count("\n", 0, nul) + 1, "a NUL character: this is not a text file (save it as UTF-8)"
        )
    return text
