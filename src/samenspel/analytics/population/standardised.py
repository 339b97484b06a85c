"""Age- and sex-standardised figures of person-level data, with confidence intervals.

For every year, municipality and the region, and for multimorbidity and each condition:

- crude prevalence per 1,000 with Wilson's interval;
- the directly standardised prevalence per 1,000 (European Standard Population 2013, 85+
  merged, both sexes weighted equally) with Dobson's interval;
- for municipalities, the standardised ratio: observed persons against those expected if every
  sex × age band had the region's prevalence (indirect standardisation), with the exact Poisson
  interval.

For each kind of care the same three figures of the number of events (care use per 1,000), the
intervals treating events as Poisson counts (so they are, if anything, too narrow: a few persons
with many events make care use more variable than that).

And the Zvw cost per insured-year (person-years of exposure, see ``regiobeeld``) against
Vektis's national cost per insured-year of the same sex and age band (2023), where the data
cover that year.

Disclosure: these figures use the age bands of the published pyramid (85+ last) and are
published only where the observed count reaches the threshold and the area's pyramid is
published in full. Strata are pooled — neighbouring age bands, then both sexes — until each
pool holds at least ``threshold`` persons with the condition (or with that kind of care), so no
figure depends on a count below the threshold inside a stratum: solving the published figures for
their strata yields pools, each of at least the threshold, never a small cell.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from .regiobeeld import AGE_BANDS
from .standardise import ESP2013, direct, poisson_exact, ratio_of_counts, wilson
from .suppression import TOTAL

NATIONAL_ZVW_YEAR = 2023
BANDS = len(AGE_BANDS)
# ESP 2013 on the pyramid's bands: 85-89, 90-94 and 95+ together as 85+.
ESP_BANDS = np.array([*ESP2013[: BANDS - 1], sum(ESP2013[BANDS - 1 :])], dtype=float)


def _grid(frame: pd.DataFrame, value: str) -> np.ndarray:
    """sexes (F, M) × age bands of ``value``; zeros where there is no row."""
    grid = np.zeros((2, BANDS))
    for sex, age, amount in zip(frame["sex"], frame["age_class"], frame[value], strict=True):
        if sex in ("F", "M"):
            grid[0 if sex == "F" else 1, int(age)] += float(amount)
    return grid


def pools(observed: np.ndarray, threshold: int) -> list[list[tuple[int, int]]]:
    """Strata (sex, band) grouped so that each group holds at least ``threshold`` observed.

    Neighbouring bands are joined within a sex; when a sex has fewer than ``threshold`` in all,
    both sexes are pooled band by band first. A remainder joins the last complete group.
    """
    sexes = [[(s, b) for b in range(BANDS)] for s in range(2)]
    if min(observed.sum(axis=1)) < threshold:
        sexes = [[(s, b) for b in range(BANDS) for s in range(2)]]
    groups: list[list[tuple[int, int]]] = []
    for strata in sexes:
        current: list[tuple[int, int]] = []
        own: list[list[tuple[int, int]]] = []
        for stratum in strata:
            current.append(stratum)
            if sum(observed[s] for s in current) >= threshold:
                own.append(current)
                current = []
        if current:
            if own:
                own[-1].extend(current)
            else:
                own.append(current)
        groups.extend(own)
    return groups


def _pooled(values: np.ndarray, groups: list[list[tuple[int, int]]]) -> np.ndarray:
    return np.array([sum(values[s] for s in group) for group in groups])


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), digits)


def standardised_rows(
    by_age: pd.DataFrame,
    prevalence_by_age: pd.DataFrame,
    care_use_by_age: pd.DataFrame | None = None,
    *,
    threshold: int,
    hidden_pyramids: set[tuple[int, str]],
    hidden_counts: set[tuple[int, str, str]] | None = None,
    national_zvw: dict[tuple[str, int], float] | None = None,
) -> list[dict[str, Any]]:
    """The published rows; ``hidden_pyramids`` lists (year, area) whose pyramid has a hidden cell,
    ``hidden_counts`` (year, area, indicator) whose count the regiobeeld hides.

    ``national_zvw`` holds the national Zvw cost per insured-year per (sex, band) of 2023.
    """
    rows: list[dict[str, Any]] = []
    hidden_counts = hidden_counts or set()
    for year_value, year_frame in by_age.groupby("year"):
        year = int(year_value)
        areas = sorted(str(m) for m in year_frame["municipality"].unique())
        persons = _by_area(year_frame, areas, "persons")
        prevalence = prevalence_by_age[prevalence_by_age["year"] == year]
        grids = _indicator_grids(year_frame, prevalence, areas)
        if care_use_by_age is not None:
            grids.update(_care_grids(care_use_by_age[care_use_by_age["year"] == year], areas))
        for indicator, (observed, basis) in grids.items():
            reference = pools(basis[TOTAL], threshold)
            rates = _pooled(observed[TOTAL], reference) / np.maximum(
                _pooled(persons[TOTAL], reference), 1
            )
            for area in [*areas, TOTAL]:
                hidden = (year, area) in hidden_pyramids or (year, area, indicator) in hidden_counts
                context = (year, area, indicator, threshold, hidden)
                rows.append(
                    _row(context, observed[area], basis[area], persons[area], reference, rates)
                )
        if national_zvw and year == NATIONAL_ZVW_YEAR:
            hidden_zvw = hidden_pyramids | {(y, a) for y, a, i in hidden_counts if i == "zvw_cost"}
            rows.extend(_zvw_rows(year, year_frame, persons, national_zvw, threshold, hidden_zvw))
    return rows


Grids = dict[str, np.ndarray]


def _by_area(frame: pd.DataFrame, areas: Iterable[str], value: str) -> Grids:
    grids = {area: _grid(frame[frame["municipality"] == area], value) for area in areas}
    grids[TOTAL] = sum(grids.values(), np.zeros((2, BANDS)))
    return grids


def _indicator_grids(
    year_frame: pd.DataFrame, prevalence: pd.DataFrame, areas: list[str]
) -> dict[str, tuple[Grids, Grids]]:
    """Per indicator: (observed, pooling basis); for persons with a condition both the same."""
    multimorbid = _by_area(year_frame, areas, "multimorbid")
    indicators = {"multimorbidity": (multimorbid, multimorbid)}
    for condition, frame in prevalence.groupby("condition"):
        grids = _by_area(frame, areas, "persons")
        indicators[str(condition)] = (grids, grids)
    return indicators


def _care_grids(care: pd.DataFrame, areas: list[str]) -> dict[str, tuple[Grids, Grids]]:
    """Per kind of care: (events, persons with such care): pools are made of persons."""
    return {
        f"care:{kind}": (_by_area(frame, areas, "events"), _by_area(frame, areas, "persons"))
        for kind, frame in care.groupby("kind")
    }


def _row(
    context: tuple[int, str, str, int, bool],
    observed: np.ndarray,
    basis: np.ndarray,
    persons: np.ndarray,
    reference: list[list[tuple[int, int]]],
    reference_rates: np.ndarray,
) -> dict[str, Any]:
    """One area's figures; ``basis`` (persons with the condition or care) decides the pools."""
    year, area, indicator, threshold, pyramid_hidden = context
    o, n = float(observed.sum()), float(persons.sum())
    row: dict[str, Any] = {"year": year, "municipality": area, "indicator": indicator}
    publish = basis.sum() >= threshold and n > 0 and not pyramid_hidden
    row["suppressed"] = not publish
    if not publish:
        return row
    # events can outnumber persons: Wilson only for persons, exact Poisson for events
    crude = wilson(o, n) if o <= n and observed is basis else None
    own = pools(basis, threshold)
    weights = np.array([ESP_BANDS / 2, ESP_BANDS / 2])  # both sexes weighted equally
    dsr = direct(_pooled(observed, own), _pooled(persons, own), _pooled(weights, own))
    row.update(
        observed=int(o),
        persons=int(n),
        crude_per_1000=_round(o / n * 1000, 2),
        crude_low=_round((crude.low if crude else poisson_exact(o).low / n) * 1000, 2),
        crude_high=_round((crude.high if crude else poisson_exact(o).high / n) * 1000, 2),
        dsr_per_1000=_round(dsr.rate * 1000, 2),
        dsr_low=_round(dsr.interval.low * 1000, 2),
        dsr_high=_round(dsr.interval.high * 1000, 2),
    )
    expected = float((_pooled(persons, reference) * reference_rates).sum())
    if area != TOTAL and expected > 0:
        interval = ratio_of_counts(o, expected)
        row.update(
            ratio=_round(o / expected, 3),
            ratio_low=_round(interval.low, 3),
            ratio_high=_round(interval.high, 3),
        )
    return row


