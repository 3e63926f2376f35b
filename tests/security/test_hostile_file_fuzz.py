"""Every importer against a fixed corpus of hostile files (tests/security/hostile_file_fuzz.py): alias and entity
bombs, DTDs, deep nesting in YAML, GIFT, XML and Markdown, huge lines, NUL bytes and many encodings.

Each file runs through `import_questions` in all four formats and notes through `import_notes`, in a process
whose address space is capped (RLIMIT_AS). Every file is imported or refused with a message in seconds; nothing
escapes as MemoryError, RecursionError or any other crash.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.security.hostile_file_fuzz import SECONDS_PER_FILE, note_corpus, question_corpus


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DATA_DIR": str(folder),
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tests.security.hostile_file_fuzz", str(folder)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0, (result.stderr[-3000:], lines[-1:])
    return {line["file"]: line for line in lines}


def test_every_file_of_the_corpus_went_through_every_importer(outcomes):
    assert len(outcomes) == 4 * len(question_corpus()) + len(note_corpus())


def test_no_hostile_file_crashes_an_importer(outcomes):
    crashed = {file: line["message"] for file, line in outcomes.items() if line["outcome"] == "crashed"}
    assert crashed == {}


def test_no_hostile_file_takes_long(outcomes):
    slow = {file: line["seconds"] for file, line in outcomes.items() if line["seconds"] > SECONDS_PER_FILE}
    assert slow == {}


def test_refusals_name_the_file_and_say_nothing_was_imported(outcomes):
    for file, line in outcomes.items():
        if line["outcome"] == "refused" and not line["message"].startswith("unknown exam"):
            first = line["message"].split("\n")[0]
            assert file.split(" ")[1] in first and ":" in first, (file, first)


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("questions yaml-billion-laughs.yaml", "anchors and aliases (& and *) are not allowed"),
        ("questions xml-billion-laughs.xml", "a DOCTYPE (DTD) is not allowed"),
        ("questions xml-deep.xml", "elements nested deeper than 32"),
        ("questions yaml-deep-flow.yaml", "nested deeper than 32 levels"),
        ("questions nul-bytes.yaml", "a NUL character"),
        ("questions invalid-utf8.gift", "not UTF-8 text"),
        ("questions utf16-le-no-bom.csv", "not UTF-8 text"),
        ("questions over-10-mb.gift", "larger than 10 MB"),
        ("questions huge-line.csv", "not valid CSV: field larger than field limit"),
        ("notes front-matter-billion-laughs.md", "anchors and aliases"),
        ("notes brackets.md", "more than 32 unclosed '['"),
        ("notes quotes.md", "nesting deeper than 16"),
        ("notes latin-1.md", "not UTF-8 text"),
    ],
)
def test_the_worst_files_are_refused_with_a_clear_reason(outcomes, file, message):
    assert outcomes[file]["outcome"] == "refused"
    assert message in outcomes[file]["message"]
