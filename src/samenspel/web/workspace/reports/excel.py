"""The programme report as one Excel workbook: a sheet per table, native charts included."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from samenspel.analytics.population.regiobeeld import AGE_BANDS
from samenspel.analytics.spreadsheets import workbook_bytes
from samenspel.web.core.excel_charts import add_bar_chart
from samenspel.web.core.numbers import excel_money
from samenspel.web.finance.excel import add_agreement_sheets
from samenspel.web.monitoring.excel import (
    add_open_data_sheets,
    add_regiobeeld_sheets,
    suppression_note,
)

from .sections import ReportSections

BOLD = Font(bold=True)


def _table(sheet: Worksheet, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> int:
    """Append a table with a bold header; returns the row number of the header."""
    sheet.append(list(header))
    first = sheet.max_row
    for cell in sheet[first]:
        cell.font = BOLD
    for row in rows:
        sheet.append(list(row))
    return cast("int", first)


def _summary(book: Workbook, report: ReportSections) -> None:
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Summary")
    programme = report.programme
    sheet.append([programme.name])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_("Region"), programme.region.name])
    comp = report.composition["composition"]
    sheet.append([_("Organisations"), comp.organisations])
    sheet.append([_("People"), comp.people])
    sheet.append([_("Groups"), comp.groups])
    g = report.glance
    if g.dynamics:
        sheet.append([_("Survey wave"), g.dynamics["wave"].name])
        sheet.append([_("Response"), f"{g.dynamics['responded']}/{g.dynamics['invited']}"])
        sheet.append([_("Density"), g.dynamics["density"]])
    if g.money:
        sheet.append([_("Agreement"), str(g.money["agreement"])])
        sheet.append([_("Total NPV"), g.money["total_npv"]])
        unit = g.money["agreement"].amount_unit
        excel_money(sheet.cell(row=sheet.max_row, column=2), unit)
    if g.population:
        sheet.append([_("Regiobeeld year"), g.population["year"]])
        sheet.append([_("Population"), g.population["population"]])
        sheet.append([_("Multimorbidity") + " %", g.population["multimorbidity"]])
        sheet.append([_("Cost per inhabitant"), g.population["cost_per_capita"]])
    if report.open_data is not None:
        region = report.open_data["open"]["region"].total
        sheet.append([_("Zvw actual / expected (open data)"), round(region.ratio or 0, 4)])
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 40


def _composition(book: Workbook, report: ReportSections) -> None:
    section = report.composition
    comp, labels = section["composition"], section["labels"]
    sheet = book.create_sheet(_("Composition"))
    layers = section["layers"]
    _table(
        sheet,
        [_("Stakeholder group"), *[str(label) for _code, label in layers], _("In no group")],
        (
            [labels.get(group, group), *[row.get(code, 0) for code, _l in layers], row["none"]]
            for group, row in comp.participation.items()
        ),
    )
    sheet.append([])
    start = _table(
        sheet,
        [_("Domain"), _("Organisations")],
        ([labels.get(k, k), n] for k, n in comp.organisations_by_domain.items()),
    )
    domains = len(comp.organisations_by_domain)
    add_bar_chart(
        sheet,
        title=_("Organisations per domain"),
        header_row=start,
        rows=domains,
        anchor="H2",
        height=3 + 0.6 * domains,
        legend=False,
    )
    sheet.append([])
    _table(
        sheet,
        [_("Level"), _("Organisations")],
        ([labels.get(k, k), n] for k, n in comp.organisations_by_level.items()),
    )
    sheet.column_dimensions["A"].width = 30

    groups = book.create_sheet(_("Groups"))
    codes = list(comp.people_by_stakeholder_group)
    _table(
        groups,
        [_("Group"), _("Kind"), _("Layer"), _("Size"), *[labels.get(k, k) for k in codes]],
        (
            [
                g.name,
                labels.get(g.kind, g.kind),
                labels.get(g.layer, g.layer),
                g.size,
                *[g.by_stakeholder_group.get(k, 0) for k in codes],
            ]
            for g in comp.group_makeup
        ),
    )
    groups.column_dimensions["A"].width = 34


def _cell(value: int | None) -> int | str:
    return "—" if value is None else value


def _dynamics(book: Workbook, context: dict[str, Any]) -> None:
    dyn, labels = context["dyn"], context["labels"]
    sheet = book.create_sheet(_("Dynamics"))
    wave = context["wave"]
    sheet.append([_("Source"), context["source"], wave.name if wave else ""])
    if dyn.withheld:
        sheet.append([_("Too few answers submitted; survey figures are withheld.")])
    else:
        sheet.append([_("Density"), dyn.density])
        sheet.append([_("Degree centralisation"), dyn.centralisation])
    for attr, ei in dyn.ei.items():
        sheet.append([f"E-I ({labels.get(attr, attr)})", ei.index])
    if wave:
        sheet.append([_("Response"), dyn.responded, dyn.invited])
    sheet.append([])
    sheet.append([_("What to act on")])
    for _advice, text in context["advice"]:
        sheet.append([text])
    for attr, matrix in context["matrices"]:
        sheet.append([])
        sheet.append(
            [
                _("Contact between layers")
                if attr == "layer"
                else _("Contact between stakeholder groups")
            ]
        )
        _table(
            sheet,
            [_("From / to"), *[labels.get(g, g) for g in matrix.groups]],
            (
                [labels.get(a, a), *[_cell(matrix.ties[a].get(b, 0)) for b in matrix.groups]]
                for a in matrix.groups
            ),
        )
    if wave:
        sheet.append([])
        _table(
            sheet,
            [_("Organisation"), _("Trust"), _("Value"), _("Respondents")],
            (
                [
                    org,
                    None if s.suppressed else s.trust,
                    None if s.suppressed else s.value,
                    f"< {context['dyn'].min_respondents}" if s.suppressed else s.respondents,
                ]
                for org, s in context["org_scores"]
            ),
        )
    sheet.column_dimensions["A"].width = 34


def _population_charts(book: Workbook, context: dict[str, Any]) -> None:
    """The shown year's age pyramid and cost per stream (region total), with bar charts."""
    v = context["v"]
    sheet = book.create_sheet(_("Regiobeeld charts"))
    sheet.append([f"{_('Regiobeeld')} {v.year}", context["run"].dataset.name])
    sheet.append([])
    start = _table(
        sheet,
        [_("Age"), _("Women"), _("Men")],
        ([band, v.women.get(band), v.men.get(band)] for band in AGE_BANDS),
    )
    add_bar_chart(
        sheet,
        title=_("Age pyramid"),
        header_row=start,
        rows=len(AGE_BANDS),
        anchor="F2",
        series=2,
        height=12,
    )
    sheet.append([])
    start = _table(sheet, [_("Financing stream"), _("Cost per inhabitant")], v.costs)
    add_bar_chart(
        sheet,
        title=_("Cost per inhabitant"),
        header_row=start,
        rows=len(v.costs),
        anchor="F28",
        height=3 + 0.6 * len(v.costs),
        legend=False,
    )


def programme_workbook(report: ReportSections) -> bytes:
    """Summary, composition, dynamics, business case and regiobeeld in one workbook."""
    book = Workbook()
    _summary(book, report)
    _composition(book, report)
    if report.dynamics is not None:
        _dynamics(book, report.dynamics)
    if report.money is not None:
        add_agreement_sheets(book, report.money["agreement"], report.money["evaluation"])
    if report.open_data is not None:
        add_open_data_sheets(book, report.open_data)
    if report.population is not None and report.population.get("result"):
        result = report.population["result"]
        summary = book[_("Summary")]
        summary.append([])
        summary.append([suppression_note(result)])
        _population_charts(book, report.population)
        add_regiobeeld_sheets(book, result)
    return workbook_bytes(book)
