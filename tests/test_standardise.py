"""Intervals and standardisation against published values and hand-computed cases."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samenspel.analytics.population.standardise import (
    ESP2013,
    byar,
    direct,
    funnel_limits,
    overdispersion,
    poisson_exact,
    ratio_of_counts,
    wilson,
)


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    # Newcombe (1998), Statistics in Medicine 17:857-872, table II, method 3 (Wilson score)
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
     (1, 29, 0.0061, 0.1718)],
)  # fmt: skip
def test_wilson_matches_newcombe(successes, trials, low, high):
    interval = wilson(successes, trials)
    assert interval.low == pytest.approx(low, abs=1e-4)
    assert interval.high == pytest.approx(high, abs=1e-4)


@pytest.mark.parametrize(
    ("count", "low", "high"),
    # exact 95% limits for a Poisson count, as tabulated (e.g. Breslow & Day 1987, table 2.1)
    [(0, 0.0, 3.689), (1, 0.0253, 5.572), (10, 4.795, 18.390), (50, 37.111, 65.919)],
)
def test_exact_poisson_matches_the_tables(count, low, high):
    interval = poisson_exact(count)
    assert interval.low == pytest.approx(low, abs=1e-3)
    assert interval.high == pytest.approx(high, abs=1e-3)


@given(st.integers(min_value=10, max_value=5000))
def test_byar_is_close_to_exact_from_ten_events(count):
    exact, approximate = poisson_exact(count), byar(count)
    assert approximate.low == pytest.approx(exact.low, rel=0.01)
    assert approximate.high == pytest.approx(exact.high, rel=0.01)


def test_standardised_ratio_of_counts():
    # 10 deaths where 5 were expected: SMR 2.0, limits 4.795/5 and 18.39/5
    interval = ratio_of_counts(10, 5)
    assert interval.low == pytest.approx(0.959, abs=1e-3)
    assert interval.high == pytest.approx(3.678, abs=1e-3)


def test_direct_by_hand_and_dobson():
    # two strata with weights 1:3; rates 10/1000 and 40/2000
    rate = direct([10, 40], [1000, 2000], [1, 3])
    assert rate.rate == pytest.approx(0.25 * 0.01 + 0.75 * 0.02)
    # one stratum: Dobson's interval is the exact Poisson interval over the exposure
    single = direct([10], [1000], [1])
    exact = poisson_exact(10)
    assert single.interval.low == pytest.approx(exact.low / 1000)
    assert single.interval.high == pytest.approx(exact.high / 1000)
    assert sum(ESP2013) == 100_000


def test_overdispersion_and_funnel():
    expected = [100.0, 400.0, 900.0, 1600.0]
    assert overdispersion(expected, expected) == 0.0
    actual = [110.0, 380.0, 930.0, 1560.0]  # z = 1, -1, 1, -1
    assert overdispersion(actual, expected) == pytest.approx(1.0)
    # scaling costs by c scales φ by c
    assert overdispersion([a * 7 for a in actual], [e * 7 for e in expected]) == pytest.approx(7)
    limits = funnel_limits(400.0, 1.0)
    assert limits.high == pytest.approx(1 + 1.959964 * math.sqrt(1 / 400), abs=1e-6)
    with pytest.raises(ValueError):
        overdispersion([1.0, 2.0], [1.0, 2.0])
