"""The exam-validity rules as pure computations: cues, strategies, positions, service mentions, coverage."""

from math import comb

import pytest

from apps.questions import bank_rules
from apps.questions.bank_rules import GlossaryEntry, ServiceMatcher
from apps.questions.data import ChoiceData, PairData, QuestionData

WORDS = ["red", "tan", "map", "dot", "elk", "fig"]  # same length, nothing in common


def single(texts, key=0, stem="Which one is it?", status="published"):
    choices = [ChoiceData(text, correct=i == key, rationale="Why.") for i, text in enumerate(texts)]
    return QuestionData(kind="multiple_choice", stem=stem, choices=choices, status=status)


def multiple(texts, keys=(0, 1), stem="Which are they? (Select TWO.)"):
    choices = [ChoiceData(text, correct=i in keys, rationale="Why.") for i, text in enumerate(texts)]
    return QuestionData(kind="multiple_response", stem=stem, choices=choices, status="published")


def plain(key=0):
    """A single-answer question without any cue: four choices of the same length."""
    return single([f"Choice {w}" for w in WORDS[:4]], key=key)


def longest_keyed(key=0):
    texts = [f"Choice {w}" for w in WORDS[:4]]
    texts[key] += " and more"
    return single(texts, key=key)


# ----------------------------------------------------------------------------------------- visible length
def test_lengths_count_the_text_a_student_sees_not_the_markdown():
    assert bank_rules.visible_text("Use **[Amazon S3](https://aws.amazon.com/s3/)** with `boto3`") == (
        "Use Amazon S3 with boto3"
    )
    assert bank_rules.visible_length("A  <b>bold</b>\n*move*") == len("A bold move")


# ------------------------------------------------------------------------------------------ length cues
def test_the_key_is_longest_only_when_strictly_longer_than_every_distractor():
    assert bank_rules.key_is_longest(longest_keyed())
    assert not bank_rules.key_is_longest(plain())  # a tie is no cue
    assert not bank_rules.key_is_longest(single(["Short", "A longer distractor", "Mid one", "Mid two"]))


@pytest.mark.parametrize(("cued", "error"), [(3, False), (4, True)])
def test_the_longest_key_in_more_than_30_percent_of_single_answer_questions_is_an_error(cued, error):
    questions = [longest_keyed(i % 4) for i in range(cued)] + [plain(i % 4) for i in range(10 - cued)]
    stats = bank_rules.cue_stats(questions)
    assert (stats.single, stats.longest_key) == (10, cued)
    findings = bank_rules.cue_findings("AIF-C01", stats)
    assert bool(findings) is error
    if error:
        assert str(findings[0]) == (
            "error: AIF-C01: the key is the longest choice in 4 of 10 single-answer questions (40%; at most 30%)"
        )


def test_the_longest_k_giving_full_credit_in_more_than_15_percent_of_multiple_response_is_an_error():
    even = [f"Choice {w}" for w in WORDS[:5]]
    cued = multiple([even[0] + " and more", even[1] + " and more", *even[2:]])
    assert bank_rules.longest_k_full_credit(cued)
    assert not bank_rules.longest_k_full_credit(multiple([even[0] + " and more", *even[1:]]))  # one key only
    ok = bank_rules.cue_stats([cued] + [multiple(even)] * 9)
    assert (ok.multiple, ok.longest_k) == (10, 1) and bank_rules.cue_findings("X", ok) == []
    bad = bank_rules.cue_stats([cued] * 2 + [multiple(even)] * 8)
    assert [f.message for f in bank_rules.cue_findings("X", bad)] == [
        "picking the longest choices gives full credit in 2 of 10 multiple-response questions (20%; at most 15%)"
    ]


def test_too_few_questions_are_reported_but_not_judged():
    stats = bank_rules.cue_stats([longest_keyed()] * 9)
    assert stats.longest_key_share == 1.0
    assert bank_rules.cue_findings("X", stats) == []


def test_a_key_more_than_1_3_times_the_longest_distractor_is_a_warning():
    assert bank_rules.length_warning(single(["1234567890abcd", "1234567890", "12345", "123"])) == (
        "the key is 1.4 times as long as the longest distractor (14 against 10 characters)"
    )
    assert bank_rules.length_warning(single(["1234567890abc", "1234567890", "12345", "123"])) == ""
    # Multiple response: any key against the longest distractor.
    question = multiple(["short", "1234567890abcd", "1234567890", "x", "y"], keys=(0, 1))
    assert bank_rules.length_warning(question).startswith("a key is 1.4 times as long")


