"""Reads for the population pages, the programme report, and other features (through the core)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samenspel.analytics.population.regiobeeld import AGE_BANDS
from samenspel.analytics.population.suppression import TOTAL
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.charts import bar_chart, line_chart, pyramid_chart
from samenspel.web.core.extensions import SharedPatients
from samenspel.web.core.models import Programme
from samenspel.web.core.versions import remember

from .dashboard import view
from .labels import CONDITION_LABELS, KIND_LABELS, SEGMENT_LABELS
from .models import RegiobeeldRun


def shared_patients(programme: Programme, requested: str = "") -> SharedPatients | None:
    """The patient-sharing network of the requested run, or of the latest run that has one."""
    runs = RegiobeeldRun.objects.filter(programme=programme, sharing__isnull=False)
    run = (
        runs.filter(pk=int(requested)).first()
        if requested.isdigit()
        else runs.order_by("-created_at").first()
    )
    if run is None:
        return None
    sharing = run.sharing or {}
    return SharedPatients(
        run_id=run.pk,
        dataset=run.dataset.name,
        year=sharing.get("year"),
        min_shared=int(sharing.get("min_shared", 0)),
        network=sharing,
        labels={code: str(label) for code, label in KIND_LABELS.items()},
    )


def run_of(programme: Programme, run_id: int) -> RegiobeeldRun:
    return get_object_or_404(
        RegiobeeldRun.objects.select_related("dataset"), pk=run_id, programme=programme
    )


def regiobeeld_context(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, run: RegiobeeldRun
) -> dict[str, Any]:
    context: dict[str, Any] = {"programme": programme, "role": role, "run": run}
    result = run.result
    if run.status != RegiobeeldRun.Status.DONE or not result:
        return context
    years = result["years"]
    year_param = request.GET.get("year", "")
    year = int(year_param) if year_param.isdigit() and int(year_param) in years else years[-1]
    municipality = request.GET.get("municipality", TOTAL)
    if municipality not in [*result["municipalities"], TOTAL]:
        municipality = TOTAL
    context.update(
        remember(
            "regiobeeld-figures",
            programme.pk,
            (run.pk, year, municipality, get_language()),
            lambda: _figures(run, year, municipality),
        )
    )
    context.update({"result": result, "sharing": run.sharing})
    return context


def _figures(run: RegiobeeldRun, year: int, municipality: str) -> dict[str, Any]:
    """The shown year's figures and charts of a finished run; kept while the run is unchanged.

    The stored result itself is not kept here (it can be large); the caller adds it.
    """
    result = run.result or {}
    years = result["years"]
    v = view(result, year, municipality)
    condition_labels = {code: str(label) for code, label in CONDITION_LABELS.items()}
    kind_labels = {code: str(label) for code, label in KIND_LABELS.items()}
    segment_labels = {code: str(label) for code, label in SEGMENT_LABELS.items()}
    return {
        "v": v,
        "years": years,
        "year": year,
        "municipality": municipality,
        "municipalities": result["municipalities"],
        "total": TOTAL,
        "condition_labels": condition_labels,
        "kind_labels": kind_labels,
        "segment_labels": segment_labels,
        "pyramid_svg": pyramid_chart(
            AGE_BANDS, v.women, v.men, _("Age pyramid"), (_("Women"), _("Men"))
        ),
        "prevalence_svg": bar_chart(
            [(condition_labels[c], r) for c, _n, r in v.prevalence],
            _("Prevalence per 1,000"),
            decimals=1,
        ),
        "segments_svg": bar_chart(
            [(segment_labels[s], p) for s, _n, p, _c in v.segments],
            _("Population segments"),
            decimals=1,
            unit="%",
        ),
        "costs_svg": bar_chart([(s, c) for s, c in v.costs], _("Cost per inhabitant"), unit=" €"),
        "trends_svg": line_chart(
            years,
            [
                (_("Population"), [t["population"] for t in v.trends]),
                (_("Multimorbidity") + " %", [t["multimorbidity_percent"] for t in v.trends]),
                (_("Cost per inhabitant") + " €", [t["cost_per_capita"] for t in v.trends]),
            ],
            _("Trends"),
        ),
    }
