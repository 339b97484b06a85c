"""Validation of a dataset against the contract, with DuckDB: every violated rule is reported
with file, row (as a spreadsheet numbers it: the header is row 1) and column."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .contract import CONDITIONS, EVENT_KINDS, SEXES, STREAMS, TABLES
from .limits import duckdb_config, spill_dir
from .municipalities import all_municipalities
from .sources import DatasetError, TableFile, find_tables, gettext_noop

EXAMPLES_PER_RULE = 5
MAX_PROBLEMS = 100  # a file read row by row reports at most this many problems


@dataclass(frozen=True)
class Problem:
    """One broken rule: ``message`` is an English template filled with ``params``."""

    file: str
    row: int | None
    column: str
    message: str
    params: dict[str, object] = field(default_factory=dict)
    found: str | None = None

    @property
    def text(self) -> str:
        return self.message % self.params if self.params else self.message

    def __str__(self) -> str:
        where = f"{self.file}, row {self.row}" if self.row is not None else self.file
        if self.column:
            where += f", column '{self.column}'"
        found = f" (found {self.found!r})" if self.found is not None else ""
        return f"{where}: {self.text}{found}"


class ProblemsError(ValueError):
    """Nothing was read or computed; ``problems`` names every reason (file, row, column)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems[:5]))


