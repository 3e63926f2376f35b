"""How attempts stored a question before versions (for the migration test and the kinds' equivalence test)."""

from apps.exams.selection import rng_for, shuffled
from apps.exams.snapshots import numbered


def old_snapshot_question(question, *, seed):
    """apps.exams.snapshots.snapshot_question as it was before versions: what the database holds."""
    rng = rng_for(seed, question.pk)
    task = question.task_statement
    snapshot = {
        "kind": question.kind,
        "stem_html": question.stem_html,
        "explanation_html": question.explanation_html,
        "scenario": {"title": question.scenario.title, "html": question.scenario.text_html}
        if question.scenario_id
        else None,
        "task": task.number if task else "",
        "task_title": task.title if task else "",
        "domain": task.domain.number if task else 0,
        "domain_title": task.domain.title if task else "",
        "question_id": question.pk,
    }
    if question.kind in ("multiple_choice", "multiple_response"):
        choices = [
            {"id": c.pk, "html": c.text_html, "correct": c.is_correct, "rationale_html": c.rationale_html}
            for c in question.choices.all()
        ]
        snapshot["choices"] = shuffled(choices, rng)
        snapshot["choose"] = sum(1 for c in choices if c["correct"])
    elif question.kind == "ordering":
        items = [
            {"id": item.pk, "html": item.text_html, "position": item.position}
            for item in question.ordering_items.all()
        ]
        order = shuffled(items, rng)
        for _ in range(5):
            if [i["position"] for i in order] != sorted(i["position"] for i in order):
                break
            order = shuffled(items, rng)
        if [i["position"] for i in order] == sorted(i["position"] for i in order):
            order = order[1:] + order[:1]
        snapshot["items"] = numbered(order)
    else:
        pairs = list(question.pairs.all())
        prompts = shuffled(
            [{"html": p.prompt_html, "answer": p.pk} for p in pairs if p.prompt_md.strip()], rng
        )
        snapshot["prompts"] = numbered(prompts)
        snapshot["responses"] = sorted(
            ({"id": p.pk, "html": p.response_html} for p in pairs), key=lambda r: r["html"].lower()
        )
    return snapshot
