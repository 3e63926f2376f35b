"""The examples in docs/question-format.md for Markdown banks, Aiken and JSON read as the docs say."""

import re
from pathlib import Path

from apps.questions.formats import aiken, json, markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "question-format.md"


def examples(section, language, until):
    text = DOCS.read_text(encoding="utf-8").split(f"\n### {section}\n", 1)[1].split(until, 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", text, re.DOTALL)


def test_the_markdown_bank_examples_read_as_documented():
    checkbox, lettered = examples("Markdown banks", "markdown", "\n### Aiken\n")
    [objects] = markdown.parse(checkbox).questions
    assert [c.correct for c in objects.choices] == [True, False, False, False]
    captions, speech = markdown.parse(lettered).questions
    assert [c.text for c in captions.choices if c.correct] == ["Amazon Transcribe"]
    assert captions.explanation == "Transcribe turns speech into text."
    assert [c.text for c in speech.choices if c.correct] == ["Amazon Polly"]
    assert speech.explanation == "Polly synthesizes speech."


def test_the_aiken_example_reads_as_documented():
    [example] = examples("Aiken", "text", "\n### JSON\n")
    [question] = aiken.parse(example).questions
    assert [c.text for c in question.choices if c.correct] == ["Amazon Macie"]


def test_the_json_example_reads_as_documented():
    [example] = examples("JSON", "json", "\n## ")
    parsed = json.parse(example)
    assert parsed.set_meta["slug"] == "aif-c01-bank"
    assert parsed.questions[0].external_id == "aif-1-1-001"
