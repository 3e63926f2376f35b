"""What the practice page tests share: URLs, parsing pages and messages, and picking choices of a slot."""

from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.urls import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}


EXPLANATION = "Because that is how it works."


def url(name, attempt, *args):
    return reverse(f"exams:{name}", args=[attempt.pk, *args])


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def right_choice(slot):
    return next(c["id"] for c in slot.snapshot["choices"] if c["correct"])


def wrong_choice(slot):
    return next(c["id"] for c in slot.snapshot["choices"] if not c["correct"])
