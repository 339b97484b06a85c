"""Reads for the money pages and the programme report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.accounts.notices import display_name
from samenspel.web.core.approvals import fingerprint, round_status
from samenspel.web.core.charts import wrong_pocket_svg
from samenspel.web.core.choices import OrganisationKind
from samenspel.web.core.extensions import regional_costs
from samenspel.web.core.models import Organisation, Programme
from samenspel.web.core.versions import remember

from .evaluation import Evaluation, agreement_document, evaluate, money_lines, stream_check
from .excel import RULE_LABELS
from .models import Agreement, ApprovalRound, Stream, TrendSource

TERMS = ("name", "scenario", "description", "start_year", "horizon", "discount_rate",
         "amount_unit", "settlement_rule", "minimum_savings_rate", "sharing_rate", "cap_rate",
         "two_sided")  # fmt: skip
"""The agreement's own fields that an approval covers, beside its interventions and lines."""

LATER_TERMS: dict[str, Any] = {"msr_by_size": False, "quality_indicators": "",
                               "insurer_share": Decimal("1"), "contract_type": "shared_savings",
                               "agreed_growth_rate": None, "msr_confidence": None,
                               "truncate_costs": False}  # fmt: skip
"""Terms added later, covered once they differ from their default, so that an agreement
approved before they existed keeps its fingerprint."""


def snapshot(agreement: Agreement) -> dict[str, Any]:
    """What a party approves: the terms, the care tasks and the document the money pages
    evaluate (interventions, partners and every line)."""
    try:
        document: Any = agreement_document(agreement)
    except ValueError as exc:  # a line whose years no longer fit the horizon
        document = {"problem": str(exc)}
    return {
        "terms": {name: str(getattr(agreement, name)) for name in TERMS}
        | {  # loss terms only once set: an agreement without them keeps its fingerprint
            name: str(getattr(agreement, name))
            for name in Agreement.LOSS_TERMS
            if getattr(agreement, name) is not None
        }
        | {  # so are the later terms, only when they differ from their default
            name: str(getattr(agreement, name))
            for name, default in LATER_TERMS.items()
            if getattr(agreement, name) != default
        },
        "care_tasks": sorted(
            [t.name, t.target_population, t.volume, t.unit, t.performer_id]
            for t in agreement.care_tasks.all()
        ),
        "document": document,
    }


def current_round(agreement: Agreement) -> ApprovalRound | None:
    return agreement.rounds.filter(superseded_at__isnull=True).first()


def party_organisations(agreement: Agreement) -> list[Organisation]:
    """The organisations that are a partner of an intervention or stand on one of its lines."""
    return list(
        Organisation.objects.filter(
            Q(interventions__agreement=agreement)
            | Q(money_lines__intervention__agreement=agreement)
        )
        .distinct()
        .order_by("name")
    )


def agreement_of(programme: Programme, agreement_id: int) -> Agreement:
    return get_object_or_404(Agreement, pk=agreement_id, programme=programme)


def stream_context(agreement: Agreement, evaluation: Evaluation) -> dict[str, Any]:
    """The financing-stream check and the party x stream matrix (pays, saves, earns)."""
    streams, kinds = dict(Stream.choices), dict(OrganisationKind.choices)
    lines = money_lines(agreement)
    breaches = [
        {
            "line": line,
            "party": line.party.name,
            "stream": streams.get(line.stream, line.stream),
            "role": problem.line.role,
            "allowed": sorted(str(kinds.get(k, k)) for k in problem.allowed),
        }
        for line, problem in stream_check(agreement, lines)
    ]
    matrix = (
        [
            (party, streams.get(stream, stream), pays, saves, earns)
            for party, stream, pays, saves, earns in evaluation.case.stream_matrix()
        ]
        if evaluation.case
        else []
    )
    return {
        "stream_labels": streams,
        "settlement_rule_label": str(RULE_LABELS.get(agreement.settlement_rule, "")),
        "trend_labels": dict(TrendSource.choices),
        "stream_breaches": breaches,
        "stream_exceptions": [line for line in lines if line.stream_reason],
        "stream_matrix": matrix,
    }


def approval_context(agreement: Agreement, role: ProgrammeRole) -> dict[str, Any]:
    """The version under approval, each party's decision, and what this user may do."""
    round_ = current_round(agreement)
    # computed afresh, never kept: what the parties approve must be exactly what is stored now
    current = fingerprint(snapshot(agreement))
    if round_ is None:
        return {
            "approval_round": None,
            "approval_rows": [],
            "approval_status": "none",
            "document_fingerprint": current,
        }
    decisions = {a.organisation_id: a for a in round_.approvals.select_related("decided_by")}
    parties = list(round_.parties.all())
    signers: dict[int, list[tuple[str, Any]]] = {}
    for grant in ProgrammeRole.objects.filter(
        programme_id=agreement.programme_id, signs_agreements=True, organisation__in=parties
    ).select_related("user").order_by(  # the longest-standing first, on every database
        F("signs_since").asc(nulls_first=True), "user__username"
    ):
        signers.setdefault(grant.organisation_id or 0, []).append(
            (display_name(grant.user), grant.signs_since)
        )
    rows = [(party, decisions.get(party.pk), signers.get(party.pk, [])) for party in parties]
    stale = round_.fingerprint != current
    status = round_status([a.decision if a else None for _p, a, _s in rows], stale=stale)
    signs_for = (
        role.organisation_id
        if role.signs_agreements and any(p.pk == role.organisation_id for p in parties)
        else None
    )
    return {
        "approval_round": round_,
        "approval_rows": rows,
        "approval_status": status,
        "signs_for": signs_for,
        "my_decision": decisions.get(signs_for) if signs_for else None,
        "earlier_versions": agreement.rounds.exclude(pk=round_.pk).count(),
        "document_fingerprint": current,
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
    bases = (
        sorted(
            {
                (c.year, c.stream)
                for c in regional_costs(programme)
                if not agreement.truncate_costs or c.truncated_per_inhabitant
            },
            reverse=True,
        )
        if role.role == "director"
        else []
    )
    return {
        **stream_context(agreement, evaluation),
        **approval_context(agreement, role),
        "regiobeeld_bases": bases,
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


def analysis_html(context: dict[str, Any], *, page_path: str) -> str:
    """The money page's figures (tasks, interventions, business case, division, side payments,
    risk), rendered once per data version, agreement, language and whether the reader edits:
    they hold no form and nothing else of the reader, and are the page's heaviest part."""
    agreement: Agreement = context["agreement"]
    editor = context["edit_lines"]
    return remember(
        "money-analysis", agreement.programme_id, (agreement.pk, editor, get_language()),
        lambda: mark_safe(
            render_to_string("finance/_analysis.html", {**context, "page_path": page_path})
        ),
    )  # fmt: skip
