"""Collecting import problems as `file:line: what is wrong` lines, and the error that carries them."""

from pathlib import Path


def display_path(path):
    """A path as a person reads it: relative to the working directory when it is inside it."""
    path = Path(path)
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class ImportFailed(Exception):
    """Raised with every problem found; nothing was written."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class Problems(list):
    def add(self, path, line, message):
        self.append(f"{display_path(path)}:{line}: {message}")

    def raise_if_any(self):
        if self:
            raise ImportFailed(self)
