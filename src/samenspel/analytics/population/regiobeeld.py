"""The regiobeeld: Triple Aim indicators per year and municipality, as Ibis expressions.

Definitions (also in docs/population.md):

- A person counts in year Y when born in or before Y and alive on 1 January of Y, and, when the
  data give an observation period (observed_from, observed_to), observed at some time in Y.
- Age is Y minus the year of birth; age bands of five years, 85+ last.
- A condition is present in Y when it started on or before 31 December of Y.
- Multimorbidity: two or more conditions present.
- Segments (first rule that applies): end of life (dies in Y); frail elderly (75+ and dementia,
  a Wlz stay in Y, or three or more conditions); complex chronic (three or more conditions, or two
  or more with a hospital admission in Y); chronic stable (one or two conditions); healthy.
- Care use per 1,000: events of each kind in Y per 1,000 persons counted in Y.
- 30-day readmission: a hospital admission within 30 days after the person's previous
  admission (admission dates; the first admission in the data has none before it).
- Cost per capita per financing stream: total cost of events in Y per person counted in Y; events
  without a known cost add nothing, and their number is published beside the cost.
- Exposure (person-years, the insured-years of Vektis): the share of Y a counted person was alive
  and observed, from 1 January (or the start of observation) to 31 December (or death, or the end
  of observation), both days included. A person born in Y counts half a year, the mean over births
  spread evenly through the year (the data give the year of birth only).

Counts are computed per municipality; region totals are their sums (every person belongs to one
municipality). Rates and suppression are applied afterwards (``suppression.py``).

Every count is a sum over persons, so on DuckDB a dataset too large for the memory limit is
computed in partitions of persons (by a hash of the person id, which puts a person's conditions and
events in the same partition as the person) and the partitions' counts are added up: memory stays
flat whatever the number of persons.
"""

from __future__ import annotations

import math
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import pandas as pd
from ibis import _

from .cellkey import record_key
from .contract import CONDITIONS
from .engine import Tables
from .limits import memory_limit_bytes, work_dir
from .settlement import settlement_costs

AGE_BANDS = (*tuple(f"{lo}-{lo + 4}" for lo in range(0, 85, 5)), "85+")
SEGMENTS = ("healthy", "chronic_stable", "complex_chronic", "frail_elderly", "end_of_life")
UNKNOWN_NEIGHBOURHOOD = "unknown"  # persons whose neighbourhood is not in the data


@dataclass
class Counts:
    """Raw counts per year and municipality (before rates and suppression)."""

    population: pd.DataFrame  # year, municipality, persons
    pyramid: pd.DataFrame  # year, municipality, age_band, sex, persons
    prevalence: pd.DataFrame  # year, municipality, condition, persons
    multimorbidity: pd.DataFrame  # year, municipality, persons
    segments: pd.DataFrame  # year, municipality, segment, persons, cost
    care_use: pd.DataFrame  # year, municipality, kind, events, persons
    readmissions: pd.DataFrame  # year, municipality, admissions, readmissions, persons
    costs: pd.DataFrame  # year, municipality, stream, cost, persons, events, events_without_cost
    # year, municipality, sex, age_class, persons, multimorbid, zvw_cost, exposure (person-years)
    by_age: pd.DataFrame
    prevalence_by_age: pd.DataFrame  # year, municipality, sex, age_class, condition, persons
    care_use_by_age: pd.DataFrame  # year, municipality, sex, age_class, kind, events, persons
    # year, municipality, neighbourhood, segment, persons (empty when no neighbourhood is known)
    neighbourhood_segments: pd.DataFrame = field(default_factory=pd.DataFrame)
    # year, stream, persons, cost, cap, truncated, capped, squares, removed, largest_removed
    # (``settlement``: over the whole region, not per municipality)
    settlement: pd.DataFrame = field(default_factory=pd.DataFrame)


# What one partition may hold per person and per care event, in bytes of DuckDB's memory limit.
# Measured on the synthetic region: a million persons with 29 million care events are counted
# within 512 MB but not within 256 MB; these rates give such a partition 1 GB.
BYTES_PER_PERSON = 1_000
BYTES_PER_EVENT = 32
# the columns that are sums over persons; every other column of a count table is a key
SUMMED = frozenset(
    {"persons", "cost", "events", "admissions", "readmissions", "events_without_cost",
     "multimorbid", "zvw_cost", "exposure", "key"}
)  # fmt: skip


