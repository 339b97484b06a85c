"""Benchmark: the regiobeeld's counts for a synthetic region (default 1,000,000 persons).

Measured in the same run, each in its own process, from the same Parquet files:
- ours: every count table through the Ibis expressions on DuckDB (the eight published tables and
  four more for standardisation and the neighbourhoods), then, timed apart, suppression, the
  disclosure audit and standardisation;
- pandas, vectorised (no Python per group);
- Polars, lazy, collected with its streaming engine;
- one bare DuckDB SQL script computing all eight tables, as it comes (without a memory limit) and
  once more under the memory limit and spill folder ours runs with.

Every baseline's eight tables must equal ours; the script exits non-zero when one does not.
Prints seconds, peak memory and the goals (faster than Polars, at most 1.3x the bare SQL). Usage:

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

import ibis
import numpy as np
import pandas as pd

from samenspel.analytics.population.limits import memory_limit
from samenspel.analytics.population.report import MUNICIPAL_TABLES


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_ours(folder: str) -> dict[str, Any]:
    from samenspel.analytics.population.engine import connect, load
    from samenspel.analytics.population.regiobeeld import compute_counts, person_years
    from samenspel.analytics.population.report import build_report
    from samenspel.analytics.population.settlement import settlement_costs

    start = time.perf_counter()
    con = connect("duckdb")
    tables = load(con, Path(folder), "duckdb")
    # the tables the baselines compute too; the settlement's truncated costs are timed apart
    counts = compute_counts(con, tables, settlement=False)
    seconds = time.perf_counter() - start
    build_report(counts)  # suppression, the disclosure audit, standardisation
    report_seconds = time.perf_counter() - start - seconds
    begun = time.perf_counter()
    years = ibis.memtable({"year": sorted(int(y) for y in counts.population["year"].unique())})
    con.execute(settlement_costs(tables, person_years(tables, years.cast({"year": "int32"}))))
    return {
        "seconds": seconds,
        "report_seconds": report_seconds,
        "settlement_seconds": time.perf_counter() - begun,
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
    ).infer_objects()
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


def bare_sql(folder: str) -> dict[str, str]:
    """One DuckDB SQL script for all eight tables: three shared steps, then one query each."""
    d = folder.replace("'", "''")
    steps = {
        "py": f"""
