"""Vektis open data compared with what age and sex predict: indirect standardisation per area.

The national reference is the whole file: cost per insured-year per sex × age class × category,
over every municipality (or postcode area), the rest category left out. For every area and for
the region: actual cost, expected cost (Σ insured-years × reference rate), their ratio, the euro
gap per insured-year, and a 95% interval from the spread between areas (``standardise``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np

from .municipalities import match, postcode_area
from .sources import gettext_noop
from .standardise import (
    AGE_CLASSES,
    Interval,
    overdispersion,
    ratio_interval,
)
from .validate import Problem
from .vektis import CATEGORY_CODES, SMALL_POPULATION_YEARS, VektisError, VektisFile


@dataclass(frozen=True)
class Comparison:
    """Actual against expected cost for one area (or region) and one category (or the total)."""

    actual: float
    expected: float
    insured_years: float
    interval: Interval | None  # 95% interval of the ratio

    @property
    def ratio(self) -> float | None:
        return self.actual / self.expected if self.expected > 0 else None

    @property
    def gap_per_year(self) -> float | None:
        return (self.actual - self.expected) / self.insured_years if self.insured_years else None

    @property
    def actual_per_year(self) -> float | None:
        return self.actual / self.insured_years if self.insured_years else None

    @property
    def expected_per_year(self) -> float | None:
        return self.expected / self.insured_years if self.insured_years else None

    @property
    def signal(self) -> str | None:
        """Whether the 95% interval lies wholly above 1 ("higher") or below it ("lower")."""
        if self.interval is None:
            return None
        if self.interval.low > 1:
            return "higher"
        if self.interval.high < 1:
            return "lower"
        return None

    def as_dict(self) -> dict[str, object]:
        return {
            "actual_cost": round(self.actual, 2),
            "expected_cost": round(self.expected, 2),
            "ratio": None if self.ratio is None else round(self.ratio, 6),
            "gap_per_insured_year": None
            if self.gap_per_year is None
            else round(self.gap_per_year, 2),
            "ci_low": None if self.interval is None else round(self.interval.low, 6),
            "ci_high": None if self.interval is None else round(self.interval.high, 6),
            "signal": self.signal,
        }


@dataclass
class AreaResult:
    key: str
    name: str
    insured_persons: float
    insured_years: float
    total: Comparison
    categories: dict[str, Comparison]

    @property
    def small(self) -> bool:
        return self.insured_years < SMALL_POPULATION_YEARS

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.key,
            "name": self.name,
            "insured_persons": round(self.insured_persons),
            "insured_years": round(self.insured_years, 2),
            "small_population": self.small,
            **self.total.as_dict(),
            "categories": {code: c.as_dict() for code, c in self.categories.items()},
        }


@dataclass
class Standardisation:
    """The whole file standardised: reference rates, every area, and the region if asked."""

    file: VektisFile
    phi: dict[str, float]  # over-dispersion per category and "total"
    areas: list[AreaResult]
    region: AreaResult | None

    def as_dict(self) -> dict[str, object]:
        key = "municipalities" if self.file.level == "gemeente" else "postcode_areas"
        return {
            "year": self.file.year,
            "file": self.file.name,
            "level": self.file.level,
            "synthetic": self.file.synthetic,
            "rest_category": {k: round(v, 2) for k, v in self.file.rest.items()},
            "merged": self.file.merged,
            "columns": self.file.columns,
            key: [a.as_dict() for a in self.areas],
            "region": None if self.region is None else self.region.as_dict(),
        }


SEX_INDEX = {"M": 0, "F": 1}


def _expected_per_cell(file: VektisFile) -> np.ndarray:
    """Each cell's insured-years × the national cost per insured-year of its sex × age class ×
    category, the national rate taken from the whole file."""
    cost = np.zeros((2, len(AGE_CLASSES), len(CATEGORY_CODES)))
    years = np.zeros((2, len(AGE_CLASSES)))
    sex = np.array([SEX_INDEX[s] for s in file.sex])
    np.add.at(cost, (sex, file.age), file.costs)
    np.add.at(years, (sex, file.age), file.years)
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = np.where(years[..., None] > 0, cost / years[..., None], 0.0)
    return cast("np.ndarray", file.years[:, None] * rates[sex, file.age])


def standardise(file: VektisFile, *, region: Sequence[str] = ()) -> Standardisation:
    """Indirect standardisation of every area against the file's national reference.

    ``region`` lists area keys (CBS codes or postcode-3 areas) that together form the region.
    """
    expected_cells = _expected_per_cell(file)
    n_areas = len(file.areas)
    actual = np.zeros((n_areas, len(CATEGORY_CODES)))
    expected = np.zeros_like(actual)
    years = np.zeros(n_areas)
    persons = np.zeros(n_areas)
    np.add.at(actual, file.area, file.costs)
    np.add.at(expected, file.area, expected_cells)
    np.add.at(years, file.area, file.years)
    np.add.at(persons, file.area, file.persons)
    phi: dict[str, float] = {}
    for k, code in enumerate(CATEGORY_CODES):
        phi[code] = _phi(actual[:, k], expected[:, k])
    phi["total"] = _phi(actual.sum(axis=1), expected.sum(axis=1))

    def result(key: str, name: str, a: np.ndarray, e: np.ndarray, n: float, p: float) -> AreaResult:
        return AreaResult(
            key=key,
            name=name,
            insured_persons=p,
            insured_years=n,
            total=_compare(float(a.sum()), float(e.sum()), n, phi["total"]),
            categories={
                code: _compare(float(a[k]), float(e[k]), n, phi[code])
                for k, code in enumerate(CATEGORY_CODES)
                if e[k] > 0 or a[k] != 0
            },
        )

    areas = [
        result(key, file.area_name(key), actual[i], expected[i], float(years[i]), float(persons[i]))
        for i, key in enumerate(file.areas)
    ]
    region_result = None
    chosen = [file.areas.index(k) for k in region if k in file.areas]
    if chosen:
        region_result = result(
            "region",
            "region",
            actual[chosen].sum(axis=0),
            expected[chosen].sum(axis=0),
            float(years[chosen].sum()),
            float(persons[chosen].sum()),
        )
    return Standardisation(file, phi, areas, region_result)


def _phi(actual: np.ndarray, expected: np.ndarray) -> float:
    try:
        return overdispersion(actual, expected)
    except ValueError:
        return math.nan


def _compare(actual: float, expected: float, years: float, phi: float) -> Comparison:
    interval = None
    if expected > 0 and not math.isnan(phi):
        interval = ratio_interval(max(actual, 0.0), expected, phi)
    return Comparison(actual, expected, years, interval)


def pyramid(file: VektisFile, areas: Iterable[str]) -> dict[tuple[str, int], float]:
    """Insured persons per (sex, age class) over the given areas: a population pyramid."""
    wanted = {file.areas.index(a) for a in areas if a in file.areas}
    out: dict[tuple[str, int], float] = {}
    for i in np.flatnonzero(np.isin(file.area, list(wanted))):
        cell = (str(file.sex[i]), int(file.age[i]))
        out[cell] = out.get(cell, 0.0) + float(file.persons[i])
    return out


def region_keys(file_level: str, names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Area keys for region members given by name or code, and the names that matched nothing."""
    keys: list[str] = []
    unknown: list[str] = []
    for name in names:
        code = postcode_area(name) if file_level == "postcode3" else match(name)
        (keys.append(code) if code else unknown.append(name))
    return keys, unknown


