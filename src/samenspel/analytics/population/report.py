"""From counts to the published regiobeeld: region totals, suppression, rates."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .disclosure import Publication, Table
from .reference import national_insured_years, national_zvw_rates
from .regiobeeld import Counts
from .standardised import national_zvw_by_band, standardised_rows
from .suppression import TOTAL, add_totals, primary, secondary
from .thresholds import DEFAULT_THRESHOLD


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


# The tables published per year and municipality (and for the region), with their other keys.
MUNICIPAL_DIMS: dict[str, tuple[str, ...]] = {
    "population": (),
    "pyramid": ("age_band", "sex"),
    "prevalence": ("condition",),
    "multimorbidity": (),
    "segments": ("segment",),
    "care_use": ("kind",),
    "readmissions": (),
    "costs": ("stream",),
}
MUNICIPAL_TABLES = tuple(MUNICIPAL_DIMS)


def _tables(counts: Counts, k: int) -> dict[str, Table]:
    """Every published count table (region totals included) with its primary suppression."""
    year_mun = ["year", "municipality"]

    def table(
        name: str,
        keys: tuple[str, ...],
        counts_: tuple[str, ...] = (),
        costs: tuple[str, ...] = (),
    ) -> Table:
        frame = _normalise(getattr(counts, name), [*keys, *counts_], list(costs))
        dims = [*year_mun, *MUNICIPAL_DIMS[name]]
        frame = add_totals(frame, dims, [*keys, *counts_, *costs])
        flags = np.zeros(len(frame), dtype=bool)
        for key in keys:
            flags |= primary(frame, key, k).to_numpy()
        return Table(frame, keys, counts_, costs, flags)

    nb = counts.neighbourhood_segments
    if nb.empty:
        nb = pd.DataFrame({c: [] for c in ["year", "municipality", "neighbourhood", "segment"]})
        nb["persons"] = []
    nb = _normalise(nb, ["persons"], [])
    nb["neighbourhood"] = nb["neighbourhood"].astype(str)
    nb_total = nb.groupby([*year_mun, "neighbourhood"], as_index=False)["persons"].sum()
    return {
        "population": table("population", ("persons",)),
        "pyramid": table("pyramid", ("persons",)),
        "prevalence": table("prevalence", ("persons",)),
        "multimorbidity": table("multimorbidity", ("persons",)),
        "segments": table("segments", ("persons",), costs=("cost",)),
        "care_use": table("care_use", ("persons",), ("events",)),
        "readmissions": table("readmissions", ("persons", "readmissions"), ("admissions",)),
        "costs": table("costs", ("persons",), ("events", "events_without_cost"), ("cost",)),
        "neighbourhoods": Table(
            nb_total.reset_index(drop=True),
            ("persons",),
            (),
            (),
            primary(nb_total, "persons", k).to_numpy(),
        ),
        "neighbourhood_segments": Table(
            nb.reset_index(drop=True), ("persons",), (), (), primary(nb, "persons", k).to_numpy()
        ),
    }


def publication(counts: Counts, *, threshold: int = DEFAULT_THRESHOLD) -> Publication:
    """The tables of the regiobeeld with every identity an outsider knows between them."""
    pub = Publication(threshold)
    for name, table in _tables(counts, threshold).items():
        pub.add(name, table)
    for name, dims in MUNICIPAL_DIMS.items():
        frame = pub.tables[name].frame
        region = frame["municipality"] == TOTAL
        for column in pub.tables[name].columns:
            pub.equal_sums((name, column, ~region), (name, column, region), ["year", *dims])
    year_mun = ["year", "municipality"]
    pub.equal_sums(("pyramid", "persons", None), ("population", "persons", None), year_mun)
    pub.equal_sums(("segments", "persons", None), ("population", "persons", None), year_mun)
    pub.equal_sums(("segments", "cost", None), ("costs", "cost", None), year_mun)
    pub.equal_sums(("costs", "events", None), ("care_use", "events", None), year_mun)
    use = pub.tables["care_use"].frame
    admitted = use["kind"] == "hospital_admission"
    pub.equal_sums(("care_use", "events", admitted), ("readmissions", "admissions", None), year_mun)
    pub.equal_sums(("care_use", "persons", admitted), ("readmissions", "persons", None), year_mun)
    readm = pub.tables["readmissions"].frame
    by_cell = {
        (int(y), str(m)): int(i)
        for i, y, m in zip(readm.index, readm["year"], readm["municipality"], strict=True)
    }
    for i, y, m in zip(
        use.index[admitted], use["year"][admitted], use["municipality"][admitted], strict=True
    ):
        if (int(y), str(m)) in by_cell:
            pub.link([("care_use", int(i)), ("readmissions", by_cell[(int(y), str(m))])])
    pub.at_most("care_use", "persons", "events")
    pub.at_most("costs", "persons", "events")
    pub.at_most("costs", "events_without_cost", "events")
    pub.at_most("readmissions", "persons", "admissions")
    pub.at_most("readmissions", "readmissions", "admissions")
    if pub.tables["neighbourhoods"].frame.empty:
        return pub  # no neighbourhood is known: the wijk tables are not published
    population = pub.tables["population"].frame
    local = population["municipality"] != TOTAL
    segments = pub.tables["segments"].frame
    pub.equal_sums(("neighbourhoods", "persons", None), ("population", "persons", local), year_mun)
    pub.equal_sums(
        ("neighbourhood_segments", "persons", None),
        ("neighbourhoods", "persons", None),
        [*year_mun, "neighbourhood"],
    )
    pub.equal_sums(
        ("neighbourhood_segments", "persons", None),
        ("segments", "persons", segments["municipality"] != TOTAL),
        [*year_mun, "segment"],
    )
    return pub


def _presuppress(pub: Publication) -> None:
    """The quick first pass: no group with a single hidden cell (the audit does the rest)."""
    groups = {
        "population": [["year"]],
        "pyramid": [["year", "municipality"], ["year", "age_band", "sex"]],
        "prevalence": [["year", "condition"]],
        "multimorbidity": [["year"]],
        "segments": [["year", "municipality"], ["year", "segment"]],
        "care_use": [["year", "kind"]],
        "readmissions": [["year"]],
        "costs": [["year", "stream"]],
    }
    for name, keys in groups.items():
        table = pub.tables[name]
        flags = pd.Series(table.hidden, index=table.frame.index)
        table.hidden = secondary(table.frame, table.keys[0], flags, keys).to_numpy()


def build_report(counts: Counts, *, threshold: int = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """The regiobeeld as JSON-ready tables; nothing below ``threshold`` is left recoverable."""
    k = threshold
    pub = publication(counts, threshold=k)
    _presuppress(pub)
    audit = pub.protect()

    def shown(name: str, columns: list[str]) -> pd.DataFrame:
        table = pub.tables[name]
        return _hide(table.frame, pd.Series(table.hidden, index=table.frame.index), columns)

    pop = shown("population", ["persons"])
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

    pyr = shown("pyramid", ["persons"])
    prev = shown("prevalence", ["persons"])
    prev["per_1000"] = _rate(prev["persons"], denominator(prev), 1000)
    multi = shown("multimorbidity", ["persons"])
    multi["percent"] = _rate(multi["persons"], denominator(multi), 100)
    seg = shown("segments", ["persons", "cost"])
    seg["percent"] = _rate(seg["persons"], denominator(seg), 100)
    seg["cost_per_person"] = _rate(seg["cost"], seg["persons"], 1)
    use = shown("care_use", ["events", "persons"])
    use["per_1000"] = _rate(use["events"], denominator(use), 1000)
    readm = shown("readmissions", ["admissions", "readmissions", "persons"])
    readm["readmission_percent"] = _rate(readm["readmissions"], readm["admissions"], 100)
    readm["admissions_per_1000"] = _rate(readm["admissions"], denominator(readm), 1000)
    cost = shown("costs", ["cost", "persons", "events", "events_without_cost"])
    cost["per_capita"] = _rate(cost["cost"], denominator(cost), 1)
    cost["unknown_cost_percent"] = _rate(cost["events_without_cost"], cost["events"], 100)
    nb = shown("neighbourhoods", ["persons"])
    nb_seg = shown("neighbourhood_segments", ["persons"])
    nb_persons = {
        (int(r.year), str(r.municipality), str(r.neighbourhood)): r.persons for r in nb.itertuples()
    }
    nb_seg["percent"] = _rate(
        nb_seg["persons"],
        pd.Series(
            [
                nb_persons.get((int(y), str(m), str(w)))
                for y, m, w in zip(
                    nb_seg["year"], nb_seg["municipality"], nb_seg["neighbourhood"], strict=True
                )
            ],
            index=nb_seg.index,
            dtype="float64",
        ),
        100,
    )

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
        "neighbourhoods": _records(nb),
        "neighbourhood_segments": _records(nb_seg),
        "standardised": standardised,
        "disclosure": {
            "passed": not audit.findings,
            "threshold": k,
            "count_protection": pub.count_protection,
            "cost_protection": pub.cost_protection,
            "hidden_rows": audit.hidden_rows,
            "cells_checked": audit.checked,
            # tables withheld for a whole year because hiding single rows could not protect them
            "withheld": [{"table": t, "year": y} for t, y in audit.withheld],
        },
    }
