"""Native Excel bar charts over a table already written to a sheet."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.worksheet.worksheet import Worksheet


def add_bar_chart(
    sheet: Worksheet,
    *,
    title: str,
    header_row: int,
    rows: int,
    anchor: str,
    series: int = 1,
    height: float,
    width: float = 16,
    legend: bool = True,
    value_title: str | None = None,
) -> None:
    """Horizontal bars of the ``rows`` rows under ``header_row``: categories in column A, one
    series per column from B on, named by the header. Nothing is drawn for an empty table."""
    if rows == 0:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    if not legend:
        chart.legend = None
    if value_title:
        chart.y_axis.title = value_title
    data = Reference(
        sheet, min_col=2, max_col=1 + series, min_row=header_row, max_row=header_row + rows
    )
    categories = Reference(sheet, min_col=1, min_row=header_row + 1, max_row=header_row + rows)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    chart.height, chart.width = height, width
    sheet.add_chart(chart, anchor)
