"""The note rendering pipeline: every Markdown extension we promise, images, headings and the TOC."""

import pytest
from bs4 import BeautifulSoup

from apps.content.markdown import render_markdown, top_heading_level


def soup_of(text):
    return BeautifulSoup(render_markdown(text).html, "html.parser")


def test_pipe_tables_render_inside_a_scrollable_region():
    soup = soup_of("| Metric | Formula |\n|---|---|\n| Recall | TP/(TP+FN) |\n")
    table = soup.select_one("div.table-scroll > table")
    assert table is not None
    assert [th.get_text() for th in table.select("th")] == ["Metric", "Formula"]
    assert table.select_one("td").get_text() == "Recall"


def test_fenced_code_is_highlighted_with_pygments_classes():
    soup = soup_of("```python\nimport boto3\nclient = boto3.client('s3')\n```\n")
    code = soup.select_one("div.highlight pre code")
    assert code is not None
    assert code.select_one("span.kn").get_text() == "import"


@pytest.mark.parametrize(
    ("kind", "css_class"),
    [
        ("NOTE", "note"),
        ("TIP", "tip"),
        ("IMPORTANT", "important"),
        ("WARNING", "warning"),
        ("CAUTION", "danger"),
    ],
)
def test_github_alerts_become_styled_admonitions(kind, css_class):
    soup = soup_of(f"> [!{kind}]\n> Watch the **quota**.\n")
    box = soup.select_one(f"div.admonition.{css_class}")
    assert box is not None, soup
    assert box.select_one(".admonition-title").get_text() == kind.capitalize()
    assert box.select_one("strong").get_text() == "quota"
    assert "[!" not in soup.get_text()


def test_admonitions_with_a_custom_title():
    soup = soup_of('!!! warning "Exam trap"\n    Choose the managed option.\n')
    assert soup.select_one("div.admonition.warning .admonition-title").get_text() == "Exam trap"


def test_mermaid_fences_become_diagram_blocks_with_escaped_source():
    rendered = render_markdown('```mermaid\nflowchart LR\n  A["S3 <raw>"] --> B\n```\n')
    block = BeautifulSoup(rendered.html, "html.parser").select_one("div.mermaid")
    assert block is not None
    assert 'A["S3 <raw>"] --> B' in block.get_text()
    assert "<raw>" not in rendered.html  # escaped, never raw HTML
    assert rendered.has_mermaid


def test_inline_and_display_math_are_kept_for_katex():
    rendered = render_markdown("Precision is $\\frac{TP}{TP+FP}$.\n\n$$\nF_1 = 2\\cdot\\frac{P R}{P+R}\n$$\n")
    soup = BeautifulSoup(rendered.html, "html.parser")
    assert soup.select_one("span.arithmatex").get_text() == "\\(\\frac{TP}{TP+FP}\\)"
    assert "F_1 = 2\\cdot\\frac{P R}{P+R}" in soup.select_one("div.arithmatex").get_text()
    assert rendered.has_math


def test_task_lists_render_disabled_checkboxes():
    soup = soup_of("- [x] Read the guide\n- [ ] Take a mock exam\n")
    boxes = soup.select("li.task-list-item input[type=checkbox]")
    assert len(boxes) == 2
    assert boxes[0].has_attr("checked") and not boxes[1].has_attr("checked")
    assert all(box.has_attr("disabled") for box in boxes)


def test_footnotes_link_both_ways():
    soup = soup_of("AWS says so.[^src]\n\n[^src]: The exam guide.\n")
    assert soup.select_one("sup a.footnote-ref")["href"] == "#fn:src"
    assert soup.select_one("div.footnote li#fn\\:src").get_text(strip=True).startswith("The exam guide.")


def test_table_of_contents_with_permalinks():
    rendered = render_markdown("## Ingest data\n\ntext\n\n### Streaming with Kinesis\n\ntext\n")
    soup = BeautifulSoup(rendered.html, "html.parser")
    heading = soup.select_one("h2#ingest-data")
    assert heading.select_one("a.headerlink")["href"] == "#ingest-data"
    toc = BeautifulSoup(rendered.toc_html, "html.parser")
    assert [a["href"] for a in toc.select("a")] == ["#ingest-data", "#streaming-with-kinesis"]
    assert [h["name"] for h in rendered.headings] == ["Ingest data", "Streaming with Kinesis"]


def test_top_level_headings_are_shifted_below_the_page_title():
    soup = soup_of("# Big\n\ntext\n\n## Smaller\n")
    assert soup.select_one("h1") is None
    assert soup.select_one("h2").get_text(strip=True).startswith("Big")
    assert soup.select_one("h3").get_text(strip=True).startswith("Smaller")


def test_notes_that_start_at_h2_keep_their_levels():
    soup = soup_of("## Section\n\n### Sub\n")
    assert soup.select_one("h2") and soup.select_one("h3")


def test_top_heading_level_ignores_code_fences():
    assert top_heading_level("```bash\n# a shell comment\n```\n## Real\n") == 2
    assert top_heading_level("no headings") == 7


@pytest.mark.parametrize(
    "src",
    [
        "/Users/amy/Library/Application Support/typora-user-images/image-1.png",
        "C:\\shots\\a.png",
        "file:///home/amy/a.png",
        "images/diagram.png",
        "../a.png",
    ],
)
def test_images_from_the_authors_disk_become_captioned_placeholders(src):
    markdown_src = src.replace(" ", "%20")
    raw_html = f'<img src="{src}" alt="Lifecycle diagram" style="zoom:50%">'
    soup = soup_of(f"Look: {raw_html}\n\n![Other]({markdown_src})\n")
    assert soup.select_one("img") is None
    placeholders = soup.select(".image-missing")
    assert len(placeholders) == 2
    assert placeholders[0]["aria-label"] == "Image not available: Lifecycle diagram"
    assert "Lifecycle diagram" in placeholders[0].get_text()


def test_web_images_are_kept_and_lazy():
    img = soup_of("![Badge](https://img.example.org/badge.svg)\n").select_one("img")
    assert img["src"] == "https://img.example.org/badge.svg"
    assert img["loading"] == "lazy"


def test_plain_text_for_search_leaves_out_diagram_source_and_permalinks():
    rendered = render_markdown(
        "## Heading\n\nBody words.\n\n```mermaid\nflowchart LR\n  Zebra --> Yak\n```\n"
    )
    assert "Body words." in rendered.text
    assert "Zebra" not in rendered.text
    assert "¶" not in rendered.text and " # " not in f" {rendered.text} "
