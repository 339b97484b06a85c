"""The published regiobeeld as files to take away: every table after protection, as CSV, Parquet
or Excel, with a README of its columns and units.

The files are written to a new folder beside the target and moved into place only when all are
written, so a failed or interrupted export leaves nothing half-written.
"""

from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path
from typing import Any

from samenspel.analytics.spreadsheets import csv_inert, workbook_bytes

from .thresholds import ROUNDED

FORMATS = ("csv", "parquet", "xlsx")
# The report's tables, in the order a reader meets them, with what one row is.
TABLES = {
    "population": "persons per year and municipality ('total': the whole region)",
    "pyramid": "persons per year, municipality, five-year age band and sex",
    "prevalence": "persons with each chronic condition, per year and municipality",
    "multimorbidity": "persons with two or more chronic conditions",
    "segments": "persons and their cost per population segment",
    "care_use": "care events per kind of care",
    "readmissions": "hospital admissions and readmissions within 30 days",
    "costs": "cost per financing stream",
    "neighbourhoods": "persons per neighbourhood",
    "neighbourhood_segments": "population segments per neighbourhood",
    "standardised": "rates standardised for age and sex, with 95% intervals",
    "settlement": "cost per inhabitant truncated at the 99th percentile, for the whole region",
}
# What each column means and in which unit, for the README.
COLUMNS = {
    "year": "calendar year",
    "municipality": "CBS municipality code (GM0828), or 'total' for the whole region",
    "neighbourhood": "neighbourhood as named in the data",
    "age_band": "five-year age band on 1 January",
    "sex": "F, M or X",
    "condition": "chronic condition code (docs/population.md)",
    "segment": "population segment code",
    "kind": "kind of care code",
    "stream": "financing stream (Zvw, Wlz, Wmo, Jeugdwet, Wpg, other)",
    "indicator": "condition or kind of care",
    "persons": "number of persons",
    "events": "number of care events",
    "admissions": "number of hospital admissions",
    "readmissions": "number of readmissions within 30 days",
    "events_without_cost": "number of care events without a known cost",
    "cost": "euros",
    "cost_per_person": "euros per person",
    "per_capita": "euros per inhabitant",
    "per_1000": "per 1,000 inhabitants",
    "admissions_per_1000": "admissions per 1,000 inhabitants",
    "percent": "percent of the inhabitants",
    "readmission_percent": "percent of the admissions",
    "unknown_cost_percent": "percent of the care events without a known cost",
    "observed": "number of persons (conditions) or care events (kinds of care)",
    "crude_per_1000": "crude rate per 1,000 inhabitants",
    "crude_low": "crude rate, lower end of Wilson's 95% interval",
    "crude_high": "crude rate, upper end of Wilson's 95% interval",
    "dsr_per_1000": "rate per 1,000 standardised to the European Standard Population 2013",
    "dsr_low": "standardised rate, lower end of Dobson's 95% interval",
    "dsr_high": "standardised rate, upper end of Dobson's 95% interval",
    "expected": "number expected at the region's rates for each sex and age band",
    "ratio": "observed / expected (1: as the region)",
    "ratio_low": "ratio, lower end of the exact Poisson 95% interval",
    "ratio_high": "ratio, upper end of the exact Poisson 95% interval",
    "insured_years": "person-years: the share of the year each person was alive and observed",
    "actual_per_insured_year": "Zvw cost per insured-year (person-year) in euros",
    "expected_per_insured_year": "Zvw cost per insured-year in euros at Vektis's national rates",
    "accuracy": "rounded release: every count of the row is within this many of the truth",
    "suppressed": "true: the figures of this row are hidden (see Hidden figures)",
    "percentile": "each person's cost counts up to this percentile of the year",
    "truncated_per_capita": "euros per inhabitant, each person's cost truncated",
    "sd_per_capita": "standard deviation of the truncated cost per person, in euros",
    "reason": "why the row is hidden: too few persons above the percentile, one person "
    "dominating, no cost above zero, the region's cost hidden, or a rounded release",
}