# what the counts need of a person-year, and of a person-year's events of one kind and stream
PERSON_YEAR_COLUMNS = (
    "person_id", "year", "municipality", "neighbourhood", "sex", "age", "age_band", "age_class",
    "dies", "exposure", "rkey",
)  # fmt: skip
EVENT_COLUMNS = (
    "person_id", "year", "municipality", "sex", "age_class", "kind", "stream", "events", "cost",
    "uncosted", "rkey",
)  # fmt: skip


@ibis.udf.scalar.builtin(name="hash")  # type: ignore[untyped-decorator]  # ibis has no hints
def _hash(value: str) -> dt.uint64:
    """DuckDB's hash of a value: the same person id gives the same number in every table."""


def _age_class(age: Any) -> Any:
    """Index of the age band, as in the pyramid: 0 (0-4) … 17 (85+)."""
    return ibis.least(age // 5, len(AGE_BANDS) - 1).cast("int32")


def _age_band(age: Any) -> Any:
    cases = [(age < lo + 5, f"{lo}-{lo + 4}") for lo in range(0, 85, 5)]
    return ibis.cases(*cases, else_="85+")


def year_table(tables: Tables, years: list[int]) -> Any:
    """The years to count, as a table. It comes from the events table itself (not an in-memory
    table), so that it can be materialised with .cache() on every backend, PySpark included."""
    events = tables.care_events
    return (
        events.select(year=events.date.year().cast("int32"))
        .distinct()
        .filter(_.year.isin([int(y) for y in years]))
    )


def person_years(tables: Tables, years_table: Any) -> Any:
    """One row per person and year of ``years_table`` counted (see the definitions above)."""
    joined = tables.persons.cross_join(years_table)
    alive = joined.filter(
        (_.birth_year <= _.year)
        & (_.death_date.isnull() | (_.death_date >= ibis.date(_.year, 1, 1)))
        & (_.observed_from.isnull() | (_.observed_from <= ibis.date(_.year, 12, 31)))
        & (_.observed_to.isnull() | (_.observed_to >= ibis.date(_.year, 1, 1)))
    )
    return alive.mutate(
        rkey=_.rkey if "rkey" in tables.persons.columns else ibis.literal(0, "int64"),
        age=(_.year - _.birth_year).cast("int32"),
        dies=(_.death_date.year() == _.year).fill_null(False),
        exposure=_exposure(),
    ).mutate(age_band=_age_band(_.age))


def _exposure() -> Any:
    """The share of the year a person counted in it was alive and observed (see above)."""
    first, last = ibis.date(_.year, 1, 1), ibis.date(_.year, 12, 31)
    start = ibis.greatest(first, _.observed_from.fill_null(first))
    end = ibis.least(last, _.death_date.fill_null(last), _.observed_to.fill_null(last))
    share = (end.delta(start, unit="day") + 1).cast("float64") / (
        last.delta(first, unit="day") + 1
    ).cast("float64")
    return ibis.cases((_.birth_year == _.year, share * 0.5), else_=share)


class _Work:
    """Intermediate results of one computation, dropped by ``clear()``."""

    def __init__(self, con: Any) -> None:
        self.con = con
        self.names: list[str] = []

    def keep(self, expr: Any) -> Any:
        """Compute ``expr`` once on the backend. On DuckDB it becomes a temporary table, which
        DuckDB moves to the spill folder when memory runs short (a table in the database file
        would be compressed on every write, which costs more than the spilling); elsewhere, a
        cache."""
        if _is_duckdb(self.con):
            name = f"work_{uuid.uuid4().hex}"
            self.con.create_table(name, expr, temp=True)
            self.names.append(name)
            return self.con.table(name)
        return expr.cache()

    def drop(self, *tables: Any) -> None:
        """Free what ``keep`` made of these, once nothing reads them any more (on DuckDB)."""
        for table in tables:
            if _is_duckdb(self.con) and table.get_name() in self.names:
                self.names.remove(table.get_name())
                self.con.drop_table(table.get_name(), force=True)

    def clear(self) -> None:
        for name in self.names:
            self.con.drop_table(name, force=True)
        self.names.clear()


def _is_duckdb(con: Any) -> bool:
    return getattr(con, "name", "") == "duckdb"


def partitions_needed(con: Any, tables: Tables) -> int:
    """How many partitions of persons keep every step within DuckDB's memory limit (one on
    other engines, which distribute the work themselves)."""
    if not _is_duckdb(con):
        return 1
    limit = memory_limit_bytes()
    persons = int(tables.persons.count().execute())
    events = int(tables.care_events.count().execute())
    need = max(persons * BYTES_PER_PERSON, events * BYTES_PER_EVENT)
    return max(1, math.ceil(need / limit))


def _split(con: Any, tables: Tables, parts: int, folder: Path) -> Iterator[Tables]:
    """The tables in ``parts`` partitions of persons. Each table is written once to Parquet
    files per partition in ``folder`` (one pass over the data, in bounded memory), so that a
    partition reads only its own rows."""
    if parts == 1:
        yield tables
        return
    # the counts do not use the provider of an event: it is not written
    tables = Tables(tables.persons, tables.conditions, tables.care_events.drop("provider_id"))
    for name, table in vars(tables).items():
        con.to_parquet(
            table.mutate(part=_hash(table.person_id) % parts), folder / name, partition_by="part"
        )
    for k in range(parts):
        yield Tables(
            *(
                _read_part(con, folder / name / f"part={k}", table)
                for name, table in vars(tables).items()
            )
        )


def _read_part(con: Any, folder: Path, table: Any) -> Any:
    """One partition of ``table``; a partition without rows (no files) is an empty table."""
    if not any(folder.glob("*.parquet")):
        return table.limit(0)
    part = con.read_parquet(str(folder / "*.parquet"), hive_partitioning=False)
    return part.select(*table.columns)


def add_counts(parts: list[Counts]) -> Counts:
    """The counts of disjoint sets of persons added up (each table keeps its order)."""
    if len(parts) == 1:
        return parts[0]
    added = {}
    for item in fields(Counts):
        frame = pd.concat([getattr(part, item.name) for part in parts], ignore_index=True)
        keys = [c for c in frame.columns if c not in SUMMED]
        added[item.name] = (
            frame.groupby(keys, sort=True, dropna=False, as_index=False).sum() if keys else frame
        )
    return Counts(**added)


def with_record_keys(tables: Tables, secret: str | None) -> Tables:
    """The tables with each person's record key (``rkey``), when a ``secret`` is given."""
    if secret is None or "rkey" in tables.persons.columns:
        return tables
    persons = tables.persons.mutate(rkey=record_key(tables.persons.person_id, secret))
    return Tables(persons, tables.conditions, tables.care_events)


def observed_years(tables: Tables) -> list[int]:
    """The calendar years that have care events."""
    e = tables.care_events
    years = e.select(year=e.date.year()).distinct().order_by("year").to_pyarrow()
    return [int(y) for y in years.column("year").to_pylist() if y is not None]


def compute_counts(
    con: Any,
    tables: Tables,
    years: list[int] | None = None,
    *,
    partitions: int | None = None,
    secret: str | None = None,
    settlement: bool = True,
) -> Counts:
    """Run every aggregation on the backend ``con`` and return the counts as pandas frames;
    in ``partitions`` of persons (by default as many as the memory limit needs).

    With a ``secret``, every count table also holds ``key``: the sum of its persons' record
    keys (``cellkey``), from which a rounded release perturbs the cell. Without
    ``settlement`` the truncated costs (``settlement``) are left out."""
    years = years or observed_years(tables)
    parts = partitions or partitions_needed(con, tables)
    tables = with_record_keys(tables, secret)
    work = _Work(con)
    years_table = work.keep(
        ibis.memtable({"year": years}, schema={"year": "int32"})
        if _is_duckdb(con)
        else year_table(tables, years)
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="partitions-", dir=work_dir()) as folder:
        for part in _split(con, tables, parts, Path(folder)):
            step = _Work(con)
            try:
                results.append(_count_part(con, step, part, years_table))
            finally:
                step.clear()
    counts = add_counts(results)
    if settlement:  # a percentile needs every person at once: the whole tables, not a partition
        counts.settlement = con.execute(
            settlement_costs(tables, person_years(tables, years_table)).order_by(
                ["year", "stream"]
            )
        ).reset_index(drop=True)
    work.clear()
    if secret is None:  # no record keys: the cells have none either
        for item in fields(Counts):
            frame = getattr(counts, item.name)
            setattr(counts, item.name, frame.drop(columns="key", errors="ignore"))
    nb = counts.neighbourhood_segments
    if set(nb["neighbourhood"]) <= {UNKNOWN_NEIGHBOURHOOD}:
        counts.neighbourhood_segments = nb.iloc[0:0]
    return counts


def _count_part(con: Any, work: _Work, tables: Tables, years_table: Any) -> Counts:
    """Every count of one set of persons."""

    def run(expr: Any, order: list[str]) -> pd.DataFrame:
        frame = con.execute(expr.order_by(order))
        return frame.reset_index(drop=True)

    # materialised: the planner then knows its size (as an expression over a cross join it
    # guesses wrong, and builds the join on the far larger events table)
    py = work.keep(
        person_years(tables, years_table)
        .mutate(age_class=_age_class(_.age))
        .select(*PERSON_YEAR_COLUMNS)
    )
    keys = ["year", "municipality"]

    conditions = tables.conditions
    # One row per person, year and condition present (a condition may be listed twice): the
    # counts of conditions below are then plain counts.
    cond_py = (
        py.select("person_id", "year", "municipality", "rkey")
        .join(conditions, "person_id")
        .filter(_.start_date <= ibis.date(_.year, 12, 31))
        .select("person_id", "year", "municipality", "condition", "rkey")
        .distinct()
    )
    cond_py = work.keep(cond_py)
    per_py_cond = work.keep(
        cond_py.group_by(["person_id", "year"]).aggregate(
            n_conditions=_.count(),
            dementia=(_.condition == "dementia").any(),
        ),
    )

    # One pass over the (large) events table, joined to the person-years for the municipality,
    # sex and age class: per person, year, kind and stream, materialised once on the backend.
    # Care use, cost and the person-year profile all derive from this much smaller table.
    events = tables.care_events.mutate(year=_.date.year().cast("int32"))
    # aggregated first, then joined: the join sees one row per person, year, kind and stream
    ev_py = (
        events.group_by(["person_id", "year", "kind", "stream"])
        .aggregate(
            events=_.count(),
            cost=_.cost.sum().fill_null(0.0),
            uncosted=_.count() - _.cost.count(),
        )
        .join(
            py.select("person_id", "year", "municipality", "sex", "age_class", "rkey"),
            ["person_id", "year"],
        )
        .select(*EVENT_COLUMNS)
    )
    ev_py = work.keep(ev_py)
    per_py_events = work.keep(
        ev_py.group_by(["person_id", "year"]).aggregate(
            cost=_.cost.sum(),
            zvw=_.cost.sum(where=_.stream == "Zvw"),
            admissions=_.events.sum(where=_.kind == "hospital_admission"),
            wlz=(_.kind == "wlz_stay").any(),
        ),
    )
    # Persons with an event of a stream or kind: distinct persons (a person-year has a row per
    # kind and stream); within a partition that fits the memory limit (measured: a million
    # persons count within 512 MB), and faster than aggregating per person first.
    costs = run(
        ev_py.group_by([*keys, "stream"]).aggregate(
            cost=_.cost.sum(),
            persons=_.person_id.nunique(),
            events=_.events.sum(),
            events_without_cost=_.uncosted.sum(),
            key=_.rkey.sum(),
        ),
        [*keys, "stream"],
    )
    age_keys = [*keys, "sex", "age_class"]
    care_use_by_age = run(
        ev_py.group_by([*age_keys, "kind"]).aggregate(
            events=_.events.sum(), persons=_.person_id.nunique(), key=_.rkey.sum()
        ),
        [*age_keys, "kind"],
    )
    work.drop(ev_py)  # the largest intermediate table: freed before the next is made

    keys_py = ["person_id", "year"]
    enriched = (
        py.left_join(per_py_cond, keys_py)
        .drop("person_id_right", "year_right")
        .left_join(per_py_events, keys_py)
        .drop("person_id_right", "year_right")
        .mutate(
            n_conditions=_.n_conditions.fill_null(0),
            dementia=_.dementia.fill_null(False),
            cost=_.cost.fill_null(0.0),
            zvw=_.zvw.fill_null(0.0),
            admissions=_.admissions.fill_null(0),
            wlz=_.wlz.fill_null(False),
        )
    )
    segmented = enriched.mutate(
        segment=ibis.cases(
            (_.dies, "end_of_life"),
            ((_.age >= 75) & (_.dementia | _.wlz | (_.n_conditions >= 3)), "frail_elderly"),
            (
                (_.n_conditions >= 3) | ((_.n_conditions >= 2) & (_.admissions > 0)),
                "complex_chronic",
            ),
            (_.n_conditions >= 1, "chronic_stable"),
            else_="healthy",
        )
    ).drop("dementia", "admissions", "wlz", "age_band")
    segmented = work.keep(segmented)
    work.drop(per_py_cond, per_py_events)

    admissions = tables.care_events.filter(_.kind == "hospital_admission")
    window = ibis.window(group_by=_.person_id, order_by=_.date)
    admissions = (
        admissions.mutate(previous=_.date.lag().over(window))
        .mutate(
            gap=_.date.delta(_.previous, unit="day"),
            year=_.date.year().cast("int32"),
        )
        .mutate(readmission=((_.gap >= 0) & (_.gap <= 30)).fill_null(False))
    )
    adm_py = admissions.join(
        py.select("person_id", "year", "municipality", "rkey"), ["person_id", "year"]
    )

    population = run(py.group_by(keys).aggregate(persons=_.count(), key=_.rkey.sum()), keys)
    pyramid = run(
        py.group_by([*keys, "age_band", "sex"]).aggregate(persons=_.count(), key=_.rkey.sum()),
        [*keys, "age_band", "sex"],
    )
    prevalence = run(
        cond_py.group_by([*keys, "condition"]).aggregate(persons=_.count(), key=_.rkey.sum()),
        [*keys, "condition"],
    )
    multimorbidity = run(
        segmented.filter(_.n_conditions >= 2)
        .group_by(keys)
        .aggregate(persons=_.count(), key=_.rkey.sum()),
        keys,
    )
    segments = run(
        segmented.group_by([*keys, "segment"]).aggregate(
            persons=_.count(), cost=_.cost.sum(), key=_.rkey.sum()
        ),
        [*keys, "segment"],
    )
    readmissions = run(
        adm_py.group_by(keys).aggregate(
            admissions=_.count(),
            readmissions=_.readmission.sum(),
            persons=_.person_id.nunique(),
            key=_.rkey.sum(),
        ),
        keys,
    )
    # Per sex and age band of the pyramid (85+ last), for standardisation: persons, multimorbidity,
    # Zvw cost, each condition and each kind of care.
    by_age = run(
        segmented.group_by(age_keys).aggregate(
            persons=_.count(),
            multimorbid=(_.n_conditions >= 2).sum(),
            zvw_cost=_.zvw.sum(),
            exposure=_.exposure.sum(),
        ),
        age_keys,
    )
    sex_and_age = py.select("person_id", "year", "sex", "age_class")
    prevalence_by_age = run(
        cond_py.join(sex_and_age, keys_py)
        .group_by([*age_keys, "condition"])
        .aggregate(persons=_.count()),
        [*age_keys, "condition"],
    )
    # every person-year has one sex and age class: care use is its sum over them
    care_use = (
        care_use_by_age.groupby([*keys, "kind"], as_index=False)[["events", "persons", "key"]]
        .sum()
        .sort_values([*keys, "kind"], kind="stable")
        .reset_index(drop=True)
    )
    by_neighbourhood = segmented.mutate(
        neighbourhood=_.neighbourhood.fill_null(UNKNOWN_NEIGHBOURHOOD)
    )
    nb_keys = [*keys, "neighbourhood", "segment"]
    neighbourhood_segments = run(
        by_neighbourhood.group_by(nb_keys).aggregate(persons=_.count(), key=_.rkey.sum()),
        nb_keys,
    )
    return Counts(
        population,
        pyramid,
        prevalence,
        multimorbidity,
        segments,
        care_use,
        readmissions,
        costs,
        by_age,
        prevalence_by_age,
        care_use_by_age,
        neighbourhood_segments,
    )


__all__ = [
    "AGE_BANDS",
    "CONDITIONS",
    "SEGMENTS",
    "Counts",
    "add_counts",
    "compute_counts",
    "partitions_needed",
    "person_years",
]
