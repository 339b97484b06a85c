"""Benchmark: the full regiobeeld for a synthetic region (default 1,000,000 persons) on DuckDB.

Measured in the same run:
- ours: every regiobeeld table through the Ibis expressions on DuckDB (+ suppression);
- (a) pandas: the same eight tables of counts written in plain pandas; its results must equal ours;
- (b) bare SQL: one hand-written DuckDB SQL statement computing the core aggregation — per year
  and municipality the population, persons and cost per segment, events and persons per kind of
  care, and cost and persons per financing stream (four of our eight tables).

Prints seconds, peak memory of each path (run in its own process) and the ratios. Usage:

    .venv/bin/python benchmarks/regiobeeld_bench.py [--persons 1000000] [--data DIR]
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(folder: str) -> dict[str, Any]:
    from samenspel.analytics.population.engine import connect, load
    from samenspel.analytics.population.regiobeeld import compute_counts
    from samenspel.analytics.population.report import build_report

    start = time.perf_counter()
    con = connect("duckdb")
    counts = compute_counts(con, load(con, Path(folder), "duckdb"))
    build_report(counts)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "counts": {k: v.to_json(orient="split") for k, v in vars(counts).items()},
    }


AGE_EDGES = list(range(0, 90, 5))


def run_pandas(folder: str) -> dict[str, Any]:
    start = time.perf_counter()
    d = Path(folder)
    persons = pd.read_parquet(d / "persons.parquet")
    conditions = pd.read_parquet(d / "conditions.parquet")
    events = pd.read_parquet(d / "care_events.parquet")
    events["year"] = pd.to_datetime(events["date"]).dt.year.astype("int32")
    years = sorted(events["year"].unique())
    death = pd.to_datetime(persons["death_date"])
    frames = []
    for y in years:
        alive = (persons["birth_year"] <= y) & (death.isna() | (death >= pd.Timestamp(y, 1, 1)))
        part = persons.loc[alive, ["person_id", "birth_year", "sex", "municipality"]].copy()
        part["year"] = np.int32(y)
        part["dies"] = (death[alive].dt.year == y).fillna(False).to_numpy()
        frames.append(part)
    py = pd.concat(frames, ignore_index=True)
    py["age"] = py["year"] - py["birth_year"]
    labels = [f"{lo}-{lo + 4}" for lo in range(0, 85, 5)] + ["85+"]
    py["age_band"] = pd.cut(py["age"], bins=[*AGE_EDGES, 10**6], right=False, labels=labels).astype(
        str
    )
    keys = ["year", "municipality"]
    population = py.groupby(keys).size().rename("persons").reset_index()
    pyramid = py.groupby([*keys, "age_band", "sex"]).size().rename("persons").reset_index()
    cond = py[["person_id", "year", "municipality"]].merge(conditions, on="person_id")
    cond = cond[
        pd.to_datetime(cond["start_date"]) <= pd.to_datetime(cond["year"].astype(str) + "-12-31")
    ]
    prevalence = (
        cond.groupby([*keys, "condition"])["person_id"].nunique().rename("persons").reset_index()
    )
    cond["is_dementia"] = cond["condition"] == "dementia"  # vectorised, no Python per group
    per_cond = cond.groupby(["person_id", "year"]).agg(
        n_conditions=("condition", "nunique"), dementia=("is_dementia", "any")
    )
    ev = events.merge(py[["person_id", "year", "municipality"]], on=["person_id", "year"])
    ev["admission"] = (ev["kind"] == "hospital_admission").astype("int64")
    ev["wlz"] = ev["kind"] == "wlz_stay"
    per_ev = ev.groupby(["person_id", "year"]).agg(
        cost=("cost", "sum"), admissions=("admission", "sum"), wlz=("wlz", "any")
    )
    enriched = py.join(per_cond, on=["person_id", "year"]).join(per_ev, on=["person_id", "year"])
    enriched = enriched.fillna(
        {"n_conditions": 0, "dementia": False, "cost": 0.0, "admissions": 0, "wlz": False}
    )
    n, age = enriched["n_conditions"], enriched["age"]
    frail = (age >= 75) & (
        enriched["dementia"].astype(bool) | enriched["wlz"].astype(bool) | (n >= 3)
    )
    complex_ = (n >= 3) | ((n >= 2) & (enriched["admissions"] > 0))
    enriched["segment"] = np.select(
        [enriched["dies"], frail, complex_, n >= 1],
        ["end_of_life", "frail_elderly", "complex_chronic", "chronic_stable"],
        "healthy",
    )
    multimorbidity = enriched[n >= 2].groupby(keys).size().rename("persons").reset_index()
    segments = (
        enriched.groupby([*keys, "segment"])
        .agg(persons=("person_id", "size"), cost=("cost", "sum"))
        .reset_index()
    )
    care_use = (
        ev.groupby([*keys, "kind"])
        .agg(events=("person_id", "size"), persons=("person_id", "nunique"))
        .reset_index()
    )
    adm = events[events["kind"] == "hospital_admission"].sort_values(["person_id", "date"])
    previous = adm.groupby("person_id")["date"].shift()
    gap = (pd.to_datetime(adm["date"]) - pd.to_datetime(previous)).dt.days
    adm = adm.assign(readmission=(gap >= 0) & (gap <= 30))
    adm = adm.merge(py[["person_id", "year", "municipality"]], on=["person_id", "year"])
    readmissions = (
        adm.groupby(keys)
        .agg(
            admissions=("person_id", "size"),
            readmissions=("readmission", "sum"),
            persons=("person_id", "nunique"),
        )
        .reset_index()
    )
    costs = (
        ev.groupby([*keys, "stream"])
        .agg(cost=("cost", "sum"), persons=("person_id", "nunique"))
        .reset_index()
    )
    seconds = time.perf_counter() - start
    counts = {
        "population": population,
        "pyramid": pyramid,
        "prevalence": prevalence,
        "multimorbidity": multimorbidity,
        "segments": segments,
        "care_use": care_use,
        "readmissions": readmissions,
        "costs": costs,
    }
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "counts": {k: v.to_json(orient="split") for k, v in counts.items()},
    }


def bare_sql(folder: str) -> str:
    d = folder.replace("'", "''")
    return f"""
