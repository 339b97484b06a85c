"""The agreement as an Excel workbook for signing and for the partners' own spreadsheets."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from samenspel.analytics.business_case import BusinessCase, Settlement
from samenspel.analytics.spreadsheets import workbook_bytes
from samenspel.web.core.excel_charts import add_bar_chart
from samenspel.web.core.numbers import excel_money
from samenspel.web.core.numbers import money as money_text

from .evaluation import Evaluation
from .models import RULE_CHOICES, Agreement, Stream

RULE_LABELS = dict(RULE_CHOICES)


def _rule(rule: str) -> str:
    return str(RULE_LABELS.get(rule, rule))


def _margin(result: Settlement, unit: str) -> str:
    bound = result.allocation.error_bound
    return _("within the margin (± %(bound)s)") % {"bound": money_text(bound, unit)}


def _blank_if_none(value: float | None) -> float | str:
    return "" if value is None else value


def _as_money(sheet: Worksheet, unit: str, *, after_row: int) -> None:
    """Write every number below ``after_row`` as an amount in euros."""
    for row in sheet.iter_rows(min_row=after_row + 1):
        for cell in row:
            excel_money(cell, unit)


def agreement_workbook(agreement: Agreement, evaluation: Evaluation) -> bytes:
    """The agreement's business case, allocation and side payments as a workbook."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    add_agreement_sheets(book, agreement, evaluation)
    return workbook_bytes(book)


def add_agreement_sheets(book: Workbook, agreement: Agreement, evaluation: Evaluation) -> None:
    """Append the agreement's sheets to ``book``; a wrong-pocket bar chart included."""
    bold = Font(bold=True)
    start = len(book.worksheets)
    sheet = book.create_sheet(_("Business case"))
    sheet.append([str(agreement), f"{agreement.programme}"])
    sheet.append([_("Discount rate"), float(agreement.discount_rate)])
    sheet.cell(sheet.max_row, 2).number_format = "0.00%"
    sheet.append([_("Amounts in"), _("euros")])
    if evaluation.problems:
        sheet.append([_("Problems")])
        for problem in evaluation.problems:
            sheet.append([problem])
    case = evaluation.case
    if case is not None:
        sheet.append([])
        sheet.append([_("Party"), "", *case.years, _("NPV")])
        header_row = sheet.max_row
        for party in case.parties:
            sheet.append([party.party, _("costs"), *party.costs])
            sheet.append(["", _("savings"), *party.savings])
            sheet.append(["", _("revenue (new minus lost)"), *party.revenue])
            sheet.append(["", _("net"), *party.net, party.npv])
            sheet.append(["", _("cumulative"), *party.cumulative])
        sheet.append([_("Total"), "", *[""] * len(case.years), case.total_npv])
        _as_money(sheet, agreement.amount_unit, after_row=header_row)

        pocket = book.create_sheet(_("Wrong pocket"))
        pocket.append(
            [_("Party"), _("Invests or loses (PV)"), _("Saves or earns (PV)"), _("Net (PV)")]
        )
        for row in case.wrong_pocket:
            pocket.append(list(row))
        _as_money(pocket, agreement.amount_unit, after_row=1)
        _streams_sheet(book, agreement, case)
        shown = len(case.wrong_pocket)
        add_bar_chart(
            pocket,
            title=_("Who invests and who saves"),
            header_row=1,
            rows=shown,
            anchor="F2",
            series=2,
            height=3 + 1.2 * shown,
            width=18,
            value_title=_("Present value"),
        )

    allocation = book.create_sheet(_("Allocation"))
    transfers = book.create_sheet(_("Side payments"))
    transfers.append(
        [_("Rule"), _("Payer"), _("Payee"), _("Present value"), _("Per year"), _("Note")]
    )
    if evaluation.data is not None and evaluation.settlements:
        parties = list(evaluation.data.parties)
        allocation.append(
            [_("Rule"), *parties, _("In the core"), _("Largest excess"), _("Blocking coalition")]
        )
        for rule, result in evaluation.settlements.items():
            shares = result.allocation.as_dict()
            core = result.allocation.core
            allocation.append(
                [
                    _rule(rule),
                    *[shares[p] for p in parties],
                    _("not checked") if core is None else (_("yes") if core.in_core else _("no")),
                    None if core is None else core.max_excess,
                    "" if core is None else ", ".join(core.blocking),
                ]
            )
            for t, y, within in zip(
                result.transfers, result.yearly_transfers, result.within_margin, strict=True
            ):
                if within:  # smaller than the sampling bound: no amount to sign for
                    note = _margin(result, agreement.amount_unit)
                    transfers.append([_rule(rule), t.payer, t.payee, None, None, note])
                else:
                    transfers.append([_rule(rule), t.payer, t.payee, t.amount, y.amount, ""])
        allocation.append([])
        allocation.append([_("Least-core epsilon"), evaluation.least_core_epsilon])
        _as_money(allocation, agreement.amount_unit, after_row=1)
        _as_money(transfers, agreement.amount_unit, after_row=1)
        if evaluation.risks:
            risk = book.create_sheet(_("Uncertainty"))
            risk.append([_("Probability of a positive NPV after side payments")])
            risk.append([_("Rule"), *parties])
            for rule, r in evaluation.risks.items():
                risk.append(
                    [
                        _rule(rule),
                        *[_blank_if_none(r.probability_positive[p]) for p in parties],
                    ]
                )
    if evaluation.realised:
        _settlement_sheet(book, agreement, evaluation)
    for ws in book.worksheets[start:]:
        for cell in ws[1]:
            cell.font = bold


