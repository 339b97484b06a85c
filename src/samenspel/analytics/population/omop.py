"""Map a subset of the OMOP Common Data Model v5.4 to the Samenspel input contract.

Read from one folder (CSV with a header row, or Parquet, named after the OMOP table):
``person``, ``location``, ``observation_period``, ``condition_occurrence``,
``visit_occurrence``, ``drug_exposure``, ``cost``, ``payer_plan_period`` and, when present,
``death``.

- persons: ``person.year_of_birth``; ``gender_concept_id`` 8532 → F, 8507 → M, otherwise X;
  municipality from ``location.county`` (or ``location_source_value``) when it is a CBS code
  such as GM0828; neighbourhood from ``location.location_source_value``; ``death.death_date``.
  Only persons with an observation period are kept.
- conditions: ``condition_occurrence`` rows whose ``condition_concept_id`` is listed in
  CONDITION_CONCEPTS (standard SNOMED concepts; descendants are not expanded); the earliest start
  per person and condition.
- care events: visits by ``visit_concept_id`` (VISIT_KINDS) and every drug exposure as
  ``medication``; the provider is the care site (visits) or the prescriber (drugs); cost is
  ``cost.total_cost`` of the event and the stream comes from the payer plan period's
  ``payer_source_value`` (Zvw, Wlz, Wmo, Jeugdwet, Wpg; otherwise ``other``).

The output is written as Parquet in the contract's layout and must then pass validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from .contract import STREAMS

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


class OmopError(ValueError):
    """A required OMOP table or column is missing."""


@dataclass(frozen=True)
class OmopSummary:
    persons: int
    conditions: int
    events: int
    skipped_visits: int


def _source(folder: Path, table: str, required: bool = True) -> str | None:
    for suffix, reader in (
        (".parquet", "read_parquet('{}')"),
        (".csv", "read_csv('{}', header=true, auto_detect=true)"),
    ):
        path = folder / f"{table}{suffix}"
        if path.exists():
            return reader.format(str(path).replace("'", "''"))
    if required:
        raise OmopError(f"{folder}: missing OMOP table {table} (.csv or .parquet)")
    return None


def _values(mapping: dict[int, str]) -> str:
    return ", ".join(f"({k}, '{v}')" for k, v in mapping.items())


def convert(folder: Path, out: Path) -> OmopSummary:
    """Write persons, conditions and care_events (Parquet) for the OMOP data in ``folder``."""
    folder, out = Path(folder), Path(out)
    src = {t: _source(folder, t) for t in OMOP_TABLES}
    death = _source(folder, "death", required=False)
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        for table, relation in src.items():
            con.execute(f"CREATE TEMP VIEW omop_{table} AS SELECT * FROM {relation}")
        con.execute(
            f"CREATE TEMP VIEW omop_death AS SELECT * FROM "
            f"{death or '(SELECT NULL::BIGINT AS person_id, NULL::DATE AS death_date)'}"
        )
        con.execute(
            f"CREATE TEMP TABLE concept_map(concept_id BIGINT, code VARCHAR); "
            f"INSERT INTO concept_map VALUES {_values(CONDITION_CONCEPTS)}"
        )
        con.execute(
            f"CREATE TEMP TABLE visit_map(concept_id BIGINT, kind VARCHAR); "
            f"INSERT INTO visit_map VALUES {_values(VISIT_KINDS)}"
        )
        streams = ", ".join(f"'{s}'" for s in STREAMS)
        target = str(out).replace("'", "''")
        con.execute(f"""
            COPY (
              SELECT CAST(p.person_id AS VARCHAR) AS person_id,
                     CAST(p.year_of_birth AS INTEGER) AS birth_year,
                     CASE p.gender_concept_id WHEN 8532 THEN 'F' WHEN 8507 THEN 'M' ELSE 'X' END
                       AS sex,
                     CAST(coalesce(CASE WHEN regexp_full_match(CAST(l.county AS VARCHAR),
                                                               'GM[0-9]{{4}}')
                                        THEN l.county END,
                                   l.location_source_value) AS VARCHAR) AS municipality,
                     CAST(l.location_source_value AS VARCHAR) AS neighbourhood,
                     CAST(d.death_date AS DATE) AS death_date
              FROM omop_person p
              LEFT JOIN omop_location l ON l.location_id = p.location_id
              LEFT JOIN (SELECT person_id, min(CAST(death_date AS DATE)) AS death_date
                         FROM omop_death GROUP BY 1) d ON d.person_id = p.person_id
              WHERE p.person_id IN (SELECT person_id FROM omop_observation_period)
            ) TO '{target}/persons.parquet' (FORMAT parquet)""")
        con.execute(f"""
            COPY (
              SELECT CAST(c.person_id AS VARCHAR) AS person_id, m.code AS condition,
                     min(CAST(c.condition_start_date AS DATE)) AS start_date
              FROM omop_condition_occurrence c
              JOIN concept_map m ON m.concept_id = c.condition_concept_id
              WHERE c.person_id IN (SELECT person_id FROM omop_observation_period)
              GROUP BY 1, 2
            ) TO '{target}/conditions.parquet' (FORMAT parquet)""")
        con.execute(f"""
            CREATE TEMP VIEW event_cost AS
            SELECT c.cost_domain_id, c.cost_event_id, sum(c.total_cost) AS cost,
                   any_value(CASE WHEN pp.payer_source_value IN ({streams})
                                  THEN pp.payer_source_value ELSE 'other' END) AS stream
            FROM omop_cost c
            LEFT JOIN omop_payer_plan_period pp
              ON pp.payer_plan_period_id = c.payer_plan_period_id
            GROUP BY 1, 2""")
        con.execute(f"""
            COPY (
              SELECT CAST(v.person_id AS VARCHAR) AS person_id,
                     CAST(v.visit_start_date AS DATE) AS date, m.kind,
                     'CS-' || coalesce(CAST(v.care_site_id AS VARCHAR),
                                       CAST(v.provider_id AS VARCHAR), '0') AS provider_id,
                     coalesce(ec.stream, 'other') AS stream,
                     CAST(coalesce(ec.cost, 0) AS DOUBLE) AS cost
              FROM omop_visit_occurrence v
              JOIN visit_map m ON m.concept_id = v.visit_concept_id
              LEFT JOIN event_cost ec ON ec.cost_domain_id = 'Visit'
                                     AND ec.cost_event_id = v.visit_occurrence_id
              UNION ALL
              SELECT CAST(d.person_id AS VARCHAR), CAST(d.drug_exposure_start_date AS DATE),
                     'medication', 'PRV-' || coalesce(CAST(d.provider_id AS VARCHAR), '0'),
                     coalesce(ec.stream, 'other'), CAST(coalesce(ec.cost, 0) AS DOUBLE)
              FROM omop_drug_exposure d
              LEFT JOIN event_cost ec ON ec.cost_domain_id = 'Drug'
                                     AND ec.cost_event_id = d.drug_exposure_id
            ) TO '{target}/care_events.parquet' (FORMAT parquet)""")
        skipped = con.execute(
            "SELECT count(*) FROM omop_visit_occurrence WHERE visit_concept_id NOT IN "
            "(SELECT concept_id FROM visit_map)"
        ).fetchone()
        counts = [
            con.execute(f"SELECT count(*) FROM read_parquet('{target}/{t}.parquet')").fetchone()
            for t in ("persons", "conditions", "care_events")
        ]
    except duckdb.BinderException as exc:
        raise OmopError(f"{folder}: the OMOP tables cannot be mapped ({exc})") from exc
    finally:
        con.close()
    persons, conditions, events = (int(c[0]) if c else 0 for c in counts)
    return OmopSummary(persons, conditions, events, int(skipped[0]) if skipped else 0)
