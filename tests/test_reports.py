"""The programme report (PDF and Excel): every part present, members only, small counts never."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from samenspel.web.core.accounts.models import AuditEvent
from samenspel.web.finance.models import Agreement
from samenspel.web.monitoring.models import RegiobeeldRun

from .conftest import World
from .test_money_web import agreement  # noqa: F401  (fixture)
from .test_monitoring_web import run  # noqa: F401  (fixture)

COUNT_COLUMNS = ("persons", "events", "readmissions")


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_pdf_has_all_four_parts_with_charts(
    world: World,
    agreement: Agreement,  # noqa: F811
    run: RegiobeeldRun,  # noqa: F811
) -> None:
    response = world.client_for(world.viewer).get(f"/p/{world.a.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="programmarapport-alpha-' in response["Content-Disposition"]
    text = _pdf_text(response.content)
    for heading in ("1. Samenstelling", "2. Dynamiek", "3. Businesscase", "4. Regiobeeld"):
        assert heading in text
    assert "Alpha" in text and "Deal" in text and "Hospital A" in text
    assert "Bevolkingspiramide" in text and "Verevening" in text
    # The regiobeeld part shows the region (5 persons) but marks the towns (3, 2) as suppressed.
    assert "onder 3 onderdrukt" in text
    assert AuditEvent.objects.filter(
        programme=world.a, user=world.viewer, action="export programme report"
    ).exists()


def test_pdf_of_an_empty_programme_says_what_is_missing(world: World) -> None:
    response = world.client_for(world.outsider).get(f"/p/{world.b.pk}/report.pdf")
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "Nog geen afspraak" in text and "Nog geen regiobeeld" in text


def test_excel_has_every_table_and_native_charts_without_small_counts(
    world: World,
    agreement: Agreement,  # noqa: F811
    run: RegiobeeldRun,  # noqa: F811
) -> None:
    response = world.client_for(world.partner).get(f"/p/{world.a.pk}/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    for sheet in ("Samenvatting", "Samenstelling", "Groepen", "Dynamiek", "Businesscase"):
        assert sheet in book.sheetnames
    assert {"population", "pyramid", "costs"} <= set(book.sheetnames)
    summary = {row[0]: row[1] for row in book["Samenvatting"].values if row and row[0]}
    assert summary["Organisaties"] == 2 and summary["Afspraak"].startswith("Deal")
    # hidden, even the region's total: its five persons fill five pyramid cells of one each
    assert summary["Populatie"] is None
    charts = sum(len(ws._charts) for ws in book.worksheets)
    assert charts >= 3  # organisations per domain, wrong pocket, age pyramid, cost per stream
    for name in ("population", "pyramid", "prevalence", "segments", "care_use", "costs"):
        rows = list(book[name].values)
        for row in rows[1:]:
            record = dict(zip(rows[0], row, strict=True))
            for column in COUNT_COLUMNS:
                value = record.get(column)
                assert value is None or value == 0 or value >= 3, (name, record)
    pyramid = list(book["Regiobeeld grafieken"].values)
    counts = [v for row in pyramid[3:21] for v in row[1:3] if isinstance(v, int | float)]
    assert all(v == 0 or v >= 3 for v in counts)


@pytest.mark.parametrize("suffix", ["report.pdf", "report.xlsx"])
def test_outsiders_get_no_report(
    world: World,
    run: RegiobeeldRun,  # noqa: F811
    suffix: str,
) -> None:
    response = world.client_for(world.outsider).get(f"/p/{world.a.pk}/{suffix}")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(user=world.outsider).exists()
    anonymous = Client().get(f"/p/{world.a.pk}/{suffix}")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
