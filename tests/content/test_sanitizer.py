"""Raw HTML in notes cannot run script: a corpus of XSS payloads through the real rendering pipeline."""

import pytest
from bs4 import BeautifulSoup

from apps.content.markdown import render_markdown

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://ok.example/a.png" onload="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name=p></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<details open ontoggle=alert(1)>x</details>",
    "<input autofocus onfocus=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<base href="https://evil.example/">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="#" onclick="alert(1)">x</a>',
    '<p onmouseover="alert(1)">hover</p>',
    "<template><script>alert(1)</script></template>",
    "<marquee onstart=alert(1)>x</marquee>",
    '{: onclick="alert(1)" }\nParagraph with attr_list',
    "Paragraph\n{: onmouseover=alert(1) }",
    "<video src=x onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)></audio>",
    "<textarea><script>alert(1)</script></textarea>",
    "<select><option><script>alert(1)</script></option></select>",
]
FORBIDDEN_TAGS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "button",
    "meta",
    "link",
    "base",
    "body",
    "template",
    "noscript",
    "video",
    "audio",
    "textarea",
    "select",
    "marquee",
}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "#", "/")


def test_the_corpus_is_large_enough():
    assert len(PAYLOADS) >= 30


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_cannot_run_script(payload):
    html = render_markdown(f"Before.\n\n{payload}\n\nAfter.\n").html
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in FORBIDDEN_TAGS, html
        for attribute, value in tag.attrs.items():
            assert not attribute.lower().startswith("on"), html
            assert attribute.lower() not in {"style", "srcdoc", "formaction", "action"}, html
            if attribute in {"href", "src"}:
                assert value.strip().lower().startswith(SAFE_SCHEMES) or value == "", html
    assert "javascript:" not in html.lower()
    assert "After." in soup.get_text()


def test_safe_markup_survives():
    html = render_markdown(
        "<details><summary>Hint</summary><p>Use <kbd>Ctrl</kbd>+<kbd>C</kbd></p></details>\n"
    ).html
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("details summary").get_text() == "Hint"
    assert len(soup.select("kbd")) == 2


def test_links_get_noopener():
    soup = BeautifulSoup(render_markdown("[AWS](https://aws.amazon.com/)").html, "html.parser")
    assert soup.select_one("a")["rel"] == ["noopener", "noreferrer"]
