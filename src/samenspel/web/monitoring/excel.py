"""The regiobeeld as an Excel workbook: every (suppressed) table on its own sheet."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from samenspel.analytics.population.report import MUNICIPAL_TABLES
from samenspel.analytics.population.thresholds import ROUNDED
from samenspel.analytics.spreadsheets import workbook_bytes

SHEETS = (*MUNICIPAL_TABLES, "neighbourhoods", "neighbourhood_segments", "standardised")
TABLE_LABELS = {
    "population": gettext_lazy("population"),
    "pyramid": gettext_lazy("population pyramid"),
    "prevalence": gettext_lazy("conditions"),
    "multimorbidity": gettext_lazy("multimorbidity"),
    "segments": gettext_lazy("segments"),
    "care_use": gettext_lazy("care use"),
    "readmissions": gettext_lazy("readmissions"),
    "costs": gettext_lazy("costs"),
    "neighbourhoods": gettext_lazy("neighbourhoods"),
    "neighbourhood_segments": gettext_lazy("segments per neighbourhood"),
}


def regiobeeld_workbook(title: str, result: dict[str, Any]) -> bytes:
    book = Workbook()
    info = book.active
    assert info is not None
    info.title = "info"
    info.append([title])
    info.append([suppression_note(result)])
    info.append([_("Years"), ", ".join(map(str, result["years"]))])
    if not is_rounded(result):
        info.append([disclosure_note(result)])
        if withheld := withheld_note(result):
            info.append([withheld])
    add_regiobeeld_sheets(book, result)
    return workbook_bytes(book)


def is_rounded(result: dict[str, Any]) -> bool:
    return (result.get("disclosure") or {}).get("method") == ROUNDED


def protection_note(result: dict[str, Any]) -> str:
    """The rounded release's note ("" for exact counts, whose pages say it their own way)."""
    return rounded_note(result) if is_rounded(result) else ""


def rounded_note(result: dict[str, Any]) -> str:
    """How a rounded release protects its figures, as every page, export and PDF says it."""
    d = result["disclosure"]
    return _(
        "Rounded counts: every count differs from the true count by at most %(n)d (a total by "
        "at most the sum of its parts' differences, shown as ±), a cost by at most %(c)d%% "
        "divided by the square root of its persons. The same persons give the same figure in "
        "every release, so repeating or combining releases averages nothing away. Small "
        "counts are shown, rounded; only neighbourhood detail that a sum would give away is "
        "left out."
    ) % {"n": d["max_noise"], "c": round(100 * d["cost_noise"])}


def suppression_note(result: dict[str, Any]) -> str:
    """How the figures are protected: small counts hidden, or (a rounded release) rounded."""
    if is_rounded(result):
        return rounded_note(result)
    return _(
        "Counts below %(k)d are suppressed (empty cells), also where they could be "
        "recovered from totals."
    ) % {"k": result["threshold"]}


def disclosure_note(result: dict[str, Any]) -> str:
    d = result["disclosure"]
    return _(
        "Disclosure audit passed: combining every sheet, an outsider can determine no hidden "
        "figure, nor narrow a small one to fewer than %(p)d possible values or below the "
        "threshold (%(n)d checked)."
    ) % {"p": d["count_protection"], "n": d["cells_checked"]}


def withheld_note(result: dict[str, Any]) -> str:
    """Which tables the audit withheld for a whole year ("" when none)."""
    withheld = (result.get("disclosure") or {}).get("withheld") or []
    if not withheld:
        return ""
    parts = ", ".join(f"{TABLE_LABELS.get(w['table'], w['table'])} {w['year']}" for w in withheld)
    return _("Withheld whole, because hiding single rows could not protect them: %(tables)s.") % {
        "tables": parts
    }


def add_regiobeeld_sheets(book: Workbook, result: dict[str, Any]) -> None:
    """Append one sheet per regiobeeld table, as stored: already suppressed."""
    for name in SHEETS:
        rows = result.get(name) or []
        sheet = book.create_sheet(name)
        if not rows:
            continue
        columns = list(dict.fromkeys(c for row in rows for c in row if c != "suppressed"))
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(c) for c in columns])


def open_data_workbook(context: dict[str, Any]) -> bytes:
    """The open-data comparison as a workbook of its own."""
    book = Workbook()
    add_open_data_sheets(book, context, first=True)
    return workbook_bytes(book)


def add_open_data_sheets(book: Workbook, context: dict[str, Any], *, first: bool = False) -> None:
    """The open-data regiobeeld: the region per kind of care, its municipalities, the trend."""
    o = context["open"]
    labels = context["category_labels"]
    sheet = book.active if first and book.active is not None else book.create_sheet()
    sheet.title = _("Zvw open data")[:31]
    sheet.append([o["file"]])
    sheet.append([_("Year"), o["year"]])
    sheet.append(
        [_("Source"), _("Vektis open data") + (f" ({_('synthetic')})" if o["synthetic"] else "")]
    )
    sheet.append(
        [
            _(
                "Amounts in euros; insured-years as Vektis counts them; "
                "limits of the 95 percent interval."
            )
        ]
    )
    sheet.append([])
    _bold_row(sheet, [_("Kind of care"), *_comparison_header()])
    region = o["region"]
    rows = [(_("Total"), region.total), *((labels[k], c) for k, c in region.categories.items())]
    for label, c in rows:
        sheet.append([label, *_comparison(c)])
    areas = book.create_sheet(_("Municipalities")[:31])
    _bold_row(
        areas,
        [_("Municipality"), _("Insured-years"), *_comparison_header(), _("Rank in the country")],
    )
    for a in o["municipalities"]:
        areas.append(
            [a.name, round(a.insured_years, 2), *_comparison(a.total), o["rank"].get(a.key)]
        )
    if len(o["years"]) > 1:
        trend = book.create_sheet(_("Trend")[:31])
        _bold_row(trend, [_("Actual / expected"), *o["years"]])
        for row in o["trend"]:
            trend.append([row["name"], *(_round(v, 4) for v in row["ratios"])])


def _comparison_header() -> list[str]:
    return [
        _("Actual (€)"),
        _("Expected (€)"),
        _("Actual / expected"),
        _("Lower limit"),
        _("Upper limit"),
        _("Difference per insured-year (€)"),
    ]


def _comparison(c: Any) -> list[float | None]:
    """Actual, expected, ratio, interval and gap of one comparison, rounded for reading."""
    return [
        round(c.actual, 2),
        round(c.expected, 2),
        _round(c.ratio, 4),
        _round(c.interval and c.interval.low, 4),
        _round(c.interval and c.interval.high, 4),
        _round(c.gap_per_year, 2),
    ]


def _bold_row(sheet: Any, values: list[Any]) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
