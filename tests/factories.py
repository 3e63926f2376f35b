"""Keyword-only factories: each test states the data it depends on."""

from apps.content.models import Domain, Exam, Note, Service, TaskStatement
from apps.content.services import save_note


def make_exam(*, code="TST-C01", title="Test Certification", domains=None, status="current", **fields):
    """An exam with domains given as (number, title, weight, [task numbers])."""
    domains = domains or [(1, "Data things", 60, ["1.1", "1.2"]), (2, "Model things", 40, ["2.1"])]
    exam = Exam.objects.create(
        code=code,
        slug=code.lower(),
        title=title,
        level="associate",
        status=status,
        questions_scored=50,
        questions_unscored=15,
        minutes=90,
        passing_score=700,
        question_types=["multiple_choice"],
        **fields,
    )
    for number, domain_title, weight, tasks in domains:
        domain = Domain.objects.create(exam=exam, number=number, title=domain_title, weight=weight)
        for task_number in tasks:
            major, minor = (int(part) for part in task_number.split("."))
            TaskStatement.objects.create(
                exam=exam,
                domain=domain,
                number=task_number,
                title=f"Task {task_number} of {code}",
                position=major * 100 + minor,
            )
    return exam


def make_service(*, slug="widget-store", name="Amazon Widget Store", category="Storage", exams=(), **fields):
    service = Service.objects.create(
        slug=slug,
        name=name,
        category=category,
        summary=fields.pop("summary", f"{name} stores widgets."),
        **fields,
    )
    service.exams.set(exams)
    return service


def make_note(
    *, exam, slug="a-note", title="A note", body="## Intro\n\nSome text.\n", tasks=(), services=(), order=100
):
    note = Note(exam=exam, slug=slug, title=title, body_md=body, order=order)
    task_objs = [exam.task_statements.get(number=n) if isinstance(n, str) else n for n in tasks]
    return save_note(note=note, task_statements=task_objs, services=list(services))