CREATE TEMP TABLE py AS
SELECT p.person_id, y.year, p.municipality, p.sex, y.year - p.birth_year AS age,
       CASE WHEN y.year - p.birth_year >= 85 THEN '85+'
            ELSE (5 * ((y.year - p.birth_year) // 5))::VARCHAR || '-'
                 || (5 * ((y.year - p.birth_year) // 5) + 4)::VARCHAR END AS age_band,
       coalesce(year(p.death_date) = y.year, false) AS dies
FROM '{d}/persons.parquet' p
CROSS JOIN (SELECT DISTINCT year(date)::INT AS year FROM '{d}/care_events.parquet') y
WHERE p.birth_year <= y.year
  AND (p.death_date IS NULL OR p.death_date >= make_date(y.year, 1, 1))""",
        "cond": f"""
CREATE TEMP TABLE cond AS
SELECT py.person_id, py.year, py.municipality, c.condition
FROM py JOIN '{d}/conditions.parquet' c USING (person_id)
WHERE c.start_date <= make_date(py.year, 12, 31)""",
        "ev": f"""
CREATE TEMP TABLE ev AS
SELECT e.person_id, py.year, py.municipality, e.kind, e.stream,
       count(*) AS events, sum(e.cost) AS cost
FROM '{d}/care_events.parquet' e JOIN py ON py.person_id = e.person_id
                                         AND py.year = year(e.date)
GROUP BY ALL""",
        "seg": """
CREATE TEMP TABLE seg AS
WITH c AS (SELECT person_id, year, count(DISTINCT condition) AS n,
                  bool_or(condition = 'dementia') AS dementia FROM cond GROUP BY 1, 2),
     pe AS (SELECT person_id, year, sum(cost) AS cost,
                   sum(events) FILTER (kind = 'hospital_admission') AS admissions,
                   bool_or(kind = 'wlz_stay') AS wlz FROM ev GROUP BY 1, 2)
SELECT py.year, py.municipality, coalesce(c.n, 0) AS n,
  CASE WHEN py.dies THEN 'end_of_life'
       WHEN py.age >= 75 AND (coalesce(c.dementia, false) OR coalesce(pe.wlz, false)
            OR coalesce(c.n, 0) >= 3) THEN 'frail_elderly'
       WHEN coalesce(c.n, 0) >= 3 OR (coalesce(c.n, 0) >= 2
            AND coalesce(pe.admissions, 0) > 0) THEN 'complex_chronic'
       WHEN coalesce(c.n, 0) >= 1 THEN 'chronic_stable' ELSE 'healthy' END AS segment,
  coalesce(pe.cost, 0) AS cost
FROM py LEFT JOIN c USING (person_id, year) LEFT JOIN pe USING (person_id, year)""",
    }
    tables = {
        "population": "SELECT year, municipality, count(*) AS persons FROM py GROUP BY ALL",
        "pyramid": "SELECT year, municipality, age_band, sex, count(*) AS persons FROM py "
        "GROUP BY ALL",
        "prevalence": "SELECT year, municipality, condition, count(DISTINCT person_id) AS "
        "persons FROM cond GROUP BY ALL",
        "multimorbidity": "SELECT year, municipality, count(*) AS persons FROM seg WHERE n >= 2 "
        "GROUP BY ALL",
        "segments": "SELECT year, municipality, segment, count(*) AS persons, sum(cost) AS cost "
        "FROM seg GROUP BY ALL",
        "care_use": "SELECT year, municipality, kind, sum(events) AS events, "
        "count(DISTINCT person_id) AS persons FROM ev GROUP BY ALL",
        "readmissions": f"""
WITH a AS (
  SELECT person_id, year(date)::INT AS year,
         date - lag(date) OVER (PARTITION BY person_id ORDER BY date) AS gap
  FROM '{d}/care_events.parquet' WHERE kind = 'hospital_admission')
SELECT py.year, py.municipality, count(*) AS admissions,
       count(*) FILTER (gap BETWEEN 0 AND 30) AS readmissions,
       count(DISTINCT a.person_id) AS persons
FROM a JOIN py USING (person_id, year) GROUP BY ALL""",
        "costs": "SELECT year, municipality, stream, sum(cost) AS cost, "
        "count(DISTINCT person_id) AS persons FROM ev GROUP BY ALL",
    }
    return {**{f"step:{k}": v for k, v in steps.items()}, **tables}


def run_sql(folder: str, *, limited: bool = False) -> dict[str, Any]:
    """The bare script; ``limited``: under the memory limit and spill folder ours runs with."""
    import duckdb

    from samenspel.analytics.population.limits import duckdb_config

    start = time.perf_counter()
    con = duckdb.connect(config=duckdb_config() if limited else {})
    counts = {}
    for name, sql in bare_sql(folder).items():
        if name.startswith("step:"):
            con.execute(sql)
        else:
            counts[name] = con.execute(sql).df()
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "counts": {k: v.to_json(orient="split") for k, v in counts.items()},
    }


def run_polars(folder: str) -> dict[str, Any]:
    """The eight tables in Polars, lazily, collected with the streaming engine."""
    import polars as pl

    start = time.perf_counter()
    d = Path(folder)
    persons = pl.scan_parquet(d / "persons.parquet")
    conditions = pl.scan_parquet(d / "conditions.parquet")
    events = pl.scan_parquet(d / "care_events.parquet").with_columns(
        year=pl.col("date").dt.year().cast(pl.Int32)
    )
    years = events.select("year").unique()
    age = pl.col("year") - pl.col("birth_year")
    band = (age // 5 * 5).cast(pl.Utf8) + "-" + (age // 5 * 5 + 4).cast(pl.Utf8)
    py = (
        persons.join(years, how="cross")
        .filter(
            (pl.col("birth_year") <= pl.col("year"))
            & (
                pl.col("death_date").is_null()
                | (pl.col("death_date") >= pl.date(pl.col("year"), 1, 1))
            )
        )
        .with_columns(
            age=age,
            age_band=pl.when(age >= 85).then(pl.lit("85+")).otherwise(band),
            dies=(pl.col("death_date").dt.year() == pl.col("year")).fill_null(False),
        )
    )
    keys = ["year", "municipality"]
    cond = (
        py.select("person_id", "year", "municipality")
        .join(conditions, on="person_id")
        .filter(pl.col("start_date") <= pl.date(pl.col("year"), 12, 31))
    )
    ev = (
        events.join(py.select("person_id", "year", "municipality"), on=["person_id", "year"])
        .group_by(["person_id", *keys, "kind", "stream"])
        .agg(events=pl.len(), cost=pl.col("cost").sum())
    )
    per_cond = cond.group_by(["person_id", "year"]).agg(
        n=pl.col("condition").n_unique(), dementia=(pl.col("condition") == "dementia").any()
    )
    per_ev = ev.group_by(["person_id", "year"]).agg(
        cost=pl.col("cost").sum(),
        admissions=pl.col("events").filter(pl.col("kind") == "hospital_admission").sum(),
        wlz=(pl.col("kind") == "wlz_stay").any(),
    )
    n = pl.col("n").fill_null(0)
    seg = (
        py.join(per_cond, on=["person_id", "year"], how="left")
        .join(per_ev, on=["person_id", "year"], how="left")
        .with_columns(
            segment=pl.when(pl.col("dies"))
            .then(pl.lit("end_of_life"))
            .when(
                (pl.col("age") >= 75)
                & (pl.col("dementia").fill_null(False) | pl.col("wlz").fill_null(False) | (n >= 3))
            )
            .then(pl.lit("frail_elderly"))
            .when((n >= 3) | ((n >= 2) & (pl.col("admissions").fill_null(0) > 0)))
            .then(pl.lit("complex_chronic"))
            .when(n >= 1)
            .then(pl.lit("chronic_stable"))
            .otherwise(pl.lit("healthy")),
            n=n,
            cost=pl.col("cost").fill_null(0.0),
        )
    )
    adm = (
        events.filter(pl.col("kind") == "hospital_admission")
        .sort(["person_id", "date"])
        .with_columns(
            gap=(pl.col("date") - pl.col("date").shift().over("person_id")).dt.total_days()
        )
        .with_columns(readmission=pl.col("gap").is_between(0, 30).fill_null(False))
        .join(py.select("person_id", "year", "municipality"), on=["person_id", "year"])
    )
    plans = {
        "population": py.group_by(keys).agg(persons=pl.len()),
        "pyramid": py.group_by([*keys, "age_band", "sex"]).agg(persons=pl.len()),
        "prevalence": cond.group_by([*keys, "condition"]).agg(
            persons=pl.col("person_id").n_unique()
        ),
        "multimorbidity": seg.filter(pl.col("n") >= 2).group_by(keys).agg(persons=pl.len()),
        "segments": seg.group_by([*keys, "segment"]).agg(
            persons=pl.len(), cost=pl.col("cost").sum()
        ),
        "care_use": ev.group_by([*keys, "kind"]).agg(
            events=pl.col("events").sum(), persons=pl.col("person_id").n_unique()
        ),
        "readmissions": adm.group_by(keys).agg(
            admissions=pl.len(),
            readmissions=pl.col("readmission").sum(),
            persons=pl.col("person_id").n_unique(),
        ),
        "costs": ev.group_by([*keys, "stream"]).agg(
            cost=pl.col("cost").sum(), persons=pl.col("person_id").n_unique()
        ),
    }
    frames = pl.collect_all(list(plans.values()), engine="streaming")
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "counts": {
            name: frame.to_pandas().to_json(orient="split")
            for name, frame in zip(plans, frames, strict=True)
        },
    }


def _in_process(name: str, folder: str, queue: Any) -> None:
    runs = {
        "ours": run_ours,
        "pandas": run_pandas,
        "polars": run_polars,
        "sql": run_sql,
        "sql_limited": lambda folder: run_sql(folder, limited=True),
    }
    queue.put(runs[name](folder))


def measure(name: str, folder: str) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_in_process, args=(name, folder, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


TABLES = MUNICIPAL_TABLES  # the eight tables every baseline computes


def _same(ours: dict[str, str], theirs: dict[str, str]) -> dict[str, bool]:
    """Per table: the same rows and values, on the columns both compute."""
    agree = {}
    for table in TABLES:
        a = pd.read_json(io.StringIO(ours[table]), orient="split")
        b = pd.read_json(io.StringIO(theirs[table]), orient="split")
        columns = [c for c in a.columns if c in b.columns]
        keys = [c for c in columns if a[c].dtype == object or c == "year"]
        a = a[columns].sort_values(keys).reset_index(drop=True)
        b = b[columns].sort_values(keys).reset_index(drop=True)
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
    names = ("ours", "pandas", "polars", "sql", "sql_limited")
    results = {name: measure(name, str(folder)) for name in names}
    labels = {
        "ours": "ours: Ibis on DuckDB, the 8 tables and 4 more",
        "pandas": "pandas, vectorised, the 8 tables",
        "polars": "Polars, lazy and streaming, the 8 tables",
        "sql": "bare DuckDB SQL script, the 8 tables",
        "sql_limited": f"  the same, under our memory limit ({memory_limit()})",
    }
    print(f"{'':<48} {'seconds':>8} {'peak MB':>8}")
    for name in names:
        r = results[name]
        print(f"{labels[name]:<48} {r['seconds']:8.2f} {r['peak_mb']:8.0f}")
    print(
        f"{'  + suppression, audit, standardisation':<48} {results['ours']['report_seconds']:8.2f}"
    )
    print(
        f"{'  + costs truncated at the 99th percentile':<48} "
        f"{results['ours']['settlement_seconds']:8.2f}"
    )
    ours = results["ours"]["seconds"]
    goals = [
        ("faster than Polars", ours < results["polars"]["seconds"],
         f"ours / Polars = {ours / results['polars']['seconds']:.2f}x"),
        ("at most 1.3x the bare SQL", ours <= 1.3 * results["sql"]["seconds"],
         f"ours / SQL = {ours / results['sql']['seconds']:.2f}x"),
        ("  (same memory limit)", ours <= 1.3 * results["sql_limited"]["seconds"],
         f"ours / SQL = {ours / results['sql_limited']['seconds']:.2f}x"),
        ("faster than pandas", ours < results["pandas"]["seconds"],
         f"pandas / ours = {results['pandas']['seconds'] / ours:.2f}x"),
    ]  # fmt: skip
    print("\ngoal                          measured                 met")
    for goal, met, text in goals:
        print(f"{goal:<29} {text:<24} {'yes' if met else 'NO'}")
    wrong = False
    for name in ("pandas", "polars", "sql", "sql_limited"):
        agree = _same(results["ours"]["counts"], results[name]["counts"])
        wrong |= not all(agree.values())
        print(
            f"{name} equals ours: "
            + ", ".join(f"{k}={'yes' if v else 'NO'}" for k, v in agree.items())
        )
    if wrong:
        sys.exit("a baseline computes different numbers: see above")


if __name__ == "__main__":
    main()
