"""Reads of the regioplan: goals with their progress, actions with status and money, views."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q

from samenspel.analytics.plan.indicators import Observation
from samenspel.analytics.plan.progress import (
    ActionStatus,
    Direction,
    Progress,
    Step,
    Target,
    action_status,
    assess,
)
from samenspel.web.core.accounts.access import is_director
from samenspel.web.core.accounts.models import ProgrammeRole, Role
from samenspel.web.core.approvals import fingerprint, round_status
from samenspel.web.core.models import Initiative, Organisation, Programme
from samenspel.web.core.numbers import in_euros
from samenspel.web.core.resources import RESOURCES
from samenspel.web.core.schemas import serialise
from samenspel.web.core.selectors import demo_text
from samenspel.web.finance.models import LineKind, MoneyLine, Stream, parse_years

from .figures import latest_figures, source_text
from .labels import ACTION_STATUS, GOAL_STATUS, indicator_label
from .models import Action, Goal, Milestone, PlanVersion, Raci, Responsibility, Theme


@dataclass
class GoalView:
    goal: Goal
    indicator: str
    progress: Progress
    status_label: str
    figures: list[Observation]
    source: str
    actions: list[ActionView] = field(default_factory=list)


@dataclass
class ActionView:
    action: Action
    status: ActionStatus
    status_label: str
    milestones: list[Milestone]
    cost: Decimal
    saving: Decimal
    roles: dict[int, str] = field(default_factory=dict)  # organisation id → R/A/C/I

    @property
    def done_milestones(self) -> int:
        return sum(1 for m in self.milestones if m.done)


def _figures(goal: Goal) -> tuple[list[Observation], str]:
    if goal.indicator:
        source, figures = latest_figures(goal.programme_id, goal.indicator)
        return figures, source_text(source)
    return [
        Observation(
            m.year,
            float(m.value),
            None if m.low is None else float(m.low),
            None if m.high is None else float(m.high),
        )
        for m in goal.measurements.all()
    ], ", ".join(
        sorted({demo_text(m.source, goal.programme) for m in goal.measurements.all() if m.source})
    )


def goal_view(goal: Goal) -> GoalView:
    """A goal with its figures and its status by the stated rule."""
    figures, source = _figures(goal)
    if goal.baseline_value is None:  # only a goal stored before its baseline could be found
        progress = assess(Target(goal.baseline_year, 0, goal.target_year, 0, Direction.UP), [])
    else:
        target = Target(
            goal.baseline_year,
            float(goal.baseline_value),
            goal.target_year,
            float(goal.target_value),
            Direction(goal.direction),
        )
        progress = assess(target, figures)
    label = indicator_label(goal.indicator) if goal.indicator else goal.own_indicator
    return GoalView(goal, label, progress, str(GOAL_STATUS[progress.status]), figures, source)


def _line_total(line: MoneyLine) -> Decimal:
    """A money line's likely amount in euros over the agreement's horizon (undiscounted)."""
    agreement = line.intervention.agreement
    try:
        years = len(parse_years(line.years, agreement.horizon))
    except ValidationError:
        years = 0
    return Decimal(str(in_euros(float(line.likely), agreement.amount_unit))) * years


def _actions(programme: Programme) -> list[Action]:
    return list(
        Action.objects.filter(programme=programme)
        .select_related("owner", "group", "initiative", "goal")
        .prefetch_related(
            "people",
            "milestones",
            "responsibilities",
            Prefetch(
                "interventions__lines",
                queryset=MoneyLine.objects.select_related("party", "intervention__agreement"),
            ),
        )
    )


def action_view(action: Action, today: dt.date) -> ActionView:
    milestones = list(action.milestones.all())
    status = action_status(
        [Step(m.due, m.done) for m in milestones], done=action.done, today=today
    )
    cost = saving = Decimal(0)
    for intervention in action.interventions.all():
        for line in intervention.lines.all():
            if line.kind == LineKind.COST:
                cost += _line_total(line)
            elif line.kind == LineKind.SAVING:
                saving += _line_total(line)
    roles = {r.organisation_id: r.role for r in action.responsibilities.all()}
    roles.setdefault(action.owner_id, Raci.ACCOUNTABLE)
    return ActionView(action, status, str(ACTION_STATUS[status]), milestones, cost, saving, roles)


def plan(programme: Programme, today: dt.date) -> list[tuple[Theme, list[GoalView]]]:
    """The plan: each theme with its goals, each goal with its progress and its actions."""
    views = {a.pk: action_view(a, today) for a in _actions(programme)}
    by_goal: dict[int, list[ActionView]] = defaultdict(list)
    for view in views.values():
        by_goal[view.action.goal_id].append(view)
    out = []
    themes = Theme.objects.filter(programme=programme).prefetch_related(
        Prefetch(
            "goals",
            queryset=Goal.objects.select_related("programme").prefetch_related("measurements"),
        )
    )
    for theme in themes:
        goals = []
        for goal in theme.goals.all():
            gv = goal_view(goal)
            gv.actions = by_goal.get(goal.pk, [])
            goals.append(gv)
        out.append((theme, goals))
    return out


def open_initiatives(programme: Programme) -> list[Initiative]:
    """Initiatives from the field that no action of the plan has adopted yet."""
    return list(
        Initiative.objects.filter(programme=programme, plan_actions__isnull=True)
        .select_related("proposed_by_person__organisation", "proposed_by_group")
        .order_by("-proposed_on")
    )


def agenda(programme: Programme, today: dt.date) -> list[dict[str, Any]]:
    """The werkagenda: the milestones per responsible group, by date, with their status."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    milestones = Milestone.objects.filter(programme=programme).select_related(
        "action__group", "action__owner"
    )
    for m in milestones.order_by("due", "id"):
        name = m.action.group.name if m.action.group else ""
        late = not m.done and m.due < today
        groups[name].append({"milestone": m, "late": late, "quarter": _quarter(m.due)})
    return [{"group": g, "items": items} for g, items in sorted(groups.items(), key=_group_key)]


