"""Choosing questions: largest-remainder apportionment, unseen questions first, shortfalls reported (pure)."""

import math
import random

import pytest

from apps.exams.selection import apportion, draw_by_weight, prefer_unseen, rng_for

AIF_WEIGHTS = {1: 20, 2: 24, 3: 28, 4: 14, 5: 14}  # AIF-C01 v1.1
MLA_WEIGHTS = {1: 28, 2: 26, 3: 22, 4: 24}  # MLA-C01


# -------------------------------------------------------------------------------------------- apportion
def test_65_questions_over_the_aif_weights_are_split_13_16_18_9_9():
    assert apportion(65, AIF_WEIGHTS) == {1: 13, 2: 16, 3: 18, 4: 9, 5: 9}


def test_65_questions_over_the_mla_weights_are_split_18_17_14_16():
    # Quotas 18.2, 16.9, 14.3, 15.6: the two seats left over go to the largest remainders (.9 and .6).
    assert apportion(65, MLA_WEIGHTS) == {1: 18, 2: 17, 3: 14, 4: 16}


@pytest.mark.parametrize("weights", [AIF_WEIGHTS, MLA_WEIGHTS, {1: 1, 2: 1, 3: 1}, {1: 97, 2: 2, 3: 1}])
@pytest.mark.parametrize("total", [1, 2, 3, 7, 10, 20, 50, 65, 85, 110, 130])
def test_the_counts_always_add_up_to_the_total(weights, total):
    assert sum(apportion(total, weights).values()) == total


@pytest.mark.parametrize("total", range(1, 131))
def test_each_domain_gets_its_quota_rounded_down_or_up(total):
    counts = apportion(total, AIF_WEIGHTS)
    for domain, weight in AIF_WEIGHTS.items():
        quota = total * weight / sum(AIF_WEIGHTS.values())
        assert counts[domain] in {math.floor(quota), math.ceil(quota)}


def test_random_weights_and_totals_always_add_up():
    rng = random.Random(2026)
    for _ in range(500):
        weights = {n: rng.randint(1, 60) for n in range(1, rng.randint(2, 7))}
        total = rng.randint(1, 200)
        counts = apportion(total, weights)
        assert sum(counts.values()) == total
        assert min(counts.values()) >= 0


def test_a_tie_between_remainders_goes_to_the_larger_weight():
    # Quotas 0.5 and 2.5: both remainders are one half; the heavier domain 2 gets the last seat.
    assert apportion(3, {1: 1, 2: 5}) == {1: 0, 2: 3}


def test_a_tie_between_equal_weights_goes_to_the_earlier_domain():
    assert apportion(1, {1: 50, 2: 50}) == {1: 1, 2: 0}
    assert apportion(2, {1: 1, 2: 1, 3: 1}) == {1: 1, 2: 1, 3: 0}


def test_ties_are_exact_even_where_floating_point_would_blur_them():
    # 20 questions over 30/28/18/14/10: quotas 6, 5.6, 3.6, 2.8, 2. Domains 2 and 3 tie at .6 after domain 4's
    # .8; the tie goes to the heavier domain 2. (In floats 5.6 - 5 < 3.6 - 3, which gave the seat to domain 3.)
    assert apportion(20, {1: 30, 2: 28, 3: 18, 4: 14, 5: 10}) == {1: 6, 2: 6, 3: 3, 4: 3, 5: 2}
    # 110 over the AIF weights: domains 2, 4 and 5 tie at .4 for the last seat; domain 2 weighs the most.
    assert apportion(110, AIF_WEIGHTS) == {1: 22, 2: 27, 3: 31, 4: 15, 5: 15}


def test_nothing_to_split_gives_zero_everywhere():
    assert apportion(0, AIF_WEIGHTS) == dict.fromkeys(AIF_WEIGHTS, 0)
    assert apportion(10, {1: 0, 2: 0}) == {1: 0, 2: 0}


# -------------------------------------------------------------------------------------------- prefer_unseen
def test_unseen_questions_come_before_seen_ones():
    picked = prefer_unseen([1, 2, 3, 4, 5, 6], 3, seen={1, 2, 3}, rng=random.Random(1))
    assert sorted(picked) == [4, 5, 6]


def test_seen_questions_fill_up_only_when_the_unseen_ones_run_out():
    picked = prefer_unseen([1, 2, 3, 4, 5], 4, seen={1, 2, 3}, rng=random.Random(1))
    assert len(picked) == 4
    assert picked[:2] in ([4, 5], [5, 4])
    assert set(picked[2:]) <= {1, 2, 3}


def test_prefer_unseen_never_returns_more_than_there_are():
    assert sorted(prefer_unseen([7, 8], 5, seen=set(), rng=random.Random(1))) == [7, 8]


def test_prefer_unseen_draws_the_same_questions_for_the_same_seed():
    candidates = list(range(1, 40))
    first = prefer_unseen(candidates, 10, seen={1, 2}, rng=rng_for("attempt-seed", "plan"))
    again = prefer_unseen(candidates, 10, seen={1, 2}, rng=rng_for("attempt-seed", "plan"))
    assert first == again
    assert first != prefer_unseen(candidates, 10, seen={1, 2}, rng=rng_for("another-seed", "plan"))


# ------------------------------------------------------------------------------------------ draw_by_weight
def test_the_draw_takes_the_apportioned_count_from_each_domain():
    pools = {domain: [domain * 100 + n for n in range(30)] for domain in AIF_WEIGHTS}
    ids, short = draw_by_weight(pools, AIF_WEIGHTS, 65, seen=set(), rng=random.Random(3))
    per_domain = {domain: sum(1 for pk in ids if pk // 100 == domain) for domain in AIF_WEIGHTS}
    assert per_domain == {1: 13, 2: 16, 3: 18, 4: 9, 5: 9}
    assert len(set(ids)) == 65
    assert short == {}


def test_a_short_domain_is_reported_and_not_topped_up_from_another():
    pools = {1: list(range(100, 120)), 2: [200, 201]}
    ids, short = draw_by_weight(pools, {1: 50, 2: 50}, 10, seen=set(), rng=random.Random(3))
    assert short == {2: 3}
    assert len(ids) == 7  # five from domain 1, both of domain 2; nothing extra from domain 1
    assert sum(1 for pk in ids if pk < 200) == 5


def test_a_domain_without_any_questions_is_reported_whole():
    ids, short = draw_by_weight({1: [1, 2, 3, 4]}, {1: 60, 2: 40}, 5, seen=set(), rng=random.Random(3))
    assert short == {2: 2}
    assert len(ids) == 3 and set(ids) <= {1, 2, 3, 4}


def test_the_draw_prefers_unseen_questions_within_each_domain():
    pools = {1: [1, 2, 3, 4], 2: [5, 6, 7, 8]}
    ids, _ = draw_by_weight(pools, {1: 50, 2: 50}, 4, seen={1, 2, 5, 6}, rng=random.Random(3))
    assert sorted(ids) == [3, 4, 7, 8]
