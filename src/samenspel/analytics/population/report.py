"""From counts to the published regiobeeld: region totals, suppression, rates."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .cellkey import COST_NOISE, MAX_NOISE, perturb, perturb_cost
from .disclosure import Publication, Table
from .reference import national_insured_years, national_zvw_rates
from .regiobeeld import Counts
from .settlement import published_settlement
from .standardised import national_zvw_by_band, standardised_rows
from .suppression import TOTAL, add_totals, primary, secondary
from .thresholds import DEFAULT_THRESHOLD, EXACT, METHODS, ROUNDED


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


def _without_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """The cells' key sums are never published."""
    return frame.drop(columns=["key"], errors="ignore")


# the counts of each table in the order their deviations are drawn, and its costs
ROUNDED_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "population": (("persons",), ()),
    "pyramid": (("persons",), ()),
    "prevalence": (("persons",), ()),
    "multimorbidity": (("persons",), ()),
    "segments": (("persons",), ("cost",)),
    "care_use": (("persons", "events"), ()),
    "readmissions": (("persons", "admissions", "readmissions"), ()),
    "costs": (("persons", "events", "events_without_cost"), ("cost",)),
}
# a published count that may not exceed another of its row: (smaller, larger)
AT_MOST = {
    "care_use": (("persons", "events"),),
    "costs": (("persons", "events"), ("events_without_cost", "events")),
    "readmissions": (("persons", "admissions"), ("readmissions", "admissions")),
}