WITH years AS (SELECT DISTINCT year(date)::INT AS year FROM '{d}/care_events.parquet'),
py AS (
  SELECT p.person_id, y.year, p.municipality, y.year - p.birth_year AS age,
         coalesce(year(p.death_date) = y.year, false) AS dies
  FROM '{d}/persons.parquet' p CROSS JOIN years y
  WHERE p.birth_year <= y.year
    AND (p.death_date IS NULL OR p.death_date >= make_date(y.year, 1, 1))),
cond AS (
  SELECT py.person_id, py.year, count(DISTINCT c.condition) AS n,
         bool_or(c.condition = 'dementia') AS dementia
  FROM py JOIN '{d}/conditions.parquet' c USING (person_id)
  WHERE c.start_date <= make_date(py.year, 12, 31) GROUP BY 1, 2),
ev AS (
  SELECT e.person_id, year(e.date)::INT AS year, py.municipality, e.kind, e.stream,
         count(*) AS events, sum(e.cost) AS cost
  FROM '{d}/care_events.parquet' e JOIN py ON py.person_id = e.person_id
                                           AND py.year = year(e.date)
  GROUP BY ALL),
pe AS (
  SELECT person_id, year, sum(cost) AS cost,
         sum(events) FILTER (kind = 'hospital_admission') AS admissions,
         bool_or(kind = 'wlz_stay') AS wlz
  FROM ev GROUP BY 1, 2),
