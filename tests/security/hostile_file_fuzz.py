"""Run by test_hostile_file_fuzz.py in its own process: every importer against a fixed corpus of hostile files,
under a memory limit (RLIMIT_AS) and a time limit per file. Prints one JSON line per file."""

import codecs
import json
import resource
import sys
import time
from io import StringIO
from pathlib import Path

import django

MEMORY_HEADROOM = 768 * 1024 * 1024  # bytes of address space allowed on top of the process after setup
SECONDS_PER_FILE = 10

QUESTION = (
    "questions:\n  - id: q1\n    kind: multiple_choice\n    stem: {stem}\n    choices:\n"
    "      - {{text: A, correct: true}}\n      - {{text: B}}\n      - {{text: C}}\n      - {{text: D}}\n"
)
PLAIN = QUESTION.format(stem="Which café is right?")


def _billion_laughs_yaml():
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    return "\n".join(lines) + "\n" + QUESTION.format(stem="*a9")


BILLION_LAUGHS_XML = (
    '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n  <!ENTITY l0 "lol">\n'
    + "".join(f'  <!ENTITY l{n} "{f"&l{n - 1};" * 10}">\n' for n in range(1, 10))
    + "]>\n<quiz><question type=\"multichoice\"><questiontext><text>&l9;</text></questiontext></question></quiz>\n"
)


def question_corpus():
    """name → bytes; every file goes through every question format."""
    text = {
        "yaml-billion-laughs": _billion_laughs_yaml(),
        "yaml-anchor": PLAIN.replace("stem: Which", "stem: &s Which"),
        "yaml-deep-flow": "questions: " + "[" * 100_000 + "]" * 100_000,
        "yaml-deep-block": "".join(" " * n + "a:\n" for n in range(2000)),
        "yaml-huge-int": QUESTION.format(stem="x").replace("kind:", "difficulty: " + "9" * 100_000 + "\n    kind:"),
        "yaml-wrong-types": PLAIN.replace("choices:", "services: [[[a]]]\n    choices:"),
        "xml-billion-laughs": BILLION_LAUGHS_XML,
        "xml-external-entity": '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "\n<quiz>&x;</quiz>\n",
        "xml-doctype": '<?xml version="1.0"?>\n<!DOCTYPE quiz>\n<quiz></quiz>\n',
        "xml-deep": "<quiz>" + "<a>" * 200_000 + "</a>" * 200_000 + "</quiz>",
        "xml-wide": "<quiz>" + "<a/>" * 400_000 + "</quiz>",
        "gift-deep-braces": "Q " + "{" * 200_000 + "}" * 200_000,
        "gift-bracket-stem": "[" * 16_000 + " which? {=a ~b ~c ~d}\n",
        "gift-quote-stem": ">" * 400 + " which? {=a ~b ~c ~d}\n",
        "gift-list-stem": "- " * 1000 + "which? {=a ~b ~c ~d}\n",
        "gift-many-blocks": "Q {=a ~b}\n\n" * 20_000,
        "markdown-nested-html": '<div markdown="1">\n\n' * 200 + "x {=a ~b ~c ~d}\n",
        "huge-line": "x" * 2_000_000,
        "csv-huge-cell": 'Question,Question Type\n"' + "x" * 300_000 + '",multiple-choice\n',
        "empty": "",
        "whitespace": " \n\t\n" * 1000,
    }
    corpus = {name: value.encode("utf-8") for name, value in text.items()}
    corpus |= {
        "nul-bytes": PLAIN.encode().replace(b"Which", b"Wh\0ich"),
        "utf16-le-bom": codecs.BOM_UTF16_LE + PLAIN.encode("utf-16-le"),
        "utf16-be-bom": codecs.BOM_UTF16_BE + PLAIN.encode("utf-16-be"),
        "utf16-le-no-bom": PLAIN.encode("utf-16-le"),
        "utf16-be-no-bom": PLAIN.encode("utf-16-be"),
        "utf32-bom": codecs.BOM_UTF32_LE + PLAIN.encode("utf-32-le"),
        "latin-1": PLAIN.encode("latin-1"),
        "cp1252": PLAIN.replace("right", "\u201cright\u201d").encode("cp1252"),
        "invalid-utf8": PLAIN.encode() + b"\xff\xfe\xc3\x28",
        "only-bom": codecs.BOM_UTF8,
        "over-10-mb": b"x" * 10_000_001,
    }
    return corpus


