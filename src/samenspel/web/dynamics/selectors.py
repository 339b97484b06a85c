"""Reads for the dynamics pages and the programme report: what each role may see."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samenspel.web.core.accounts import audit
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.charts import network_svg
from samenspel.web.core.extensions import SharedPatients, shared_patients
from samenspel.web.core.models import Programme
from samenspel.web.core.pages import code_labels
from samenspel.web.core.versions import remember

from .advice_text import describe
from .models import SurveyWave
from .networks import (
    SOURCES,
    Dynamics,
    evaluate,
    evaluate_sharing,
    shows_named_ties,
)

COLOURS = ("stakeholder_group", "layer", "organisation")


def selection(request: HttpRequest, programme: Programme) -> tuple[SurveyWave | None, str, str]:
    waves = SurveyWave.objects.filter(programme=programme).order_by("-opened_on", "-id")
    wave_id = request.GET.get("wave", "")
    wave = waves.filter(pk=int(wave_id)).first() if wave_id.isdigit() else waves.first()
    source = request.GET.get("source", "survey" if wave else "combined")
    source = source if source in SOURCES else "combined"
    colour = request.GET.get("colour", "stakeholder_group")
    return wave, source, colour if colour in COLOURS else "stakeholder_group"


def network_for(
    request: HttpRequest,
    programme: Programme,
    role: ProgrammeRole,
    source: str,
    wave: SurveyWave | None,
) -> tuple[Dynamics, SharedPatients | None]:
    """The evaluated network of the chosen source, as ``role`` may see it; the
    patient-sharing one is audited."""
    if source != "patient_sharing":
        named = shows_named_ties(role, wave)
        return evaluate(programme, source=source, wave=wave, named=named), None
    sharing = shared_patients(programme, request.GET.get("run", ""))
    if sharing is None:
        raise Http404("No regiobeeld run with a patient-sharing network yet.")
    audit.record(request.user, programme, "view patient-sharing network", f"run {sharing.run_id}")
    return evaluate_sharing(dict(sharing.network)), sharing


def dashboard_context(
    request: HttpRequest, programme: Programme, role: ProgrammeRole
) -> dict[str, Any]:
    wave, source, colour = selection(request, programme)
    labels = code_labels()
    labels.update({"none": _("In no group")})
    dyn, sharing_run = network_for(request, programme, role, source, wave)
    if sharing_run is not None:
        colour, wave = "kind", None
        labels.update(sharing_run.labels)
    elif dyn.aggregated:
        colour = "domain"
    svg, legend = remember(
        "dynamics-drawing",
        programme.pk,
        (source, wave.pk if wave else None, sharing_run.run_id if sharing_run else None, colour,
         dyn.aggregated, get_language()),
        lambda: network_svg(dyn.network, dyn.names, colour, labels, _("Collaboration network")),
    )  # fmt: skip
    return {
        "programme": programme,
        "role": role,
        "wave": wave,
        "source": source,
        "colour": colour,
        "waves": SurveyWave.objects.filter(programme=programme).order_by("-opened_on", "-id"),
        "sources": SOURCES,
        "colours": COLOURS,
        "dyn": dyn,
        "labels": labels,
        "svg": svg,
        "legend": legend,
        "advice": [(a, describe(a, labels)) for a in dyn.advice],
        "matrices": list(dyn.matrices.items()),
        "ei_rows": list(dyn.ei.items()),
        "sharing_run": sharing_run,
        "brokers": [(dyn.names[n], counts, total) for n, counts, total in dyn.brokers],
        "org_scores": sorted(dyn.organisation_scores.items()),
        "query": request.GET.urlencode(),
        "metric_labels": {
            "density": _("Density (undirected)"),
            "degree_centralisation": _("Degree centralisation"),
            "ei_stakeholder_group": _("E-I by stakeholder group"),
            "ei_layer": _("E-I by layer"),
        },
    }
