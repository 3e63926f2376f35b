"""Markdown question banks as published on GitHub: checkbox options, lettered options, answers and skips."""

import time

from apps.questions.formats import markdown

CHECKBOXES = """\
# AWS AI Practitioner practice questions

## Table of contents
- [Question 1](#q1)

### Which AWS service stores objects?

- [x] Amazon S3
- [ ] Amazon EBS
- [ ] Amazon EFS
- [ ] AWS Lambda

**[⬆ Back to Top](#table-of-contents)**

### Which TWO services store data?

- [X] Amazon S3
- [x] Amazon DynamoDB
- [ ] AWS Lambda
  that runs code
- [ ] Amazon SNS
- [ ] AWS IAM
"""

LETTERED = """\
## Question 3

A company wants to label images. What should it use?

```text
- [x] not an option: inside a code block
```

A. Amazon Rekognition
B. Amazon Polly
C. Amazon Lex
D. Amazon Translate

**Answer:** A

**Explanation:** Rekognition analyses **images**.

## Domain 2

1. Which service translates text?
    - A. Amazon Translate
    - B. Amazon Polly
    - C. Amazon Lex
    - D. Amazon Comprehend

    <details markdown=1><summary markdown='span'>Answer</summary>
      Correct answer: A

      Translate turns text from one language into another.
    </details>

2. Which services turn speech into text or text into speech?
    - A) Amazon Transcribe
    - B) Amazon Polly
    - C) Amazon Lex
    - D) Amazon Comprehend
    - E) Amazon Kendra

    <details><summary>Show answer</summary>

    A, B

    </details>
"""


def test_checkbox_options_give_the_right_answers_and_kind():
    parsed = markdown.parse(CHECKBOXES)
    assert parsed.skipped == []
    first, second = parsed.questions
    assert (first.kind, first.stem, first.line) == ("multiple_choice", "Which AWS service stores objects?", 6)
    assert [(c.text, c.correct) for c in first.choices] == [
        ("Amazon S3", True),
        ("Amazon EBS", False),
        ("Amazon EFS", False),
        ("AWS Lambda", False),
    ]
    assert second.kind == "multiple_response"
    assert second.stem == "Which TWO services store data? (Select TWO.)"
    assert second.choices[2].text == "AWS Lambda that runs code"  # an indented line continues its option


def test_headings_without_options_are_titles_not_questions():
    assert [q.stem for q in markdown.parse(CHECKBOXES).questions][0].startswith("Which AWS")


def test_lettered_options_with_an_answer_line_and_an_explanation():
    question = markdown.parse(LETTERED).questions[0]
    assert question.stem.startswith("A company wants to label images. What should it use?\n\n```text\n- [x]")
    assert [(c.text, c.correct) for c in question.choices][:2] == [
        ("Amazon Rekognition", True),
        ("Amazon Polly", False),
    ]
    assert question.explanation == "Rekognition analyses images."
    assert question.status == "published" and question.external_id == ""


def test_numbered_questions_with_the_answer_in_a_details_block():
    _, translate, speech = markdown.parse(LETTERED).questions
    assert translate.stem == "Which service translates text?"
    assert [c.correct for c in translate.choices] == [True, False, False, False]
    assert translate.explanation == "Translate turns text from one language into another."
    assert speech.kind == "multiple_response"
    assert [c.correct for c in speech.choices] == [True, True, False, False, False]


def test_a_question_without_a_marked_answer_is_skipped_with_its_line():
    parsed = markdown.parse("### Pick one\n\n- [ ] A\n- [ ] B\n\n### Next\n\n- [x] C\n- [ ] D\n")
    assert [(s.where, s.reason) for s in parsed.skipped] == [
        ("line 1", "no answer marked (- [x], **Answer:** B or a <details> block)")
    ]
    assert len(parsed.questions) == 1


def test_an_answer_naming_no_option_is_skipped():
    parsed = markdown.parse("## Q1\n\nPick.\n\nA. One\nB. Two\n\n**Answer:** E\n")
    assert parsed.skipped[0].reason == "the answer names E, which is not an option"


def test_a_markdown_bank_is_recognised_and_notes_are_not():
    assert markdown.sniff(CHECKBOXES) and markdown.sniff(LETTERED)
    assert not markdown.sniff("# Notes\n\nS3 stores objects.\n\n1. First\n2. Second\n")


def test_a_five_megabyte_line_is_read_in_linear_time():
    hostile = [
        "### " + "Q1. " * 1_250_000 + "\n- [x] A\n- [ ] B\n",
        "## Q\n\n" + "- A. " + "a" * 5_000_000 + "\n**Answer:** " + "A, " * 1_000_000 + "\n",
        "## Q\n\n- [x] A\n\n<details>" + "<summary" * 600_000 + "\n",
        "## Q\n\n- [x] A\n\n" + "**Answer:**" + " " * 5_000_000 + "x\n",
    ]
    for text in hostile:
        started = time.monotonic()
        markdown.parse(text)
        markdown.sniff(text)
        assert time.monotonic() - started < 5