def _zvw_rows(
    year: int,
    year_frame: pd.DataFrame,
    persons: dict[str, np.ndarray],
    national: dict[tuple[str, int], float],
    threshold: int,
    hidden: set[tuple[int, str]],
) -> list[dict[str, Any]]:
    """Zvw cost per insured-year against Vektis's national rates: the expected cost is each sex
    and age band's person-years (the exposure) times the national cost per insured-year."""
    rates = np.array([[national.get((sex, k), 0.0) for k in range(BANDS)] for sex in "FM"])
    areas = [m for m in persons if m != TOTAL]
    cost = _by_area(year_frame, areas, "zvw_cost")
    exposure = _by_area(year_frame, areas, "exposure")
    rows = []
    for area in cost:
        n = float(persons[area].sum())
        years = float(exposure[area].sum())
        row: dict[str, Any] = {"year": year, "municipality": area, "indicator": "zvw_cost"}
        publish = n >= threshold and years > 0 and (year, area) not in hidden
        row["suppressed"] = not publish
        if publish:
            expected = float((exposure[area] * rates).sum())
            actual = float(cost[area].sum())
            row.update(
                persons=int(n),
                insured_years=_round(years, 1),
                actual_per_insured_year=_round(actual / years, 2),
                expected_per_insured_year=_round(expected / years, 2),
                ratio=_round(actual / expected, 3) if expected > 0 else None,
            )
        rows.append(row)
    return rows


def national_zvw_by_band(
    rates: dict[tuple[str, int], float], years: dict[tuple[str, int], float]
) -> dict[tuple[str, int], float]:
    """Vektis's 19 classes (90+ last) on the pyramid's 18 bands: 85-89 and 90+ weighted by
    insured-years into 85+."""
    last = BANDS - 1
    out = {key: rate for key, rate in rates.items() if key[1] < last}
    for sex in ("F", "M"):
        parts = [(rates[(sex, k)], years[(sex, k)]) for k in range(last, last + 2)]
        out[(sex, last)] = sum(r * y for r, y in parts) / sum(y for _r, y in parts)
    return out
