"""Keyword-only factories: each test states the data it depends on."""

from apps.content.models import Domain, Exam, Note, Service, TaskStatement
from apps.content.services import save_note
from apps.exams.selection import rng_for
from apps.exams.snapshots import arranged, layout_for, place_of
from apps.questions import kinds
from apps.questions.data import ChoiceData, PairData, QuestionData
from apps.questions.models import Choice, Question, QuestionSet
from apps.questions.services import refresh_question, write_question_parts
from apps.questions.versions import record_versions, version_content


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


# ---------------------------------------------------------------------------------------------- questions
def _default_parts(kind):
    """Parts that pass every rule for each kind, with a rationale on every choice."""
    if kind == "multiple_choice":
        return {
            "stem": "Which service stores objects?",
            "choices": [
                ChoiceData("Amazon S3", correct=True, rationale="S3 is object storage."),
                ChoiceData("Amazon EBS", rationale="EBS is block storage."),
                ChoiceData("Amazon EFS", rationale="EFS is a file system."),
                ChoiceData("AWS Lambda", rationale="Lambda runs code."),
            ],
        }
    if kind == "multiple_response":
        return {
            "stem": "Which services store data? (Choose TWO.)",
            "choices": [
                ChoiceData("Amazon S3", correct=True, rationale="Object storage."),
                ChoiceData("Amazon DynamoDB", correct=True, rationale="A key-value database."),
                ChoiceData("AWS Lambda", rationale="Runs code."),
                ChoiceData("Amazon SNS", rationale="Sends notifications."),
                ChoiceData("AWS IAM", rationale="Manages access."),
            ],
        }
    if kind == "ordering":
        return {
            "stem": "Put the steps of training in order.",
            "items": ["Collect the data.", "Train the model.", "Evaluate the model."],
        }
    if kind == "matching":
        return {
            "stem": "Match each need to the service that meets it.",
            "pairs": [
                PairData("Store objects", "Amazon S3"),
                PairData("Run code without servers", "AWS Lambda"),
                PairData("Manage encryption keys", "AWS KMS"),
            ],
        }
    return {"stem": f"A question of kind {kind}."}


def make_question_data(*, kind="multiple_choice", **fields):
    """A QuestionData breaking no rule (published, task 1.1, explained) unless `fields` say otherwise."""
    values = {
        "task_statement": "1.1",
        "status": "published",
        "explanation": "Because that is how it works.",
        **_default_parts(kind),
        **fields,
    }
    return QuestionData(kind=kind, **values)


def make_question_set(*, exam, slug="tst-bank", title="Test bank", visibility="private", owner=None):
    return QuestionSet.objects.create(slug=slug, title=title, exam=exam, visibility=visibility, owner=owner)


def make_question(*, question_set, kind="multiple_choice", services=(), **fields):
    """A stored, rendered question built from make_question_data's fields. No rule is checked, so a test
    can store a question that breaks one (as an admin edit or an older import might have)."""
    data = make_question_data(kind=kind, **fields)
    task = question_set.exam.task_statements.get(number=data.task_statement) if data.task_statement else None
    question = Question.objects.create(
        question_set=question_set,
        kind=data.kind,
        stem_md=data.stem,
        explanation_md=data.explanation,
        task_statement=task,
        guide_version=data.guide_version,
        difficulty=data.difficulty,
        status=data.status,
        external_id=data.external_id,
        objectives=data.objectives,
        section=data.section,
    )
    question.services.set(services)
    write_question_parts(question, data)
    return refresh_question(question=question)


def make_questions(*, question_set, count, task_statement="1.1", status="published", prefix="Question"):
    """`count` multiple-choice questions stored in bulk, already rendered (no Markdown pass), for pools and
    size tests. The first choice of each is the right one; every choice has a rationale."""
    task = question_set.exam.task_statements.get(number=task_statement)
    questions = Question.objects.bulk_create(
        Question(
            question_set=question_set,
            kind=kinds.MULTIPLE_CHOICE.code,
            stem_md=f"{prefix} {number} of task {task_statement}?",
            stem_html=f"<p>{prefix} {number} of task {task_statement}?</p>",
            explanation_md="Because the first choice is right.",
            explanation_html="<p>Because the first choice is right.</p>",
            task_statement=task,
            status=status,
        )
        for number in range(1, count + 1)
    )
    Choice.objects.bulk_create(
        Choice(
            question=question,
            text_md=text,
            text_html=text,
            is_correct=position == 1,
            rationale_md=f"Why {text}.",
            rationale_html=f"Why {text}.",
            position=position,
        )
        for question in questions
        for position, text in enumerate(["Right choice", "Wrong choice B", "Wrong choice C"], 1)
    )
    versions = record_versions(Question.objects.filter(pk__in=[q.pk for q in questions]))
    for question in questions:
        question.current_version = versions[question.pk]
    return questions


# ---------------------------------------------------------------------------------------------- attempts
def make_attempt(
    *, user, questions, now, unscored=(), mode="custom", feedback="end", minutes=None, seed="s1"
):
    """An attempt over `questions` (plus unscored pilot `unscored`), started through the real service at `now`;
    timed when `minutes` is given. Positions are shuffled by `seed`: find a question's slot with
    `attempt.slots.get(question=question)`."""
    from apps.exams.services import Plan, PracticeRequest, start_attempt

    questions, unscored = list(questions), list(unscored)
    exam = (questions or unscored)[0].question_set.exam
    request = PracticeRequest(exam=exam, mode=mode, feedback=feedback, timed=minutes is not None)
    plan = Plan([q.pk for q in questions], [q.pk for q in unscored], minutes, len(questions) + len(unscored))
    return start_attempt(user=user, request=request, plan=plan, now=now, seed=seed)


def snapshot_for(question, *, seed):
    """The picture a slot of `question` in an attempt started with `seed` shows (its current version's content
    in the slot's layout), built without the database when `question` is a stand-in with its parts."""
    content = version_content(question)
    return arranged(content, layout_for(content, rng_for(seed, question.pk)))


def on_screen(slot, choice_id):
    """What the exam page posts for a choice (its place on the screen), from its stored id."""
    return place_of(slot.snapshot["choices"], choice_id)


def answer_form(snapshot, response):
    """Form data the exam page posts for a stored response: choices and matching responses by their place."""
    if "choice" in response:
        return {"choice": place_of(snapshot["choices"], response["choice"])}
    if "choices" in response:
        return {"choices": [place_of(snapshot["choices"], pk) for pk in response["choices"]]}
    if "order" in response:
        return {"order": response["order"]}
    return {
        f"match-{prompt}": place_of(snapshot["responses"], pk) for prompt, pk in response["matches"].items()
    }
