"""The readiness estimate on synthetic students (pure: no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from apps.exams.scoring import to_scale
from apps.progress.readiness import (
    ESTIMATED,
    NOT_ENOUGH_DATA,
    Answer,
    estimate_readiness,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
AIF_C01 = {1: 20, 2: 24, 3: 28, 4: 14, 5: 14}  # domain weights in percent; passing score 700 of 1000


def answers(domain, *, right=0, wrong=0, days_ago=1, mode="mock", confidence=""):
    """`right` correct and `wrong` incorrect answers in one domain, all given `days_ago` days before NOW."""
    at = NOW - timedelta(days=days_ago)
    return [Answer(domain, True, at, mode, confidence) for _ in range(right)] + [
        Answer(domain, False, at, mode) for _ in range(wrong)
    ]


def student(rates, *, per_domain=40, **kwargs):
    """A student who gets the share `rates[domain]` right of `per_domain` answers in each domain."""
    result = []
    for domain, rate in rates.items():
        right = round(per_domain * rate)
        result += answers(domain, right=right, wrong=per_domain - right, **kwargs)
    return result


def readiness(records, *, weights=AIF_C01, passing=700, **kwargs):
    return estimate_readiness(records, weights=weights, passing=passing, now=NOW, **kwargs)


def domain(result, number):
    return next(d for d in result.domains if d.number == number)


# ------------------------------------------------------------------------------------------ synthetic students
def test_a_student_right_90_percent_everywhere_is_estimated_ready():
    result = readiness(student(dict.fromkeys(AIF_C01, 0.9)))

    assert result.status == ESTIMATED
    assert result.estimate.probability > 0.9
    assert result.estimate.scaled_low >= 700
    assert result.estimate.gap is None  # no domain is below the cut


def test_a_student_right_half_the_time_is_estimated_not_ready():
    result = readiness(student(dict.fromkeys(AIF_C01, 0.5)))

    assert result.status == ESTIMATED
    assert result.estimate.probability < 0.1
    assert result.estimate.scaled_high < 700


def test_a_student_right_70_percent_everywhere_is_too_close_to_call():
    result = readiness(student(dict.fromkeys(AIF_C01, 0.7), per_domain=100))

    assert 0.3 < result.estimate.probability < 0.7
    assert result.estimate.scaled_low < 700 < result.estimate.scaled_high


def test_a_student_weak_only_in_the_heaviest_domain_is_shown_that_domain_as_the_gap():
    rates = dict.fromkeys(AIF_C01, 0.9) | {3: 0.4}  # domain 3 is 28% of the exam

    result = readiness(student(rates))

    assert result.estimate.gap == 3


def test_the_gap_weighs_the_shortfall_by_the_domains_share_of_the_exam():
    # Domain 5 has the lowest mean, but domain 3 (28%) costs twice as much exam share per point as domain 5 (14%).
    rates = {1: 0.9, 2: 0.9, 3: 0.5, 4: 0.9, 5: 0.45}

    result = readiness(student(rates))

    assert domain(result, 5).mean < domain(result, 3).mean
    assert result.estimate.gap == 3


def test_a_higher_passing_score_lowers_the_probability():
    records = student(dict.fromkeys(AIF_C01, 0.72), per_domain=100)

    at_700 = readiness(records, passing=700).estimate
    at_720 = readiness(records, passing=720).estimate

    assert at_720.probability < at_700.probability


# ------------------------------------------------------------------------------------------ not enough data
def test_too_few_answers_gives_not_enough_data_and_names_those_domains():
    records = student({1: 0.9, 2: 0.9, 3: 0.9}) + student({4: 0.9, 5: 0.9}, per_domain=3)

    result = readiness(records)

    assert result.status == NOT_ENOUGH_DATA
    assert result.estimate is None
    assert result.needs_more == [4, 5]
    assert [d.enough for d in result.domains] == [True, True, True, False, False]
    assert domain(result, 4).answers == 3


def test_no_answers_gives_not_enough_data_for_every_domain():
    result = readiness([])

    assert result.status == NOT_ENOUGH_DATA
    assert result.needs_more == [1, 2, 3, 4, 5]
    assert {d.mean for d in result.domains} == {0.5}  # the prior alone


def test_old_answers_stop_counting_as_enough_evidence():
    fresh = readiness(student(dict.fromkeys(AIF_C01, 0.9), per_domain=10, days_ago=0))
    stale = readiness(student(dict.fromkeys(AIF_C01, 0.9), per_domain=10, days_ago=60))

    assert fresh.status == ESTIMATED
    assert stale.status == NOT_ENOUGH_DATA


# ------------------------------------------------------------------------------------------ how answers count
def test_an_answer_counts_half_after_the_21_day_half_life():
    records = (
        answers(1, right=1, days_ago=21) + answers(2, right=1, days_ago=42) + answers(3, right=1, days_ago=0)
    )

    result = readiness(records)

    assert domain(result, 1).evidence == pytest.approx(0.5)
    assert domain(result, 2).evidence == pytest.approx(0.25)
    assert domain(result, 3).evidence == pytest.approx(1.0)


def test_answers_stamped_after_now_count_as_given_now():
    result = readiness(answers(1, right=1, days_ago=-3))

    assert domain(result, 1).evidence == pytest.approx(1.0)


def test_recent_answers_weigh_more_than_old_ones():
    weights = {1: 100}
    improving = answers(1, wrong=20, days_ago=60) + answers(1, right=20, days_ago=1)
    slipping = answers(1, right=20, days_ago=60) + answers(1, wrong=20, days_ago=1)

    improving_result = readiness(improving, weights=weights)
    slipping_result = readiness(slipping, weights=weights)

    assert domain(improving_result, 1).mean > 0.7 > domain(slipping_result, 1).mean
    assert improving_result.estimate.probability > slipping_result.estimate.probability


def test_mock_answers_weigh_more_than_review_answers():
    weights = {1: 100}
    right_in_mocks = answers(1, right=20, mode="mock") + answers(1, wrong=20, mode="review")
    right_in_review = answers(1, right=20, mode="review") + answers(1, wrong=20, mode="mock")

    assert domain(readiness(right_in_mocks, weights=weights), 1).mean > 0.5
    assert domain(readiness(right_in_review, weights=weights), 1).mean < 0.5


def test_mode_weights_are_mock_1_custom_08_retry_06_review_05():
    records = [
        *answers(1, right=1, days_ago=0, mode="mock"),
        *answers(2, right=1, days_ago=0, mode="custom"),
        *answers(3, right=1, days_ago=0, mode="retry"),
        *answers(4, right=1, days_ago=0, mode="review"),
    ]

    result = readiness(records)

    assert [domain(result, n).evidence for n in (1, 2, 3, 4)] == pytest.approx([1.0, 0.8, 0.6, 0.5])


def test_correct_but_guessed_answers_lower_the_estimate():
    known = answers(1, right=30, wrong=10)
    guessed = answers(1, right=20, wrong=10) + answers(1, right=10, confidence="guessed")

    known_result = readiness(known, weights={1: 100})
    guessed_result = readiness(guessed, weights={1: 100})

    assert domain(guessed_result, 1).mean < domain(known_result, 1).mean
    assert guessed_result.estimate.probability < known_result.estimate.probability


def test_a_correct_guess_counts_a_quarter_right_and_three_quarters_wrong():
    result = readiness(answers(1, right=1, days_ago=0, confidence="guessed"))

    assert domain(result, 1).evidence == pytest.approx(1.0)
    assert domain(result, 1).right == pytest.approx(0.25)


def test_a_wrong_answer_counts_wrong_whatever_the_confidence():
    at = NOW - timedelta(days=1)
    sure = readiness([Answer(1, False, at, "mock", "sure")])
    guessed = readiness([Answer(1, False, at, "mock", "guessed")])

    assert domain(sure, 1).right == domain(guessed, 1).right == 0


# ------------------------------------------------------------------------------------------ the result
def test_the_estimate_is_deterministic():
    records = student(dict.fromkeys(AIF_C01, 0.7))  # borderline, so the sampling decides the probability

    assert readiness(records) == readiness(records)


def test_the_scaled_interval_is_the_share_interval_on_the_exam_scale():
    estimate = readiness(student(dict.fromkeys(AIF_C01, 0.75))).estimate

    assert estimate.share_low < estimate.share < estimate.share_high
    assert estimate.scaled == to_scale(estimate.share, passing=700)
    assert estimate.scaled_low == to_scale(estimate.share_low, passing=700)
    assert estimate.scaled_high == to_scale(estimate.share_high, passing=700)


def test_the_interval_holds_the_middle_90_percent_of_the_posterior():
    # One domain with plenty of answers: its Beta(281, 121) posterior is close to normal, so the 90% interval
    # is the mean give or take 1.645 standard deviations (an 80% interval would be 1.28).
    a, b = 1 + 280, 1 + 120
    sd = (a * b / ((a + b) ** 2 * (a + b + 1))) ** 0.5

    estimate = readiness(answers(1, right=280, wrong=120, days_ago=0), weights={1: 100}).estimate

    assert estimate.share - estimate.share_low == pytest.approx(1.645 * sd, rel=0.1)
    assert estimate.share_high - estimate.share == pytest.approx(1.645 * sd, rel=0.1)


# ------------------------------------------------------------------------------------------ edge cases
def test_a_domain_with_weight_zero_neither_blocks_nor_moves_the_estimate():
    weights = {1: 50, 2: 50, 3: 0}
    records = student({1: 0.8, 2: 0.8})

    without = readiness(records, weights=weights)
    with_bad_answers = readiness(records + answers(3, wrong=40), weights=weights)

    assert without.status == ESTIMATED
    assert with_bad_answers.estimate == without.estimate
    assert domain(with_bad_answers, 3).mean < 0.1  # still reported, for the dashboard's bars


def test_answers_outside_the_blueprint_are_ignored():
    records = student(dict.fromkeys(AIF_C01, 0.8))

    assert readiness(records + answers(9, wrong=40)) == readiness(records)


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="mode"):
        readiness([Answer(1, True, NOW, "exam")])


def test_an_unknown_confidence_is_refused():
    with pytest.raises(ValueError, match="confidence"):
        readiness([Answer(1, True, NOW, "mock", "certain")])


def test_an_exam_without_weighted_domains_is_refused():
    with pytest.raises(ValueError, match="weights"):
        readiness([], weights={1: 0})