def _perturbed(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """One table's municipality rows with every count and cost perturbed by its cell key."""
    countcols, costcols = ROUNDED_COLUMNS.get(name, (("persons",), ()))
    frame = _normalise(frame, list(countcols), list(costcols))
    if "key" not in frame.columns:
        raise ValueError("a rounded release needs the cells' keys: compute_counts(secret=...)")
    out = frame.drop(columns=["key"]).copy()
    for place, column in enumerate(countcols):
        out[column] = perturb(frame[column], frame["key"], place)
    for smaller, larger in AT_MOST.get(name, ()):
        out[smaller] = out[[smaller, larger]].min(axis=1)  # still within the accuracy
    for column in costcols:
        out[column] = perturb_cost(frame[column], frame["key"], frame["persons"])
    out["accuracy"] = MAX_NOISE
    return out


def _summed(frame: pd.DataFrame, by: list[str], columns: list[str]) -> pd.DataFrame:
    """Rows of ``frame`` added up over the rest (their stated accuracies add up too)."""
    return frame.groupby(by, as_index=False, sort=True)[[*columns, "accuracy"]].sum()


def _absorbed(population: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """The segments, their largest in each municipality and year replaced by the population
    minus the others: the segments then add up to the published population exactly, while the
    population keeps its own ± 2 (a sum of every segment would add up their deviations). Where
    the remainder would fall below one, the population is the segments' sum instead."""
    ym = ["year", "municipality"]
    segments = segments.sort_values([*ym, "persons", "segment"], kind="stable").copy()
    merged = segments.merge(
        population[[*ym, "persons", "accuracy"]].rename(
            columns={"persons": "total", "accuracy": "total_accuracy"}
        ),
        on=ym,
        how="left",
    )
    merged.index = segments.index
    largest = ~merged.duplicated(ym, keep="last")
    others = merged[~largest].groupby(ym)[["persons", "accuracy"]].sum()
    rest = merged[largest].join(others, on=ym, rsuffix="_others").fillna(
        {"persons_others": 0, "accuracy_others": 0}
    )
    remainder = rest["total"] - rest["persons_others"]
    fits = remainder >= 1
    segments.loc[rest.index[fits], "persons"] = remainder[fits].astype("int64")
    segments.loc[rest.index[fits], "accuracy"] = (
        rest["total_accuracy"] + rest["accuracy_others"]
    )[fits].astype("int64")
    # where it does not fit, the population becomes the sum of its segments
    unfit = set(map(tuple, rest.loc[~fits, ym].itertuples(index=False)))
    if unfit:
        keys = list(zip(population["year"], population["municipality"], strict=True))
        rows = population.index[[k in unfit for k in keys]]
        sums = segments.groupby(ym)[["persons", "accuracy"]].sum()
        for i in rows:
            key = (population.at[i, "year"], population.at[i, "municipality"])
            population.loc[i, ["persons", "accuracy"]] = sums.loc[key].to_numpy()
    return segments.sort_values([*ym, "segment"], kind="stable")


def _narrowed(own: tuple[float, float], parts: list[tuple[float, float]]) -> bool:
    """Whether ``own = Σ parts``, each known only within its range, narrows any range."""
    ranges = [own, *parts]
    low = [max(lo, 1.0) for lo, _hi in ranges]  # a published row holds at least one person
    high = [hi for _lo, hi in ranges]
    sum_low, sum_high = sum(low[1:]), sum(high[1:])
    if sum_low > low[0] or sum_high < high[0]:
        return True
    for j in range(1, len(ranges)):
        # part j = own − the other parts
        if low[0] - (sum_high - high[j]) > low[j] or high[0] - (sum_low - low[j]) < high[j]:
            return True
    return False


def _withhold_narrowing_neighbourhoods(
    population: pd.DataFrame, segments: pd.DataFrame, out: dict[str, pd.DataFrame]
) -> None:
    """A municipality's segments and population are rounded on their own, and so are its
    neighbourhoods' segments. Where a sum between them would narrow a range, the detail goes
    and the municipality keeps its figures: for a segment, its neighbourhood rows (and the
    municipality's neighbourhood totals, which would give them away); for the population, the
    municipality's neighbourhood tables for the year."""
    ym = ["year", "municipality"]
    nb_seg = out["neighbourhood_segments"]
    low, high = nb_seg["persons"] - nb_seg["accuracy"], nb_seg["persons"] + nb_seg["accuracy"]
    boxes = list(zip(low, high, strict=True))
    nb_seg = nb_seg.assign(box=boxes)
    by_segment = {k: list(g["box"]) for k, g in nb_seg.groupby([*ym, "segment"])}
    by_area = {k: list(g["box"]) for k, g in nb_seg.groupby(ym)}
    segment_failing = {
        (r.year, r.municipality, r.segment)
        for r in segments.itertuples()
        if _narrowed(
            (r.persons - r.accuracy, r.persons + r.accuracy),
            by_segment.get((r.year, r.municipality, r.segment), []),
        )
    }
    area_failing = {
        (r.year, r.municipality)
        for r in population.itertuples()
        if _narrowed(
            (r.persons - r.accuracy, r.persons + r.accuracy),
            by_area.get((r.year, r.municipality), []),
        )
    }
    # a neighbourhood's total would give its withheld segment rows away: it goes with them
    totals_failing = area_failing | {(y, m) for y, m, _s in segment_failing}
    frame = out["neighbourhood_segments"]
    hidden = pd.Series(
        [
            (y, m) in area_failing or (y, m, g) in segment_failing
            for y, m, g in zip(frame["year"], frame["municipality"], frame["segment"], strict=True)
        ],
        index=frame.index,
    )
    out["neighbourhood_segments"] = _hide(frame, hidden, ["persons", "accuracy"])
    frame = out["neighbourhoods"]
    areas = zip(frame["year"], frame["municipality"], strict=True)
    hidden = pd.Series([area in totals_failing for area in areas], index=frame.index)
    out["neighbourhoods"] = _hide(frame, hidden, ["persons", "accuracy"])


def rounded_tables(counts: Counts) -> dict[str, pd.DataFrame]:
    """Every published table by the cell-key method (see ``cellkey``).

    The most detailed cells are perturbed; every total is the sum of published cells, so no
    identity between published tables holds a short sum of independent deviations: a
    neighbourhood's segments add up to the neighbourhood, the segments to the population (whose
    largest segment takes the remainder, see ``_absorbed``), the municipalities to the region;
    the admissions of the readmissions table are those of care use. A municipality's segments
    are rounded on their own; where the sums of its neighbourhoods' would narrow them, its
    neighbourhood tables are withheld (``_withhold_narrowing_neighbourhoods``)."""
    year_mun = ["year", "municipality"]
    out: dict[str, pd.DataFrame] = {}
    nb_seg = counts.neighbourhood_segments
    if nb_seg.empty:
        nb_seg = pd.DataFrame(columns=[*year_mun, "neighbourhood", "segment", "persons"])
        out["neighbourhood_segments"] = nb_seg.assign(accuracy=[]).astype({"persons": "int64"})
        out["neighbourhoods"] = out["neighbourhood_segments"].drop(columns=["segment"])
    else:
        nb_seg = nb_seg.assign(neighbourhood=nb_seg["neighbourhood"].astype(str))
        out["neighbourhood_segments"] = _perturbed(nb_seg, "neighbourhood_segments")
        out["neighbourhoods"] = _summed(
            out["neighbourhood_segments"], [*year_mun, "neighbourhood"], ["persons"]
        )
    for name in MUNICIPAL_TABLES:
        out[name] = _perturbed(getattr(counts, name), name)
    out["segments"] = _absorbed(out["population"], out["segments"])
    if not nb_seg.empty:
        _withhold_narrowing_neighbourhoods(out["population"], out["segments"], out)
    use, readm = out["care_use"], out["readmissions"]
    admitted = use[use["kind"] == "hospital_admission"][[*year_mun, "events", "persons"]]
    readm = readm.drop(columns=["admissions", "persons"]).merge(
        admitted.rename(columns={"events": "admissions"}), on=year_mun, how="left"
    )
    readm["readmissions"] = readm[["readmissions", "admissions"]].min(axis=1)
    out["readmissions"] = readm
    for name in MUNICIPAL_TABLES:
        frame = out[name]
        dims = ["year", *MUNICIPAL_DIMS[name]]
        values = [c for c in frame.columns if c not in (*year_mun, *MUNICIPAL_DIMS[name])]
        values = [c for c in values if c != "accuracy"]
        region = _summed(frame, dims, values).assign(municipality=TOTAL)
        frame = pd.concat([frame, region[frame.columns]], ignore_index=True)
        frame = frame.sort_values([*year_mun, *MUNICIPAL_DIMS[name]], kind="stable")
        out[name] = frame.reset_index(drop=True).assign(suppressed=False)
    for name in ("neighbourhoods", "neighbourhood_segments"):
        if "suppressed" not in out[name].columns:
            out[name] = out[name].assign(suppressed=False)
    return out


def _tables(counts: Counts, k: int) -> dict[str, Table]:
    """Every published count table (region totals included) with its primary suppression."""
    year_mun = ["year", "municipality"]

    def table(
        name: str,
        keys: tuple[str, ...],
        counts_: tuple[str, ...] = (),
        costs: tuple[str, ...] = (),
    ) -> Table:
        frame = _normalise(_without_keys(getattr(counts, name)), [*keys, *counts_], list(costs))
        dims = [*year_mun, *MUNICIPAL_DIMS[name]]
        frame = add_totals(frame, dims, [*keys, *counts_, *costs])
        flags = np.zeros(len(frame), dtype=bool)
        for key in keys:
            flags |= primary(frame, key, k).to_numpy()
        return Table(frame, keys, counts_, costs, flags)

    nb = _without_keys(counts.neighbourhood_segments)
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


def build_report(
    counts: Counts, *, threshold: int = DEFAULT_THRESHOLD, method: str = EXACT
) -> dict[str, Any]:
    """The regiobeeld as JSON-ready tables, protected by ``method``: ``exact`` leaves nothing
    below ``threshold`` recoverable; ``rounded`` publishes every cell with the cell-key method
    (``counts`` must then hold the cells' keys: ``compute_counts(secret=...)``)."""
    if method not in METHODS:
        raise ValueError(f"unknown protection method {method!r}; choose one of {METHODS}")
    if method == ROUNDED:
        frames, disclosure = _rounded_frames(counts)
    else:
        frames, disclosure = _suppressed_frames(counts, threshold)
    return _assemble(counts, frames, threshold, disclosure, method)


def _suppressed_frames(
    counts: Counts, k: int
) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Every table with its small counts hidden, after the disclosure audit."""
    pub = publication(counts, threshold=k)
    _presuppress(pub)
    audit = pub.protect()
    frames = {
        name: _hide(
            table.frame,
            pd.Series(table.hidden, index=table.frame.index),
            [c for c in table.columns if c in table.frame.columns],
        )
        for name, table in pub.tables.items()
    }
    disclosure = {
        "method": EXACT,
        "passed": not audit.findings,
        "threshold": k,
        "count_protection": pub.count_protection,
        "cost_protection": pub.cost_protection,
        "hidden_rows": audit.hidden_rows,
        "cells_checked": audit.checked,
        # tables withheld for a whole year because hiding single rows could not protect them
        "withheld": [{"table": t, "year": y} for t, y in audit.withheld],
    }
    return frames, disclosure


def _rounded_frames(counts: Counts) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """Every table perturbed by the cell-key method (see ``cellkey``); nothing is hidden."""
    frames = rounded_tables(counts)
    disclosure = {
        "method": ROUNDED,
        "passed": True,
        "max_noise": MAX_NOISE,
        "cost_noise": COST_NOISE,
        "hidden_rows": 0,
    }
    return frames, disclosure


def _assemble(
    counts: Counts,
    frames: dict[str, pd.DataFrame],
    k: int,
    disclosure: dict[str, Any],
    method: str,
) -> dict[str, Any]:
    """Rates from the published counts, and the report."""
    pop = frames["population"]
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

    pyr = frames["pyramid"]
    prev = frames["prevalence"]
    prev["per_1000"] = _rate(prev["persons"], denominator(prev), 1000)
    multi = frames["multimorbidity"]
    multi["percent"] = _rate(multi["persons"], denominator(multi), 100)
    seg = frames["segments"]
    seg["percent"] = _rate(seg["persons"], denominator(seg), 100)
    seg["cost_per_person"] = _rate(seg["cost"], seg["persons"], 1)
    use = frames["care_use"]
    use["per_1000"] = _rate(use["events"], denominator(use), 1000)
    readm = frames["readmissions"]
    readm["readmission_percent"] = _rate(readm["readmissions"], readm["admissions"], 100)
    readm["admissions_per_1000"] = _rate(readm["admissions"], denominator(readm), 1000)
    cost = frames["costs"]
    cost["per_capita"] = _rate(cost["cost"], denominator(cost), 1)
    cost["unknown_cost_percent"] = _rate(cost["events_without_cost"], cost["events"], 100)
    nb = frames["neighbourhoods"]
    nb_seg = frames["neighbourhood_segments"]
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
    # Standardised figures rest on exact counts per sex and age band: with rounded counts they
    # would give the exact counts, and so the deviations, away. They are published only exact.
    standardised = (
        _standardised(counts, k, pop, pyr, prev, multi, use, cost) if method == EXACT else []
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
        # region-wide figures for a shared-savings settlement (``settlement``)
        "settlement": published_settlement(
            counts.settlement,
            k,
            {
                (int(r.year), str(r.stream))
                for r in cost.itertuples()
                if r.municipality == TOTAL and not r.suppressed and not pd.isna(r.per_capita)
            },
            rounded=method == ROUNDED,
        ),
        "disclosure": disclosure,
    }


def _standardised(
    counts: Counts,
    k: int,
    pop: pd.DataFrame,
    pyr: pd.DataFrame,
    prev: pd.DataFrame,
    multi: pd.DataFrame,
    use: pd.DataFrame,
    cost: pd.DataFrame,
) -> list[dict[str, Any]]:
    # a standardised figure of a count that is hidden (also by secondary suppression) is hidden
    hidden_counts = (
        _hidden(prev, prev["condition"])
        | _hidden(multi, "multimorbidity")
        | _hidden(use, "care:" + use["kind"])
        | _hidden(cost, "zvw_cost", where=cost["stream"] == "Zvw")
        | _hidden(pop, "zvw_cost")
    )
    return standardised_rows(
        counts.by_age,
        counts.prevalence_by_age,
        counts.care_use_by_age,
        threshold=k,
        hidden_pyramids={(y, m) for y, m, _indicator in _hidden(pyr, "")},
        hidden_counts=hidden_counts,
        national_zvw=national_zvw_by_band(national_zvw_rates(), national_insured_years()),
    )
