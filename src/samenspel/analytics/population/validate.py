"""Validation of a dataset against the contract, with DuckDB: every violated rule is reported
with file, row (as a spreadsheet numbers it: the header is row 1) and column."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .contract import CONDITIONS, EVENT_KINDS, SEXES, STREAMS, TABLES
from .sources import DatasetError, TableFile, find_tables

EXAMPLES_PER_RULE = 5


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row is not None else self.file
        return f"{where}, column '{self.column}': {self.message}"


def _relation_sql(source: TableFile) -> str:
    path = str(source.path).replace("'", "''")
    if source.kind == "csv":
        return (
            f"read_csv('{path}', header=true, all_varchar=true, auto_detect=true, sample_size=-1)"
        )
    return f"read_parquet('{path}')"


def _quote(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def validate_dataset(folder: Path, *, this_year: int | None = None) -> list[Problem]:
    """All problems of the dataset in ``folder``; an empty list means it may be used."""
    try:
        files = find_tables(folder)
    except DatasetError as exc:
        return [Problem(str(folder), None, "", str(exc))]
    year = this_year or dt.date.today().year
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = true")
    problems: list[Problem] = []
    for table, source in files.items():
        try:
            columns = [
                c[0]
                for c in con.execute(f"DESCRIBE SELECT * FROM {_relation_sql(source)}").fetchall()
            ]
        except duckdb.Error as exc:
            problems.append(Problem(source.path.name, None, "", f"cannot be read: {exc}"))
            continue
        missing = [c.name for c in TABLES[table] if c.required and c.name not in columns]
        for name in missing:
            problems.append(Problem(source.path.name, 1, name, "required column is missing"))
        if missing:
            continue
        select = ", ".join(
            f'CAST("{c.name}" AS VARCHAR) AS "{c.name}"'
            if c.name in columns
            else f'NULL::VARCHAR AS "{c.name}"'
            for c in TABLES[table]
        )
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT row_number() OVER () + 1 AS _row, "
            f"{select} FROM {_relation_sql(source)}"
        )
    if problems:
        return problems

    def check(table: str, column: str, condition: str, message: str) -> None:
        file = files[table].path.name
        total = con.execute(f"SELECT count(*) FROM {table} WHERE {condition}").fetchone()
        count = int(total[0]) if total else 0
        if not count:
            return
        rows = con.execute(
            f'SELECT _row, "{column}" FROM {table} WHERE {condition} ORDER BY _row '
            f"LIMIT {EXAMPLES_PER_RULE}"
        ).fetchall()
        for row, value in rows:
            problems.append(Problem(file, int(row), column, f"{message} (found {value!r})"))
        if count > len(rows):
            problems.append(
                Problem(
                    file, None, column, f"{message}: {count - len(rows)} more row(s) like these"
                )
            )

    def is_date(col: str) -> str:
        return f'TRY_CAST("{col}" AS DATE)'

    # persons
    check("persons", "person_id", "person_id IS NULL OR trim(person_id) = ''", "is required")
    check(
        "persons",
        "person_id",
        "person_id IN (SELECT person_id FROM persons GROUP BY 1 HAVING count(*) > 1)",
        "appears more than once",
    )
    check(
        "persons",
        "birth_year",
        f"TRY_CAST(birth_year AS INTEGER) IS NULL OR TRY_CAST(birth_year AS INTEGER) "
        f"NOT BETWEEN 1890 AND {year}",
        f"must be a year from 1890 to {year}",
    )
    check(
        "persons",
        "sex",
        f"sex IS NULL OR sex NOT IN ({_quote(SEXES)})",
        f"must be one of {', '.join(SEXES)}",
    )
    check(
        "persons",
        "municipality",
        "municipality IS NULL OR NOT regexp_full_match(municipality, 'GM[0-9]{4}')",
        "must be a CBS municipality code such as GM0828",
    )
    check(
        "persons",
        "death_date",
        f"death_date IS NOT NULL AND {is_date('death_date')} IS NULL",
        "must be a date YYYY-MM-DD",
    )
    check(
        "persons",
        "death_date",
        f"{is_date('death_date')} < make_date(TRY_CAST(birth_year AS INTEGER), 1, 1)",
        "lies before the year of birth",
    )
    known = "(SELECT person_id FROM persons)"
    # conditions
    check(
        "conditions",
        "person_id",
        f"person_id IS NULL OR person_id NOT IN {known}",
        "refers to a person not in persons",
    )
    check(
        "conditions",
        "condition",
        f"condition IS NULL OR condition NOT IN ({_quote(list(CONDITIONS))})",
        "is not one of the documented condition codes",
    )
    check(
        "conditions", "start_date", f"{is_date('start_date')} IS NULL", "must be a date YYYY-MM-DD"
    )
    check(
        "conditions",
        "start_date",
        "EXISTS (SELECT 1 FROM persons p WHERE p.person_id = conditions.person_id AND "
        f"{is_date('start_date')} > TRY_CAST(p.death_date AS DATE))",
        "lies after the person's death",
    )
    # care events
    check(
        "care_events",
        "person_id",
        f"person_id IS NULL OR person_id NOT IN {known}",
        "refers to a person not in persons",
    )
    check("care_events", "date", f"{is_date('date')} IS NULL", "must be a date YYYY-MM-DD")
    check(
        "care_events",
        "date",
        "EXISTS (SELECT 1 FROM persons p WHERE p.person_id = care_events.person_id AND "
        f"{is_date('date')} > TRY_CAST(p.death_date AS DATE))",
        "lies after the person's death",
    )
    check(
        "care_events",
        "kind",
        f"kind IS NULL OR kind NOT IN ({_quote(list(EVENT_KINDS))})",
        "is not one of the documented kinds of care event",
    )
    check(
        "care_events", "provider_id", "provider_id IS NULL OR trim(provider_id) = ''", "is required"
    )
    check(
        "care_events",
        "stream",
        f"stream IS NULL OR stream NOT IN ({_quote(STREAMS)})",
        f"must be one of {', '.join(STREAMS)}",
    )
    check(
        "care_events",
        "cost",
        "TRY_CAST(cost AS DOUBLE) IS NULL OR TRY_CAST(cost AS DOUBLE) < 0",
        "must be an amount of at least 0",
    )
    con.close()
    return problems
