"""Shape a stored (already suppressed) regiobeeld for the dashboard and the exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from samenspel.analytics.population.contract import CONDITIONS, EVENT_KINDS
from samenspel.analytics.population.regiobeeld import AGE_BANDS, SEGMENTS
from samenspel.analytics.population.suppression import TOTAL


def _pick(rows: list[dict[str, Any]], **where: Any) -> list[dict[str, Any]]:
    return [r for r in rows if all(r.get(k) == v for k, v in where.items())]


def _first(rows: list[dict[str, Any]], **where: Any) -> dict[str, Any]:
    found = _pick(rows, **where)
    return found[0] if found else {}


@dataclass
class View:
    year: int
    municipality: str
    population: float | None
    multimorbidity_percent: float | None
    cost_per_capita: float | None
    readmission_percent: float | None
    unknown_cost_percent: float | None = None
    population_accuracy: int | None = None  # a rounded release: the population is within ±
    women: dict[str, float | None] = field(default_factory=dict)
    men: dict[str, float | None] = field(default_factory=dict)
    prevalence: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    segments: list[tuple[str, float | None, float | None, float | None]] = field(
        default_factory=list
    )
    care_use: list[tuple[str, float | None, float | None]] = field(default_factory=list)
    costs: list[tuple[str, float | None]] = field(default_factory=list)
    trends: list[dict[str, Any]] = field(default_factory=list)
    municipalities: list[dict[str, Any]] = field(default_factory=list)
    neighbourhoods: list[dict[str, Any]] = field(default_factory=list)
    # the whole region's truncated cost per stream, for a shared-savings settlement
    settlement: list[dict[str, Any]] = field(default_factory=list)


def _cost_per_capita(costs: list[dict[str, Any]]) -> float | None:
    """The cost per inhabitant over every stream; hidden (None) when any stream's is."""
    values = [r["per_capita"] for r in costs]
    return sum(values) if values and all(v is not None for v in values) else None


def view(result: dict[str, Any], year: int, municipality: str) -> View:
    where = {"year": year, "municipality": municipality}
    pop_row = _first(result["population"], **where)
    pop = pop_row.get("persons")
    costs = _pick(result["costs"], **where)
    pyramid = _pick(result["pyramid"], **where)
    v = View(
        year=year,
        municipality=municipality,
        population=pop,
        population_accuracy=pop_row.get("accuracy"),
        multimorbidity_percent=_first(result["multimorbidity"], **where).get("percent"),
        cost_per_capita=_cost_per_capita(costs),
        readmission_percent=_first(result["readmissions"], **where).get("readmission_percent"),
        women={r["age_band"]: r["persons"] for r in pyramid if r["sex"] == "F"},
        men={r["age_band"]: r["persons"] for r in pyramid if r["sex"] == "M"},
    )
    for code in CONDITIONS:
        row = _first(result["prevalence"], condition=code, **where)
        if row:
            v.prevalence.append((code, row.get("persons"), row.get("per_1000")))
    for segment in SEGMENTS:
        row = _first(result["segments"], segment=segment, **where)
        if row:
            v.segments.append(
                (segment, row.get("persons"), row.get("percent"), row.get("cost_per_person"))
            )
    for kind in EVENT_KINDS:
        row = _first(result["care_use"], kind=kind, **where)
        if row:
            v.care_use.append((kind, row.get("events"), row.get("per_1000")))
    v.costs = [(r["stream"], r["per_capita"]) for r in costs]
    v.unknown_cost_percent = _unknown_cost_percent(costs)
    v.neighbourhoods = _neighbourhoods(result, where)
    if municipality == TOTAL:
        v.settlement = _pick(result.get("settlement", []), year=year)
    for y in result["years"]:
        at = {"year": y, "municipality": municipality}
        v.trends.append(
            {
                "year": y,
                "population": _first(result["population"], **at).get("persons"),
                "multimorbidity_percent": _first(result["multimorbidity"], **at).get("percent"),
                "cost_per_capita": _cost_per_capita(_pick(result["costs"], **at)),
                "readmission_percent": _first(result["readmissions"], **at).get(
                    "readmission_percent"
                ),
            }
        )
    for m in [*result["municipalities"], TOTAL]:
        at = {"year": year, "municipality": m}
        v.municipalities.append(
            {
                "municipality": m,
                "population": _first(result["population"], **at).get("persons"),
                "multimorbidity_percent": _first(result["multimorbidity"], **at).get("percent"),
                "diabetes_per_1000": _first(result["prevalence"], condition="diabetes", **at).get(
                    "per_1000"
                ),
                "cost_per_capita": _cost_per_capita(_pick(result["costs"], **at)),
            }
        )
    return v


__all__ = ["AGE_BANDS", "View", "view"]


def _neighbourhoods(result: dict[str, Any], where: dict[str, Any]) -> list[dict[str, Any]]:
    """Persons per neighbourhood of the shown municipality, with each segment's share."""
    shares: dict[str, dict[str, Any]] = {}
    for row in _pick(result.get("neighbourhood_segments", []), **where):
        shares.setdefault(row["neighbourhood"], {})[row["segment"]] = row.get("percent")
    rows = [
        {"neighbourhood": r["neighbourhood"], "persons": r.get("persons"),
         **shares.get(r["neighbourhood"], {})}
        for r in _pick(result.get("neighbourhoods", []), **where)
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (r["neighbourhood"] == "unknown", r["neighbourhood"]))


def _unknown_cost_percent(costs: list[dict[str, Any]]) -> float | None:
    """The share of care events without a known cost, when every stream's counts are shown."""
    events = unknown = 0.0
    for row in costs:
        if row.get("events") is None or row.get("events_without_cost") is None:
            return None
        events += float(row["events"])
        unknown += float(row["events_without_cost"])
    return 100 * unknown / events if events else None
