"""Freezing a question as the student sees it: texts, ids, shuffled order and the answer key; and the names the
exam page gives its parts (their places on the screen), which say nothing about the key."""

from html import unescape

from django.utils.html import strip_tags

from apps.exams.selection import rng_for, shuffled


# ------------------------------------------------------------------------------------- places on the screen
# Rows are created in authoring order, and most sources list the right answer first (GIFT, Moodle XML, CSV)
# and distractor responses last, so a row's primary key in the page would give the key away. Every part of a
# question is therefore named on the page by its place on the screen (1, 2, 3 … in the order this student
# sees it). Ordering items and matching prompts are stored under that number already; choices and matching
# responses keep their row ids in the snapshot (stored answers and the item analysis count by them), and the
# two functions below translate at the page's edge.
def numbered(parts):
    """The parts with their place on the screen as their id."""
    return [{**part, "id": place} for place, part in enumerate(parts, 1)]


def id_at_place(parts, place):
    """The stored id of the part shown at this place (a number posted by the page), or None if there is none."""
    return parts[place - 1]["id"] if isinstance(place, int) and 1 <= place <= len(parts) else None


def place_of(parts, part_id):
    """The place on the screen of the part with this stored id, or None."""
    return next((place for place, part in enumerate(parts, 1) if part["id"] == part_id), None)


def snapshot_question(question, *, seed):
    """A JSON-able picture of a question (with prefetched parts) that grading and review use ever after."""
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
        for _ in range(5):  # a shuffle that happens to be the answer would give it away
            if [i["position"] for i in order] != sorted(i["position"] for i in order):
                break
            order = shuffled(items, rng)
        if [i["position"] for i in order] == sorted(i["position"] for i in order):
            order = order[1:] + order[:1]  # still the answer after every reshuffle: rotate it
        # Ids by place on the screen: item rows are created in the correct order, so their keys would tell it.
        snapshot["items"] = numbered(order)
    else:
        pairs = list(question.pairs.all())
        prompts = shuffled(
            [{"html": p.prompt_html, "answer": p.pk} for p in pairs if p.prompt_md.strip()], rng
        )
        # Ids by place on the screen: a pair's key is also its response's id, so it would name the answer.
        snapshot["prompts"] = numbered(prompts)
        snapshot["responses"] = sorted(
            ({"id": p.pk, "html": p.response_html} for p in pairs), key=lambda r: r["html"].lower()
        )
    return snapshot


def public_view(snapshot):
    """What the exam page may show before the answer is revealed: no correctness, no rationale, no key, and
    every part named by its place on the screen."""
    view = {
        key: value
        for key, value in snapshot.items()
        if key not in {"explanation_html", "choices", "items", "prompts", "responses", "question_id"}
    }
    if "choices" in snapshot:
        view["choices"] = numbered({"html": c["html"]} for c in snapshot["choices"])
    if "responses" in snapshot:
        # A drop-down option shows plain text: the HTML's entities decoded once (the template escapes again).
        view["responses"] = numbered(
            {"html": r["html"], "text": unescape(strip_tags(r["html"]))} for r in snapshot["responses"]
        )
    if "items" in snapshot:
        view["items"] = [{"id": i["id"], "html": i["html"]} for i in snapshot["items"]]
    if "prompts" in snapshot:
        view["prompts"] = [{"id": p["id"], "html": p["html"]} for p in snapshot["prompts"]]
    return view
