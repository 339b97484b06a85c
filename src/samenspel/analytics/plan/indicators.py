"""The regiobeeld figures a regioplan goal can aim at, and how to read them from a release.

One catalogue: each indicator names the table of the published regiobeeld it is read from,
the figure, and the counts behind its 95% interval. Every figure is read for the whole region
(the ``total`` rows); a figure the release hides is read as hidden, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from samenspel.analytics.population.comparison import Comparison, Standardisation
from samenspel.analytics.population.contract import CONDITIONS, EVENT_KINDS
from samenspel.analytics.population.regiobeeld import SEGMENTS
from samenspel.analytics.population.standardise import poisson_exact, wilson
from samenspel.analytics.population.suppression import TOTAL
from samenspel.analytics.population.vektis import CATEGORY_CODES

Row = Mapping[str, Any]
Result = Mapping[str, Any]  # a published regiobeeld: tables of rows, and "years"
PER_1000 = "per 1,000"


@dataclass(frozen=True)
class Observation:
    """One year's figure: its value and 95% interval, or ``hidden`` when the release hides it."""

    year: int
    value: float | None
    low: float | None = None
    high: float | None = None

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Indicator:
    """A regiobeeld figure: its key, unit, and how one year's observation is read."""

    key: str
    unit: str  # "%", "per 1,000", "€" or "index" (100: as expected)
    group: str  # the regiobeeld table it comes from, or "open_data"
    code: str  # the condition, kind, segment or cost category, or "" for headline figures
    read: Callable[[Result, int], Observation] | None  # None: read from the open data

    @property
    def from_open_data(self) -> bool:
        return self.read is None


def _row(result: Result, table: str, year: int, **where: Any) -> Row:
    for row in result.get(table, []):
        if row.get("year") == year and row.get("municipality") == TOTAL and all(
            row.get(k) == v for k, v in where.items()
        ):
            return cast("Row", row)
    return {}


def _shown(value: Any) -> float | None:
    return None if value is None else float(value)


def _population(result: Result, year: int) -> float | None:
    return _shown(_row(result, "population", year).get("persons"))


def _share(value: float | None, part: Any, whole: Any, scale: float, year: int) -> Observation:
    """A proportion × scale with Wilson's interval on the published counts."""
    if value is None:
        return Observation(year, None)
    part, whole = _shown(part), _shown(whole)
    if part is None or whole is None or whole <= 0 or not 0 <= part <= whole:
        return Observation(year, value)
    interval = wilson(part, whole)
    return Observation(year, value, interval.low * scale, interval.high * scale)


def _multimorbidity(result: Result, year: int) -> Observation:
    row = _row(result, "multimorbidity", year)
    value = _shown(row.get("percent"))
    return _share(value, row.get("persons"), _population(result, year), 100, year)


def _readmissions(result: Result, year: int) -> Observation:
    row = _row(result, "readmissions", year)
    value = _shown(row.get("readmission_percent"))
    return _share(value, row.get("readmissions"), row.get("admissions"), 100, year)


def _cost_per_capita(result: Result, year: int) -> Observation:
    """Cost per inhabitant over every stream; hidden when any stream's is hidden."""
    values = [
        r.get("per_capita")
        for r in result.get("costs", [])
        if r.get("year") == year and r.get("municipality") == TOTAL
    ]
    if not values or any(v is None for v in values):
        return Observation(year, None)
    return Observation(year, float(sum(values)))


def _prevalence(code: str) -> Callable[[Result, int], Observation]:
    def read(result: Result, year: int) -> Observation:
        row = _row(result, "prevalence", year, condition=code)
        value = _shown(row.get("per_1000"))
        return _share(value, row.get("persons"), _population(result, year), 1000, year)

    return read


def _segment(code: str) -> Callable[[Result, int], Observation]:
    def read(result: Result, year: int) -> Observation:
        row = _row(result, "segments", year, segment=code)
        value = _shown(row.get("percent"))
        return _share(value, row.get("persons"), _population(result, year), 100, year)

    return read


def _care_use(code: str) -> Callable[[Result, int], Observation]:
    def read(result: Result, year: int) -> Observation:
        row = _row(result, "care_use", year, kind=code)
        value, events = _shown(row.get("per_1000")), _shown(row.get("events"))
        population = _population(result, year)
        if value is None or events is None or not population:
            return Observation(year, value)
        interval = poisson_exact(events)  # events per year are counts: exact Poisson limits
        scale = 1000 / population
        return Observation(year, value, interval.low * scale, interval.high * scale)

    return read


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator("multimorbidity_percent", "%", "headline", "", _multimorbidity),
        Indicator("readmission_percent", "%", "headline", "", _readmissions),
        Indicator("cost_per_capita", "€", "headline", "", _cost_per_capita),
        *(
            Indicator(f"prevalence:{c}", PER_1000, "prevalence", c, _prevalence(c))
            for c in CONDITIONS
        ),
        *(Indicator(f"care_use:{k}", PER_1000, "care_use", k, _care_use(k)) for k in EVENT_KINDS),
        *(Indicator(f"segment:{s}", "%", "segments", s, _segment(s)) for s in SEGMENTS),
        *(
            Indicator(f"open_data:{c}", "index", "open_data", c, None)
            for c in (TOTAL, *CATEGORY_CODES)
        ),
    )
}
"""Every regiobeeld figure a goal can aim at, by key."""


def observations(result: Result | None, key: str) -> list[Observation]:
    """The region's figure for every year of a published regiobeeld, oldest first."""
    indicator = INDICATORS[key]
    if not result or indicator.read is None:
        return []
    return [indicator.read(result, int(year)) for year in sorted(result.get("years", []))]


def _index(comparison: Comparison | None, year: int) -> Observation:
    """Actual against expected cost as an index (100: as expected for the age and sex)."""
    if comparison is None or comparison.ratio is None:
        return Observation(year, None)
    interval = comparison.interval
    if interval is None:
        return Observation(year, comparison.ratio * 100)
    return Observation(year, comparison.ratio * 100, interval.low * 100, interval.high * 100)


def comparison_observations(results: Sequence[Standardisation], key: str) -> list[Observation]:
    """The region's cost index for every year of the open data, oldest first."""
    indicator = INDICATORS[key]
    if not indicator.from_open_data:
        return []
    out = []
    for result in sorted(results, key=lambda r: r.file.year):
        region = result.region
        if region is None:
            continue
        code = indicator.code
        comparison = region.total if code == TOTAL else region.categories.get(code)
        out.append(_index(comparison, result.file.year))
    return out