def check_years(files: Sequence[VektisFile]) -> list[Problem]:
    """Two files of the same year and level cannot both be used."""
    seen: dict[tuple[int, str], str] = {}
    problems = []
    for file in files:
        key = (file.year, file.level)
        if key in seen:
            problems.append(
                Problem(
                    file.name,
                    None,
                    "",
                    gettext_noop("covers %(year)s, like %(other)s; load one file per year"),
                    {"year": file.year, "other": seen[key]},
                )
            )
        seen.setdefault(key, file.name)
    return problems


def report(files: Sequence[VektisFile], *, region: Sequence[str] = ()) -> dict[str, object]:
    """Every file standardised; the latest year on top, older years and trends beside it.

    ``region`` holds names or codes of the region's municipalities (or postcode-3 areas).
    """
    problems = check_years(files)
    if problems:
        raise VektisError(problems)
    ordered = sorted(files, key=lambda f: (f.level != "gemeente", -f.year))
    results = []
    for file in ordered:
        keys, unknown = region_keys(file.level, region)
        if unknown and file.level == "gemeente":
            raise VektisError(
                [
                    Problem(
                        "--region",
                        None,
                        "",
                        gettext_noop("no Dutch municipality is called this; check the spelling"),
                        found=", ".join(unknown),
                    )
                ]
            )
        results.append(standardise(file, region=keys))
    top = results[0].as_dict()
    same_level = [r for r in results if r.file.level == results[0].file.level]
    top["years"] = sorted(r.file.year for r in same_level)
    top["trend"] = _trend(same_level)
    postcode = [r for r in results if r.file.level == "postcode3"]
    if results[0].file.level == "gemeente" and postcode:
        top["postcode_areas"] = postcode[0].as_dict()["postcode_areas"]
    top["earlier_years"] = [r.as_dict() for r in same_level[1:]]
    return top


def _trend(results: Sequence[Standardisation]) -> dict[str, list[dict[str, object]]]:
    trend: dict[str, list[dict[str, object]]] = {}
    for result in sorted(results, key=lambda r: r.file.year):
        rows = [*result.areas, *([result.region] if result.region else [])]
        for area in rows:
            trend.setdefault(area.key, []).append(
                {
                    "year": result.file.year,
                    "ratio": area.total.as_dict()["ratio"],
                    "actual_cost": round(area.total.actual, 2),
                    "insured_years": round(area.insured_years, 2),
                }
            )
    return trend