# ------------------------------------------------------------------------------------------- strategies
def test_ties_earn_the_expected_share_of_the_credit_never_the_full_credit():
    assert bank_rules.expected_credit([5, 5, 5, 5], {0}, 1) == 0.25
    assert bank_rules.expected_credit([9, 5, 5, 5], {0}, 1) == 1.0
    assert bank_rules.expected_credit([9, 5, 5, 5], {1}, 1) == 0.0
    assert bank_rules.expected_credit([5, 5, 5, 5, 5], {0, 1}, 2) == 1 / comb(5, 2)
    assert bank_rules.expected_credit([9, 5, 5, 5, 5], {0, 1}, 2) == 0.25  # sure of one, 1 of 4 for the other
    assert bank_rules.expected_credit([9, 5, 5, 5, 5], {1, 2}, 2) == 0.0
    assert bank_rules.expected_credit([9, 8, 5, 5, 5], {0, 1}, 2) == 1.0


def test_guessing_scores_one_in_n_and_one_in_n_choose_k():
    assert bank_rules.guess_credit(plain()) == 0.25
    assert bank_rules.guess_credit(multiple([f"Choice {w}" for w in WORDS[:5]])) == 1 / 10


def test_a_bank_without_cues_scores_like_guessing_with_every_strategy():
    report = bank_rules.strategy_report([plain(i % 4) for i in range(12)])
    assert report.questions == 12 and report.guessing == 25
    assert report.scores == {name: 25 for name in bank_rules.STRATEGIES}
    assert report.best_gain == 0
    assert bank_rules.strategy_findings("X", report) == []


def test_always_the_longest_and_always_the_shortest_are_found():
    report = bank_rules.strategy_report(
        [longest_keyed(i % 4) for i in range(4)] + [plain(i % 4) for i in range(8)]
    )
    assert round(report.scores["always the longest"]) == 50  # 4 right + 8 x 1/4, of 12
    assert round(report.scores["always the shortest"]) == 17  # 0 + 8 x 1/4 (ties among the short ones: 1/3)
    messages = [f.message for f in bank_rules.strategy_findings("X", report)]
    assert messages == [
        "choosing always the longest scores 50% where blind guessing scores 25% (at most 10 points apart)"
    ]


def test_the_choice_sharing_words_with_the_stem_is_found():
    questions = [
        single(
            ["Encrypt the bucket", "Rotate the keys", "Tag the objects", "Delete old logs"],
            key=i % 4,
            stem=f"The team must {['encrypt the bucket', 'rotate keys', 'tag objects', 'delete logs'][i % 4]}. What now?",
        )
        for i in range(12)
    ]
    report = bank_rules.strategy_report(questions)
    assert report.scores["most words shared with the stem"] == 100
    assert any(
        "most words shared with the stem" in f.message for f in bank_rules.strategy_findings("X", report)
    )


def test_the_choice_whose_words_recur_in_the_other_choices_is_found():
    # The key combines the words of the distractors ("convergence"): each distractor varies one part of it.
    texts = [
        "Stream with Kinesis to S3",
        "Stream with Flink to Redshift",
        "Batch with Kinesis to Redshift",
        "Batch with Flink to S3",
    ]
    questions = [single(texts, key=0) for _ in range(12)]
    assert bank_rules.strategy_report(questions).scores["most words shared with the other choices"] < 100
    keyed = [
        "Stream with Kinesis to S3",
        "Stream with Kinesis to Redshift",
        "Stream with Flink to S3",
        "Batch with Kinesis to S3",
    ]
    report = bank_rules.strategy_report([single(keyed, key=0) for _ in range(12)])
    assert report.scores["most words shared with the other choices"] == 100
    assert any("other choices" in f.message for f in bank_rules.strategy_findings("X", report))


