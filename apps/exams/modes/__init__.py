"""The practice modes: one policy per mode (apps.exams.modes.base.PracticeMode), registered here.

A new mode is one module and one line in MODES; nothing outside this package asks which mode an attempt is.
"""

from apps.exams.modes.base import PracticeMode
from apps.exams.modes.custom import CUSTOM
from apps.exams.modes.mock import MOCK
from apps.exams.modes.retry import RETRY
from apps.exams.modes.review import REVIEW

MODES: dict[str, PracticeMode] = {mode.code: mode for mode in (MOCK, CUSTOM, RETRY, REVIEW)}


class UnknownMode(LookupError):
    """A mode code that no policy is registered for (never treated as some default mode)."""


def get(code: str) -> PracticeMode:
    try:
        return MODES[code]
    except KeyError:
        raise UnknownMode(f"unknown practice mode {code!r}") from None


def all_modes() -> list[PracticeMode]:
    return list(MODES.values())


def codes() -> list[str]:
    return list(MODES)


def choices() -> list[tuple[str, str]]:
    """(code, label) of every mode, for the `choices` of the fields that hold one."""
    return [(mode.code, mode.label) for mode in MODES.values()]


def assignable_choices() -> list[tuple[str, str]]:
    """(code, label) of the modes an instructor may set to a class."""
    return [(mode.code, mode.label) for mode in MODES.values() if mode.assignable]


def representative_codes() -> list[str]:
    """The modes whose questions are a fair sample of the bank (see PracticeMode.representative)."""
    return [mode.code for mode in MODES.values() if mode.representative]
