"""Standardised person-level figures: hand-computed cases, and the pooling that keeps every
stratum an attacker could solve for at the threshold or above."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samenspel.analytics.population.standardise import poisson_exact
from samenspel.analytics.population.standardised import (
    BANDS,
    ESP_BANDS,
    pools,
    standardised_rows,
)

pytestmark = pytest.mark.no_database


def _frames(cells, exposure=None):
    """cells: (municipality, sex, band, persons, diabetic, zvw_cost) for 2023; ``exposure``
    gives the person-years of some cells (municipality, sex, band), else one per person."""
    exposure = exposure or {}
    by_age = pd.DataFrame(
        [
            {"year": 2023, "municipality": m, "sex": s, "age_class": b, "persons": n,
             "multimorbid": 0, "zvw_cost": c, "exposure": exposure.get((m, s, b), float(n))}
            for m, s, b, n, _d, c in cells
        ]
    )  # fmt: skip
    prevalence = pd.DataFrame(
        [
            {"year": 2023, "municipality": m, "sex": s, "age_class": b, "condition": "diabetes",
             "persons": d}
            for m, s, b, _n, d, _c in cells
            if d
        ]
    )  # fmt: skip
    return by_age, prevalence


CELLS = [
    # municipality A: diabetics only in band 17 (85+); B has them in bands 13 and 17
    ("A", "F", 17, 100, 20, 100_000.0),
    ("A", "M", 17, 100, 20, 100_000.0),
    ("A", "F", 0, 300, 0, 30_000.0),
    ("A", "M", 0, 300, 0, 30_000.0),
    ("B", "F", 13, 200, 20, 200_000.0),
    ("B", "M", 13, 200, 20, 200_000.0),
    ("B", "F", 17, 100, 40, 100_000.0),
    ("B", "M", 17, 100, 40, 100_000.0),
]


def _row(rows, area, indicator="diabetes"):
    return next(r for r in rows if r["municipality"] == area and r["indicator"] == indicator)


def test_hand_computed_dsr_smr_and_zvw_ratio():
    by_age, prevalence = _frames(CELLS)
    national = {(s, b): 1000.0 for s in "FM" for b in range(BANDS)}
    rows = standardised_rows(
        by_age, prevalence, threshold=10, hidden_pyramids=set(), national_zvw=national
    )
    a = _row(rows, "A")
    assert a["observed"] == 40 and a["persons"] == 800
    assert a["crude_per_1000"] == pytest.approx(50.0)
    # A's own pools: each sex's diabetics are all in 85+ (20 ≥ 10), so per sex one pool that
    # runs from band 0 to 85+; DSR = Σ_sex (ESP weight of all bands / 2) × 20 / 400, normalised
    assert a["dsr_per_1000"] == pytest.approx(20 / 400 * 1000)
    # region reference, pooled the same way: per sex 20 diabetics in band 13 (of 200 persons)
    # and 60 in 85+ (of 200); pools per sex: bands 0-13 (20 of 500) and 14-17 (60 of 200)
    expected_a = 2 * (300 * 20 / 500 + 100 * 60 / 200)
    assert a["ratio"] == pytest.approx(40 / expected_a, abs=1e-3)
    exact = poisson_exact(40)
    assert a["ratio_low"] == pytest.approx(exact.low / expected_a, abs=1e-3)
    # Zvw: every stratum costs 1000 nationally, A's persons cost 260,000 in all
    zvw = _row(rows, "A", "zvw_cost")
    assert zvw["ratio"] == pytest.approx(260_000 / 800_000, abs=1e-3)
    region = _row(rows, "total")
    assert "ratio" not in region and region["observed"] == 160


def test_zvw_cost_is_compared_per_insured_year():
    """Vektis's rates are per insured-year: 20 women of 85+ who died during the year count 80
    person-years, not 100, and 300 newborn boys count 150."""
    exposure = {("A", "F", 17): 80.0, ("A", "M", 0): 150.0}
    by_age, prevalence = _frames(CELLS, exposure)
    national = {(s, b): 1000.0 for s in "FM" for b in range(BANDS)}
    rows = standardised_rows(
        by_age, prevalence, threshold=10, hidden_pyramids=set(), national_zvw=national
    )
    zvw = _row(rows, "A", "zvw_cost")
    assert zvw["insured_years"] == 630.0 and zvw["persons"] == 800
    assert zvw["expected_per_insured_year"] == 1000.0
    assert zvw["actual_per_insured_year"] == pytest.approx(260_000 / 630, abs=0.01)
    assert zvw["ratio"] == pytest.approx(260_000 / 630_000, abs=1e-3)


def test_hidden_counts_and_pyramids_stay_hidden():
    by_age, prevalence = _frames(CELLS)
    rows = standardised_rows(
        by_age,
        prevalence,
        threshold=10,
        hidden_pyramids={(2023, "B")},
        hidden_counts={(2023, "A", "diabetes")},
    )
    assert _row(rows, "A")["suppressed"] and "observed" not in _row(rows, "A")
    assert _row(rows, "B")["suppressed"] and "dsr_per_1000" not in _row(rows, "B")
    # fewer than the threshold in all: nothing
    small = standardised_rows(*_frames(CELLS), threshold=50, hidden_pyramids=set())
    assert _row(small, "A")["suppressed"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=12), min_size=2 * BANDS, max_size=2 * BANDS),
    st.integers(min_value=3, max_value=15),
)
def test_every_pool_holds_at_least_the_threshold(counts, threshold):
    observed = np.array(counts, dtype=float).reshape(2, BANDS)
    groups = pools(observed, threshold)
    covered = sorted(stratum for group in groups for stratum in group)
    assert covered == sorted((s, b) for s in range(2) for b in range(BANDS))
    if observed.sum() >= threshold:
        assert all(sum(observed[s] for s in group) >= threshold for group in groups)


def test_moving_a_case_within_a_pool_changes_no_published_figure():
    """The attack: solve the published figures for the strata. Two data sets that differ only
    inside a pool give the same figures, so a small stratum count cannot be pinned."""
    base = [
        ("A", "F", 15, 100, 3, 0.0),
        ("A", "F", 16, 100, 4, 0.0),
        ("A", "F", 17, 100, 5, 0.0),
        ("A", "M", 17, 300, 12, 0.0),
        ("B", "F", 17, 300, 30, 0.0),
        ("B", "M", 17, 300, 30, 0.0),
    ]
    moved = [("A", "F", 15, 100, 1, 0.0), ("A", "F", 16, 100, 6, 0.0), *base[2:]]
    first = standardised_rows(*_frames(base), threshold=10, hidden_pyramids=set())
    second = standardised_rows(*_frames(moved), threshold=10, hidden_pyramids=set())
    assert _row(first, "A") == _row(second, "A")
    assert ESP_BANDS.sum() == 100_000


def test_care_use_events_pooled_by_persons():
    by_age, prevalence = _frames(CELLS)
    care = pd.DataFrame(
        [
            # municipality A: 12 persons with 60 GP visits in 85+ women, B: 30 persons, 90 visits
            {"year": 2023, "municipality": "A", "sex": "F", "age_class": 17, "kind": "gp_visit",
             "events": 60, "persons": 12},
            {"year": 2023, "municipality": "B", "sex": "F", "age_class": 17, "kind": "gp_visit",
             "events": 90, "persons": 30},
            # 4 persons only: nothing may be published for A's home care
            {"year": 2023, "municipality": "A", "sex": "M", "age_class": 17, "kind": "home_care",
             "events": 40, "persons": 4},
        ]
    )  # fmt: skip
    rows = standardised_rows(by_age, prevalence, care, threshold=10, hidden_pyramids=set())
    a = _row(rows, "A", "care:gp_visit")
    assert a["observed"] == 60 and a["crude_per_1000"] == pytest.approx(60 / 800 * 1000)
    exact = poisson_exact(60)
    assert a["crude_high"] == pytest.approx(exact.high / 800 * 1000, abs=0.01)
    # region: no man has GP visits, so both sexes form one pool (42 persons with visits):
    # 150 visits over all 1,400 inhabitants, applied to A's 800
    expected = 800 * 150 / 1400
    assert a["ratio"] == pytest.approx(60 / expected, abs=1e-3)
    assert _row(rows, "A", "care:home_care")["suppressed"]
