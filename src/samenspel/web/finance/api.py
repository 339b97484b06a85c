"""REST endpoint for the evaluation of an agreement (the records themselves use the shared CRUD)."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from samenspel.analytics.money_report import not_counted_entry
from samenspel.web.core.accounts.access import get_programme_for
from samenspel.web.core.api_errors import READ_ERRORS

from .evaluation import evaluate, stream_check
from .models import Agreement
from .selectors import approval_context

router = Router(tags=["agreements"])


@router.get(
    "/programmes/{programme_id}/agreements/{agreement_id}/evaluation",
    response={200: dict[str, Any], **READ_ERRORS},
)
def agreement_evaluation(
    request: HttpRequest, programme_id: int, agreement_id: int, draws: int = 2000
) -> dict[str, Any]:
    """Business case per party, every allocation rule with core check and side payments, the
    least-core epsilon and the Monte-Carlo probability of a positive NPV per party."""
    programme, _role = get_programme_for(request.user, programme_id)
    agreement = Agreement.objects.filter(pk=agreement_id, programme=programme).first()
    if agreement is None:
        raise Http404("No such agreement.")
    result = evaluate(agreement, draws=max(0, min(draws, 20000)))
    case = result.case
    return {
        "problems": result.problems,
        "settlement": [
            {
                "year": o.year.year,
                "stream": o.year.stream,
                "benchmark": o.benchmark,
                "base_cost_per_person": o.year.base_per_person,
                "realised_cost": o.year.realised_cost,
                "truncated": o.year.truncated,
                "cost_sd_per_person": o.year.cost_sd_per_person,
                "moved_to_wlz": o.year.moved_to_wlz,
                "moved_to_wlz_cost": o.year.moved_to_wlz_cost,
                "savings": o.savings,
                "savings_rate": o.savings_rate,
                "minimum_rate": o.minimum_rate,
                "qualifies": o.qualifies,
                "quality_score": o.year.quality_score,
                "quality_missing": o.quality_missing,
                "sharing_rate": o.sharing_rate,
                "insurer_share": o.insurer_share,
                "capped": o.capped,
                "target": o.target,
                "shared": o.shared,
                "funder_gain": o.funder_gain,
                "per_party": o.per_party,
                "planned_savings": None if planned is None else planned.savings,
                "per_party_as_planned": None if planned is None else planned.per_party,
            }
            for o, planned in result.realised
        ],
        "stream_breaches": [
            {
                "line": line.pk,
                "party": line.party.name,
                "stream": line.stream,
                "role": problem.line.role,
                "allowed_kinds": sorted(problem.allowed),
            }
            for line, problem in stream_check(agreement)
        ],
        # the same lines, as left out of every figure below
        "not_counted": [not_counted_entry(item) for item in result.not_counted],
        "parties": list(result.data.parties) if result.data else [],
        "years": list(case.years) if case else [],
        "plan": case.plan if case else [],
        "business_case": [
            {
                "party": p.party,
                "costs": p.costs,
                "savings": p.savings,
                "revenue": p.revenue,
                "net": p.net,
                "cumulative": p.cumulative,
                "npv": p.npv,
                "pv_costs": p.pv_costs,
                "pv_savings": p.pv_savings,
                "savings_by_stream": p.savings_by_stream,
                "by_stream": p.by_stream,
            }
            for p in (case.parties if case else [])
        ],
        "least_core_epsilon": result.least_core_epsilon,
        "allocations": {
            rule: {
                "shares": s.allocation.as_dict(),
                "in_core": None if s.allocation.core is None else s.allocation.core.in_core,
                "max_excess": None if s.allocation.core is None else s.allocation.core.max_excess,
                "blocking": [] if s.allocation.core is None else list(s.allocation.core.blocking),
                "shapley_error_bound_95": s.allocation.error_bound,
                "side_payments": s.side_payments,
                "final_positions": s.final_positions,
                "transfers": [
                    {
                        "payer": t.payer,
                        "payee": t.payee,
                        "present_value": t.amount,
                        "per_year": y.amount,
                        "within_margin": within,
                    }
                    for t, y, within in zip(
                        s.transfers, s.yearly_transfers, s.within_margin, strict=True
                    )
                ],
                "probability_positive": (
                    result.risks[rule].probability_positive if rule in result.risks else None
                ),
            }
            for rule, s in result.settlements.items()
        },
    }


@router.get(
    "/programmes/{programme_id}/agreements/{agreement_id}/approval",
    response={200: dict[str, Any], **READ_ERRORS},
)
def agreement_approval(
    request: HttpRequest, programme_id: int, agreement_id: int
) -> dict[str, Any]:
    """The version under approval and every party's decision (approved, rejected or awaiting),
    with who decided, when and their comment, and who may sign for each party since when."""
    programme, role = get_programme_for(request.user, programme_id)
    agreement = Agreement.objects.filter(pk=agreement_id, programme=programme).first()
    if agreement is None:
        raise Http404("No such agreement.")
    context = approval_context(agreement, role)
    round_ = context["approval_round"]
    return {
        "status": context["approval_status"],
        "version": None if round_ is None else round_.number,
        "frozen_at": None if round_ is None else round_.frozen_at.isoformat(),
        "frozen_by": None if round_ is None or round_.frozen_by is None
        else round_.frozen_by.get_username(),
        "earlier_versions": context.get("earlier_versions", 0),
        "parties": [
            {
                "organisation": party.name,
                "decision": None if a is None else a.decision,
                "by": None if a is None or a.decided_by is None else a.decided_by.get_username(),
                "at": None if a is None else a.decided_at.isoformat(),
                "comment": None if a is None else a.comment,
                "signatories": [
                    {"name": name, "since": since.isoformat() if since else None}
                    for name, since in signers
                ],
            }
            for party, a, signers in context["approval_rows"]
        ],
    }
