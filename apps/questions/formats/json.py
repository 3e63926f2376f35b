"""certprep's question format as JSON: the same document and fields as the YAML format, read and written."""

import json
from dataclasses import asdict, fields

import yaml as pyyaml

from apps.questions.data import BOOKKEEPING, FormatError, ParsedFile, QuestionData, ScenarioData
from apps.questions.formats import yaml

# Names the YAML format gives to QuestionData fields; every other field keeps its own name.
RENAMED = {"external_id": "id"}


def sniff(text: str) -> bool:
    return text.lstrip()[:1] in ("{", "[")


def parse(text: str) -> ParsedFile:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(exc.lineno, f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise FormatError(0, "not valid JSON: nested too deeply") from None
    if isinstance(document, list):  # a bare list of questions; wrapped on its own line 1, lines stay true
        document, text = {"questions": document}, '{"questions": ' + text.strip() + "}"
    # JSON is YAML: reading the text with the YAML reader gives the same rules, messages and line numbers.
    # The few JSON spellings YAML 1.1 does not read are written out again as plain YAML (lines then are lost).
    try:
        return yaml.parse(text)
    except FormatError as exc:
        if not exc.message.startswith("YAML"):
            raise
    return yaml.parse(pyyaml.safe_dump(document, allow_unicode=True, sort_keys=False))


def question_dict(question: QuestionData) -> dict[str, object]:
    """Every field of a question, named as in the YAML format (new QuestionData fields come along)."""
    names = [f.name for f in fields(QuestionData) if f.name not in BOOKKEEPING]
    values = asdict(question)
    return {RENAMED.get(name, name): values[name] for name in names}


def dump(set_meta: dict[str, str], scenarios: list[ScenarioData], questions: list[QuestionData]) -> str:
    """Write a set as JSON; reading the result gives back the same questions."""
    document: dict[str, object] = {"set": set_meta}
    if scenarios:
        document["scenarios"] = [{"id": s.external_id, "title": s.title, "text": s.text} for s in scenarios]
    document["questions"] = [question_dict(q) for q in questions]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
