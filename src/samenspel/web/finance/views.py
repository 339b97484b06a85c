"""Money pages: the dashboard of one agreement and its exports."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.web.accounts.access import is_director
from samenspel.web.accounts.models import ProgrammeRole
from samenspel.web.downloads import attachment
from samenspel.web.partnership.models import Programme
from samenspel.web.partnership.views import programme_view
from samenspel.web.pdf import render_pdf

from . import services
from .charts import wrong_pocket_svg
from .evaluation import agreement_document, evaluate
from .excel import RULE_LABELS, agreement_workbook
from .models import Agreement


def _agreement(programme: Programme, agreement_id: int) -> Agreement:
    return get_object_or_404(Agreement, pk=agreement_id, programme=programme)


def dashboard_context(
    programme: Programme, role: ProgrammeRole, agreement: Agreement
) -> dict[str, Any]:
    evaluation = evaluate(agreement)
    parties = list(evaluation.data.parties) if evaluation.data else []
    rules = [
        {
            "rule": rule,
            "label": str(RULE_LABELS[rule]),
            "shares": [result.allocation.as_dict()[p] for p in parties],
            "core": result.allocation.core,
            "error_bound": result.allocation.error_bound,
            "transfers": list(zip(result.transfers, result.yearly_transfers, strict=True)),
            "risk": (
                [evaluation.risks[rule].probability_positive[p] for p in parties]
                if rule in evaluation.risks
                else []
            ),
        }
        for rule, result in evaluation.settlements.items()
    ]
    chart = (
        wrong_pocket_svg(evaluation.case.wrong_pocket, _("Who invests and who saves"))
        if evaluation.case
        else ""
    )
    return {
        "programme": programme,
        "role": role,
        "agreement": agreement,
        "evaluation": evaluation,
        "parties": parties,
        "rules": rules,
        "chart": chart,
        "interventions": agreement.interventions.prefetch_related("partners", "lines__party"),
        "care_tasks": agreement.care_tasks.select_related("performer"),
    }


@programme_view
def money(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    agreement = _agreement(programme, agreement_id)
    return render(request, "finance/money.html", dashboard_context(programme, role, agreement))


@programme_view
def money_pdf(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    agreement = _agreement(programme, agreement_id)
    content = render_pdf(
        request, "finance/money_print.html", dashboard_context(programme, role, agreement)
    )
    name = slugify(f"{agreement.name}-{agreement.scenario}") or "agreement"
    return attachment(content, "application/pdf", f"{name}.pdf")


@programme_view
def money_excel(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    agreement = _agreement(programme, agreement_id)
    content = agreement_workbook(agreement, evaluate(agreement))
    name = slugify(f"{agreement.name}-{agreement.scenario}") or "agreement"
    return attachment(
        content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{name}.xlsx"
    )


@programme_view
def money_json(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    """The agreement in the JSON form that ``samenspel allocate`` reads."""
    agreement = _agreement(programme, agreement_id)
    name = slugify(f"{agreement.name}-{agreement.scenario}") or "agreement"
    return attachment(
        json.dumps(agreement_document(agreement), ensure_ascii=False, indent=2),
        "application/json; charset=utf-8",
        f"{name}.json",
    )


@require_POST
@programme_view
def copy_scenario(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    if not is_director(role):
        raise PermissionDenied
    agreement = _agreement(programme, agreement_id)
    name = request.POST.get("scenario", "").strip() or _("scenario")
    copy = services.copy_as_scenario(agreement, name)
    return redirect("agreement_money", programme_id=programme.pk, agreement_id=copy.pk)
