"""certprep's native YAML question format (docs/question-format.md): read with line numbers, write back."""

from collections.abc import Iterable

import yaml as pyyaml

from apps.content.problems import column_error, shown
from apps.content.yamlfile import LineDict, YAMLSyntaxError, load_yaml
from apps.questions.data import ChoiceData, FormatError, PairData, ParsedFile, QuestionData, ScenarioData
from apps.questions.models import QuestionSet

QUESTION_KEYS = {
    "id",
    "kind",
    "task_statement",
    "guide_version",
    "difficulty",
    "status",
    "services",
    "objectives",
    "section",
    "scenario",
    "stem",
    "choices",
    "items",
    "pairs",
    "distractors",
    "explanation",
}
SET_KEYS = {"slug", "title", "exam", "visibility", "description"}


def _text(mapping: LineDict, key: str, line: int, *, required: bool = False) -> str:
    value = mapping.get(key)
    if value is None:
        if required:
            raise FormatError(line, f"'{key}' is required")
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FormatError(mapping.line_of(key), f"'{key}' must be text")
    return (
        str(value).strip("\n") if key in {"stem", "explanation", "text", "rationale"} else str(value).strip()
    )


def _list(mapping: LineDict, key: str) -> list[object]:
    """A list value (empty when missing); anything else is refused before it is looked into."""
    value = mapping.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(mapping.line_of(key), f"'{key}' must be a list")
    return value


def _set_meta(meta: LineDict) -> dict[str, str]:
    values: dict[str, str] = {}
    for key in meta:
        if key not in SET_KEYS:
            raise FormatError(
                meta.line_of(key), f"unknown set key {shown(key)} (allowed: {', '.join(sorted(SET_KEYS))})"
            )
        values[key] = _text(meta, key, meta.line)
    if values.get("visibility") and values["visibility"] not in QuestionSet.Visibility.values:
        raise FormatError(
            meta.line_of("visibility"),
            f"visibility must be one of {', '.join(QuestionSet.Visibility.values)}, not {shown(values['visibility'])}",
        )
    for key in ("slug", "title"):
        error = column_error(QuestionSet, key, values.get(key, ""))
        if error:
            raise FormatError(meta.line_of(key), error)
    return values


def parse(text: str) -> ParsedFile:
    try:
        data = load_yaml(text)
    except YAMLSyntaxError as exc:
        raise FormatError(exc.line, str(exc)) from None
    if not isinstance(data, LineDict) or not isinstance(data.get("questions"), list):
        raise FormatError(1, "a question file is a YAML mapping with a 'questions' list")
    parsed = ParsedFile()
    meta = data.get("set") or LineDict()
    if not isinstance(meta, LineDict):
        raise FormatError(
            data.line_of("set"), "'set' must be a mapping (slug, title, exam, visibility, description)"
        )
    parsed.set_meta = _set_meta(meta)
    for entry in _list(data, "scenarios"):
        if not isinstance(entry, LineDict):
            raise FormatError(
                data.line_of("scenarios"), "each scenario must be a mapping with id, title and text"
            )
        parsed.scenarios.append(
            ScenarioData(
                external_id=_text(entry, "id", entry.line, required=True),
                title=_text(entry, "title", entry.line, required=True),
                text=_text(entry, "text", entry.line, required=True),
                line=entry.line,
            )
        )
    seen: dict[str, int] = {}  # id -> the line it was first used on
    for entry in data["questions"]:
        if not isinstance(entry, LineDict):
            raise FormatError(data.line_of("questions"), "each question must be a mapping")
        question = _question(entry)
        if question.external_id:
            if question.external_id in seen:
                raise FormatError(
                    entry.line,
                    f"id {shown(question.external_id)} is already used on line {seen[question.external_id]}",
                )
            seen[question.external_id] = entry.line
        parsed.questions.append(question)
    return parsed


def _question(entry: LineDict) -> QuestionData:
    line = entry.line
    for key in entry:
        if key not in QUESTION_KEYS:
            raise FormatError(entry.line_of(key), f"unknown question key {shown(key)}")
    difficulty = entry.get("difficulty", 2)
    if isinstance(difficulty, bool) or not isinstance(difficulty, int):
        raise FormatError(entry.line_of("difficulty"), "'difficulty' must be 1, 2 or 3")
    services = entry.get("services") or []
    if not isinstance(services, list) or not all(isinstance(slug, str) for slug in services):
        raise FormatError(entry.line_of("services"), "'services' must be a list of glossary slugs")
    objectives = entry.get("objectives") or []
    if not isinstance(objectives, list) or not all(isinstance(o, str) for o in objectives):
        raise FormatError(
            entry.line_of("objectives"), "'objectives' must be a list of quoted ids such as \"1.1.3\""
        )
    question = QuestionData(
        kind=_text(entry, "kind", line, required=True),
        stem=_text(entry, "stem", line, required=True),
        explanation=_text(entry, "explanation", line),
        task_statement=_text(entry, "task_statement", line),
        guide_version=_text(entry, "guide_version", line),
        difficulty=difficulty,
        status=_text(entry, "status", line) or "draft",
        services=[str(slug).strip() for slug in services],
        objectives=[objective.strip() for objective in objectives],
        section=_text(entry, "section", line),
        scenario=_text(entry, "scenario", line),
        external_id=_text(entry, "id", line),
        line=line,
    )
    question.choices = _choices(entry)
    question.items = _items(entry)
    question.pairs = _pairs(entry)
    return question