def _streams_sheet(book: Workbook, agreement: Agreement, case: BusinessCase) -> None:
    """The party x stream matrix: what each party pays, saves and earns, in present value."""
    streams = book.create_sheet(_("Financing streams"))
    streams.append(
        [_("Party"), _("Financing stream"), _("Pays (PV)"), _("Saves (PV)"), _("Earns (PV)")]
    )
    labels = dict(Stream.choices)
    for name, stream, pays, saves, earns in case.stream_matrix():
        streams.append([name, str(labels.get(stream, stream)), pays, saves, earns])
    _as_money(streams, agreement.amount_unit, after_row=1)


def _settlement_sheet(book: Workbook, agreement: Agreement, evaluation: Evaluation) -> None:
    """Realised savings per year and stream, and per party as planned against realised."""
    sheet = book.create_sheet(_("Settlement"))
    labels = dict(Stream.choices)
    sheet.append(
        [_("Year"), _("Financing stream"), _("Benchmark"), _("Realised cost"), _("Savings"),
         _("Savings rate"), _("Planned savings"), _("Shared"), _("Note"), _("Minimum rate"),
         _("Sharing rate"), _("Target or sum"), _("Funder gains"),
         _("truncated at the 99th percentile")]
    )  # fmt: skip
    for o, planned in evaluation.realised:
        note = (
            _("awaits the quality score") if o.quality_missing
            else _("capped") if o.capped
            else "" if o.qualifies
            else _("loss, not shared") if o.savings < 0
            else _("below the minimum rate")
        )  # fmt: skip
        sheet.append(
            [o.year.year, str(labels.get(o.year.stream, o.year.stream)), o.benchmark,
             o.year.counted_cost, o.savings, None, None if planned is None else planned.savings,
             o.shared, note]
        )  # fmt: skip
        sheet.cell(sheet.max_row, 6, o.savings_rate).number_format = "0.0%"
        sheet.cell(sheet.max_row, 10, o.minimum_rate).number_format = "0.0#%"
        sheet.cell(sheet.max_row, 11, o.sharing_rate).number_format = "0.0#%"
        sheet.cell(sheet.max_row, 12, o.target)
        sheet.cell(sheet.max_row, 13, o.funder_gain)
        sheet.cell(sheet.max_row, 14, _("yes") if o.year.truncated else _("no"))
    sheet.append([])
    sheet.append([_("Party"), _("Year"), _("Financing stream"), _("As planned"), _("Realised")])
    for o, planned in evaluation.realised:
        for party, amount in o.per_party.items():
            sheet.append(
                [party, o.year.year, str(labels.get(o.year.stream, o.year.stream)),
                 None if planned is None else planned.per_party.get(party), amount]
            )  # fmt: skip
    for row in sheet.iter_rows(min_row=2):
        for cell in row[2:]:
            if isinstance(cell.value, float) and "%" not in cell.number_format:
                excel_money(cell, agreement.amount_unit)
