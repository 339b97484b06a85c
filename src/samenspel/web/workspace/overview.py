"""The programme overview: one glance at composition, dynamics, money and population."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language

from samenspel.web.core.models import Programme
from samenspel.web.core.versions import remember


@dataclass
class Glance:
    dynamics: dict[str, Any] | None
    money: dict[str, Any] | None
    population: dict[str, Any] | None


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
        }
    return Glance(dynamics, money, population)