def _group_key(item: tuple[str, list[dict[str, Any]]]) -> tuple[bool, str]:
    return (item[0] == "", item[0].lower())


def _quarter(day: dt.date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def matrix(programme: Programme, today: dt.date) -> dict[str, Any]:
    """The responsibility matrix: organisations × actions, R/A/C/I (the owner is A)."""
    actions = [action_view(a, today) for a in _actions(programme)]
    involved = {org for view in actions for org in view.roles}
    organisations = list(Organisation.objects.filter(programme=programme, pk__in=involved))
    rows = [
        (org, [view.roles.get(org.pk, "") for view in actions]) for org in organisations
    ]
    return {"actions": actions, "rows": rows, "legend": Raci.choices}


def for_organisation(
    programme: Programme, organisation: Organisation, today: dt.date
) -> dict[str, Any]:
    """What the plan asks of one organisation: its actions, milestones, money and goals."""
    mine = [
        action_view(a, today)
        for a in _actions(programme)
        if a.owner_id == organisation.pk
        or any(r.organisation_id == organisation.pk for r in a.responsibilities.all())
    ]
    money: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    seen: set[int] = set()
    for view in mine:
        for intervention in view.action.interventions.all():
            if intervention.pk in seen:
                continue
            seen.add(intervention.pk)
            for line in intervention.lines.all():
                if line.party_id == organisation.pk:
                    money[(line.stream, line.kind)] += _line_total(line)
    goals = {view.action.goal_id: view.action.goal for view in mine}
    milestones = sorted(
        ((m, view.action) for view in mine for m in view.milestones), key=lambda p: p[0].due
    )
    return {
        "actions": mine,
        "milestones": [{"milestone": m, "action": a, "late": not m.done and m.due < today}
                       for m, a in milestones],
        "money": [
            {"stream": _label(Stream, s), "kind": _label(LineKind, k), "amount": amount}
            for (s, k), amount in sorted(money.items())
        ],
        "goals": [goal_view(g) for g in goals.values()],
    }


def _label(choices: type[Stream] | type[LineKind], code: str) -> str:
    """A code's label; a code no longer among the choices shows as it is."""
    return str(choices(code).label) if code in choices.values else code


def costs(programme: Programme) -> list[dict[str, Any]]:
    """The plan's costs per party and stream against the agreements that pay for them.

    ``plan``: the cost lines of the interventions linked to the plan's actions (each counted
    once); ``agreement``: every cost line of the agreements those interventions belong to.
    """
    linked = set(
        Action.interventions.through.objects.filter(action__programme=programme).values_list(
            "intervention_id", flat=True
        )
    )
    lines = MoneyLine.objects.filter(
        programme=programme, kind=LineKind.COST, intervention__agreement__interventions__in=linked
    ).distinct().select_related("party", "intervention__agreement")
    table: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(
        lambda: {"plan": Decimal(0), "agreement": Decimal(0)}
    )
    for line in lines:
        key = (line.party.name, line.stream)
        amount = _line_total(line)
        table[key]["agreement"] += amount
        if line.intervention_id in linked:
            table[key]["plan"] += amount
    return [
        {"party": party, "stream": _label(Stream, stream), **amounts}
        for (party, stream), amounts in sorted(table.items())
    ]


def may_update(role: ProgrammeRole | None, action: Action) -> bool:
    """The director, and members of the owner or of a responsible organisation, report progress."""
    if role is None or role.programme_id != action.programme_id:
        return False
    if is_director(role):
        return True
    if role.role != Role.PARTNER or role.organisation_id is None:
        return False
    return role.organisation_id == action.owner_id or Responsibility.objects.filter(
        action=action, organisation_id=role.organisation_id, role=Raci.RESPONSIBLE
    ).exists()


def updatable_actions(role: ProgrammeRole) -> set[int]:
    """The actions whose progress this member may report."""
    actions = Action.objects.filter(programme_id=role.programme_id)
    if is_director(role):
        return set(actions.values_list("pk", flat=True))
    if role.role != Role.PARTNER or role.organisation_id is None:
        return set()
    mine = Q(owner_id=role.organisation_id) | Q(
        responsibilities__organisation_id=role.organisation_id,
        responsibilities__role=Raci.RESPONSIBLE,
    )
    return set(actions.filter(mine).values_list("pk", flat=True))


PROGRESS_FIELDS = {"done", "done_on", "comment"}
"""Reported progress: not part of what the parties approve."""
APPROVED_KINDS = ("plan-themes", "plan-goals", "plan-actions", "milestones", "responsibilities")


def snapshot(programme: Programme) -> dict[str, Any]:
    """What the parties approve: the plan's records without the progress reported on them."""
    state: dict[str, Any] = {}
    for slug in APPROVED_KINDS:
        resource = RESOURCES[slug]
        rows = []
        for obj in resource.model.objects.filter(programme=programme).order_by("pk"):
            row = serialise(resource, obj, contact=False)
            rows.append({k: v for k, v in row.items() if k not in PROGRESS_FIELDS})
        state[slug] = rows
    return dict(json.loads(json.dumps(state, default=str)))  # dates and decimals as text


def plan_parties(programme: Programme) -> list[Organisation]:
    """Who approves the plan: every action's owner and every responsible or accountable party."""
    ids = set(Action.objects.filter(programme=programme).values_list("owner_id", flat=True))
    ids |= set(
        Responsibility.objects.filter(
            programme=programme, role__in=(Raci.RESPONSIBLE, Raci.ACCOUNTABLE)
        ).values_list("organisation_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def approval(programme: Programme, role: ProgrammeRole) -> dict[str, Any]:
    """The latest frozen version, each party's decision, and whether the plan changed since."""
    version = PlanVersion.objects.filter(programme=programme).order_by("-number").first()
    current = fingerprint(snapshot(programme))
    if version is None:
        return {
            "version": None,
            "status": "none",
            "can_freeze": is_director(role),
            "fingerprint": current,
        }
    decisions = {a.organisation_id: a for a in version.approvals.select_related("decided_by")}
    parties = list(version.parties.order_by("name"))
    changed = version.fingerprint != current
    status = round_status(
        [decisions[p.pk].decision if p.pk in decisions else None for p in parties], stale=changed
    )
    signs_for = (
        role.signs_agreements
        and role.organisation_id is not None
        and any(p.pk == role.organisation_id for p in parties)
    )
    return {
        "version": version,
        "status": status,
        "rows": [(p, decisions.get(p.pk)) for p in parties],
        "can_freeze": is_director(role) and status in ("stale",),
        "signs_for": signs_for and not changed,
        "mine": decisions.get(role.organisation_id or 0),
        "fingerprint": current,
    }
