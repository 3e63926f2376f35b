"""How stems and answer parts are worded: the stated number of answers, true/false pairs, texts in messages."""

import re

from apps.questions.data import normalized

NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
# "(Select TWO.)" is AWS's current wording; "(Choose TWO.)" is what older stems and other banks say.
CHOOSE = re.compile(r"(?:choose|select)\s+(two|three|four|five|[2-5])\b", re.IGNORECASE)


def stated_choice_count(stem: str | None) -> int | None:
    """How many answers the stem tells the student to choose ("Select TWO." or "Choose TWO."), or None."""
    match = CHOOSE.search(stem or "")
    return NUMBER_WORDS[match.group(1).lower()] if match else None


def is_true_false(choices: list[tuple[str, bool]]) -> bool:
    return sorted(normalized(text) for text, _ in choices) == ["false", "true"]


def quoted(text: str) -> str:
    """A text in a message, cut short: a hostile file's 5 MB choice must not become a 5 MB message."""
    text = text.strip()
    return f"“{text if len(text) <= 80 else text[:79] + '…'}”"


def duplicates(texts: list[str]) -> list[str]:
    """The texts that repeat an earlier one (whitespace and case ignored)."""
    seen: set[str] = set()
    dupes: list[str] = []
    for text in texts:
        key = normalized(text)
        if key in seen:
            dupes.append(text)
        seen.add(key)
    return dupes
