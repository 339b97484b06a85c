"""A Dutch-like synthetic region: persons, chronic conditions and care events over several years.

Calibrated to the reference figures in the design note (population 2023: 21% aged 0-19, 59%
20-64, 20% 65+; diabetes ≈ 6.5%, COPD ≈ 3.1%, heart failure ≈ 1.3%, dementia ≈ 1.6% of all;
multimorbidity ≈ 13% of all and ≈ 37% of 55+; Wlz ≈ €2,050, Wmo ≈ €310 per inhabitant), with
prevalence, care use and cost rising with age. Births bring delivery, maternity care and newborn
care; Zvw costs are calibrated per sex × age class to Vektis's national cost per insured-year for
2023 (within ±15% in every class; ``ZVW_CALIBRATION``). Persons are
generated in chunks and written to Parquet row group by row group, so memory stays bounded
whatever the number of persons. The same seed gives the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .contract import CONDITIONS

MUNICIPALITIES: tuple[tuple[str, str, float], ...] = (
    ("GM0828", "Oss", 0.22),
    ("GM1721", "Bernheze", 0.08),
    ("GM0796", "'s-Hertogenbosch", 0.37),
    ("GM0865", "Vught", 0.07),
    ("GM0845", "Sint-Michielsgestel", 0.07),
    ("GM1991", "Maashorst", 0.12),
    ("GM1982", "Land van Cuijk", 0.05),
    ("GM0797", "Heusden", 0.02),
)

# Births per woman per year by age class 20-24 … 40-44 (a total fertility of about 1.5).
FERTILITY: dict[int, float] = {4: 0.025, 5: 0.075, 6: 0.12, 7: 0.065, 8: 0.012}
BIRTH_ADMISSION_COST = 3_000.0  # delivery and maternity stay
MATERNITY_CARE_COST = 1_900.0  # kraamzorg at home
NEWBORN_ADMISSION = (0.12, 14_500.0)  # share of newborns admitted, mean cost

# Zvw cost multiplier per sex × 5-year age class (0-4 … 90+), so that the Zvw cost per
# person-year matches Vektis's national rate for 2023 (see scripts/calibrate_synthetic.py, which
# derives these from a run of 2,000,000 persons; tests/test_synthetic_calibration.py checks them).
ZVW_CALIBRATION: dict[str, tuple[float, ...]] = {
    "F": (1.547, 1.030, 0.880, 1.103, 1.233, 1.281, 1.325, 1.220, 1.072, 0.965,
          0.943, 0.877, 0.883, 0.873, 0.889, 0.929, 0.986, 1.060, 1.151),
    "M": (1.942, 1.246, 0.964, 0.912, 0.867, 0.852, 0.845, 0.814, 0.800, 0.799,
          0.809, 0.863, 0.920, 0.947, 1.035, 1.085, 1.113, 1.159, 1.250),
}  # fmt: skip

# Condition prevalence by age: cap / (1 + exp(-(age - mid) / scale)), times a person's frailty.
CONDITION_CURVES: dict[str, tuple[float, float, float]] = {
    "diabetes": (0.28, 66, 9.0),
    "copd": (0.21, 72, 8.0),
    "asthma": (0.07, 30, 20.0),
    "heart_failure": (0.20, 78, 6.0),
    "coronary_heart_disease": (0.20, 72, 8.0),
    "hypertension": (0.50, 62, 9.0),
    "stroke": (0.09, 78, 7.0),
    "dementia": (0.45, 84, 5.0),
    "depression": (0.06, 40, 15.0),
    "cancer": (0.14, 72, 9.0),
    "chronic_kidney_disease": (0.16, 78, 7.0),
    "osteoarthritis": (0.36, 70, 9.0),
}
CONDITION_CODES = tuple(CONDITIONS)
NO_DEATH = -(10**6)

PERSON_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("birth_year", pa.int32()),
        ("sex", pa.string()),
        ("municipality", pa.string()),
        ("neighbourhood", pa.string()),
        ("death_date", pa.date32()),
    ]
)
CONDITION_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("condition", pa.string()),
        ("start_date", pa.date32()),
    ]
)
EVENT_SCHEMA = pa.schema(
    [
        ("person_id", pa.string()),
        ("date", pa.date32()),
        ("kind", pa.string()),
        ("provider_id", pa.string()),
        ("stream", pa.string()),
        ("cost", pa.float64()),
    ]
)


@dataclass(frozen=True)
class EventKind:
    kind: str
    stream: str
    mean_cost: float
    provider: str  # which provider family delivers it


EVENT_KINDS: tuple[EventKind, ...] = (
    EventKind("gp_visit", "Zvw", 70.0, "gp"),
    EventKind("medication", "Zvw", 190.0, "pharmacy"),
    EventKind("outpatient_visit", "Zvw", 560.0, "hospital"),
    EventKind("hospital_admission", "Zvw", 14500.0, "hospital"),
    EventKind("ed_visit", "Zvw", 600.0, "hospital"),
    EventKind("home_care", "Zvw", 120.0, "homecare"),
    EventKind("mental_health", "Zvw", 2500.0, "mentalhealth"),
    EventKind("wmo_provision", "Wmo", 3000.0, "municipality"),
    EventKind("wlz_stay", "Wlz", 88000.0, "nursinghome"),
    EventKind("youth_care", "Jeugdwet", 3300.0, "municipality"),
    EventKind("prevention", "Wpg", 60.0, "ggd"),
)


def _ages(rng: np.random.Generator, n: int, reference_year: int) -> np.ndarray:
    """Ages on 1 January of the reference year: 21% 0-19, 59% 20-64, 20% 65+ (declining)."""
    band = rng.choice(3, size=n, p=[0.21, 0.59, 0.20])
    ages = np.empty(n, dtype=np.int64)
    young, adult, old = band == 0, band == 1, band == 2
    ages[young] = rng.integers(0, 20, young.sum())
    ages[adult] = rng.integers(20, 65, adult.sum())
    # 65+: exponential decline with age, truncated at 104
    ages[old] = np.minimum(65 + rng.exponential(9.5, old.sum()).astype(np.int64), 104)
    return ages


def _jan1(years: np.ndarray | int) -> np.ndarray:
    """Days since 1970-01-01 of 1 January of each year (vectorised)."""
    return (
        (np.asarray(years, dtype=np.int64) - 1970)
        .astype("datetime64[Y]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )


def _days_to_date32(days: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(days, dtype=np.int32), type=pa.date32())


@dataclass
class SyntheticSummary:
    persons: int
    conditions: int
    events: int
    years: tuple[int, ...]
    folder: Path


def generate(
    out: Path,
    *,
    persons: int,
    seed: int = 0,
    years: tuple[int, ...] = (2021, 2022, 2023),
    chunk: int = 50_000,
    fmt: str = "parquet",
    progress: Callable[[int, int], None] | None = None,
) -> SyntheticSummary:
    """Write persons, conditions and care_events for ``persons`` people to ``out``."""
    if persons < 1:
        raise ValueError("generate at least one person")
    if fmt not in ("parquet", "csv"):
        raise ValueError("format is parquet or csv")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    writers = {
        "persons": pq.ParquetWriter(out / "persons.parquet", PERSON_SCHEMA),
        "conditions": pq.ParquetWriter(out / "conditions.parquet", CONDITION_SCHEMA),
        "care_events": pq.ParquetWriter(out / "care_events.parquet", EVENT_SCHEMA),
    }
    totals = {"persons": 0, "conditions": 0, "care_events": 0}
    try:
        for offset in range(0, persons, chunk):
            size = min(chunk, persons - offset)
            rng = np.random.default_rng([seed, offset])
            tables = _chunk(rng, offset, size, years, np.random.default_rng([seed, offset, 1]))
            for name, table in tables.items():
                writers[name].write_table(table)
                totals[name] += table.num_rows
            if progress:
                progress(offset + size, persons)
    finally:
        for writer in writers.values():
            writer.close()
    if fmt == "csv":
        import pyarrow.csv as pacsv

        for name in writers:
            table = pq.read_table(out / f"{name}.parquet")
            pacsv.write_csv(table, out / f"{name}.csv")
            (out / f"{name}.parquet").unlink()
    return SyntheticSummary(
        totals["persons"], totals["conditions"], totals["care_events"], years, out
    )


def _births(
    extra: np.random.Generator,
    year: int,
    sex: np.ndarray,
    age: np.ndarray,
    alive: np.ndarray,
) -> list[tuple[np.ndarray, str, str, float]]:
    """Births in ``year``: the mother's delivery and maternity care, the newborn's admission.

    Drawn from their own random stream, so the rest of the region stays as it was.
    Returns (persons, kind, provider family, mean cost) per group of events.
    """
    fertility = np.zeros(len(age))
    for age_class, rate in FERTILITY.items():
        fertility[(age // 5 == age_class) & (sex == "F")] = rate
    mothers = np.flatnonzero(alive & (extra.random(len(age)) < fertility))
    newborn = np.flatnonzero(alive & (age == 0))
    share, cost = NEWBORN_ADMISSION
    admitted = newborn[extra.random(len(newborn)) < share]
    return [
        (mothers, "hospital_admission", "hospital", BIRTH_ADMISSION_COST),
        (mothers, "home_care", "homecare", MATERNITY_CARE_COST),
        (admitted, "hospital_admission", "hospital", cost),
    ]


def _zvw_factor(sex: np.ndarray, age: np.ndarray) -> np.ndarray:
    classes = np.clip(age // 5, 0, 18)
    female = np.asarray(ZVW_CALIBRATION["F"])[classes]
    male = np.asarray(ZVW_CALIBRATION["M"])[classes]
    return cast("np.ndarray", np.where(sex == "F", female, male))


def _chunk(
    rng: np.random.Generator,
    offset: int,
    n: int,
    years: tuple[int, ...],
    extra: np.random.Generator | None = None,
) -> dict[str, pa.Table]:
    first, last = years[0], years[-1]
    ids = np.array([f"P{offset + i:08d}" for i in range(n)], dtype=object)
    ages0 = _ages(rng, n, first)
    birth_year = first - ages0
    # Newborns during the observation years replace some of the youngest.
    newborn = rng.random(n) < 0.01 * (last - first)
    birth_year[newborn] = rng.integers(first, last + 1, newborn.sum())
    sex = np.where(rng.random(n) < 0.505, "F", "M").astype(object)
    weights = np.array([m[2] for m in MUNICIPALITIES])
    mun_index = rng.choice(len(MUNICIPALITIES), size=n, p=weights / weights.sum())
    municipality = np.array([MUNICIPALITIES[i][0] for i in mun_index], dtype=object)
    neighbourhood = np.array(
        [
            f"WK{MUNICIPALITIES[i][0][2:]}{w:02d}"
            for i, w in zip(mun_index, rng.integers(1, 9, n), strict=True)
        ],
        dtype=object,
    )
    frailty = rng.lognormal(0.0, 0.55, n)

    # conditions, present at the end of the last year (start before or during the years)
    age_last = last - birth_year
    cond_person, cond_code, cond_start = [], [], []
    n_cond = np.zeros(n, dtype=np.int64)
    has = {}
    for code in CONDITION_CODES:
        cap, mid, scale = CONDITION_CURVES[code]
        p = cap / (1.0 + np.exp(-(age_last - mid) / scale)) * frailty
        present = rng.random(n) < np.minimum(p, 0.95)
        has[code] = present
        n_cond += present
        idx = np.flatnonzero(present)
        # onset between age 0 (not before birth) and the end of the last year
        onset_age = (rng.random(len(idx)) * age_last[idx]).astype(np.int64)
        start_year = birth_year[idx] + onset_age
        start_ord = _jan1(start_year) + rng.integers(0, 365, len(idx))
        cond_person.append(idx)
        cond_code.append(np.full(len(idx), code, dtype=object))
        cond_start.append(start_ord)

    # deaths: Gompertz mortality by age, raised by conditions and frailty
    death_ord = np.full(n, NO_DEATH, dtype=np.int64)
    alive = np.ones(n, dtype=bool)
    for year in years:
        age = year - birth_year
        q = np.minimum(
            0.00002 * np.exp(0.095 * np.clip(age, 0, 110)) * (1 + 0.35 * n_cond) * frailty**0.5, 0.6
        )
        q[birth_year > year] = 0
        dies = alive & (rng.random(n) < q)
        death_ord[dies] = int(_jan1(year)) + rng.integers(0, 365, dies.sum())
        alive &= ~dies

    # a person's own GP practice, pharmacy, and home care organisation
    practice = np.array(
        [f"GP-{m[2:]}-{k:02d}" for m, k in zip(municipality, rng.integers(1, 7, n), strict=True)],
        dtype=object,
    )
    pharmacy = np.array(
        [f"APO-{m[2:]}-{k}" for m, k in zip(municipality, rng.integers(1, 3, n), strict=True)],
        dtype=object,
    )
    homecare = np.array([f"VVT-{k}" for k in rng.integers(1, 5, n)], dtype=object)
    hospital = np.array([f"ZH-{k}" for k in rng.integers(1, 4, n)], dtype=object)
    provider_of = {
        "gp": practice,
        "pharmacy": pharmacy,
        "homecare": homecare,
        "hospital": hospital,
        "mentalhealth": np.full(n, "GGZ-1", dtype=object),
        "municipality": np.array([f"GEM-{m[2:]}" for m in municipality], dtype=object),
        "nursinghome": np.array([f"VPH-{k}" for k in rng.integers(1, 4, n)], dtype=object),
        "ggd": np.full(n, "GGD-1", dtype=object),
    }

    ev_person, ev_date, ev_kind, ev_provider, ev_stream, ev_cost = [], [], [], [], [], []

    def keep(
        who: np.ndarray, dates: np.ndarray, kind: str, family: str, stream: str, cost: np.ndarray
    ) -> None:
        """Record events, each dated within the part of the year its person was alive."""
        alive_until = np.where(death_ord[who] != NO_DEATH, death_ord[who], dates.max() + 1)
        dates = np.maximum(np.minimum(dates, alive_until), _jan1(birth_year[who]))
        ev_person.append(ids[who])
        ev_date.append(dates)
        ev_kind.append(np.full(len(who), kind, dtype=object))
        ev_provider.append(provider_of[family][who])
        ev_stream.append(np.full(len(who), stream, dtype=object))
        ev_cost.append(np.round(cost, 2))

    for year in years:
        age = year - birth_year
        year_start = int(_jan1(year))
        present = birth_year <= year
        present &= (death_ord == NO_DEATH) | (death_ord >= year_start)
        # fraction of the year alive (death during the year) and born (newborns)
        end = np.where(
            (death_ord >= year_start) & (death_ord < year_start + 365), death_ord - year_start, 365
        )
        exposure = np.where(present, np.clip(end, 1, 365) / 365.0, 0.0)
        exposure[birth_year == year] *= 0.5  # born, on average, half-way through the year
        zvw_factor = _zvw_factor(sex, age)
        c = n_cond
        dementia = has["dementia"]
        old = np.clip(age - 65, 0, None)
        rates = {
            "gp_visit": 2.4 + 0.045 * np.clip(age, 0, None) + 1.4 * c,
            "medication": 0.6 + 3.2 * c + 0.06 * old,
            "outpatient_visit": 0.5 + 0.018 * np.clip(age, 0, None) + 0.55 * c,
            "hospital_admission": 0.025 + 0.0022 * np.clip(age - 40, 0, None) + 0.045 * c,
            "ed_visit": 0.07 + 0.0015 * np.clip(age, 0, None) + 0.04 * c,
            "home_care": np.where(age >= 65, 0.4 * frailty * (1 + c) * (1 + 0.08 * old), 0.0),
            "mental_health": 0.04 + 0.9 * has["depression"],
            "wmo_provision": np.where(age >= 18, 0.035 + 0.022 * old + 0.09 * c, 0.0),
            "wlz_stay": np.where(
                (age >= 70) & (dementia | (c >= 3)),
                0.35 + 0.02 * old,
                np.where(age >= 85, 0.15, 0.0),
            ),
            "youth_care": np.where(age < 18, 0.09, 0.0),
            "prevention": np.where(age < 4, 2.5, np.where(age < 18, 0.3, 0.0)),
        }
        for spec in EVENT_KINDS:
            lam = rates[spec.kind] * exposure
            if spec.kind == "wlz_stay":
                counts = (rng.random(n) < np.minimum(lam, 0.9)).astype(np.int64)
            else:
                counts = rng.poisson(lam)
            total = int(counts.sum())
            if not total:
                continue
            who = np.repeat(np.arange(n), counts)
            day = rng.integers(0, 365, total)
            cost = rng.gamma(2.0, spec.mean_cost / 2.0, total)
            if spec.stream == "Zvw":
                cost = cost * zvw_factor[who]
            keep(who, year_start + day, spec.kind, spec.provider, spec.stream, cost)
        if extra is None:
            continue
        for who, kind, family, mean in _births(extra, year, sex, age, present):
            if not len(who):
                continue
            day = extra.integers(0, 365, len(who))
            cost = extra.gamma(2.0, mean / 2.0, len(who)) * zvw_factor[who]
            keep(who, year_start + day, kind, family, "Zvw", cost)

    persons_table = pa.table(
        {
            "person_id": pa.array(ids, pa.string()),
            "birth_year": pa.array(birth_year.astype(np.int32)),
            "sex": pa.array(sex, pa.string()),
            "municipality": pa.array(municipality, pa.string()),
            "neighbourhood": pa.array(neighbourhood, pa.string()),
            "death_date": pa.array(
                death_ord.astype(np.int32), pa.date32(), mask=death_ord == NO_DEATH
            ),
        },
        schema=PERSON_SCHEMA,
    )
    cond_start_all = np.concatenate(cond_start) if cond_start else np.empty(0, np.int64)
    owner = np.concatenate(cond_person) if cond_person else np.empty(0, np.int64)
    # a condition cannot start after death: clip to the date of death
    died = death_ord[owner] != NO_DEATH
    cond_start_all = np.where(died, np.minimum(cond_start_all, death_ord[owner]), cond_start_all)
    conditions_table = pa.table(
        {
            "person_id": pa.array(ids[owner], pa.string()),
            "condition": pa.array(np.concatenate(cond_code) if cond_code else [], pa.string()),
            "start_date": _days_to_date32(cond_start_all),
        },
        schema=CONDITION_SCHEMA,
    )
    events_table = pa.table(
        {
            "person_id": pa.array(np.concatenate(ev_person), pa.string()),
            "date": _days_to_date32(np.concatenate(ev_date)),
            "kind": pa.array(np.concatenate(ev_kind), pa.string()),
            "provider_id": pa.array(np.concatenate(ev_provider), pa.string()),
            "stream": pa.array(np.concatenate(ev_stream), pa.string()),
            "cost": pa.array(np.concatenate(ev_cost), pa.float64()),
        },
        schema=EVENT_SCHEMA,
    )
    return {"persons": persons_table, "conditions": conditions_table, "care_events": events_table}


def zvw_cost_per_person_year(folder: Path, year: int) -> dict[tuple[str, int], float]:
    """Zvw cost per person-year in ``year`` per (sex, age class) of a generated region.

    A person counts for the part of the year they were alive: half a year in the year of
    birth, up to the date of death in the year of death (as Vektis counts insured-years).
    """
    import duckdb

    persons, events = Path(folder) / "persons.parquet", Path(folder) / "care_events.parquet"
    rows = duckdb.sql(
        f"""
        WITH p AS (
            SELECT person_id, sex, least(({year} - birth_year) // 5, 18) AS age_class,
                   CASE WHEN birth_year = {year} THEN 0.5
                        WHEN year(death_date) = {year} THEN dayofyear(death_date) / 365.0
                        ELSE 1.0 END AS exposure
            FROM read_parquet('{persons}')
            WHERE birth_year <= {year}
              AND (death_date IS NULL OR death_date >= DATE '{year}-01-01')
        ), e AS (
            SELECT person_id, sum(cost) AS zvw
            FROM read_parquet('{events}')
            WHERE stream = 'Zvw' AND year(date) = {year}
            GROUP BY person_id
        )
        SELECT sex, age_class, sum(coalesce(zvw, 0)) / sum(exposure)
        FROM p LEFT JOIN e USING (person_id)
        GROUP BY sex, age_class
        """
    ).fetchall()
    return {(str(sex), int(age)): float(rate) for sex, age, rate in rows}
