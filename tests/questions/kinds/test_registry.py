"""The registry: looking kinds up, the model's choices, the partials every kind needs, and the docs' rules."""

import re
from pathlib import Path

import pytest
from django.template.loader import get_template

from apps.questions import kinds
from apps.questions.models import Question

DOCS = Path(__file__).resolve().parents[3] / "docs" / "question-format.md"


def test_an_unknown_kind_is_an_error_that_names_the_known_ones():
    with pytest.raises(kinds.UnknownKind, match="'essay'.*multiple_choice"):
        kinds.get("essay")
    assert kinds.find("essay") is None


def test_the_models_kind_choices_are_the_registry():
    assert Question._meta.get_field("kind").choices == kinds.choices()
    assert [code for code, _ in kinds.choices()] == [
        "multiple_choice",
        "multiple_response",
        "ordering",
        "matching",
    ]


def test_a_kind_cannot_be_registered_twice():
    with pytest.raises(ValueError, match="already registered"), kinds.registered(kinds.MATCHING):
        pass
    assert kinds.get("matching") is kinds.MATCHING


@pytest.mark.parametrize("kind", kinds.REGISTRY.values(), ids=str)
@pytest.mark.parametrize("use", ["exam", "review", "preview", "anki_front", "anki_back"])
def test_every_kind_has_a_partial_for_every_use(kind, use):
    get_template(kind.template_for(use))


@pytest.mark.parametrize("kind", kinds.REGISTRY.values(), ids=str)
def test_the_docs_state_each_kinds_limits_as_its_module_does(kind):
    row = re.search(rf"^\| `{kind.code}` \|.*$", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    assert row, f"docs/question-format.md has no row for {kind.code}"
    assert kind.limits in row.group(0)
