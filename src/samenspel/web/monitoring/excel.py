"""The regiobeeld as an Excel workbook: every (suppressed) table on its own sheet."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from samenspel.web.core.downloads import workbook_bytes

SHEETS = (
    "population",
    "pyramid",
    "prevalence",
    "multimorbidity",
    "segments",
    "care_use",
    "readmissions",
    "costs",
)


def regiobeeld_workbook(title: str, result: dict[str, Any]) -> bytes:
    book = Workbook()
    info = book.active
    assert info is not None
    info.title = "info"
    info.append([title])
    info.append([suppression_note(result)])
    info.append([_("Years"), ", ".join(map(str, result["years"]))])
    add_regiobeeld_sheets(book, result)
    return workbook_bytes(book)


def suppression_note(result: dict[str, Any]) -> str:
    return _(
        "Counts below %(k)d are suppressed (empty cells), also where they could be "
        "recovered from totals."
    ) % {"k": result["threshold"]}


def add_regiobeeld_sheets(book: Workbook, result: dict[str, Any]) -> None:
    """Append one sheet per regiobeeld table, as stored: already suppressed."""
    for name in SHEETS:
        rows = result.get(name) or []
        sheet = book.create_sheet(name)
        if not rows:
            continue
        columns = [c for c in rows[0] if c != "suppressed"]
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row.get(c) for c in columns])