def note_corpus():
    front_bomb = _billion_laughs_yaml().replace("questions:", "title:").split("title:")[0]
    text = {
        "front-matter-billion-laughs": "---\n" + front_bomb + "---\nBody.\n",
        "front-matter-deep": "---\nt: " + "[" * 50_000 + "]" * 50_000 + "\n---\nBody.\n",
        "front-matter-wrong-types": "---\ntitle: [[[a]]]\nsummary: {a: b}\norder: [1]\n---\nBody.\n",
        "brackets": "# T\n\n" + "[" * 16_000,
        "quotes": "# T\n\n" + ">" * 400,
        "dashes": "# T\n\n" + "- " * 1000,
        "indented-lists": "# T\n\n" + "\n".join("    " * n + "- x" for n in range(300)),
        "nested-html": "# T\n\n" + '<div markdown="1">\n\n' * 300,
        "admonitions": "# T\n\n" + "".join("    " * n + "!!! note\n" for n in range(300)),
        "backticks": "# T\n\n" + "`" * 20_000,
        "autolinks": "# T\n\n" + "<http://" * 5000,
        "huge-line": "x" * 1_900_000,
        "headings": "".join("## h\n" for _ in range(5000)),
    }
    corpus = {name: value.encode("utf-8") for name, value in text.items()}
    corpus |= {
        "nul-bytes": b"# T\n\nA\0B\n",
        "utf16-le-no-bom": "# T\n\nBody.\n".encode("utf-16-le"),
        "latin-1": "# Caf\xe9\n\nBody.\n".encode("latin-1"),
        "invalid-utf8": b"# T\n\n\xff\xfe\n",
        "over-2-mb": b"x" * 2_000_001,
    }
    return corpus


def _limit_memory():
    with open("/proc/self/status") as status:
        size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
    resource.setrlimit(resource.RLIMIT_AS, (size + MEMORY_HEADROOM, resource.RLIM_INFINITY))


def _attempt(command, *args):
    from django.core.management import CommandError, call_command

    started = time.monotonic()
    try:
        call_command(command, *args, stdout=StringIO())
        outcome, message = "imported", ""
    except CommandError as exc:
        outcome, message = "refused", str(exc)
    except BaseException as exc:  # noqa: BLE001 - what the test is looking for: anything that escapes
        outcome, message = "crashed", f"{exc.__class__.__name__}: {str(exc)[:200]}"
    return outcome, message, round(time.monotonic() - started, 2)


def main(folder):
    django.setup()
    from django.core.management import call_command

    from tests.factories import make_exam

    call_command("migrate", verbosity=0)
    make_exam(code="TST-C01")
    folder = Path(folder)
    _limit_memory()
    number = 0
    for name, raw in question_corpus().items():
        for suffix in (".yaml", ".gift", ".xml", ".csv"):
            number += 1
            path = folder / f"{name}{suffix}"
            path.write_bytes(raw)
            outcome, message, seconds = _attempt(
                "import_questions", str(path), "--set", f"fuzz-{number}", "--exam", "TST-C01"
            )
            path.unlink()
            report(f"questions {path.name}", outcome, message, seconds)
    for name, raw in note_corpus().items():
        path = folder / f"{name}.md"
        path.write_bytes(raw)
        outcome, message, seconds = _attempt("import_notes", str(path), "--exam", "TST-C01")
        path.unlink()
        report(f"notes {path.name}", outcome, message, seconds)


def report(file, outcome, message, seconds):
    print(json.dumps({"file": file, "outcome": outcome, "message": message[:300], "seconds": seconds}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