# -------------------------------------------------------------------------------------------- positions
def test_single_answer_keys_spread_over_the_positions():
    assert bank_rules.position_findings("X", [plain(i % 4) for i in range(12)]) == []
    skewed = [plain(0)] * 5 + [plain(1)] * 3 + [plain(2)] * 2 + [plain(3)] * 2
    assert [f.message for f in bank_rules.position_findings("X", skewed)] == [
        "the key is choice 1 in 42% of 12 single-answer questions (each position 15%–35%)"
    ]
    never_last = [plain(i % 3) for i in range(12)]
    assert "choice 4 in 0%" in bank_rules.position_findings("X", never_last)[0].message


def test_a_position_few_questions_have_is_not_judged():
    five = [f"Choice {w}" for w in WORDS[:5]]
    six = [f"Choice {w}" for w in WORDS]
    questions = [multiple(five, keys=(i % 5, (i + 2) % 5)) for i in range(10)]
    questions += [multiple(six, keys=(i % 5, 5)) for i in range(9)]  # the sixth choice: a key in 9 of 9
    assert bank_rules.key_position_shares(questions, single=False)[5] == (9, 1.0)
    assert bank_rules.position_findings("X", questions) == []
    questions.append(multiple(six, keys=(4, 5)))  # 10 questions have a sixth choice now
    assert [f.message for f in bank_rules.position_findings("X", questions)] == [
        "choice 6 is a key in 100% of 10 multiple-response questions that have it (at most 50% for any position)"
    ]


def test_no_position_holds_a_multiple_response_key_more_than_half_the_time():
    texts = [f"Choice {w}" for w in WORDS[:5]]
    spread = [multiple(texts, keys=(i % 5, (i + 1) % 5)) for i in range(10)]
    assert bank_rules.position_findings("X", spread) == []
    first = [multiple(texts, keys=(0, 1 + i % 4)) for i in range(10)]
    assert [f.message for f in bank_rules.position_findings("X", first)] == [
        "choice 1 is a key in 100% of 10 multiple-response questions that have it (at most 50% for any position)"
    ]


# ------------------------------------------------------------------------------------- service mentions
GLOSSARY = [
    GlossaryEntry("sagemaker-ai", "Amazon SageMaker AI", ("Amazon SageMaker", "SageMaker Studio")),
    GlossaryEntry("sagemaker-model-monitor", "SageMaker Model Monitor", ("Amazon SageMaker Model Monitor",)),
    GlossaryEntry("sagemaker-clarify", "SageMaker Clarify", ("Amazon SageMaker Clarify",)),
    GlossaryEntry("glue", "AWS Glue", ("AWS Glue Data Catalog",)),
    GlossaryEntry("glue-databrew", "AWS Glue DataBrew", ("DataBrew",)),
    GlossaryEntry("batch", "AWS Batch", ()),
    GlossaryEntry("s3", "Amazon S3", ("Amazon Simple Storage Service", "S3")),
    GlossaryEntry("dynamodb", "Amazon DynamoDB", ()),
    GlossaryEntry("msk", "Amazon Managed Streaming for Apache Kafka (Amazon MSK)", ("MSK Serverless",)),
    GlossaryEntry("vpc", "Amazon VPC", ()),
]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Set up SageMaker Model Monitor for data quality", {"sagemaker-model-monitor"}),
        ("Use amazon sagemaker model monitor", {"sagemaker-model-monitor"}),
        ("Model Monitor compares traffic with a baseline", {"sagemaker-model-monitor"}),
        ("a model monitor of our own", set()),  # a shortened name counts only as written
        ("Train in SageMaker AI and explain with SageMaker Clarify", {"sagemaker-ai", "sagemaker-clarify"}),
        ("Clarify the requirement first", set()),  # a feature's one-word name is an ordinary word
        ("Transform data with AWS Glue DataBrew", {"glue-databrew"}),
        ("Glue the pieces together in a batch job", set()),
        ("Run the job on AWS Batch or AWS Glue", {"batch", "glue"}),
        ("Pull data from S3 and DynamoDB", {"s3", "dynamodb"}),
        ("Stream through Amazon MSK", {"msk"}),
        ("Isolate resources in VPCs", {"vpc"}),
        ("The `Amazon S3` bucket", {"s3"}),
    ],
)
def test_services_are_found_by_name_alias_and_sensible_short_forms(text, found):
    assert ServiceMatcher(GLOSSARY).find(text) == found


