"""Existing attempts onto question versions, from the snapshots their slots stored.

Each slot's snapshot splits into the version content (the question unshuffled, with stable part ids) and the
slot's layout (the part ids in the order the student saw them), so that
`apps.exams.snapshots.arranged(content, layout)` gives the stored snapshot back exactly:
- choices keep their row ids: the layout is their order, the content lists them by id (authoring order);
- ordering items were named by their place on the screen: their stable id is their correct position;
- matching prompts were named by their place too: their stable id is their pair's id (their "answer").

Slots of the same question showing the same content share one version (slots of one revision whose pictures
differ — a task statement renamed between two attempts, say — get one version each, so nothing a student saw
changes); a deleted question's slots get versions without a question. Versions are numbered per question in
the order of (revision, first slot). Then every question gets its current version (its latest one when the
live question still matches it, else a new one) and every problem report the version of the revision it
named. Slots and questions are read in batches by primary key, so memory holds only one version per content.

The content builder and the digest below are frozen copies of apps/questions/versions.py as of this
migration (a migration never imports code that may change).
"""

import hashlib
import json

from django.db import migrations

BATCH = 1000
SHUFFLED_PART = {
    "multiple_choice": "choices",
    "multiple_response": "choices",
    "ordering": "items",
    "matching": "prompts",
}


def digest(content):
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def split_snapshot(snapshot):
    """(content, layout) of a stored snapshot."""
    content = dict(snapshot)
    key = SHUFFLED_PART.get(snapshot.get("kind"))
    if key is None or key not in snapshot:  # an empty picture: nothing was shuffled
        return content, []
    parts = snapshot[key]
    if key == "choices":
        layout = [part["id"] for part in parts]
        stable = parts
    elif key == "items":
        layout = [part["position"] for part in parts]
        stable = [{**part, "id": part["position"]} for part in parts]
    else:
        layout = [part["answer"] for part in parts]
        stable = [{**part, "id": part["answer"]} for part in parts]
    content[key] = sorted(stable, key=lambda part: part["id"])
    return content, layout


def live_content(question):
    """The version content of a question as it stands (apps.questions.versions.version_content, frozen)."""
    task = question.task_statement
    content = {
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
        content["choices"] = [
            {"id": c.pk, "html": c.text_html, "correct": c.is_correct, "rationale_html": c.rationale_html}
            for c in question.choices.all()
        ]
        content["choose"] = sum(1 for c in content["choices"] if c["correct"])
    elif question.kind == "ordering":
        content["items"] = [
            {"id": item.position, "html": item.text_html, "position": item.position}
            for item in question.ordering_items.all()
        ]
    else:
        pairs = list(question.pairs.all())
        content["prompts"] = [
            {"id": p.pk, "html": p.prompt_html, "answer": p.pk} for p in pairs if p.prompt_md.strip()
        ]
        content["responses"] = sorted(
            ({"id": p.pk, "html": p.response_html} for p in pairs), key=lambda r: r["html"].lower()
        )
    return content


def in_batches(queryset, *fields):
    """Rows of `fields` (the primary key first) in primary-key order, BATCH at a time (no open cursor while
    the caller writes, which SQLite would not isolate)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def group_of(question_id, revision, content):
    # A deleted question's slots are told apart by the question id their snapshot recorded.
    owner = ("question", question_id) if question_id is not None else ("deleted", content.get("question_id"))
    return owner, revision, digest(content)


def forward(apps, schema_editor):
    Slot = apps.get_model("exams", "Slot")
    Question = apps.get_model("questions", "Question")
    QuestionVersion = apps.get_model("questions", "QuestionVersion")
    ProblemReport = apps.get_model("questions", "ProblemReport")

    # 1. One version per (question, revision, content), numbered in the order students first met them.
    groups = {}  # group -> (first slot pk, kind, content, first start)
    fields = ("question_id", "question_revision", "kind", "snapshot", "attempt__started_at")
    for rows in in_batches(Slot.objects.all(), *fields):
        for pk, question_id, revision, kind, snapshot, started_at in rows:
            content, _ = split_snapshot(snapshot or {})
            group = group_of(question_id, revision, content)
            if group not in groups:
                groups[group] = (pk, kind, content, started_at)
    numbers, versions = {}, {}  # owner -> last number; group -> version id
    by_revision = {}  # (question id, revision) -> id of the revision's last version
    for group in sorted(groups, key=lambda g: (str(g[0]), g[1], groups[g][0])):
        owner, revision, content_hash = group
        _, kind, content, started_at = groups[group]
        numbers[owner] = numbers.get(owner, 0) + 1
        version = QuestionVersion.objects.create(
            question_id=owner[1] if owner[0] == "question" else None,
            number=numbers[owner],
            kind=kind,
            content=content,
            content_hash=content_hash,
            created_at=started_at,
        )
        versions[group] = version.pk
        if owner[0] == "question":
            by_revision[owner[1], revision] = version.pk
    del groups

    # 2. Each slot onto its version, with the order it showed the parts in.
    for rows in in_batches(Slot.objects.all(), "question_id", "question_revision", "snapshot"):
        changed = []
        for pk, question_id, revision, snapshot in rows:
            content, layout = split_snapshot(snapshot or {})
            version_id = versions[group_of(question_id, revision, content)]
            changed.append(Slot(pk=pk, version_id=version_id, layout=layout))
        Slot.objects.bulk_update(changed, ["version", "layout"])

    # 3. Each question's current version: its latest one if the question still shows that, else a new one.
    latest = {}  # question id -> (number, content hash, version id)
    for version in QuestionVersion.objects.filter(question__isnull=False).values_list(
        "question_id", "number", "content_hash", "pk"
    ):
        question_id, number, content_hash, pk = version
        if number > latest.get(question_id, (0,))[0]:
            latest[question_id] = (number, content_hash, pk)
    current = {}  # question id -> (revision, version id)
    questions = Question.objects.select_related("task_statement__domain", "scenario").prefetch_related(
        "choices", "ordering_items", "pairs"
    )
    for rows in in_batches(Question.objects.all()):
        changed = []
        for question in questions.filter(pk__in=[row[0] for row in rows]):
            content = live_content(question)
            content_hash = digest(content)
            number, last_hash, version_id = latest.get(question.pk, (0, "", None))
            if content_hash != last_hash:
                version_id = QuestionVersion.objects.create(
                    question_id=question.pk,
                    number=number + 1,
                    kind=question.kind,
                    content=content,
                    content_hash=content_hash,
                    created_at=question.updated_at,
                ).pk
            question.current_version_id = version_id
            current[question.pk] = (question.revision, version_id)
            changed.append(question)
        Question.objects.bulk_update(changed, ["current_version"])

    # 4. Problem reports: the version of the revision they named (none when no attempt showed that one).
    for rows in in_batches(ProblemReport.objects.all(), "question_id", "question_revision"):
        changed = []
        for pk, question_id, revision in rows:
            version_id = by_revision.get((question_id, revision))
            if version_id is None and current[question_id][0] == revision:
                version_id = current[question_id][1]
            changed.append(ProblemReport(pk=pk, question_version_id=version_id))
        ProblemReport.objects.bulk_update(changed, ["question_version"])


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0004_slot_version_layout"),
        ("questions", "0005_question_versions"),
    ]

    # Going back leaves the versions in place and cannot rebuild the snapshots: this migration can be unapplied only on a
    # database without slots (as the migration test does).
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