def _choices(entry: LineDict) -> list[ChoiceData]:
    choices = []
    for choice in _list(entry, "choices"):
        if not isinstance(choice, LineDict):
            raise FormatError(
                entry.line_of("choices"), "each choice must be a mapping with text, correct, rationale"
            )
        unknown = set(choice) - {"text", "correct", "rationale"}
        if unknown:
            raise FormatError(choice.line, f"unknown choice key {shown(sorted(map(str, unknown))[0])}")
        correct = choice.get("correct", False)
        if not isinstance(correct, bool):
            raise FormatError(choice.line_of("correct"), "'correct' must be true or false")
        choices.append(
            ChoiceData(
                text=_text(choice, "text", choice.line, required=True),
                correct=correct,
                rationale=_text(choice, "rationale", choice.line),
            )
        )
    return choices


def _items(entry: LineDict) -> list[str]:
    items = entry.get("items") or []
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise FormatError(entry.line_of("items"), "'items' must be a list of texts, in the correct order")
    return [item.strip() for item in items]


def _pairs(entry: LineDict) -> list[PairData]:
    pairs = []
    for pair in _list(entry, "pairs"):
        if not isinstance(pair, LineDict) or set(pair) != {"prompt", "response"}:
            raise FormatError(
                entry.line_of("pairs"), "each pair must be a mapping with exactly 'prompt' and 'response'"
            )
        pairs.append(
            PairData(
                prompt=_text(pair, "prompt", pair.line, required=True),
                response=_text(pair, "response", pair.line, required=True),
            )
        )
    distractors = entry.get("distractors") or []
    if not isinstance(distractors, list) or not all(isinstance(item, str) for item in distractors):
        raise FormatError(entry.line_of("distractors"), "'distractors' must be a list of texts")
    return pairs + [PairData(prompt="", response=text.strip()) for text in distractors]


# ------------------------------------------------------------------------------------------------ export
class _Dumper(pyyaml.SafeDumper):
    pass


def _str(dumper: pyyaml.SafeDumper, value: str) -> pyyaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(set_meta: dict[str, str], scenarios: list[ScenarioData], questions: Iterable[QuestionData]) -> str:
    """Write a set as native YAML; reading the result gives back the same questions."""
    doc: dict[str, object] = {"set": set_meta}
    if scenarios:
        doc["scenarios"] = [{"id": s.external_id, "title": s.title, "text": s.text} for s in scenarios]
    doc["questions"] = [_question_dict(q) for q in questions]
    return pyyaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)


def _question_dict(q: QuestionData) -> dict[str, object]:
    out: dict[str, object] = {"id": q.external_id, "kind": q.kind}
    if q.task_statement:
        out["task_statement"] = q.task_statement
    if q.guide_version:
        out["guide_version"] = q.guide_version
    out["difficulty"] = q.difficulty
    out["status"] = q.status
    if q.services:
        out["services"] = list(q.services)
    if q.objectives:
        out["objectives"] = list(q.objectives)
    if q.section:
        out["section"] = q.section
    if q.scenario:
        out["scenario"] = q.scenario
    out["stem"] = q.stem
    out.update(_parts_dict(q))
    if q.explanation:
        out["explanation"] = q.explanation
    if not out["id"]:
        del out["id"]
    return out


def _parts_dict(q: QuestionData) -> dict[str, object]:
    """The answer parts as the YAML format writes them: choices, items, pairs and distractors (when present)."""
    out: dict[str, object] = {}
    if q.choices:
        out["choices"] = [
            {
                "text": c.text,
                **({"correct": True} if c.correct else {}),
                **({"rationale": c.rationale} if c.rationale else {}),
            }
            for c in q.choices
        ]
    if q.items:
        out["items"] = list(q.items)
    prompts = [p for p in q.pairs if p.prompt]
    if prompts:
        out["pairs"] = [{"prompt": p.prompt, "response": p.response} for p in prompts]
    distractors = [p.response for p in q.pairs if not p.prompt]
    if distractors:
        out["distractors"] = distractors
    return out
