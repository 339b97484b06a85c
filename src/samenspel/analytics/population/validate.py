"""Validation of a dataset against the contract, with DuckDB: every violated rule is reported
with file, row (as a spreadsheet numbers it: the header is row 1) and column."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .contract import CONDITIONS, EVENT_KINDS, SEXES, STREAMS, TABLES
from .limits import QUIET, duckdb_config, work_dir
from .municipalities import all_municipalities
from .sources import (
    DatasetError,
    TableFile,
    find_tables,
    gettext_noop,
    gzip_is_whole,
    sql_strings,
)

EXAMPLES_PER_RULE = 5
WHOLE_NUMBERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT")
NUMBERS = (*WHOLE_NUMBERS, "FLOAT", "DOUBLE")  # Parquet types read as stored (and DECIMAL)
MAX_PROBLEMS = 100  # a file read row by row reports at most this many problems
CUT_OFF = gettext_noop("is cut off or damaged: it cannot be unpacked to its end")


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


def _known_municipalities(con: duckdb.DuckDBPyConnection, date: str) -> None:
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
        f"coalesce(min(year({date})), year(current_date)) AS first, "
        f"coalesce(max(year({date})), year(current_date)) AS last FROM care_events"
    )


def _read_tables(
    con: duckdb.DuckDBPyConnection, files: dict[str, TableFile]
) -> tuple[list[Problem], dict[str, dict[str, str]]]:
    """Every table as text with its row number (CSV copied, Parquet read in place); the
    problems that stop validation before any rule: unreadable files, missing columns, no rows.
    Also, per table, the Parquet columns already stored as a date or a number: the view offers
    each as it is too (``"__name"``), so the rules need not read it back from text."""
    problems: list[Problem] = []
    typed: dict[str, dict[str, str]] = {}
    for table, source in files.items():
        cut = [f for f in source.files if f.name.endswith(".gz") and not gzip_is_whole(f)]
        for part in cut:
            problems.append(Problem(source.label(part), None, "", CUT_OFF))
        if cut:
            continue
        try:
            described = con.execute(
                f"DESCRIBE SELECT * FROM {source.relation_sql(text=True)}"
            ).fetchall()
        except duckdb.Error:
            problems.append(
                Problem(
                    source.label(source.path),
                    None,
                    "",
                    gettext_noop("cannot be read as %(kind)s; is it really a %(kind)s file?"),
                    {"kind": "CSV" if source.kind == "csv" else "Parquet"},
                )
            )
            continue
        columns = {str(c[0]): str(c[1]) for c in described}
        missing = [c.name for c in TABLES[table] if c.required and c.name not in columns]
        for name in missing:
            problems.append(
                Problem(
                    source.label(source.files[0]),
                    1,
                    name,
                    gettext_noop("required column is missing"),
                )
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
            typed[table] = {
                name: kind
                for name, kind in columns.items()
                if kind == "DATE" or kind in NUMBERS or kind.startswith("DECIMAL")
            }
            raw = "".join(f', "{name}" AS "__{name}"' for name in typed[table])
            # columnar and typed: every rule reads only its columns straight from the files
            reader = source.relation_sql(file_row_number=True, filename="'_file'")
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT _file, file_row_number + 2 "
                f"AS _row, {select}{raw} FROM {reader}"
            )
        else:
            # part by part: a row is numbered as a spreadsheet numbers it in its own file
            for n, part in enumerate(source.files):
                one = TableFile(table, part, "csv")
                fill = "CREATE OR REPLACE TEMP TABLE" if n == 0 else "INSERT INTO"
                con.execute(
                    f"{fill} {table} {'AS ' if n == 0 else ''}SELECT "
                    f"{sql_strings([part])} AS _file, "
                    f"row_number() OVER () + 1 AS _row, {select} "
                    f"FROM {one.relation_sql(text=True)}"
                )
    if problems:
        return problems, typed
    for table in ("persons", "care_events"):
        rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()
        if not rows or not rows[0]:
            problems.append(
                Problem(
                    files[table].label(files[table].path),
                    None,
                    "",
                    gettext_noop("has no data rows (only a header); nothing can be computed"),
                )
            )
    return problems, typed


def validate_dataset(
    folder: Path,
    *,
    this_year: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> list[Problem]:
    """All problems of the dataset in ``folder``; an empty list means it may be used.
    ``progress`` hears the fraction of the rules checked so far."""
    try:
        files = find_tables(folder)
    except DatasetError as exc:
        return [Problem(gettext_noop("dataset"), None, "", exc.message, exc.params)]
    year = this_year or dt.date.today().year
    # The tables are copied as text into a database file in the spill folder, not into memory:
    # at a million persons that copy alone is several gigabytes.
    with tempfile.TemporaryDirectory(dir=work_dir(), prefix="validate-") as work:
        con = duckdb.connect(str(Path(work) / "validate.duckdb"), config=duckdb_config())
        con.execute(QUIET)
        try:
            return _validate(con, files, year, progress or (lambda _fraction: None))
        finally:
            con.close()


@dataclass(frozen=True)
class _Rule:
    """A condition on the rows of one table; ``alone`` rules (with a subquery) are counted by a
    query of their own, the others all together in one pass over their table."""

    table: str
    column: str
    condition: str
    message: str
    params: dict[str, object] = field(default_factory=dict)
    alone: bool = False


def _as_date(typed: dict[str, dict[str, str]], table: str, col: str, alias: str = "") -> str:
    """The column as a date (NULL where it is none); ``alias`` names the table in a join."""
    if typed.get(table, {}).get(col) == "DATE":
        return f'{alias}"__{col}"'
    return f'TRY_CAST({alias}"{col}" AS DATE)'


def _count(
    con: duckdb.DuckDBPyConnection, rules: list[_Rule], progress: Callable[[float], None]
) -> list[int]:
    """How many rows break each rule: one scan per table for the plain rules. ``progress``
    hears the fraction of the queries done."""
    counts = [0] * len(rules)
    alone = [i for i, rule in enumerate(rules) if rule.alone]
    by_table: dict[str, list[int]] = {}
    for i, rule in enumerate(rules):
        if not rule.alone:
            by_table.setdefault(rule.table, []).append(i)
    queries = len(alone) + len(by_table)
    for done, i in enumerate(alone, start=1):
        rule = rules[i]
        found = con.execute(f"SELECT count(*) FROM {rule.table} WHERE {rule.condition}").fetchone()
        counts[i] = int(found[0]) if found else 0
        progress(done / queries)
    for done, (table, indices) in enumerate(by_table.items(), start=len(alone) + 1):
        filters = ", ".join(f"count(*) FILTER (WHERE {rules[i].condition})" for i in indices)
        found = con.execute(f"SELECT {filters} FROM {table}").fetchone() or ()
        for i, n in zip(indices, found, strict=True):
            counts[i] = int(n)
        progress(done / queries)
    return counts


def _validate(
    con: duckdb.DuckDBPyConnection,
    files: dict[str, TableFile],
    year: int,
    progress: Callable[[float], None],
) -> list[Problem]:
    con.execute("SET preserve_insertion_order = true")
    problems, typed = _read_tables(con, files)
    if problems:
        return problems
    progress(0.3)  # the copy of the text tables is about a third of the work
    _known_municipalities(con, _as_date(typed, "care_events", "date"))
    rules = _rules(con, typed, year)
    counts = _count(con, rules, lambda done: progress(0.3 + 0.7 * done))
    for rule, count in zip(rules, counts, strict=True):
        if not count:
            continue
        file = files[rule.table].label(files[rule.table].path)
        rows = con.execute(
            f'SELECT _file, _row, "{rule.column}" FROM {rule.table} WHERE {rule.condition} '
            f"ORDER BY _file, _row LIMIT {EXAMPLES_PER_RULE}"
        ).fetchall()
        for part, row, value in rows:
            found = "" if value is None else str(value)
            problems.append(
                Problem(
                    files[rule.table].label(part),
                    int(row),
                    rule.column,
                    rule.message,
                    rule.params,
                    found,
                )
            )
        if count > len(rows):
            problems.append(
                Problem(
                    file,
                    None,
                    rule.column,
                    gettext_noop("%(count)d more rows like these"),
                    {"count": count - len(rows)},
                )
            )
    return problems


def _rules(
    con: duckdb.DuckDBPyConnection, typed: dict[str, dict[str, str]], year: int
) -> list[_Rule]:
    """Every rule of the contract, in the order its problems are reported."""
    rules: list[_Rule] = []

    def check(
        table: str,
        column: str,
        condition: str,
        message: str,
        params: dict[str, object] | None = None,
        *,
        alone: bool = False,
    ) -> None:
        rules.append(_Rule(table, column, condition, message, params or {}, alone))

    def is_date(table: str, col: str, alias: str = "") -> str:
        return _as_date(typed, table, col, alias)

    def as_number(table: str, col: str, kind: str) -> str | None:
        """The column as a number when the file stores it as one (a whole number where a
        whole number is asked for: 1950.5 is no year), else None."""
        stored = typed.get(table, {}).get(col, "DATE")
        if stored == "DATE" or (kind == "BIGINT" and stored not in WHOLE_NUMBERS):
            return None
        return f'CAST("__{col}" AS {kind})'

    birth = as_number("persons", "birth_year", "BIGINT")
    # as text, a year is digits (1950.0 too, as a spreadsheet may write it; not 1950.5, which a
    # cast to a whole number would round)
    not_whole = "" if birth else "OR NOT regexp_full_match(trim(birth_year), '[0-9]+(\\.0*)?') "
    birth = birth or "TRY_CAST(birth_year AS INTEGER)"
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
        # a window, not a GROUP BY: it sorts, and a sort spills to disk in full
        "(_file, _row) IN (SELECT (_file, _row) FROM (SELECT _file, _row, count(*) OVER "
        "(PARTITION BY person_id) AS n FROM persons) WHERE n > 1)",
        gettext_noop("appears more than once"),
        alone=True,
    )
    check(
        "persons",
        "birth_year",
        f"{birth} IS NULL {not_whole}OR {birth} NOT BETWEEN 1890 AND {year}",
        gettext_noop("must be a year from 1890 to %(year)d"),
        {"year": year},
    )
    check(
        "persons",
        "sex",
        f"sex IS NULL OR sex NOT IN ({sql_strings(SEXES)})",
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
        alone=True,
    )
    death = is_date("persons", "death_date")
    check(
        "persons",
        "death_date",
        f"death_date IS NOT NULL AND {death} IS NULL",
        gettext_noop("must be a date YYYY-MM-DD"),
    )
    check(
        "persons",
        "death_date",
        f"{death} < make_date(TRY_CAST({birth} AS INTEGER), 1, 1)",
        gettext_noop("lies before the year of birth"),
    )
    # The persons who died, for the rules on dates after death: a small table to join to.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE deceased AS SELECT person_id, min({death}) AS death "
        f"FROM persons WHERE {death} IS NOT NULL GROUP BY person_id"
    )
    known = "(SELECT person_id FROM persons)"

    def after_death(table: str, col: str) -> str:
        # a join to the few who died (an EXISTS over all persons is slow and cannot spill)
        return (
            f"(_file, _row) IN (SELECT (t._file, t._row) FROM {table} t "
            f"JOIN deceased d USING (person_id) "
            f"WHERE {is_date(table, col, 't.')} > d.death)"
        )

    # conditions
    check(
        "conditions",
        "person_id",
        f"person_id IS NULL OR person_id NOT IN {known}",
        gettext_noop("refers to a person not in persons"),
        alone=True,
    )
    check(
        "conditions",
        "condition",
        f"condition IS NULL OR condition NOT IN ({sql_strings(list(CONDITIONS))})",
        gettext_noop("is not one of the documented condition codes"),
    )
    check(
        "conditions",
        "start_date",
        f"{is_date('conditions', 'start_date')} IS NULL",
        gettext_noop("must be a date YYYY-MM-DD"),
    )
    check(
        "conditions",
        "start_date",
        after_death("conditions", "start_date"),
        gettext_noop("lies after the person's death"),
        alone=True,
    )
    # care events
    check(
        "care_events",
        "person_id",
        f"person_id IS NULL OR person_id NOT IN {known}",
        gettext_noop("refers to a person not in persons"),
        alone=True,
    )
    check(
        "care_events",
        "date",
        f"{is_date('care_events', 'date')} IS NULL",
        gettext_noop("must be a date YYYY-MM-DD"),
    )
    check(
        "care_events",
        "date",
        after_death("care_events", "date"),
        gettext_noop("lies after the person's death"),
        alone=True,
    )
    check(
        "care_events",
        "kind",
        f"kind IS NULL OR kind NOT IN ({sql_strings(list(EVENT_KINDS))})",
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
        f"stream IS NULL OR stream NOT IN ({sql_strings(STREAMS)})",
        gettext_noop("must be one of %(values)s"),
        {"values": ", ".join(STREAMS)},
    )
    for column in ("observed_from", "observed_to"):
        check(
            "persons",
            column,
            f"nullif(trim({column}), '') IS NOT NULL AND {is_date('persons', column)} IS NULL",
            gettext_noop("must be a date YYYY-MM-DD"),
        )
    check(
        "persons",
        "observed_to",
        f"{is_date('persons', 'observed_to')} < {is_date('persons', 'observed_from')}",
        gettext_noop("lies before observed_from"),
    )
    amount = as_number("care_events", "cost", "DOUBLE")
    comma = "regexp_full_match(trim(cost), '-?[0-9]+,[0-9]+')"
    if not amount:  # a number stored as a number has no decimal comma
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
        f"{amount} < 0 OR NOT isfinite({amount})"
        if amount
        else f"nullif(trim(cost), '') IS NOT NULL AND (TRY_CAST(cost AS DOUBLE) IS NULL OR "
        f"TRY_CAST(cost AS DOUBLE) < 0 OR NOT isfinite(TRY_CAST(cost AS DOUBLE))) AND NOT {comma}",
        gettext_noop("must be an amount of at least 0"),
    )
    return rules
