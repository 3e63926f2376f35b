"""Aiken (Moodle's plain multiple-choice format): questions, options, answers and what is skipped."""

import time

from apps.questions.formats import aiken

BANK = """\
Which service stores objects?
A. Amazon S3
B. Amazon EBS
C. Amazon EFS
D. AWS Lambda
ANSWER: A

A team needs a managed
speech-to-text service. Which one?
A) Amazon Polly
B) Amazon Transcribe
C) Amazon Lex
ANSWER: B

Which one runs code?
A. AWS Lambda
B. Amazon S3
ANSWER: E

Which one is missing its answer?
A. One
B. Two
"""


def test_questions_options_and_answers_are_read():
    parsed = aiken.parse(BANK)
    first, second = parsed.questions
    assert (first.kind, first.stem, first.line, first.status) == (
        "multiple_choice",
        "Which service stores objects?",
        1,
        "published",
    )
    assert [(c.text, c.correct) for c in first.choices] == [
        ("Amazon S3", True),
        ("Amazon EBS", False),
        ("Amazon EFS", False),
        ("AWS Lambda", False),
    ]
    assert second.stem == "A team needs a managed\nspeech-to-text service. Which one?"
    assert [c.correct for c in second.choices] == [False, True, False]


def test_broken_questions_are_skipped_with_their_line_and_reason():
    assert [(s.where, s.reason) for s in aiken.parse(BANK).skipped] == [
        ("line 15", "the answer E is not one of the options"),
        ("line 20", "a question without an ANSWER: line"),
    ]


def test_an_aiken_file_is_recognised():
    assert aiken.sniff(BANK)
    assert not aiken.sniff("Which one? {=A ~B}\n")


def test_a_five_megabyte_line_is_read_in_linear_time():
    started = time.monotonic()
    aiken.parse("A. " + " " * 5_000_000 + "\nANSWER:" + " " * 5_000_000 + "Z!\n")
    assert time.monotonic() - started < 5
