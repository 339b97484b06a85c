"""File downloads: the attachment header, and the one way spreadsheets and CSV files are written
(:mod:`samenspel.analytics.spreadsheets`: no text becomes a formula)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from samenspel.analytics.spreadsheets import csv_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes | str, content_type: str, filename: str) -> HttpResponse:
    """A response the browser saves as ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(rows: Iterable[Sequence[Any]], filename: str) -> HttpResponse:
    return attachment(csv_text(rows), "text/csv; charset=utf-8", filename)