class ExportError(ValueError):
    """The export cannot be written; nothing was."""


def _columns(rows: list[dict[str, Any]]) -> list[str]:
    """Every column of the rows, in the order they first appear (hidden rows carry fewer)."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _protection(report: dict[str, Any], threshold: Any) -> list[str]:
    """How the figures are protected, as the README says it."""
    disclosure = report.get("disclosure") or {}
    if disclosure.get("method") == ROUNDED:
        return [
            "## Rounded figures",
            "",
            f"Every count is rounded at random, by at most {disclosure.get('max_noise')} either "
            "way, and never below one; a total is the sum of its parts, within the sum of their "
            "accuracies (column `accuracy`). A cost moves by at most "
            f"{round(100 * disclosure.get('cost_noise', 0))}% divided by the square root of its "
            "persons. The same persons always give the same figures, in every release.",
        ]
    return [
        "## Hidden figures",
        "",
        f"An empty cell is hidden, not zero: a count below {threshold} persons is hidden, and so "
        "is every figure from which a hidden count could be worked out (from totals, from other "
        "tables, or from a rate and its population). Rows with `suppressed` true show no "
        "figures at all.",
    ]


def _readme(report: dict[str, Any], written: dict[str, list[str]], fmt: str) -> str:
    threshold = report.get("threshold")
    lines = [
        "# Regiobeeld",
        "",
        f"Years {', '.join(str(y) for y in report.get('years', []))}; "
        f"{len(report.get('municipalities', []))} municipalities; computed with "
        f"{report.get('engine', 'duckdb')}. One {fmt.upper()} "
        + ("sheet" if fmt == "xlsx" else "file")
        + " per table.",
        "",
        *_protection(report, threshold),
        "",
        "## Tables",
        "",
    ]
    for table, columns in written.items():
        lines.append(f"### {table}")
        lines.append("")
        lines.append(TABLES[table].capitalize() + ".")
        lines.append("")
        lines.append("| column | meaning and unit |")
        lines.append("|---|---|")
        for column in columns:
            meaning = COLUMNS.get(column, "see docs/population.md")
            lines.append(f"| `{column}` | {meaning} |")
        lines.append("")
    return "\n".join(lines)


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_inert(_plain(row.get(c))) for c in columns])


def _plain(value: Any) -> Any:
    """A cell as written: nothing for a hidden or missing value, interval lists as text."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "–".join(str(v) for v in value)
    return value


def _write_parquet(path: Path, columns: list[str], rows: list[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows])
    pq.write_table(table, path)


def _workbook(tables: dict[str, tuple[list[str], list[dict[str, Any]]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for name, (columns, rows) in tables.items():
        sheet = book.create_sheet(name[:31])
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([None if row.get(c) is None else _plain(row.get(c)) for c in columns])
    return workbook_bytes(book)


def write_tables(report: dict[str, Any], out: Path, fmt: str) -> list[Path]:
    """Write every published table of ``report`` into the new folder ``out`` (which may exist
    only when empty); returns the files written."""
    if fmt not in FORMATS:
        raise ExportError(f"--format is one of {', '.join(FORMATS)}")
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ExportError(f"{out.name} exists and is not an empty folder; choose a new one")
    tables = {
        name: (_columns(report[name]), report[name]) for name in TABLES if report.get(name)
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        if fmt == "xlsx":
            (partial / "regiobeeld.xlsx").write_bytes(_workbook(tables))
        for name, (columns, rows) in tables.items():
            if fmt == "csv":
                _write_csv(partial / f"{name}.csv", columns, rows)
            elif fmt == "parquet":
                _write_parquet(partial / f"{name}.parquet", columns, rows)
        readme = _readme(report, {n: c for n, (c, _r) in tables.items()}, fmt)
        (partial / "README.md").write_text(readme, encoding="utf-8")
        if out.exists():
            out.rmdir()
        partial.rename(out)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return sorted(out.iterdir())
