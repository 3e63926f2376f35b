"""What the question admin tests share: admin URLs, parsing pages and messages, and building the forms an
instructor posts."""

from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

MR_STEM = "Which services store data durably? (Choose TWO.)"


MR_CHOICES = [
    ("Amazon S3", True, "S3 keeps objects durably."),
    ("Amazon DynamoDB", True, "DynamoDB replicates items across zones."),
    ("AWS Lambda", False, "Lambda runs code; it keeps no data."),
    ("Amazon SNS", False, "SNS delivers messages and keeps none."),
    ("AWS IAM", False, "IAM manages access, not data."),
]


def url(name, *args):
    return reverse(f"admin:questions_{name}", args=args)


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def listed(response):
    """The objects on a changelist page."""
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def assert_refused(response):
    """The admin's answers to an object outside the user's queryset: a redirect to the index, or 403/404."""
    assert response.status_code in (302, 403, 404), response.status_code
    if response.status_code == 302:
        assert response["Location"] == reverse("admin:index")


def management_form(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def new_question_post(
    *,
    question_set,
    task_statement,
    kind="multiple_response",
    status="published",
    stem=MR_STEM,
    explanation="S3 and DynamoDB both **keep** data.",
    choices=MR_CHOICES,
    items=(),
    pairs=(),
    **fields,
):
    """What the admin add form posts: the question's fields and the three inline formsets."""
    data = {
        "question_set": question_set.pk,
        "kind": kind,
        "status": status,
        "task_statement": task_statement.pk if task_statement else "",
        "difficulty": "2",
        "scenario": "",
        "stem_md": stem,
        "explanation_md": explanation,
        "guide_version": "",
        "external_id": "",
        "_save": "Save",
        **management_form("choices", len(choices)),
        **management_form("ordering_items", len(items)),
        **management_form("pairs", len(pairs)),
        **fields,
    }
    for i, (text, correct, rationale) in enumerate(choices):
        data |= {
            f"choices-{i}-position": i + 1,
            f"choices-{i}-text_md": text,
            f"choices-{i}-rationale_md": rationale,
        }
        if correct:
            data[f"choices-{i}-is_correct"] = "on"
    for i, text in enumerate(items):
        data |= {f"ordering_items-{i}-position": i + 1, f"ordering_items-{i}-text_md": text}
    for i, (prompt, response) in enumerate(pairs):
        data |= {
            f"pairs-{i}-position": i + 1,
            f"pairs-{i}-prompt_md": prompt,
            f"pairs-{i}-response_md": response,
        }
    return data


def form_data(response, form_id):
    """What a browser would post back from a form on the page, unchanged."""
    form = soup_of(response).find("form", id=form_id)
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name = field["name"]
        if "__prefix__" in name:
            continue
        if field.name == "input":
            kind = field.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                continue
            if kind in ("checkbox", "radio") and not field.has_attr("checked"):
                continue
            data.setdefault(name, []).append(
                field.get("value", "on" if kind in ("checkbox", "radio") else "")
            )
        elif field.name == "select":
            chosen = field.select("option[selected]") or (
                [] if field.has_attr("multiple") else field.select("option")[:1]
            )
            data.setdefault(name, []).extend(option.get("value", option.get_text()) for option in chosen)
        else:
            text = field.get_text()
            data.setdefault(name, []).append(text[1:] if text.startswith("\n") else text)
    return data


def edit_post(client, question, **changes):
    """The change form of a question as the admin renders it, with some fields changed."""
    data = form_data(client.get(url("question_change", question.pk)), "question_form")
    return {**data, **{name: [value] for name, value in changes.items()}, "_save": ["Save"]}


def action_post(action, *questions, **extra):
    return {"action": action, "index": "0", "_selected_action": [q.pk for q in questions], **extra}


def option_values(response, field_id):
    return [
        option["value"] for option in soup_of(response).select(f"select#{field_id} option") if option["value"]
    ]


VALID_YAML = """\
questions:
  - id: imp-001
    kind: multiple_choice
    task_statement: "1.1"
    status: published
    stem: Which service stores objects?
    choices:
      - text: Amazon S3
        correct: true
        rationale: Object storage.
      - text: Amazon EBS
      - text: Amazon EFS
      - text: AWS Lambda
    explanation: S3 stores objects.
  - id: imp-002
    kind: ordering
    status: published
    stem: Put the steps in order.
    items: [Collect the data., Train the model., Evaluate the model.]
    explanation: Data first.
"""


def upload(name, text):
    return {"file": SimpleUploadedFile(name, text.encode()), "format": ""}
