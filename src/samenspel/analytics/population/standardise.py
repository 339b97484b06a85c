"""Standardisation for age and sex, and confidence intervals.

- Indirect standardisation (``comparison`` for open data, ``standardised`` for person-level data)
  compares an area's actual total with the total expected if every sex × age class had the
  reference rate; here are its intervals.
- Direct standardisation: age- and sex-specific rates weighted by a standard population
  (the European Standard Population 2013), with Dobson's interval.
- Intervals: Wilson for proportions, exact Poisson (Garwood) and Byar for counts and standardised
  ratios of counts, and funnel limits for ratios of costs, whose chance variation is estimated
  from the spread between areas (Spiegelhalter's over-dispersion method).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

Z95 = 1.959963984540054
Z998 = 3.090232306167813
WINSORISE = 0.10  # share trimmed at each end when the over-dispersion is estimated

# Eurostat's European Standard Population 2013 by 5-year age class, 90+ merged (per 100,000).
ESP2013: tuple[int, ...] = (
    5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000,
    7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000,
)  # fmt: skip
AGE_CLASSES: tuple[str, ...] = (*(f"{a}-{a + 4}" for a in range(0, 90, 5)), "90+")


def age_class(age: int) -> int:
    """Index of the 5-year age class (0-4 … 85-89, 90+) of an age in years."""
    return min(max(age, 0) // 5, len(AGE_CLASSES) - 1)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def excludes(self, value: float) -> bool:
        return value < self.low or value > self.high


def wilson(successes: float, trials: float, z: float = Z95) -> Interval:
    """Wilson score interval for a proportion (Newcombe 1998, method 3)."""
    if trials <= 0:
        raise ValueError("a proportion needs at least one trial")
    p = successes / trials
    centre = p + z * z / (2 * trials)
    spread = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    denominator = 1 + z * z / trials
    return Interval(
        max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)
    )


def poisson_exact(count: float, level: float = 0.95) -> Interval:
    """Exact (Garwood) interval for a Poisson count, from the chi-square distribution."""
    alpha = 1 - level
    low = 0.0 if count == 0 else float(stats.chi2.ppf(alpha / 2, 2 * count)) / 2
    high = float(stats.chi2.ppf(1 - alpha / 2, 2 * (count + 1))) / 2
    return Interval(low, high)


def byar(count: float, z: float = Z95) -> Interval:
    """Byar's approximation to the exact Poisson interval (good from about 10 events)."""
    low = 0.0 if count == 0 else count * (1 - 1 / (9 * count) - z / (3 * math.sqrt(count))) ** 3
    upper = count + 1
    high = upper * (1 - 1 / (9 * upper) + z / (3 * math.sqrt(upper))) ** 3
    return Interval(low, high)


def ratio_of_counts(observed: float, expected: float, level: float = 0.95) -> Interval:
    """Interval for a standardised ratio of counts (SMR): exact Poisson limits over expected."""
    if expected <= 0:
        raise ValueError("the expected count must be positive")
    limits = poisson_exact(observed, level)
    return Interval(limits.low / expected, limits.high / expected)


def overdispersion(
    actual: Sequence[float] | np.ndarray, expected: Sequence[float] | np.ndarray
) -> float:
    """Scale φ with var(actual) = φ × expected, from the spread between areas.

    z = (actual − expected) / √expected per area; φ is the mean of z² after pulling the lowest
    and highest 10% of z in to the 10th and 90th percentile (Spiegelhalter 2005), so a few truly
    different areas do not widen everyone's limits. Needs at least three areas.
    """
    a, e = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    keep = e > 0
    a, e = a[keep], e[keep]
    if len(a) < 3:
        raise ValueError("over-dispersion needs at least three areas")
    z = (a - e) / np.sqrt(e)
    low, high = np.quantile(z, [WINSORISE, 1 - WINSORISE])
    return float(np.mean(np.clip(z, low, high) ** 2))


def ratio_interval(actual: float, expected: float, phi: float, z: float = Z95) -> Interval:
    """Interval for actual / expected when var(actual) = φ × actual."""
    half = z * math.sqrt(max(phi * actual, 0.0))
    return Interval((actual - half) / expected, (actual + half) / expected)


def funnel_limits(expected: float, phi: float, z: float = Z95) -> Interval:
    """Where a ratio of an area with this expectation lies by chance alone: 1 ± z √(φ / E)."""
    half = z * math.sqrt(phi / expected)
    return Interval(max(0.0, 1 - half), 1 + half)


@dataclass(frozen=True)
class DirectRate:
    rate: float  # per person-year, standardised to the standard population
    interval: Interval
    events: float


def direct(
    events: Sequence[float] | np.ndarray,
    exposure: Sequence[float] | np.ndarray,
    weights: Sequence[float] | np.ndarray,
    level: float = 0.95,
) -> DirectRate:
    """Directly standardised rate with Dobson et al.'s (1991) interval.

    ``events``, ``exposure`` and ``weights`` are per stratum (sex × age class). Strata without
    exposure are left out and the remaining weights renormalised.
    """
    o, n, w = (np.asarray(x, dtype=float) for x in (events, exposure, weights))
    keep = n > 0
    o, n, w = o[keep], n[keep], w[keep]
    if not len(o):
        raise ValueError("no stratum has any exposure")
    w = w / w.sum()
    rate = float(np.sum(w * o / n))
    total = float(o.sum())
    if total == 0:
        return DirectRate(0.0, Interval(0.0, 0.0), 0.0)
    variance = float(np.sum(w * w * o / (n * n)))
    limits = poisson_exact(total, level)
    factor = math.sqrt(variance / total)
    return DirectRate(
        rate,
        Interval(rate + factor * (limits.low - total), rate + factor * (limits.high - total)),
        total,
    )