seg AS (
  SELECT py.year, py.municipality,
    CASE WHEN py.dies THEN 'end_of_life'
         WHEN py.age >= 75 AND (coalesce(cond.dementia, false) OR coalesce(pe.wlz, false)
              OR coalesce(cond.n, 0) >= 3) THEN 'frail_elderly'
         WHEN coalesce(cond.n, 0) >= 3 OR (coalesce(cond.n, 0) >= 2
              AND coalesce(pe.admissions, 0) > 0) THEN 'complex_chronic'
         WHEN coalesce(cond.n, 0) >= 1 THEN 'chronic_stable' ELSE 'healthy' END AS segment,
    coalesce(pe.cost, 0) AS cost
  FROM py LEFT JOIN cond USING (person_id, year) LEFT JOIN pe USING (person_id, year))
SELECT 'population' AS tab, year, municipality, NULL AS item, count(*) AS persons,
       NULL::DOUBLE AS amount FROM py GROUP BY ALL
UNION ALL
SELECT 'segment', year, municipality, segment, count(*), sum(cost) FROM seg GROUP BY ALL
UNION ALL
SELECT 'kind', year, municipality, kind, count(DISTINCT person_id), sum(events) FROM ev
GROUP BY ALL
UNION ALL
SELECT 'stream', year, municipality, stream, count(DISTINCT person_id), sum(cost) FROM ev
GROUP BY ALL
"""


def run_sql(folder: str) -> dict[str, Any]:
    import duckdb

    start = time.perf_counter()
    rows = duckdb.connect().execute(bare_sql(folder)).fetchall()
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "rows": len(rows)}


def _in_process(name: str, folder: str, queue: Any) -> None:
    queue.put({"ours": run_ours, "pandas": run_pandas, "sql": run_sql}[name](folder))


def measure(name: str, folder: str) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_in_process, args=(name, folder, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def _same(ours: dict[str, str], theirs: dict[str, str]) -> dict[str, bool]:
    agree = {}
    for table, text in ours.items():
        a = pd.read_json(io.StringIO(text), orient="split")
        b = pd.read_json(io.StringIO(theirs[table]), orient="split")
        keys = [c for c in a.columns if a[c].dtype == object or c == "year"]
        a = a.sort_values(keys).reset_index(drop=True)
        b = b[a.columns].sort_values(keys).reset_index(drop=True)
        try:
            pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=1e-9)
            agree[table] = True
        except AssertionError:
            agree[table] = False
    return agree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--data", type=Path, help="Use this dataset instead of generating one.")
    args = parser.parse_args()
    folder = args.data
    if folder is None:
        from samenspel.analytics.population.synthetic import generate

        folder = Path(tempfile.mkdtemp(prefix="samenspel-bench-"))
        start = time.perf_counter()
        summary = generate(folder, persons=args.persons, seed=42)
        print(
            f"generated {summary.persons:,} persons, {summary.events:,} care events in "
            f"{time.perf_counter() - start:.1f} s"
        )
    results = {name: measure(name, str(folder)) for name in ("ours", "pandas", "sql")}
    for name, label in (
        ("ours", "ours (Ibis on DuckDB, all tables)"),
        ("pandas", "(a) pandas, same tables"),
        ("sql", "(b) bare DuckDB SQL, core aggregation"),
    ):
        r = results[name]
        print(f"{label:<40} {r['seconds']:8.2f} s   peak {r['peak_mb']:8.0f} MB")
    print(
        f"pandas / ours:   {results['pandas']['seconds'] / results['ours']['seconds']:6.2f}x "
        "(target >= 5)"
    )
    print(
        f"ours / bare SQL: {results['ours']['seconds'] / results['sql']['seconds']:6.2f}x "
        "(target <= 2)"
    )
    agree = _same(results["ours"]["counts"], results["pandas"]["counts"])
    print(
        "pandas results equal ours: "
        + ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in agree.items())
    )
    if not all(agree.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
