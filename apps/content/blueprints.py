"""Reading and validating exam blueprint YAML files (pure: no database)."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apps.content.models import Exam
from apps.content.problems import Problems, shown
from apps.content.yamlfile import LineDict, YAMLSyntaxError, load_yaml

CODE = re.compile(r"^[A-Z0-9]+-[A-Z0-9]+$")
RELATED = re.compile(r"^(?P<code>[A-Z0-9]+-[A-Z0-9]+) (?P<number>\d+\.\d+)$")
INT_FIELDS = (
    "order",
    "questions_scored",
    "questions_unscored",
    "minutes",
    "beta_questions",
    "beta_minutes",
    "passing_score",
    "score_min",
    "score_max",
    "cost_usd",
)
TEXT_FIELDS = ("title", "guide_version", "status_note", "scoring_model", "facts_note")
EXAM_KEYS = {
    "code",
    "slug",
    "level",
    "status",
    "successor",
    "guide_published",
    "question_types",
    "confidence",
    "domains",
    *INT_FIELDS,
    *TEXT_FIELDS,
}
DOMAIN_KEYS = {"number", "title", "weight", "aliases", "task_statements"}
TASK_KEYS = {"number", "title", "aliases", "objectives", "related"}


@dataclass
class TaskSpec:
    number: str
    title: str
    aliases: list[str]
    objectives: list[str]
    related: list[str]
    line: int


@dataclass
class DomainSpec:
    number: int
    title: str
    weight: int
    aliases: list[str]
    tasks: list[TaskSpec] = field(default_factory=list)


@dataclass
class ExamSpec:
    path: Path
    line_of: Callable[[str], int]
    fields: dict[str, Any]
    successor: str | None
    domains: list[DomainSpec] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.fields["code"]


class _Checker:
    def __init__(self, path: Path, problems: Problems) -> None:
        self.path, self.problems = path, problems
        self.ok = True

    def fail(self, line: int, message: str) -> None:
        self.ok = False
        self.problems.add(self.path, line, message)

    def unknown_keys(self, mapping: LineDict, allowed: set[str], what: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.fail(
                    mapping.line_of(key),
                    f"unknown {what} key '{key}' (allowed: {', '.join(sorted(allowed))})",
                )

    def text(self, mapping: LineDict, key: str, *, required: bool = False, default: str = "") -> str:
        value = mapping.get(key)
        if value is None:
            if required:
                self.fail(mapping.line, f"'{key}' is required")
            return default
        if not isinstance(value, str):
            self.fail(mapping.line_of(key), f"'{key}' must be text, not {type(value).__name__}")
            return default
        if required and not value.strip():
            self.fail(mapping.line_of(key), f"'{key}' must not be empty")
        return value.strip()

    def integer(
        self, mapping: LineDict, key: str, *, required: bool = False, low: int = 0, high: int = 100_000
    ) -> int | None:
        value = mapping.get(key)
        if value is None:
            if required:
                self.fail(mapping.line, f"'{key}' is required")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(
                mapping.line_of(key),
                f"'{key}' must be a whole number from {low} to {high}, not {shown(value)}",
            )
            return None
        return value

    def text_list(self, mapping: LineDict, key: str) -> list[str]:
        value = mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(mapping.line_of(key), f"'{key}' must be a list of texts")
            return []
        return [item.strip() for item in value]

    def choice(self, mapping: LineDict, key: str, choices: list[str], default: str | None) -> str | None:
        value = mapping.get(key, default)
        if value not in choices:
            self.fail(
                mapping.line_of(key), f"'{key}' must be one of {', '.join(choices)}, not {shown(value)}"
            )
            return default
        return value


def parse_blueprint(path: Path, text: str, problems: Problems) -> ExamSpec | None:
    """Parse one blueprint; on any problem add it to `problems` and return None."""
    try:
        data = load_yaml(text)
    except YAMLSyntaxError as exc:
        problems.add(path, exc.line, str(exc))
        return None
    if not isinstance(data, LineDict):
        problems.add(path, 1, "a blueprint must be a YAML mapping with code, title, domains ...")
        return None
    check = _Checker(path, problems)
    check.unknown_keys(data, EXAM_KEYS, "exam")
    code = check.text(data, "code", required=True)
    if code and not CODE.match(code):
        check.fail(data.line_of("code"), f"exam code {shown(code)} must look like AIF-C01")
    fields: dict[str, Any] = {"code": code, "slug": check.text(data, "slug") or code.lower()}
    for key in TEXT_FIELDS:
        fields[key] = check.text(data, key, required=key == "title")
    for key in INT_FIELDS:
        fields[key] = check.integer(data, key)
    fields["order"] = fields["order"] if fields["order"] is not None else 100
    for key in ("score_min", "score_max"):
        if fields[key] is None:
            fields[key] = Exam._meta.get_field(key).default  # type: ignore[union-attr]  # a plain field
    fields["level"] = check.choice(data, "level", Exam.Level.values, None)
    fields["status"] = check.choice(data, "status", Exam.Status.values, Exam.Status.CURRENT)
    published = data.get("guide_published")
    if published is not None and not isinstance(published, datetime.date):
        check.fail(data.line_of("guide_published"), "'guide_published' must be a date like 2026-04-30")
        published = None
    fields["guide_published"] = published
    fields["question_types"] = check.text_list(data, "question_types")
    for kind in fields["question_types"]:
        if kind not in Exam.QUESTION_TYPES:
            check.fail(
                data.line_of("question_types"),
                f"unknown question type {shown(kind)} (known: {', '.join(Exam.QUESTION_TYPES)})",
            )
    confidence = data.get("confidence") or LineDict()
    if not isinstance(confidence, LineDict):
        check.fail(data.line_of("confidence"), "'confidence' must map field names to medium or unverified")
        confidence = LineDict()
    for key, level in confidence.items():
        if key not in EXAM_KEYS or level not in Exam.CONFIDENCE_LEVELS:
            check.fail(
                confidence.line_of(key),
                f"confidence '{key}: {level}' must name an exam field and be "
                f"one of {', '.join(Exam.CONFIDENCE_LEVELS)}",
            )
    fields["confidence"] = dict(confidence)
    successor = data.get("successor")
    if successor is not None and not (isinstance(successor, str) and CODE.match(successor)):
        check.fail(data.line_of("successor"), "'successor' must be an exam code like MLA-C02, or null")
        successor = None
    spec = ExamSpec(path=path, line_of=data.line_of, fields=fields, successor=successor)
    spec.domains = _parse_domains(data, check)
    return spec if check.ok else None


def _parse_domains(data: LineDict, check: _Checker) -> list[DomainSpec]:
    raw = data.get("domains")
    if not isinstance(raw, list) or not raw:
        check.fail(data.line_of("domains"), "'domains' must be a non-empty list")
        return []
    domains: list[DomainSpec] = []
    seen_tasks: set[str] = set()
    for position, item in enumerate(raw, 1):
        if not isinstance(item, LineDict):
            check.fail(data.line_of("domains"), f"domain #{position} must be a mapping")
            continue
        check.unknown_keys(item, DOMAIN_KEYS, "domain")
        number = check.integer(item, "number", required=True, low=1, high=50)
        if number is not None and number != position:
            check.fail(
                item.line_of("number"),
                f"domain numbers must run 1, 2, 3 ...; expected {position}, found {number}",
            )
        domain = DomainSpec(
            number=number or position,
            title=check.text(item, "title", required=True),
            weight=check.integer(item, "weight", required=True, low=0, high=100) or 0,
            aliases=check.text_list(item, "aliases"),
        )
        domain.tasks = _parse_tasks(item, domain, check, seen_tasks)
        domains.append(domain)
    total = sum(domain.weight for domain in domains)
    if check.ok and total != 100:
        check.fail(data.line_of("domains"), f"domain weights add up to {total}, not 100")
    return domains


def _parse_tasks(item: LineDict, domain: DomainSpec, check: _Checker, seen: set[str]) -> list[TaskSpec]:
    raw = item.get("task_statements")
    if not isinstance(raw, list) or not raw:
        check.fail(
            item.line_of("task_statements"),
            f"domain {domain.number} needs a non-empty 'task_statements' list",
        )
        return []
    tasks: list[TaskSpec] = []
    for entry in raw:
        if not isinstance(entry, LineDict):
            check.fail(item.line_of("task_statements"), "each task statement must be a mapping")
            continue
        check.unknown_keys(entry, TASK_KEYS, "task statement")
        number = entry.get("number")
        if isinstance(number, float):
            check.fail(entry.line_of("number"), f'write the task statement number in quotes: "{number}"')
            continue
        number = check.text(entry, "number", required=True)
        if number and not re.fullmatch(rf"{domain.number}\.\d+", number):
            check.fail(
                entry.line_of("number"),
                f"task statement {shown(number)} must be numbered {domain.number}.N inside domain {domain.number}",
            )
        if number in seen:
            check.fail(entry.line_of("number"), f"task statement {number} appears twice")
        seen.add(number)
        related = check.text_list(entry, "related")
        for ref in related:
            if not RELATED.match(ref):
                check.fail(
                    entry.line_of("related"), f'related entry {shown(ref)} must look like "MLA-C01 1.1"'
                )
        tasks.append(
            TaskSpec(
                number=number,
                title=check.text(entry, "title", required=True),
                aliases=check.text_list(entry, "aliases"),
                objectives=check.text_list(entry, "objectives"),
                related=related,
                line=entry.line,
            )
        )
    return tasks