# -------------------------------------------------------------------------------------------- coverage
def coverage(questions, notes=None, minimum=2):
    return bank_rules.exam_coverage(
        "TST-C01",
        questions,
        minimum=minimum,
        objectives_by_task={"1.1": ["Store data in Amazon S3", "Encode categories"], "1.2": ["Label data"]},
        matcher=ServiceMatcher(GLOSSARY),
        note_texts_by_task=notes if notes is not None else {"1.1": ["Amazon S3 holds training data."]},
    )


def tagged(objectives, texts=("Amazon S3", "Choice red", "Choice tan", "Choice map"), stem="Which one?"):
    question = single(list(texts), stem=stem)
    question.objectives = list(objectives)
    return question


def test_each_objective_needs_the_minimum_of_published_questions():
    cover = coverage([tagged(["1.1.1", "1.1.2"]), tagged(["1.1.1", "1.2.1"]), tagged(["1.1.2"])])
    assert dict(cover.counts) == {"1.1.1": 2, "1.1.2": 2, "1.2.1": 1}
    assert cover.covered == 2
    messages = [str(f) for f in bank_rules.coverage_findings(cover, ServiceMatcher(GLOSSARY))]
    assert messages == [
        "error: TST-C01 objective 1.2.1: 1 published question(s) name it, at least 2 are needed (Label data)"
    ]
    assert bank_rules.coverage_line(cover) == (
        "TST-C01 coverage: 2/3 objectives with 2+ questions, 1/1 guide services tested"
    )


def test_drafts_do_not_cover_an_objective():
    draft = tagged(["1.2.1"])
    draft.status = "draft"
    assert coverage([draft, draft]).counts["1.2.1"] == 0


def test_a_guide_service_must_be_a_choice_not_only_in_the_stem():
    in_stem = tagged(
        ["1.1.1"], texts=("Choice red", "Choice tan", "Choice map", "Choice dot"), stem="Amazon S3?"
    )
    cover = coverage([in_stem])
    assert cover.guide_services == {"s3": ["1.1.1"]} and cover.tested == set()
    assert (
        "error: TST-C01 objective 1.1.1: the guide names Amazon S3, but no published question has it as a choice "
        "(key or distractor)"
    ) in [str(f) for f in bank_rules.coverage_findings(cover, ServiceMatcher(GLOSSARY))]
    as_distractor = tagged(["1.1.1"], texts=("Choice red", "Amazon S3", "Choice map", "Choice dot"))
    assert coverage([as_distractor]).tested == {"s3"}


def test_matching_and_ordering_texts_count_as_answers():
    matching = QuestionData(
        kind="matching", stem="Match.", status="published", pairs=[PairData("Objects", "Amazon S3")]
    )
    ordering = QuestionData(kind="ordering", stem="Order.", status="published", items=["Copy to Amazon S3"])
    assert coverage([matching]).tested == {"s3"} and coverage([ordering]).tested == {"s3"}


def test_a_guide_service_must_be_in_a_note_of_its_task_statement():
    cover = coverage([tagged(["1.1.1"])], notes={"1.1": ["Nothing about storage."], "1.2": ["Amazon S3."]})
    assert cover.untaught == [("1.1.1", "s3")]
    assert (
        "error: TST-C01 objective 1.1.1: the guide names Amazon S3, but no note of task statement 1.1 mentions it"
    ) in [str(f) for f in bank_rules.coverage_findings(cover, ServiceMatcher(GLOSSARY))]


def test_the_bundled_exams_have_a_standard_with_a_minimum_per_objective():
    assert bank_rules.STANDARDS["AIF-C01"].min_questions_per_objective == 3
    assert bank_rules.STANDARDS["MLA-C01"].min_questions_per_objective == 2
    assert bank_rules.STANDARDS["MLA-C02"].min_questions_per_objective == 3


def test_the_cues_line_is_the_one_scripts_read():
    questions = [longest_keyed(i % 4) for i in range(3)] + [plain(i % 4) for i in range(9)]
    line = bank_rules.cues_line(
        "AIF-C01", bank_rules.cue_stats(questions), bank_rules.strategy_report(questions)
    )
    assert line == (
        "AIF-C01 cues: longest-key 25% of 12 single-answer, longest-k full credit 0% of 0 multiple-response, "
        "best strategy +19 points over guessing"
    )
