"""Reads for the money pages and the programme report."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.charts import wrong_pocket_svg
from samenspel.web.core.models import Programme

from .evaluation import evaluate
from .excel import RULE_LABELS
from .models import Agreement


def agreement_of(programme: Programme, agreement_id: int) -> Agreement:
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
            "transfers": list(
                zip(result.transfers, result.yearly_transfers, result.within_margin, strict=True)
            ),
            "risk": (
                [evaluation.risks[rule].probability_positive[p] for p in parties]
                if rule in evaluation.risks
                else []
            ),
        }
        for rule, result in evaluation.settlements.items()
    ]
    chart = (
        wrong_pocket_svg(
            evaluation.case.wrong_pocket, _("Who invests and who saves"), agreement.amount_unit
        )
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
