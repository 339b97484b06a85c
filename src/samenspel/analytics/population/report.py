"""From counts to the published regiobeeld: region totals, suppression, rates."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .reference import national_insured_years, national_zvw_rates
from .regiobeeld import Counts
from .standardised import national_zvw_by_band, standardised_rows
from .suppression import TOTAL, add_totals, primary, secondary

DEFAULT_THRESHOLD = 10


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for row in frame.to_dict(orient="records"):
        clean: dict[str, Any] = {}
        for key, value in row.items():
            if isinstance(value, float) and np.isnan(value):
                clean[key] = None
            elif isinstance(value, np.integer):
                clean[key] = int(value)
            elif isinstance(value, np.floating):
                clean[key] = float(value)
            else:
                clean[key] = value
        out.append(clean)
    return out


def _normalise(frame: pd.DataFrame, ints: list[str], floats: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    frame["year"] = frame["year"].astype("int64")
    frame["municipality"] = frame["municipality"].astype(str)
    for c in ints:
        frame[c] = frame[c].fillna(0).astype("int64")
    for c in floats:
        frame[c] = frame[c].fillna(0.0).astype("float64")
    return frame


def _hide(frame: pd.DataFrame, flags: pd.Series, columns: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    for c in columns:
        frame[c] = frame[c].astype("float64").where(~flags)
    frame["suppressed"] = flags.to_numpy()
    return frame


def _population_lookup(population: pd.DataFrame) -> dict[tuple[int, str], float | None]:
    return {
        (int(r.year), str(r.municipality)): (None if pd.isna(r.persons) else float(r.persons))
        for r in population.itertuples()
    }


def _hidden(
    frame: pd.DataFrame, indicator: str | pd.Series, where: pd.Series | None = None
) -> set[tuple[int, str, str]]:
    """(year, municipality, indicator) of every suppressed row (of those ``where`` selects)."""
    labels = indicator if isinstance(indicator, pd.Series) else pd.Series(indicator, frame.index)
    chosen = frame["suppressed"].astype(bool) & (True if where is None else where)
    return {
        (int(y), str(m), str(label))
        for y, m, label in zip(
            frame["year"][chosen], frame["municipality"][chosen], labels[chosen], strict=True
        )
    }


def _rate(numerator: pd.Series, denominator: pd.Series, per: float) -> pd.Series:
    return (numerator / denominator * per).where(denominator > 0)


def build_report(counts: Counts, *, threshold: int = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """The regiobeeld as JSON-ready tables; nothing below ``threshold`` is left recoverable."""
    k = threshold
    year_mun = ["year", "municipality"]

    pop = add_totals(_normalise(counts.population, ["persons"], []), year_mun, ["persons"])
    pop_flags = secondary(pop, "persons", primary(pop, "persons", k), [["year"]])
    pop = _hide(pop, pop_flags, ["persons"])
    denominators = _population_lookup(pop)

    def denominator(frame: pd.DataFrame) -> pd.Series:
        return pd.Series(
            [
                denominators.get((int(y), str(m)))
                for y, m in zip(frame["year"], frame["municipality"], strict=True)
            ],
            index=frame.index,
            dtype="float64",
        )

    pyr = add_totals(
        _normalise(counts.pyramid, ["persons"], []), [*year_mun, "age_band", "sex"], ["persons"]
    )
    pyr_flags = secondary(
        pyr,
        "persons",
        primary(pyr, "persons", k),
        [["year", "municipality"], ["year", "age_band", "sex"]],
    )
    pyr = _hide(pyr, pyr_flags, ["persons"])

    prev = add_totals(
        _normalise(counts.prevalence, ["persons"], []), [*year_mun, "condition"], ["persons"]
    )
    prev_flags = secondary(prev, "persons", primary(prev, "persons", k), [["year", "condition"]])
    prev = _hide(prev, prev_flags, ["persons"])
    prev["per_1000"] = _rate(prev["persons"], denominator(prev), 1000)

    multi = add_totals(_normalise(counts.multimorbidity, ["persons"], []), year_mun, ["persons"])
    multi_flags = secondary(multi, "persons", primary(multi, "persons", k), [["year"]])
    multi = _hide(multi, multi_flags, ["persons"])
    multi["percent"] = _rate(multi["persons"], denominator(multi), 100)

    seg = add_totals(
        _normalise(counts.segments, ["persons"], ["cost"]),
        [*year_mun, "segment"],
        ["persons", "cost"],
    )
    seg_flags = secondary(
        seg, "persons", primary(seg, "persons", k), [["year", "municipality"], ["year", "segment"]]
    )
    seg = _hide(seg, seg_flags, ["persons", "cost"])
    seg["percent"] = _rate(seg["persons"], denominator(seg), 100)
    seg["cost_per_person"] = _rate(seg["cost"], seg["persons"], 1)

    use = add_totals(
        _normalise(counts.care_use, ["events", "persons"], []),
        [*year_mun, "kind"],
        ["events", "persons"],
    )
    use_flags = secondary(use, "persons", primary(use, "persons", k), [["year", "kind"]])
    use = _hide(use, use_flags, ["events", "persons"])
    use["per_1000"] = _rate(use["events"], denominator(use), 1000)

    readm = add_totals(
        _normalise(counts.readmissions, ["admissions", "readmissions", "persons"], []),
        year_mun,
        ["admissions", "readmissions", "persons"],
    )
    readm_flags = primary(readm, "persons", k) | primary(readm, "readmissions", k)
    readm_flags = secondary(readm, "admissions", readm_flags, [["year"]])
    readm = _hide(readm, readm_flags, ["admissions", "readmissions", "persons"])
    readm["readmission_percent"] = _rate(readm["readmissions"], readm["admissions"], 100)
    readm["admissions_per_1000"] = _rate(readm["admissions"], denominator(readm), 1000)

    cost = add_totals(
        _normalise(counts.costs, ["persons"], ["cost"]), [*year_mun, "stream"], ["cost", "persons"]
    )
    cost_flags = secondary(cost, "persons", primary(cost, "persons", k), [["year", "stream"]])
    cost = _hide(cost, cost_flags, ["cost", "persons"])
    cost["per_capita"] = _rate(cost["cost"], denominator(cost), 1)

    # a standardised figure of a count that is hidden (also by secondary suppression) is hidden
    hidden_counts = (
        _hidden(prev, prev["condition"])
        | _hidden(multi, "multimorbidity")
        | _hidden(use, "care:" + use["kind"])
        | _hidden(cost, "zvw_cost", where=cost["stream"] == "Zvw")
        | _hidden(pop, "zvw_cost")
    )
    standardised = standardised_rows(
        counts.by_age,
        counts.prevalence_by_age,
        counts.care_use_by_age,
        threshold=k,
        hidden_pyramids={(y, m) for y, m, _indicator in _hidden(pyr, "")},
        hidden_counts=hidden_counts,
        national_zvw=national_zvw_by_band(national_zvw_rates(), national_insured_years()),
    )

    years = sorted(int(y) for y in pop["year"].unique())
    municipalities = sorted(m for m in pop["municipality"].unique() if m != TOTAL)
    return {
        "threshold": k,
        "years": years,
        "municipalities": municipalities,
        "population": _records(pop),
        "pyramid": _records(pyr),
        "prevalence": _records(prev),
        "multimorbidity": _records(multi),
        "segments": _records(seg),
        "care_use": _records(use),
        "readmissions": _records(readm),
        "costs": _records(cost),
        "standardised": standardised,
    }
