"""Exporting a question set to a file format."""

from apps.questions.data import ScenarioData
from apps.questions.formats import gift, json, moodle_xml, yaml
from apps.questions.services import question_data

EXPORTERS = ("yaml", "json", "gift", "moodle-xml")


def set_questions(question_set):
    questions = question_set.questions.select_related("task_statement", "scenario").prefetch_related(
        "services", "choices", "ordering_items", "pairs"
    )
    return [question_data(question) for question in questions.order_by("pk")]


def export_set(question_set, fmt):
    """Returns (text, questions the format cannot hold)."""
    questions = set_questions(question_set)
    if fmt in ("yaml", "json"):
        meta = {
            "slug": question_set.slug,
            "title": question_set.title,
            "exam": question_set.exam.code,
            "visibility": question_set.visibility,
        }
        if question_set.description:
            meta["description"] = question_set.description
        scenarios = [
            ScenarioData(s.external_id, s.title, s.text_md) for s in question_set.scenarios.order_by("pk")
        ]
        return (yaml if fmt == "yaml" else json).dump(meta, scenarios, questions), []
    if fmt == "gift":
        return gift.dump(questions, category=question_set.exam.code)
    if fmt == "moodle-xml":
        return moodle_xml.dump(questions, category=question_set.exam.code)
    raise ValueError(f"unknown export format {fmt!r}")