class ProblemLog:
    """The problems of one file, as they are found; the first MAX_PROBLEMS are kept."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(
        self,
        row: int | None,
        column: str,
        message: str,
        params: dict[str, object] | None = None,
        found: str | None = None,
    ) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.file, row, column, message, params or {}, found))


def _relation_sql(source: TableFile) -> str:
    path = str(source.path).replace("'", "''")
    if source.kind == "csv":
        return (
            f"read_csv('{path}', header=true, all_varchar=true, auto_detect=true, sample_size=-1)"
        )
    return f"read_parquet('{path}')"


def _quote(values: tuple[str, ...] | list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _known_municipalities(con: duckdb.DuckDBPyConnection) -> None:
    """Tables ``municipalities`` (code, first and last year it existed) and ``data_years``
    (first and last year of the care events; this year when there are none)."""
    rows = [
        (
            m.code,
            int(m.valid_from[:4]) if m.valid_from else 0,
            int(m.valid_to[:4]) if m.valid_to else 9999,
        )
        for m in all_municipalities().values()
    ]
    con.execute("CREATE OR REPLACE TEMP TABLE municipalities (code VARCHAR, first INT, last INT)")
    con.executemany("INSERT INTO municipalities VALUES (?, ?, ?)", rows)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE data_years AS SELECT "
        "coalesce(min(year(TRY_CAST(date AS DATE))), year(current_date)) AS first, "
        "coalesce(max(year(TRY_CAST(date AS DATE))), year(current_date)) AS last FROM care_events"
    )


def _read_tables(con: duckdb.DuckDBPyConnection, files: dict[str, TableFile]) -> list[Problem]:
    """Every table as text with its row number (CSV copied, Parquet read in place); the
    problems that stop validation before any rule: unreadable files, missing columns, no rows."""
    problems: list[Problem] = []
    for table, source in files.items():
        try:
            columns = [
                c[0]
                for c in con.execute(f"DESCRIBE SELECT * FROM {_relation_sql(source)}").fetchall()
            ]
        except duckdb.Error:
            problems.append(
                Problem(
                    source.path.name,
                    None,
                    "",
                    gettext_noop("cannot be read as %(kind)s; is it really a %(kind)s file?"),
                    {"kind": "CSV" if source.kind == "csv" else "Parquet"},
                )
            )
            continue
        missing = [c.name for c in TABLES[table] if c.required and c.name not in columns]
        for name in missing:
            problems.append(
                Problem(source.path.name, 1, name, gettext_noop("required column is missing"))
            )
        if missing:
            continue
        select = ", ".join(
            f'CAST("{c.name}" AS VARCHAR) AS "{c.name}"'
            if c.name in columns
            else f'NULL::VARCHAR AS "{c.name}"'
            for c in TABLES[table]
        )
        if source.kind == "parquet":
            # columnar and typed: every rule reads only its columns straight from the file
            path = str(source.path).replace("'", "''")
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT file_row_number + 2 AS _row, "
                f"{select} FROM read_parquet('{path}', file_row_number = true)"
            )
        else:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT row_number() OVER () + 1 AS "
                f"_row, {select} FROM {_relation_sql(source)}"
            )
    if problems:
        return problems
    for table in ("persons", "care_events"):
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        if not rows or not rows[0]:
            problems.append(
                Problem(
                    files[table].path.name,
                    None,
                    "",
                    gettext_noop("has no data rows (only a header); nothing can be computed"),
                )
            )
    return problems


def validate_dataset(folder: Path, *, this_year: int | None = None) -> list[Problem]:
    """All problems of the dataset in ``folder``; an empty list means it may be used."""
    try:
        files = find_tables(folder)
    except DatasetError as exc:
        return [Problem(gettext_noop("dataset"), None, "", exc.message, exc.params)]
    year = this_year or dt.date.today().year
    # The tables are copied as text into a database file in the spill folder, not into memory:
    # at a million persons that copy alone is several gigabytes.
    with tempfile.TemporaryDirectory(dir=spill_dir(), prefix="validate-") as work:
        con = duckdb.connect(str(Path(work) / "validate.duckdb"), config=duckdb_config())
        try:
            return _validate(con, files, year)
        finally:
            con.close()


def _validate(
    con: duckdb.DuckDBPyConnection, files: dict[str, TableFile], year: int
) -> list[Problem]:
    con.execute("SET preserve_insertion_order = true")
    problems = _read_tables(con, files)
    if problems:
        return problems
    _known_municipalities(con)

    def check(
        table: str,
        column: str,
        condition: str,
        message: str,
        params: dict[str, object] | None = None,
    ) -> None:
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
            found = "" if value is None else str(value)
            problems.append(Problem(file, int(row), column, message, params or {}, found))
        if count > len(rows):
            problems.append(
                Problem(
                    file,
                    None,
                    column,
                    gettext_noop("%(count)d more rows like these"),
                    {"count": count - len(rows)},
                )
            )

    def is_date(col: str) -> str:
        return f'TRY_CAST("{col}" AS DATE)'

    # persons
    check(
        "persons",
        "person_id",
        "person_id IS NULL OR trim(person_id) = ''",
        gettext_noop("is required"),
    )
    check(
        "persons",
        "person_id",
        "person_id IN (SELECT person_id FROM persons GROUP BY 1 HAVING count(*) > 1)",
        gettext_noop("appears more than once"),
    )
    check(
        "persons",
        "birth_year",
        f"TRY_CAST(birth_year AS INTEGER) IS NULL OR TRY_CAST(birth_year AS INTEGER) "
        f"NOT BETWEEN 1890 AND {year}",
        gettext_noop("must be a year from 1890 to %(year)d"),
        {"year": year},
    )
    check(
        "persons",
        "sex",
        f"sex IS NULL OR sex NOT IN ({_quote(SEXES)})",
        gettext_noop("must be one of %(values)s"),
        {"values": ", ".join(SEXES)},
    )
    check(
        "persons",
        "municipality",
        "municipality IS NULL OR NOT regexp_full_match(municipality, 'GM[0-9]{4}')",
        gettext_noop("must be a CBS municipality code such as GM0828"),
    )
    first, last = con.execute("SELECT first, last FROM data_years").fetchone() or (year, year)
    check(
        "persons",
        "municipality",
        "regexp_full_match(municipality, 'GM[0-9]{4}') AND municipality NOT IN "
        "(SELECT code FROM municipalities WHERE first <= "
        f"{int(last)} AND last >= {int(first)})",
        gettext_noop(
            "is not a Dutch municipality in %(first)d–%(last)d (CBS list of municipalities, "
            "shipped with Samenspel)"
        ),
        {"first": int(first), "last": int(last)},
    )
    check(
        "persons",
        "death_date",
        f"death_date IS NOT NULL AND {is_date('death_date')} IS NULL",
        gettext_noop("must be a date YYYY-MM-DD"),
    )
    check(
        "persons",
        "death_date",
        f"{is_date('death_date')} < make_date(TRY_CAST(birth_year AS INTEGER), 1, 1)",
        gettext_noop("lies before the year of birth"),
    )
    known = "(SELECT person_id FROM persons)"
    # conditions
    check(
        "conditions",
        "person_id",
        f"person_id IS NULL OR person_id NOT IN {known}",
        gettext_noop("refers to a person not in persons"),
    )
    check(
        "conditions",
        "condition",
        f"condition IS NULL OR condition NOT IN ({_quote(list(CONDITIONS))})",
        gettext_noop("is not one of the documented condition codes"),
    )
    check(
        "conditions",
        "start_date",
        f"{is_date('start_date')} IS NULL",
        gettext_noop("must be a date YYYY-MM-DD"),
    )
    check(
        "conditions",
        "start_date",
        "EXISTS (SELECT 1 FROM persons p WHERE p.person_id = conditions.person_id AND "
        f"{is_date('start_date')} > TRY_CAST(p.death_date AS DATE))",
        gettext_noop("lies after the person's death"),
    )
    # care events
    check(
        "care_events",
        "person_id",
        f"person_id IS NULL OR person_id NOT IN {known}",
        gettext_noop("refers to a person not in persons"),
    )
    check(
        "care_events",
        "date",
        f"{is_date('date')} IS NULL",
        gettext_noop("must be a date YYYY-MM-DD"),
    )
    check(
        "care_events",
        "date",
        "EXISTS (SELECT 1 FROM persons p WHERE p.person_id = care_events.person_id AND "
        f"{is_date('date')} > TRY_CAST(p.death_date AS DATE))",
        gettext_noop("lies after the person's death"),
    )
    check(
        "care_events",
        "kind",
        f"kind IS NULL OR kind NOT IN ({_quote(list(EVENT_KINDS))})",
        gettext_noop("is not one of the documented kinds of care event"),
    )
    check(
        "care_events",
        "provider_id",
        "provider_id IS NULL OR trim(provider_id) = ''",
        gettext_noop("is required"),
    )
    check(
        "care_events",
        "stream",
        f"stream IS NULL OR stream NOT IN ({_quote(STREAMS)})",
        gettext_noop("must be one of %(values)s"),
        {"values": ", ".join(STREAMS)},
    )
    for column in ("observed_from", "observed_to"):
        check(
            "persons",
            column,
            f"nullif(trim({column}), '') IS NOT NULL AND {is_date(column)} IS NULL",
            gettext_noop("must be a date YYYY-MM-DD"),
        )
    check(
        "persons",
        "observed_to",
        f"{is_date('observed_to')} < {is_date('observed_from')}",
        gettext_noop("lies before observed_from"),
    )
    comma = "regexp_full_match(trim(cost), '-?[0-9]+,[0-9]+')"
    check(
        "care_events",
        "cost",
        comma,
        gettext_noop("uses a decimal comma; write amounts with a decimal point, such as 12.50"),
    )
    check(
        "care_events",
        "cost",
        # empty means "not known"; anything else must be a finite amount of at least 0
        f"nullif(trim(cost), '') IS NOT NULL AND (TRY_CAST(cost AS DOUBLE) IS NULL OR "
        f"TRY_CAST(cost AS DOUBLE) < 0 OR NOT isfinite(TRY_CAST(cost AS DOUBLE))) AND NOT {comma}",
        gettext_noop("must be an amount of at least 0"),
    )
    return problems
