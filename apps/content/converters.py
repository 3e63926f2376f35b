"""URL converters for content addresses."""


class TaskNumberConverter:
    regex = r"[0-9]{1,2}\.[0-9]{1,2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class UnicodeSlugConverter:
    """A slug in any script (note addresses keep Japanese or Chinese file names readable)."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
