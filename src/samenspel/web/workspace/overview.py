"""The programme overview: one glance at composition, dynamics, money and population."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from samenspel.web.core.choices import StakeholderGroup
from samenspel.web.core.models import Programme
from samenspel.web.core.numbers import money as money_text
from samenspel.web.core.numbers import number, percent
from samenspel.web.core.versions import remember

GOOD, WATCH, ACT = "good", "watch", "act"
SIGNAL_LABELS = {GOOD: gettext_lazy("on track"), WATCH: gettext_lazy("watch"),
                 ACT: gettext_lazy("act")}  # fmt: skip
# The rules behind the signals: one definition, shown beside every signal.
RESPONSE_GOOD, RESPONSE_WATCH = 0.7, 0.5
ADVICE_WATCH, ADVICE_ACT = 1, 3
STAKEHOLDER_GROUPS = len(StakeholderGroup.values)  # the article's five


@dataclass(frozen=True)
class Figure:
    """One headline number: its value as written, the change since the last time (if known),
    and a signal with the rule behind it (where a rule can honestly be given)."""

    label: str
    value: str
    trend: str = ""
    signal: str = ""
    rule: str = ""

    @property
    def signal_label(self) -> str:
        return str(SIGNAL_LABELS.get(self.signal, ""))


@dataclass
class Glance:
    dynamics: dict[str, Any] | None
    money: dict[str, Any] | None
    population: dict[str, Any] | None
    figures: list[tuple[str, str, list[Figure]]] = field(default_factory=list)

    @property
    def figures_by(self) -> dict[str, list[Figure]]:
        """The figures of each capability by its code: composition, dynamics, money,
        population."""
        return {code: shown for code, _label, shown in self.figures}


def glance(programme: Programme) -> Glance:
    """Headline figures of the latest closed survey wave (or the open one if none is), the
    latest agreement and the latest regiobeeld run (None where there is none)."""
    return remember("glance", programme.pk, (get_language(),), lambda: _glance(programme))


def _glance(programme: Programme) -> Glance:
    from samenspel.analytics.population.suppression import TOTAL
    from samenspel.web.dynamics.networks import evaluate as evaluate_dynamics
    from samenspel.web.dynamics.selectors import board_wave, open_wave_in_progress
    from samenspel.web.finance.evaluation import evaluate as evaluate_money
    from samenspel.web.finance.models import Agreement
    from samenspel.web.monitoring.dashboard import view
    from samenspel.web.monitoring.models import RegiobeeldRun

    dynamics = None
    wave = board_wave(programme)
    if wave is not None:
        dyn = evaluate_dynamics(programme, source="survey", wave=wave)
        dynamics = {
            "wave": wave,
            "responded": dyn.responded,
            "invited": dyn.invited,
            "withheld": dyn.withheld,
            "density": dyn.density,
            "ei": None if dyn.withheld else dyn.ei["stakeholder_group"].index,
            "advice": len(dyn.advice),
            "in_progress": open_wave_in_progress(programme, wave),
            "change": None if dyn.withheld else dyn.change,
            "previous": dyn.previous_wave,
        }
    money = None
    agreement = Agreement.objects.filter(programme=programme).order_by("-id").first()
    if agreement is not None:
        result = evaluate_money(agreement, draws=0)
        nucleolus = result.settlements.get("nucleolus")
        money = {
            "agreement": agreement,
            "total_npv": result.case.total_npv if result.case else None,
            "losers": sum(1 for p in result.case.parties if p.npv < 0) if result.case else 0,
            "nucleolus_in_core": (
                nucleolus.allocation.core.in_core
                if nucleolus and nucleolus.allocation.core
                else None
            ),
            "transfers": len(nucleolus.transfers) if nucleolus else 0,
        }
    population = None
    run = (
        RegiobeeldRun.objects.filter(programme=programme, status=RegiobeeldRun.Status.DONE)
        .select_related("dataset")
        .order_by("-created_at")
        .first()
    )
    published = run.published if run is not None else None
    if published and published["years"]:
        v = view(published, published["years"][-1], TOTAL)
        population = {
            "run": run,
            "year": v.year,
            "population": v.population,
            "multimorbidity": v.multimorbidity_percent,
            "cost_per_capita": v.cost_per_capita,
            "trends": v.trends,
        }
    summary = Glance(dynamics, money, population)
    summary.figures = figures(programme, summary)
    return summary


def _signal(value: float, good: float, watch: float, *, higher_is_better: bool = True) -> str:
    if not higher_is_better:
        value, good, watch = -value, -good, -watch
    return GOOD if value >= good else WATCH if value >= watch else ACT


def _change(now: float | None, before: float | None, decimals: int, since: str) -> str:
    if now is None or before is None:
        return ""
    delta = round(now - before, decimals)
    sign = "+" if delta > 0 else ""
    return _("%(change)s since %(since)s") % {
        "change": f"{sign}{number(delta, decimals)}",
        "since": since,
    }


def _composition_figures(programme: Programme) -> list[Figure]:
    from samenspel.analytics.composition import NO_GROUP
    from samenspel.web.composition.selectors import composition_of

    composition = composition_of(programme)
    present = sum(
        1
        for layers in composition.participation.values()
        if any(n for layer, n in layers.items() if layer != NO_GROUP)
    )
    return [
        Figure(_("Organisations"), number(composition.organisations)),
        Figure(_("People"), number(composition.people)),
        Figure(
            _("Stakeholder groups in the groups"),
            _("%(n)s of %(all)s") % {"n": present, "all": STAKEHOLDER_GROUPS},
            signal=_signal(present, STAKEHOLDER_GROUPS, STAKEHOLDER_GROUPS - 2),
            rule=_(
                "Executives, managers, professionals, patient representatives and residents "
                "each take part in a group: on track with all five, watch with three or four, "
                "act with fewer."
            ),
        ),
    ]


def _dynamics_figures(dynamics: dict[str, Any], change: Any, previous: Any) -> list[Figure]:
    rate = dynamics["responded"] / dynamics["invited"] if dynamics["invited"] else 0.0
    since = previous.name if previous is not None else ""
    before = change.metrics.get("density", (None, None))[0] if change is not None else None
    advice = dynamics["advice"]
    return [
        Figure(
            _("Response"),
            percent(rate, 0),
            trend=f"{dynamics['responded']}/{dynamics['invited']}",
            signal=_signal(rate, RESPONSE_GOOD, RESPONSE_WATCH),
            rule=_(
                "On track from %(good)s of those invited, watch from %(watch)s, act below: "
                "with fewer answers the network misses too many ties."
            )
            % {"good": percent(RESPONSE_GOOD), "watch": percent(RESPONSE_WATCH)},
        ),
        Figure(
            _("Density"),
            "—" if dynamics["withheld"] else number(dynamics["density"], 2),
            trend="" if dynamics["withheld"] else _change(dynamics["density"], before, 2, since),
        ),
        Figure(
            _("Points of advice"),
            number(advice),
            signal=_signal(advice, ADVICE_WATCH - 1, ADVICE_ACT - 1, higher_is_better=False),
            rule=_(
                "On track without advice, watch with one or two points, act with three or "
                "more (the dynamics page says what each means)."
            ),
        ),
    ]


def _money_figures(money: dict[str, Any]) -> list[Figure]:
    agreement, total = money["agreement"], money["total_npv"]
    losers, stable = money["losers"], money["nucleolus_in_core"]
    return [
        Figure(
            _("Total NPV"),
            money_text(total, agreement.amount_unit),
            signal="" if total is None else GOOD if total > 0 else ACT,
            rule=_("On track when the partnership as a whole gains (a positive NPV)."),
        ),
        Figure(
            _("Parties that lose without side payments"),
            number(losers),
            signal=GOOD if losers == 0 else WATCH,
            rule=_("Watch when a party loses: it needs a side payment to stay in."),
        ),
        Figure(
            _("Stable division"),
            _("yes") if stable else _("no") if stable is False else "—",
            signal="" if stable is None else GOOD if stable else ACT,
            rule=_(
                "On track when the nucleolus lies in the core: no group of parties is better "
                "off alone."
            ),
        ),
    ]


def _population_figures(population: dict[str, Any]) -> list[Figure]:
    trends = {t["year"]: t for t in population["trends"]}
    year = population["year"]
    before = trends.get(year - 1, {})
    since = str(year - 1)
    cost, cost_before = population["cost_per_capita"], before.get("cost_per_capita")
    growth = (
        _("%(change)s since %(since)s") % {"change": _signed_percent(cost / cost_before - 1),
                                           "since": since}
        if cost and cost_before
        else ""
    )  # fmt: skip
    return [
        Figure(
            _("Inhabitants (%(year)s)") % {"year": year},
            number(population["population"]),
            trend=_change(population["population"], before.get("population"), 0, since),
        ),
        Figure(
            _("Multimorbidity"),
            "—"
            if population["multimorbidity"] is None
            else f"{number(population['multimorbidity'], 1)}%",
            trend=_change(
                population["multimorbidity"], before.get("multimorbidity_percent"), 1, since
            ),
        ),
        Figure(_("Cost per inhabitant"), money_text(cost), trend=growth),
    ]


def _signed_percent(share: float) -> str:
    return ("+" if round(share, 3) > 0 else "") + percent(share, 1)


def figures(programme: Programme, glance: Glance) -> list[tuple[str, str, list[Figure]]]:
    """Per capability (code, name) the three numbers that matter, with change and signal."""
    result = [("composition", _("Composition"), _composition_figures(programme))]
    if glance.dynamics:
        dynamics = glance.dynamics
        shown = _dynamics_figures(dynamics, dynamics.get("change"), dynamics.get("previous"))
        result.append(("dynamics", _("Dynamics"), shown))
    if glance.money:
        result.append(("money", _("Money"), _money_figures(glance.money)))
    if glance.population:
        result.append(("population", _("Population"), _population_figures(glance.population)))
    return result
