"""The patient-sharing network: providers tied when they share at least K patients.

Two providers share a patient when both have a care event of that person (in the chosen year,
or in any year). The tie's weight is the number of shared patients. A tie is made only at the
suppression threshold or above (never below it), so every published tie shows its weight and the
absence of a tie says only "fewer than K", which includes none at all. Each provider's ``kind``
is the kind of care it delivers most often.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from .limits import QUIET
from .sources import find_tables
from .thresholds import DEFAULT_THRESHOLD

DEFAULT_MIN_SHARED = DEFAULT_THRESHOLD


@dataclass(frozen=True)
class SharingNetwork:
    providers: dict[str, dict[str, str]]
    ties: list[tuple[str, str, int]]
    min_shared: int


def patient_sharing(
    folder: Path,
    *,
    min_shared: int = DEFAULT_MIN_SHARED,
    threshold: int = DEFAULT_THRESHOLD,
    year: int | None = None,
) -> SharingNetwork:
    """Ties of at least ``min_shared`` shared patients, and never fewer than ``threshold``."""
    if min_shared < 1:
        raise ValueError("min_shared must be at least 1")
    min_shared = max(min_shared, threshold)
    files = find_tables(Path(folder))
    source = files["care_events"]
    relation = source.relation_sql()
    where = f"WHERE year(CAST(date AS DATE)) = {int(year)}" if year is not None else ""
    con = duckdb.connect()
    con.execute(QUIET)
    try:
        con.execute(f"""CREATE TEMP TABLE pp AS SELECT DISTINCT CAST(person_id AS VARCHAR) AS
                        person_id, CAST(provider_id AS VARCHAR) AS provider FROM {relation}
                        {where}""")
        ties = con.execute(f"""
            SELECT a.provider, b.provider, count(*) AS shared
            FROM pp a JOIN pp b ON a.person_id = b.person_id AND a.provider < b.provider
            GROUP BY 1, 2 HAVING count(*) >= {int(min_shared)} ORDER BY 1, 2""").fetchall()
        kinds = con.execute(f"""
            SELECT provider, arg_max(kind, n) FROM (
              SELECT CAST(provider_id AS VARCHAR) AS provider, kind, count(*) AS n
              FROM {relation} {where} GROUP BY 1, 2) GROUP BY 1""").fetchall()
    finally:
        con.close()
    in_network = {a for a, _b, _n in ties} | {b for _a, b, _n in ties}
    providers = {p: {"kind": k} for p, k in kinds if p in in_network}
    return SharingNetwork(providers, [(a, b, int(n)) for a, b, n in ties], min_shared)
