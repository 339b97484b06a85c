"""Reads for the money pages and the programme report."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.charts import wrong_pocket_svg
from samenspel.web.core.choices import OrganisationKind
from samenspel.web.core.models import Programme

from .evaluation import Evaluation, evaluate, stream_check
from .excel import RULE_LABELS
from .models import Agreement, MoneyLine, Stream


def agreement_of(programme: Programme, agreement_id: int) -> Agreement:
    return get_object_or_404(Agreement, pk=agreement_id, programme=programme)


def stream_context(agreement: Agreement, evaluation: Evaluation) -> dict[str, Any]:
    """The financing-stream check and the party x stream matrix (pays, saves, earns)."""
    streams, kinds = dict(Stream.choices), dict(OrganisationKind.choices)
    breaches = [
        {
            "line": line,
            "party": line.party.name,
            "stream": streams.get(line.stream, line.stream),
            "role": problem.line.role,
            "allowed": sorted(str(kinds.get(k, k)) for k in problem.allowed),
        }
        for line, problem in stream_check(agreement)
    ]
    matrix = (
        [
            (party, streams.get(stream, stream), pays, saves, earns)
            for party, stream, pays, saves, earns in evaluation.case.stream_matrix()
        ]
        if evaluation.case
        else []
    )
    exceptions = (
        MoneyLine.objects.filter(intervention__agreement=agreement)
        .exclude(stream_reason="")
        .select_related("party")
    )
    return {
        "stream_labels": streams,
        "settlement_rule_label": str(RULE_LABELS.get(agreement.settlement_rule, "")),
        "stream_breaches": breaches,
        "stream_exceptions": list(exceptions),
        "stream_matrix": matrix,
    }


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
        **stream_context(agreement, evaluation),
        "edit_lines": role.role == "director",
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
