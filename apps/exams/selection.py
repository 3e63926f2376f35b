"""Choosing questions for an attempt (pure: plain data in, plain data out)."""

import math
import random
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


def apportion(total: int, weights: Mapping[K, float]) -> dict[K, int]:
    """Split `total` in proportion to `weights` ({key: weight}) by the largest-remainder method.

    Each key gets the whole part of its quota; the seats left over go to the largest fractional parts
    (ties to the larger weight, then to the earlier key), so the counts always add up to `total`.
    """
    weight_sum = sum(weights.values())
    if total <= 0 or weight_sum <= 0:
        return {key: 0 for key in weights}
    # Exact fractions: in floats 20 * 28 / 100 - 5 < 20 * 18 / 100 - 3, which would break a real tie.
    quotas = {key: Fraction(total) * Fraction(weight) / weight_sum for key, weight in weights.items()}
    counts = {key: math.floor(quota) for key, quota in quotas.items()}
    order = list(weights)
    left = total - sum(counts.values())
    by_remainder = sorted(order, key=lambda k: (-(quotas[k] - counts[k]), -weights[k], order.index(k)))
    for key in by_remainder[:left]:
        counts[key] += 1
    return counts


def prefer_unseen(
    candidates: Sequence[int], count: int, seen: Collection[int], rng: random.Random
) -> list[int]:
    """Up to `count` ids from `candidates`: unseen ones first (in random order), then seen ones."""
    unseen = [c for c in candidates if c not in seen]
    already = [c for c in candidates if c in seen]
    rng.shuffle(unseen)
    rng.shuffle(already)
    return (unseen + already)[:count]


def draw_by_weight(
    pools: Mapping[int, Sequence[int]],
    weights: Mapping[int, float],
    total: int,
    seen: Collection[int],
    rng: random.Random,
) -> tuple[list[int], dict[int, int]]:
    """Draw `total` question ids across domains in proportion to `weights`.

    pools: {domain: [question ids]}. Returns (ids, shortfall by domain) — a domain that has too few questions
    is reported, never silently topped up from another domain (that would distort the blueprint).
    """
    counts = apportion(total, weights)
    drawn: list[int] = []
    short: dict[int, int] = {}
    for domain, wanted in counts.items():
        picked = prefer_unseen(pools.get(domain, []), wanted, seen, rng)
        drawn += picked
        if len(picked) < wanted:
            short[domain] = wanted - len(picked)
    rng.shuffle(drawn)
    return drawn, short


def shuffled(items: Iterable[T], rng: random.Random) -> list[T]:
    items = list(items)
    rng.shuffle(items)
    return items


def rng_for(*parts: object) -> random.Random:
    """A reproducible random generator for one attempt (and optionally one slot)."""
    return random.Random("-".join(str(part) for part in parts))  # noqa: S311 - not for security
