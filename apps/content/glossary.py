"""Reading and validating the AWS service glossary YAML (pure: no database)."""

import re
from dataclasses import dataclass
from pathlib import Path

from apps.content.blueprints import CODE
from apps.content.models import Service
from apps.content.problems import Problems, shown
from apps.content.yamlfile import LineDict, YAMLSyntaxError, load_yaml

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SERVICE_KEYS = {
    "slug",
    "name",
    "category",
    "aliases",
    "exams",
    "availability",
    "availability_note",
    "scope_note",
    "summary",
}


@dataclass
class ServiceSpec:
    slug: str
    name: str
    category: str
    aliases: list[str]
    exams: list[str]
    availability: str
    availability_note: str
    scope_note: str
    summary: str
    line: int


def parse_glossary(path: Path, text: str, problems: Problems) -> list[ServiceSpec]:
    """Parse the glossary; returns the specs found valid (problems are added for the rest)."""
    try:
        data = load_yaml(text)
    except YAMLSyntaxError as exc:
        problems.add(path, exc.line, str(exc))
        return []
    entries = data.get("services") if isinstance(data, LineDict) else None
    if not isinstance(entries, list):
        problems.add(path, 1, "the glossary must be a mapping with a 'services' list")
        return []
    specs: list[ServiceSpec] = []
    seen: dict[str, int] = {}
    for entry in entries:
        if not isinstance(entry, LineDict):
            problems.add(path, data.line_of("services"), "each service must be a mapping")
            continue
        spec = _parse_service(path, entry, problems)
        if spec is None:
            continue
        if spec.slug in seen:
            problems.add(
                path, entry.line, f"service slug '{spec.slug}' is already used on line {seen[spec.slug]}"
            )
            continue
        seen[spec.slug] = entry.line
        specs.append(spec)
    return specs


def _parse_service(path: Path, entry: LineDict, problems: Problems) -> ServiceSpec | None:
    before = len(problems)
    for key in entry:
        if key not in SERVICE_KEYS:
            problems.add(path, entry.line_of(key), f"unknown service key '{key}'")

    def text(key: str, required: bool = False) -> str:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                problems.add(path, entry.line_of(key), f"'{key}' is required")
            return ""
        if not isinstance(value, str):
            problems.add(path, entry.line_of(key), f"'{key}' must be text")
            return ""
        return " ".join(value.split()) if key == "summary" else value.strip()

    def texts(key: str) -> list[str]:
        value = entry.get(key) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            problems.add(path, entry.line_of(key), f"'{key}' must be a list of texts")
            return []
        return value

    slug = text("slug", required=True)
    if slug and not SLUG.match(slug):
        problems.add(
            path, entry.line_of("slug"), f"slug {shown(slug)} may hold only a-z, 0-9 and single hyphens"
        )
    exams = texts("exams")
    for code in exams:
        if not CODE.match(code):
            problems.add(path, entry.line_of("exams"), f"exam code {shown(code)} must look like AIF-C01")
    availability = entry.get("availability", Service.Availability.AVAILABLE)
    if availability not in Service.Availability.values:
        problems.add(
            path,
            entry.line_of("availability"),
            f"availability must be one of {', '.join(Service.Availability.values)}",
        )
    spec = ServiceSpec(
        slug=slug,
        name=text("name", required=True),
        category=text("category", required=True),
        aliases=texts("aliases"),
        exams=exams,
        availability=availability,
        availability_note=text("availability_note"),
        scope_note=text("scope_note"),
        summary=text("summary", required=True),
        line=entry.line,
    )
    return spec if len(problems) == before else None
