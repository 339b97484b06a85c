"""The regioplan as an Excel workbook: goals with progress, actions, milestones, roles, money."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from samenspel.analytics.plan.indicators import INDICATORS
from samenspel.analytics.spreadsheets import workbook_bytes
from samenspel.web.core.models import Programme
from samenspel.web.core.numbers import excel_money
from samenspel.web.core.selectors import demo_text

from . import selectors
from .labels import UNITS
from .models import Milestone, Theme
from .selectors import ActionView, GoalView


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)


def _blank(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def _goal_row(programme: Programme, theme: Theme, g: GoalView) -> list[Any]:
    p, latest = g.progress, g.progress.latest
    unit = str(UNITS[INDICATORS[g.goal.indicator].unit]) if g.goal.indicator else ""
    return [
        demo_text(theme.title, programme),
        demo_text(g.goal.title, programme),
        demo_text(g.indicator, programme),
        unit,
        g.goal.get_direction_display(),
        g.goal.baseline_year,
        _blank(None if g.goal.baseline_value is None else float(g.goal.baseline_value)),
        g.goal.target_year,
        float(g.goal.target_value),
        latest.year if latest else "",
        _blank(latest.value if latest else None),
        _blank(latest.low if latest else None),
        _blank(latest.high if latest else None),
        _blank(p.expected),
        g.status_label,
    ]


def _action_row(programme: Programme, g: GoalView, a: ActionView) -> list[Any]:
    action = a.action
    return [
        demo_text(g.goal.title, programme),
        demo_text(action.title, programme),
        action.owner.name,
        action.group.name if action.group else "",
        action.start_date,
        action.end_date or "",
        a.status_label,
        demo_text(action.comment, programme),
        float(a.cost),
        float(a.saving),
    ]


def plan_workbook(programme: Programme, today: dt.date) -> bytes:
    """Every goal, action, milestone and role of the plan, and its costs per party and stream."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    goals: list[list[Any]] = []
    actions: list[list[Any]] = []
    for theme, views in selectors.plan(programme, today):
        for g in views:
            goals.append(_goal_row(programme, theme, g))
            actions.extend(_action_row(programme, g, a) for a in g.actions)
    _sheet(book, _("Goals"), [
        _("Theme"), _("Goal"), _("Indicator"), _("Unit"), _("Direction"), _("Baseline year"),
        _("Baseline"), _("Target year"), _("Target"), _("Latest year"), _("Latest figure"),
        _("95% interval, low"), _("95% interval, high"), _("Expected on the line"), _("Status"),
    ], goals)  # fmt: skip
    _sheet(book, _("Actions"), [
        _("Goal"), _("Action"), _("Owner"), _("Responsible group"), _("Start"), _("End"),
        _("Status"), _("Status comment"), _("Cost over the horizon (€)"),
        _("Saving over the horizon (€)"),
    ], actions)  # fmt: skip
    _money_columns(book[_("Actions")], 9, 10)
    milestones = Milestone.objects.filter(programme=programme).select_related("action")
    _sheet(book, _("Milestones"), [
        _("Action"), _("Milestone"), _("Due date"), _("Done"), _("Done on"), _("Comment"),
    ], [
        [demo_text(m.action.title, programme), demo_text(m.title, programme), m.due,
         _("yes") if m.done else _("no"), m.done_on or "", demo_text(m.comment, programme)]
        for m in milestones.order_by("due", "pk")
    ])  # fmt: skip
    grid = selectors.matrix(programme, today)
    _sheet(
        book,
        _("Who does what"),
        [_("Organisation"), *(demo_text(a.action.title, programme) for a in grid["actions"])],
        [[org.name, *cells] for org, cells in grid["rows"]],
    )
    _sheet(
        book,
        _("Costs"),
        [_("Party"), _("Stream"), _("In the plan (€)"), _("In the agreement (€)")],
        [
            [c["party"], str(c["stream"]), float(c["plan"]), float(c["agreement"])]
            for c in selectors.costs(programme)
        ],
    )
    _money_columns(book[_("Costs")], 3, 4)
    return workbook_bytes(book)


def _money_columns(sheet: Any, first: int, last: int) -> None:
    for row in sheet.iter_rows(min_row=2, min_col=first, max_col=last):
        for cell in row:
            excel_money(cell)
