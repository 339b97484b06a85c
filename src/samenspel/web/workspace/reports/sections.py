"""What goes into the programme report: the same figures as the four dashboards.

Each capability's own dashboard context is reused, so the report never disagrees with the
screens; population figures come from the stored, already suppressed regiobeeld.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from samenspel.analytics.composition import Composition
from samenspel.web.composition.selectors import composition_of, initiative_timeline
from samenspel.web.core import choices as c
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.charts import bar_chart
from samenspel.web.core.models import Programme
from samenspel.web.core.pages import code_labels
from samenspel.web.dynamics.selectors import dashboard_context as dynamics_context
from samenspel.web.finance.models import Agreement
from samenspel.web.finance.selectors import dashboard_context as money_context
from samenspel.web.monitoring.models import RegiobeeldRun
from samenspel.web.monitoring.selectors import open_data_context, regiobeeld_context
from samenspel.web.workspace.overview import Glance, glance


@dataclass
class ReportSections:
    """The contexts of the report's four parts; ``None`` where the programme has no data yet."""

    programme: Programme
    glance: Glance
    composition: dict[str, Any]
    dynamics: dict[str, Any] | None
    money: dict[str, Any] | None
    population: dict[str, Any] | None
    open_data: dict[str, Any] | None = None


def latest_agreement(programme: Programme, agreement_id: str = "") -> Agreement | None:
    agreements = Agreement.objects.filter(programme=programme)
    if agreement_id.isdigit():
        return agreements.filter(pk=int(agreement_id)).first()
    return agreements.order_by("-id").first()


def latest_run(programme: Programme, run_id: str = "") -> RegiobeeldRun | None:
    runs = RegiobeeldRun.objects.filter(
        programme=programme, status=RegiobeeldRun.Status.DONE
    ).select_related("dataset")
    if run_id.isdigit():
        return runs.filter(pk=int(run_id)).first()
    return runs.order_by("-created_at").first()


def composition_section(programme: Programme, composition: Composition) -> dict[str, Any]:
    labels = code_labels()
    return {
        "programme": programme,
        "composition": composition,
        "labels": labels,
        "layers": c.Layer.choices,
        "objectives": list(programme.objectives.all()),
        "initiatives": initiative_timeline(programme),
        "domain_svg": bar_chart(
            [(labels.get(k, k), n) for k, n in composition.organisations_by_domain.items() if n],
            _("Organisations per domain"),
        ),
        "people_svg": bar_chart(
            [
                (labels.get(k, k), n)
                for k, n in composition.people_by_stakeholder_group.items()
                if n
            ],
            _("People per stakeholder group"),
        ),
    }


def report_sections(
    request: HttpRequest, programme: Programme, role: ProgrammeRole
) -> ReportSections:
    """Gather every part; ``agreement`` and ``run`` in the query pick other than the latest."""
    composition = composition_of(programme)
    has_network = composition.people > 0
    dynamics = dynamics_context(request, programme, role) if has_network else None
    agreement = latest_agreement(programme, request.GET.get("agreement", ""))
    money = money_context(programme, role, agreement) if agreement else None
    run = latest_run(programme, request.GET.get("run", ""))
    population = regiobeeld_context(request, programme, role, run) if run else None
    open_data = open_data_context(programme, request.GET.get("year", ""))
    return ReportSections(
        programme=programme,
        glance=glance(programme),
        composition=composition_section(programme, composition),
        dynamics=dynamics,
        money=money,
        population=population,
        open_data=open_data if open_data.get("open") else None,
    )
