"""Images embedded in question files come along: Moodle XML <file> elements and GIFT [html] data URIs."""

import base64
import hashlib
import time
from io import StringIO

import pytest
from django.core.management import call_command

from apps.content.models import NoteMedia
from apps.questions.formats import gift, moodle_xml
from apps.questions.models import Question
from tests.factories import make_exam

PNG = b"\x89PNG\r\n\x1a\n" + b"pixels of a tiny test image"
DIGEST = hashlib.sha256(PNG).hexdigest()
ENCODED = base64.b64encode(PNG).decode()
SVG = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>").decode()


def moodle_file(image_name="pic one.png", encoded=ENCODED):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>With a picture</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Which service made this chart?</p><img src="@@PLUGINFILE@@/pic%20one.png" alt="chart">]]></text>
      <file name="{image_name}" path="/" encoding="base64">{encoded}</file>
    </questiontext>
    <single>true</single>
    <answer fraction="100"><text>Amazon QuickSight</text></answer>
    <answer fraction="0"><text>Amazon S3</text></answer>
    <answer fraction="0"><text>AWS Lambda</text></answer>
    <answer fraction="0"><text>Amazon SNS</text></answer>
  </question>
</quiz>
"""


@pytest.fixture
def exam(db):
    return make_exam(code="TST-C01")


def run(tmp_path, text, name):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_questions", str(path), "--set", "s", "--exam", "TST-C01", stdout=out)
    return out.getvalue()


def test_a_moodle_image_is_read_and_its_reference_points_at_it():
    parsed = moodle_xml.parse(moodle_file())
    assert list(parsed.media) == [DIGEST]
    assert f'<img src="/media/notes/{DIGEST}.png" alt="chart">' in parsed.questions[0].stem


def test_a_moodle_image_comes_along_and_is_served(exam, tmp_path, client):
    output = run(tmp_path, moodle_file(), "bank.xml")
    assert "images: 1 stored" in output
    question = Question.objects.get()
    assert f'src="/media/notes/{DIGEST}.png"' in question.stem_html
    response = client.get(f"/media/notes/{DIGEST}.png")
    assert (response.status_code, response["Content-Type"], response.content) == (200, "image/png", PNG)
    assert "images:" not in run(tmp_path, moodle_file(), "bank.xml")  # stored once
    assert NoteMedia.objects.count() == 1


def test_an_svg_or_broken_file_stays_a_captioned_placeholder(exam, tmp_path):
    run(tmp_path, moodle_file(encoded=SVG), "bank.xml")
    assert not NoteMedia.objects.exists()
    stem_html = Question.objects.get().stem_html
    assert "image-missing" in stem_html and "<script" not in stem_html
    assert moodle_xml.parse(moodle_file(encoded="not base64!")).media == {}


def test_a_gift_html_data_uri_comes_along(exam, tmp_path):
    text = (
        "$CATEGORY: TST-C01/1.1\n\n"
        f'[html]<p>What does this show?</p><img src\\="data\\:image/png;base64,{ENCODED}" alt\\="x"> {{\n'
        "=A chart ~A map ~A photo ~A table ####Charts.\n}\n"
    )
    parsed = gift.parse(text)
    assert list(parsed.media) == [DIGEST]
    assert f'src="/media/notes/{DIGEST}.png"' in parsed.questions[0].stem
    assert "images: 1 stored" in run(tmp_path, text, "bank.gift")


def test_a_five_megabyte_data_uri_run_is_read_in_linear_time():
    started = time.monotonic()
    gift.parse("Pick. {=A ~B ~C ~" + "data:image/png;base64," + "A" * 5_000_000 + "}\n")
    assert time.monotonic() - started < 5
