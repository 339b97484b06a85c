"""Spreadsheet and CSV files that no text can turn into a formula.

Every text that reaches a spreadsheet or CSV passes through :func:`inert`, so data such as an
organisation named ``=HYPERLINK(...)`` is stored as text and never runs as a formula in Excel
or LibreOffice (CSV injection, OWASP). The product writes no formulas of its own.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

# A cell starting with one of these is read as a formula (or a DDE command) by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Excel splits a CSV file on the separator of the reader's locale: a comma, a semicolon (Dutch
# Excel) or a tab, and a quote only counts at a cell's start, so under another separator a line
# break inside a quoted text starts a row. A formula start right after any of these (past spaces
# and quotes) begins a cell there, so it gets the quote prefix too.
AFTER_SEPARATOR = re.compile(r"""([,;\t\r\n][\s"]*)(?=[=+\-@])""")


def inert(value: Any) -> Any:
    """``value`` unchanged unless it is text a spreadsheet would run; that gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_inert(value: Any) -> Any:
    """``inert(value)``, and inert after every separator a spreadsheet may split the text on."""
    value = inert(value)
    return AFTER_SEPARATOR.sub(r"\1'", value) if isinstance(value, str) else value


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """CSV of ``rows`` with every text cell made inert, whichever separator the reader's
    spreadsheet splits on; numbers stay numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_inert(v) for v in row])
    return buffer.getvalue()


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as .xlsx, after turning every formula-like text cell into plain text.

    openpyxl stores a text starting with ``=`` as a formula; such cells are set back to text and
    all formula-like texts get Excel's quote prefix, so editing the cell does not run it either.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
