"""Blueprint files: the shipped ones are valid; a broken one is refused with file:line and changes nothing."""

from pathlib import Path

import pytest
from django.conf import settings

from apps.content.blueprints import parse_blueprint
from apps.content.problems import Problems

VALID = """\
code: TST-C01
title: Test Certification
level: associate
status: current
questions_scored: 50
questions_unscored: 15
minutes: 90
passing_score: 700
question_types: [multiple_choice, ordering]
confidence:
  minutes: medium
domains:
  - number: 1
    title: First domain
    weight: 60
    task_statements:
      - {number: "1.1", title: One one, objectives: [Know things]}
  - number: 2
    title: Second domain
    weight: 40
    task_statements:
      - {number: "2.1", title: Two one, related: ["TST-C01 1.1"]}
"""


def parse(text):
    problems = Problems()
    spec = parse_blueprint(Path("bp.yaml"), text, problems)
    return spec, problems


def test_a_valid_blueprint_parses():
    spec, problems = parse(VALID)
    assert problems == []
    assert spec.code == "TST-C01"
    assert spec.fields["slug"] == "tst-c01"
    assert spec.fields["confidence"] == {"minutes": "medium"}
    assert [d.weight for d in spec.domains] == [60, 40]
    assert spec.domains[1].tasks[0].related == ["TST-C01 1.1"]


@pytest.mark.parametrize(
    "path", sorted((settings.CONTENT_DIR / "blueprints").glob("*.yaml")), ids=lambda p: p.name
)
def test_every_shipped_blueprint_is_valid(path):
    problems = Problems()
    spec = parse_blueprint(path, path.read_text(), problems)
    assert problems == []
    assert sum(domain.weight for domain in spec.domains) == 100


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("weight: 40", "weight: 38"), "bp.yaml:12: domain weights add up to 98, not 100"),
        (
            ('{number: "2.1"', '{number: "1.1"'),
            "bp.yaml:22: task statement '1.1' must be numbered 2.N inside domain 2",
        ),
        (('{number: "2.1"', "{number: 2.1"), 'bp.yaml:22: write the task statement number in quotes: "2.1"'),
        (
            ("level: associate", "level: expert"),
            "bp.yaml:3: 'level' must be one of foundational, associate, "
            "professional, specialty, not 'expert'",
        ),
        (
            ("minutes: 90", "minutes: ninety"),
            "bp.yaml:7: 'minutes' must be a whole number from 0 to 100000, not 'ninety'",
        ),
        (("minutes: 90", "minutes: 90\nduration: 90"), "bp.yaml:8: unknown exam key 'duration'"),
        (("ordering]", "essay]"), "bp.yaml:9: unknown question type 'essay'"),
        (
            ("  - number: 2\n", "  - number: 3\n"),
            "bp.yaml:18: domain numbers must run 1, 2, 3 ...; expected 2, found 3",
        ),
        (("code: TST-C01", "code: tst c01"), "bp.yaml:1: exam code 'tst c01' must look like AIF-C01"),
        (('related: ["TST-C01 1.1"]', 'related: ["1.1"]'), "bp.yaml:22: related entry '1.1' must look like"),
        (
            ("minutes: medium", "minutes: shaky"),
            "bp.yaml:11: confidence 'minutes: shaky' must name an exam field",
        ),
        (("title: First domain\n", "title: [First\n"), "bp.yaml:15: YAML syntax error"),
    ],
)
def test_a_broken_blueprint_reports_file_line_and_problem(change, expected):
    old, new = change
    assert old in VALID
    spec, problems = parse(VALID.replace(old, new, 1))
    assert spec is None
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_blueprint_that_is_not_a_mapping_is_refused():
    spec, problems = parse("- just\n- a list\n")
    assert spec is None
    assert problems == ["bp.yaml:1: a blueprint must be a YAML mapping with code, title, domains ..."]
