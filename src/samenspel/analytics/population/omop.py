"""Map a subset of the OMOP Common Data Model v5.4 to the Samenspel input contract.

Read from one folder (CSV with a header row, or Parquet, named after the OMOP table):
``person``, ``location``, ``observation_period``, ``condition_occurrence``,
``visit_occurrence``, ``drug_exposure``, ``cost``, ``payer_plan_period`` and, when present,
``death``. A table may be empty (a header only).

- persons: ``person.year_of_birth``; ``gender_concept_id`` 8532 → F, 8507 → M, otherwise X;
  municipality from ``location.county`` (or ``location_source_value``) when it is a CBS code
  such as GM0828; neighbourhood from ``location.location_source_value``; ``death.death_date``;
  ``observed_from`` / ``observed_to``: the first start and the last end of the person's
  observation periods, so a person counts only in the years observed (the denominator).
  A person without an observation period is left out together with all of their events;
  both are counted in the summary.
- conditions: ``condition_occurrence`` rows whose ``condition_concept_id`` is listed in
  CONDITION_CONCEPTS (standard SNOMED concepts; descendants are not expanded); the earliest start
  per person and condition.
- care events: visits by ``visit_concept_id`` (VISIT_KINDS) and every drug exposure as
  ``medication``, kept when they fall in one of the person's observation periods (so the years
  of the regiobeeld are the observed ones); the provider is the care site (visits) or the
  prescriber (drugs).
- cost: the sum of ``cost.total_cost`` of the event; an event without a cost row (or with an
  empty ``total_cost``) gets an empty cost, which the regiobeeld shows as unknown, never as €0.
- stream: from the payer plan period's ``payer_source_value``, without regard to case or
  surrounding spaces, by PAYER_STREAMS (Zvw, Wlz, Wmo, Jeugdwet, Wpg and their full names);
  anything else becomes ``other`` and is listed in the summary.

Every error names the OMOP table, the row (as a spreadsheet numbers it: the header is row 1; in
Parquet the first row is row 1) and the column. The output is written as Parquet in the
contract's layout and must then pass validation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .limits import QUIET

OMOP_TABLES = (
    "person",
    "location",
    "observation_period",
    "condition_occurrence",
    "visit_occurrence",
    "drug_exposure",
    "cost",
    "payer_plan_period",
)

CONDITION_CONCEPTS: dict[int, str] = {
    201826: "diabetes",
    201254: "diabetes",
    255573: "copd",
    317009: "asthma",
    316139: "heart_failure",
    317576: "coronary_heart_disease",
    4329847: "coronary_heart_disease",
    320128: "hypertension",
    443454: "stroke",
    4182210: "dementia",
    378419: "dementia",
    440383: "depression",
    443392: "cancer",
    46271022: "chronic_kidney_disease",
    80180: "osteoarthritis",
}
VISIT_KINDS: dict[int, str] = {
    9201: "hospital_admission",
    262: "hospital_admission",
    9203: "ed_visit",
    9202: "outpatient_visit",
    581477: "gp_visit",
    581476: "home_care",
}


PAYER_STREAMS: dict[str, str] = {
    "zvw": "Zvw",
    "zorgverzekeringswet": "Zvw",
    "wlz": "Wlz",
    "wet langdurige zorg": "Wlz",
    "wmo": "Wmo",
    "wmo 2015": "Wmo",
    "wet maatschappelijke ondersteuning": "Wmo",
    "jeugdwet": "Jeugdwet",
    "wpg": "Wpg",
    "wet publieke gezondheid": "Wpg",
}

# The columns read from each table: (type, required). Optional columns may be absent.
COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    "person": {
        "person_id": ("VARCHAR", True),
        "year_of_birth": ("INTEGER", True),
        "gender_concept_id": ("BIGINT", True),
        "location_id": ("VARCHAR", False),
    },
    "location": {
        "location_id": ("VARCHAR", True),
        "county": ("VARCHAR", False),
        "location_source_value": ("VARCHAR", False),
    },
    "observation_period": {
        "person_id": ("VARCHAR", True),
        "observation_period_start_date": ("DATE", True),
        "observation_period_end_date": ("DATE", True),
    },
    "condition_occurrence": {
        "person_id": ("VARCHAR", True),
        "condition_concept_id": ("BIGINT", True),
        "condition_start_date": ("DATE", True),
    },
    "visit_occurrence": {
        "visit_occurrence_id": ("VARCHAR", True),
        "person_id": ("VARCHAR", True),
        "visit_concept_id": ("BIGINT", True),
        "visit_start_date": ("DATE", True),
        "care_site_id": ("VARCHAR", False),
        "provider_id": ("VARCHAR", False),
    },
    "drug_exposure": {
        "drug_exposure_id": ("VARCHAR", True),
        "person_id": ("VARCHAR", True),
        "drug_exposure_start_date": ("DATE", True),
        "provider_id": ("VARCHAR", False),
    },
    "cost": {
        "cost_event_id": ("VARCHAR", True),
        "cost_domain_id": ("VARCHAR", True),
        "total_cost": ("DOUBLE", False),
        "payer_plan_period_id": ("VARCHAR", False),
    },
    "payer_plan_period": {
        "payer_plan_period_id": ("VARCHAR", True),
        "payer_source_value": ("VARCHAR", False),
    },
    "death": {"person_id": ("VARCHAR", True), "death_date": ("DATE", True)},
}
MAX_ERRORS = 10


class OmopError(ValueError):
    """A required OMOP table or column is missing."""


@dataclass(frozen=True)
class OmopSummary:
    persons: int
    conditions: int
    events: int
    skipped_visits: int
    persons_without_observation: int = 0
    events_of_unobserved_persons: int = 0
    events_outside_observation: int = 0
    events_without_cost: int = 0
    unmapped_payers: dict[str, int] = field(default_factory=dict)

    @property
    def share_without_cost(self) -> float:
        return self.events_without_cost / self.events if self.events else 0.0


def _path(folder: Path, table: str) -> Path | None:
    for suffix in (".parquet", ".csv"):
        path = folder / f"{table}{suffix}"
        if path.exists():
            return path
    return None


def _relation(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    if path.suffix == ".parquet":
        return f"read_parquet('{quoted}')"
    return f"read_csv('{quoted}', header=true, all_varchar=true, auto_detect=true)"


def _load(con: duckdb.DuckDBPyConnection, table: str, path: Path | None) -> list[str]:
    """Create view ``omop_<table>`` with typed columns; the errors, each naming file, row and
    column (none means the table was read)."""
    spec = COLUMNS[table]
    if path is None:  # only ``death`` may be absent: an empty table of the right shape
        cols = ", ".join(f"NULL::{kind} AS {name}" for name, (kind, _r) in spec.items())
        con.execute(f"CREATE TEMP VIEW omop_{table} AS SELECT {cols} WHERE false")
        return []
    name = path.name
    try:
        present = {
            c[0] for c in con.execute(f"DESCRIBE SELECT * FROM {_relation(path)}").fetchall()
        }
    except duckdb.Error:
        kind = "Parquet" if path.suffix == ".parquet" else "CSV"
        return [f"{name}: cannot be read as {kind}"]
    missing = [c for c, (_k, required) in spec.items() if required and c not in present]
    if missing:
        return [f"{name}: required column '{c}' is missing" for c in missing]
    first = 2 if path.suffix == ".csv" else 1  # the row as a spreadsheet numbers it
    text = ", ".join(
        f"nullif(trim(CAST({c} AS VARCHAR)), '') AS {c}" if c in present else f"NULL AS {c}"
        for c in spec
    )
    con.execute(
        f"CREATE TEMP TABLE raw_{table} AS SELECT row_number() OVER () + {first - 1} AS _row, "
        f"{text} FROM {_relation(path)}"
    )
    errors: list[str] = []
    for column, (kind, required) in spec.items():
        checks = [(f"{column} IS NOT NULL AND TRY_CAST({column} AS {kind}) IS NULL",
                   f"is not a valid {kind.lower()}")]  # fmt: skip
        if required:
            checks.append((f"{column} IS NULL", "is empty"))
        for condition, what in checks:
            for row, value in con.execute(
                f"SELECT _row, {column} FROM raw_{table} WHERE {condition} ORDER BY _row LIMIT 3"
            ).fetchall():
                found = "" if value is None else f" (found {value!r})"
                errors.append(f"{name}, row {row}, column '{column}': {what}{found}")
    typed = ", ".join(f"TRY_CAST({c} AS {kind}) AS {c}" for c, (kind, _r) in spec.items())
    con.execute(f"CREATE TEMP VIEW omop_{table} AS SELECT _row, {typed} FROM raw_{table}")
    return errors


def _values(mapping: dict[int, str] | dict[str, str]) -> str:
    return ", ".join(f"({k!r}, '{v}')" for k, v in mapping.items())


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    found = con.execute(sql).fetchone()
    return int(found[0]) if found and found[0] is not None else 0


def convert(folder: Path, out: Path) -> OmopSummary:
    """Write persons, conditions and care_events (Parquet) for the OMOP data in ``folder``."""
    folder, out = Path(folder), Path(out)
    for table in OMOP_TABLES:
        if _path(folder, table) is None:
            raise OmopError(f"{folder.name}: missing OMOP table {table} (.csv or .parquet)")
    con = duckdb.connect()
    con.execute(QUIET)
    try:
        errors: list[str] = []
        for table in (*OMOP_TABLES, "death"):
            errors += _load(con, table, _path(folder, table))
        if errors:
            shown = errors[:MAX_ERRORS]
            more = len(errors) - len(shown)
            raise OmopError("; ".join(shown) + (f"; and {more} more" if more else ""))
        out.mkdir(parents=True, exist_ok=True)
        return _write(con, out)
    finally:
        con.close()


def _write(con: duckdb.DuckDBPyConnection, out: Path) -> OmopSummary:
    con.execute(
        "CREATE TEMP TABLE concept_map(concept_id BIGINT, code VARCHAR); "
        f"INSERT INTO concept_map VALUES {_values(CONDITION_CONCEPTS)}"
    )
    con.execute(
        "CREATE TEMP TABLE visit_map(concept_id BIGINT, kind VARCHAR); "
        f"INSERT INTO visit_map VALUES {_values(VISIT_KINDS)}"
    )
    con.execute(
        "CREATE TEMP TABLE payer_map(payer VARCHAR, stream VARCHAR); "
        f"INSERT INTO payer_map VALUES {_values(PAYER_STREAMS)}"
    )
    con.execute("""
        CREATE TEMP TABLE observed AS
        SELECT person_id, min(observation_period_start_date) AS observed_from,
               max(observation_period_end_date) AS observed_to
        FROM omop_observation_period GROUP BY 1""")
    target = str(out).replace("'", "''")
    con.execute(f"""
        COPY (
          SELECT p.person_id, p.year_of_birth AS birth_year,
                 CASE p.gender_concept_id WHEN 8532 THEN 'F' WHEN 8507 THEN 'M' ELSE 'X' END
                   AS sex,
                 coalesce(CASE WHEN regexp_full_match(l.county, 'GM[0-9]{{4}}')
                               THEN l.county END, l.location_source_value) AS municipality,
                 l.location_source_value AS neighbourhood,
                 d.death_date, o.observed_from, o.observed_to
          FROM omop_person p
          JOIN observed o ON o.person_id = p.person_id
          LEFT JOIN omop_location l ON l.location_id = p.location_id
          LEFT JOIN (SELECT person_id, min(death_date) AS death_date
                     FROM omop_death GROUP BY 1) d ON d.person_id = p.person_id
          ORDER BY p._row
        ) TO '{target}/persons.parquet' (FORMAT parquet)""")
    con.execute(f"""
        COPY (
          SELECT c.person_id, m.code AS condition, min(c.condition_start_date) AS start_date
          FROM omop_condition_occurrence c
          JOIN concept_map m ON m.concept_id = c.condition_concept_id
          WHERE c.person_id IN (SELECT person_id FROM observed)
          GROUP BY 1, 2 ORDER BY 1, 2
        ) TO '{target}/conditions.parquet' (FORMAT parquet)""")
    con.execute("""
        CREATE TEMP TABLE event_cost AS
        SELECT c.cost_domain_id, c.cost_event_id, sum(c.total_cost) AS cost,
               coalesce(any_value(m.stream), 'other') AS stream
        FROM omop_cost c
        LEFT JOIN omop_payer_plan_period pp ON pp.payer_plan_period_id = c.payer_plan_period_id
        LEFT JOIN payer_map m ON m.payer = lower(trim(pp.payer_source_value))
        GROUP BY 1, 2""")
    con.execute("""
        CREATE TEMP TABLE events AS
        SELECT v.person_id, v.visit_start_date AS date, m.kind,
               'CS-' || coalesce(v.care_site_id, v.provider_id, '0') AS provider_id,
               coalesce(ec.stream, 'other') AS stream, ec.cost
        FROM omop_visit_occurrence v
        JOIN visit_map m ON m.concept_id = v.visit_concept_id
        LEFT JOIN event_cost ec ON ec.cost_domain_id = 'Visit'
                               AND ec.cost_event_id = v.visit_occurrence_id
        UNION ALL
        SELECT d.person_id, d.drug_exposure_start_date, 'medication',
               'PRV-' || coalesce(d.provider_id, '0'), coalesce(ec.stream, 'other'), ec.cost
        FROM omop_drug_exposure d
        LEFT JOIN event_cost ec ON ec.cost_domain_id = 'Drug'
                               AND ec.cost_event_id = d.drug_exposure_id""")
    within = """EXISTS (SELECT 1 FROM omop_observation_period o WHERE o.person_id = e.person_id
                AND e.date BETWEEN o.observation_period_start_date
                AND o.observation_period_end_date)"""
    con.execute(f"""
        COPY (SELECT e.* FROM events e WHERE {within} ORDER BY e.person_id, e.date)
        TO '{target}/care_events.parquet' (FORMAT parquet)""")
    unobserved = "person_id NOT IN (SELECT person_id FROM observed)"
    unmapped = con.execute("""
        SELECT trim(pp.payer_source_value), count(*) FROM omop_cost c
        JOIN omop_payer_plan_period pp ON pp.payer_plan_period_id = c.payer_plan_period_id
        WHERE pp.payer_source_value IS NOT NULL
          AND lower(trim(pp.payer_source_value)) NOT IN (SELECT payer FROM payer_map)
        GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20""").fetchall()
    written = f"read_parquet('{target}/care_events.parquet')"
    return OmopSummary(
        persons=_count(con, f"SELECT count(*) FROM read_parquet('{target}/persons.parquet')"),
        conditions=_count(con, f"SELECT count(*) FROM read_parquet('{target}/conditions.parquet')"),
        events=_count(con, f"SELECT count(*) FROM {written}"),
        skipped_visits=_count(
            con,
            "SELECT count(*) FROM omop_visit_occurrence WHERE visit_concept_id NOT IN "
            "(SELECT concept_id FROM visit_map)",
        ),
        persons_without_observation=_count(
            con, f"SELECT count(*) FROM omop_person WHERE {unobserved}"
        ),
        events_of_unobserved_persons=_count(con, f"SELECT count(*) FROM events WHERE {unobserved}"),
        events_outside_observation=_count(
            con, f"SELECT count(*) FROM events e WHERE NOT ({unobserved}) AND NOT {within}"
        ),
        events_without_cost=_count(con, f"SELECT count(*) FROM {written} WHERE cost IS NULL"),
        unmapped_payers={str(v): int(n) for v, n in unmapped},
    )
