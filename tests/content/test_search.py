"""Search helpers: query words, escaping, highlighting and snippets (no database)."""

from apps.content.search import highlight, query_terms, score, snippet


def test_query_terms_are_distinct_trimmed_and_longest_first():
    assert query_terms('  "SageMaker" endpoint, sagemaker ') == ["SageMaker", "endpoint"]
    assert query_terms("") == []
    assert len(query_terms(" ".join(f"w{i}" for i in range(20)))) == 8


def test_highlight_escapes_before_marking():
    assert str(highlight("<b>Recall</b> & recall", ["recall"])) == (
        "&lt;b&gt;<mark>Recall</mark>&lt;/b&gt; &amp; <mark>recall</mark>"
    )


def test_snippet_prefers_a_window_with_every_word():
    text = "model " + "filler " * 100 + "the model monitor watches drift " + "tail " * 50
    shown = str(snippet(text, ["monitor", "model"]))
    assert "<mark>monitor</mark>" in shown and "<mark>model</mark>" in shown
    assert shown.startswith("…")


def test_snippet_without_a_match_shows_the_opening_words():
    assert str(snippet("alpha beta gamma", ["zeta"])) == "alpha beta gamma"


def test_title_matches_score_higher_than_body_matches():
    assert score("body", "Kinesis", ["kinesis"]) > score("kinesis kinesis", "Other", ["kinesis"])
