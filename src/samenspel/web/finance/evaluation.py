"""Evaluate a stored agreement with the pure money analytics."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from samenspel.analytics.business_case import Agreement as AgreementData
from samenspel.analytics.business_case import (
    AgreementError,
    BusinessCase,
    RuleRisk,
    Settlement,
    business_case,
    coalition_game,
    parse_agreement,
    settlement,
    simulate,
)
from samenspel.analytics.business_case.shared_savings import (
    LOSS_TERMS,
    Outcome,
    SharedSavingsError,
    Terms,
    Year,
    planned_savings,
    settle_year,
)
from samenspel.analytics.business_case.streams import (
    Breach,
    NotCounted,
    StreamLine,
    allowed_kinds,
    breach,
    counted,
)
from samenspel.analytics.games import (
    MAX_EXACT_PLAYERS,
    MAX_SHAPLEY_PLAYERS,
    RULES,
    GameError,
    least_core,
)
from samenspel.web.core.versions import remember

from .models import Agreement, LineKind, MoneyLine, parse_years

MONTE_CARLO_DRAWS = 2000


def agreement_document(agreement: Agreement, *, with_rules: bool = False) -> dict[str, Any]:
    """The agreement in the documented JSON form read by ``samenspel allocate``.

    The parties are the organisations that appear as a partner or on a line, by name.
    ``with_rules`` adds each party's organisation kind and each line's reason for breaking a
    financing-stream rule, so the rules apply (the export and the figures; what a party
    approves is the document without them).
    """
    interventions = list(
        agreement.interventions.prefetch_related("partners", "lines__party").order_by("name")
    )
    parties = sorted(
        {o.name for i in interventions for o in i.partners.all()}
        | {line.party.name for i in interventions for line in i.lines.all()}
    )
    document: dict[str, Any] = {
        "parties": parties,
        "start_year": agreement.start_year,
        "horizon": agreement.horizon,
        "discount_rate": float(agreement.discount_rate),
        "interventions": [],
    }
    for intervention in interventions:
        entry: dict[str, Any] = {
            "name": intervention.name,
            "partners": sorted(o.name for o in intervention.partners.all()),
            "costs": [],
            "savings": [],
            "revenues": [],
            "uptake_linked": intervention.uptake_linked,
        }
        for line in intervention.lines.all():
            key = DOCUMENT_KEYS[line.kind]
            try:
                years = list(parse_years(line.years, agreement.horizon))
            except ValidationError as exc:
                raise AgreementError(
                    f"{intervention.name}, line '{line}': years '{line.years}': "
                    + " ".join(exc.messages)
                ) from exc
            entry[key].append(
                {
                    "party": line.party.name,
                    "stream": line.stream,
                    "low": float(line.low),
                    "likely": float(line.likely),
                    "high": float(line.high),
                    "years": years,
                    **({"lost": True} if line.kind == LineKind.LOST_REVENUE else {}),
                    **({"reason": line.stream_reason} if with_rules and line.stream_reason else {}),
                }
            )
        document["interventions"].append(entry)
    if with_rules:
        document["kinds"] = {
            o.name: o.kind
            for i in interventions
            for o in [*i.partners.all(), *(line.party for line in i.lines.all())]
            if o.kind
        }
    return document


DOCUMENT_KEYS: dict[str, str] = {
    LineKind.COST: "costs",
    LineKind.SAVING: "savings",
    LineKind.REVENUE: "revenues",
    LineKind.LOST_REVENUE: "revenues",
}
"""Where each kind of line goes in the agreement document."""

ROLE_OF_KIND: dict[str, str] = {
    LineKind.COST: "pays",
    LineKind.SAVING: "saves",
    LineKind.REVENUE: "earns",
    LineKind.LOST_REVENUE: "earns",
}


def money_lines(agreement: Agreement) -> list[MoneyLine]:
    """Every money line of the agreement, with its party."""
    return list(
        MoneyLine.objects.filter(intervention__agreement=agreement).select_related("party")
    )


def stream_check(
    agreement: Agreement, lines: list[MoneyLine] | None = None
) -> list[tuple[MoneyLine, Breach]]:
    """The agreement's lines (``lines``, when already read) that break the financing-stream
    rules and give no reason."""
    found = []
    for line in money_lines(agreement) if lines is None else lines:
        checked = StreamLine(
            line.party.name, line.party.kind, line.stream, ROLE_OF_KIND[line.kind],
            line.stream_reason,
        )  # fmt: skip
        if (problem := breach(checked)) is not None:
            found.append((line, problem))
    return found


@dataclass
class Evaluation:
    """Everything the money dashboard and the exports show for one agreement."""

    data: AgreementData | None = None
    case: BusinessCase | None = None
    settlements: dict[str, Settlement] = field(default_factory=dict)
    risks: dict[str, RuleRisk] = field(default_factory=dict)
    least_core_epsilon: float | None = None
    coalition_values: list[tuple[tuple[str, ...], float]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    not_counted: list[NotCounted] = field(default_factory=list)
    """Lines left out of the figures: they break a financing-stream rule and give no reason."""
    realised: list[tuple[Outcome, Outcome | None]] = field(default_factory=list)
    """Each realised year settled, beside the same year settled as if the plan's savings for that
    stream and year had come true (None when the plan expects none)."""


def evaluate(agreement: Agreement, *, draws: int = MONTE_CARLO_DRAWS, seed: int = 0) -> Evaluation:
    """Business case, every allocation rule with core check and transfers, and Monte-Carlo.

    Kept per programme data version: any change to the agreement's lines recomputes it.
    """
    key = (agreement.pk, draws, seed, get_language())
    return remember("money", agreement.programme_id, key, lambda: _evaluate(agreement, draws, seed))


def _evaluate(agreement: Agreement, draws: int, seed: int) -> Evaluation:
    result = Evaluation()
    try:
        result.data, result.not_counted = counted(
            parse_agreement(agreement_document(agreement, with_rules=True))
        )
    except AgreementError as exc:
        result.problems.append(str(exc))
        return result
    result.case = business_case(result.data)
    exact = len(result.data.parties) <= MAX_EXACT_PLAYERS
    game = coalition_game(result.data) if exact else None
    if not exact:
        result.problems.append(
            f"{len(result.data.parties)} parties: the Shapley value is computed intervention "
            "by intervention (sampled, with a bound for all parties at once, only where one "
            f"intervention involves more than {MAX_SHAPLEY_PLAYERS} parties); the nucleolus and "
            f"the core check (at most {MAX_EXACT_PLAYERS} parties) are left out."
        )
    rules = []
    for rule in RULES:
        try:
            result.settlements[rule] = settlement(result.data, rule, game, result.case)
            rules.append(rule)
        except GameError as exc:
            result.problems.append(f"{rule}: {exc}")
    if game is not None:
        result.least_core_epsilon, _ = least_core(game)
    if game is not None and game.n <= 6:
        result.coalition_values = [
            (game.members(mask), float(game.values[mask])) for mask in range(1, game.grand + 1)
        ]
    if rules and draws > 0:
        result.risks = {r.rule: r for r in simulate(result.data, rules, draws=draws, seed=seed)}
    _settle_realised(agreement, result)
    return result


def _optional(value: Decimal | None) -> float | None:
    """A stored term that may be empty, as the settlement takes it."""
    return None if value is None else float(value)


def _settle_realised(agreement: Agreement, result: Evaluation) -> None:
    """Settle every realised year by the agreement's terms and division rule."""
    years = list(agreement.realised_years.all())
    if not years or result.data is None:
        return
    chosen = result.settlements.get(agreement.settlement_rule)
    if chosen is None:
        result.problems.append(
            f"{agreement.settlement_rule}: this rule gives no division here, so realised "
            "savings are divided equally."
        )
    shares = (
        chosen.allocation.as_dict() if chosen else dict.fromkeys(result.data.parties, 0.0)
    )
    try:
        terms = Terms(
            minimum_savings_rate=float(agreement.minimum_savings_rate),
            sharing_rate=float(agreement.sharing_rate),
            cap_rate=float(agreement.cap_rate),
            two_sided=agreement.two_sided,
            msr_by_size=agreement.msr_by_size,
            msr_confidence=_optional(agreement.msr_confidence),
            quality_indicators=agreement.quality_indicator_list,
            insurer_share=float(agreement.insurer_share),
            contract=agreement.contract_type,
            agreed_growth=_optional(agreement.agreed_growth_rate),
            **{name: _optional(getattr(agreement, name)) for name in LOSS_TERMS},
        )
    except SharedSavingsError as exc:  # terms stored past the form's checks: say so, settle none
        result.problems.append(str(exc))
        return
    planned = planned_savings(result.data)
    kinds = dict(result.data.kinds)

    def funders(stream: str) -> set[str]:
        """The parties that fund ``stream``: they keep what the providers do not receive."""
        funding = allowed_kinds(stream, "saves") or frozenset()
        return {party for party, kind in kinds.items() if kind in funding}

    for row in years:
        try:
            earlier, weights = row.bases()
        except ValidationError as exc:  # stored past the form's checks
            result.problems.append(f"{row.year} {row.stream}: {' '.join(exc.messages)}")
            continue
        try:
            year = Year(
                year=row.year,
                stream=row.stream,
                persons=row.persons,
                base_cost_per_person=float(row.base_cost_per_person),
                years_since_base=row.year - row.base_year,
                realised_cost=float(row.realised_cost),
                trend_rate=float(row.trend_rate),
                risk_adjustment=float(row.risk_adjustment),
                quality_score=_optional(row.quality_score),
                moved_to_wlz=row.moved_to_wlz,
                moved_to_wlz_cost=float(row.moved_to_wlz_cost),
                earlier_bases=earlier,
                weights=weights,
                trend_source=row.trend_source,
                lump_sum=_optional(row.lump_sum),
                cost_sd_per_person=_optional(row.cost_sd_per_person),
                truncated=row.truncated,
            )
        except SharedSavingsError as exc:
            result.problems.append(str(exc))
            continue
        expected = planned.get((row.stream, row.year))
        moved = year.moved_to_wlz_cost
        try:
            as_planned = (
                None
                if expected is None
                else settle_year(  # the plan's savings against the same benchmark
                    replace(year, realised_cost=moved + max(0.0, year.benchmark - expected)),
                    terms,
                    shares,
                    funders(row.stream),
                )
            )
            outcome = settle_year(year, terms, shares, funders(row.stream))
        except SharedSavingsError as exc:  # a score stored past the form's checks
            result.problems.append(str(exc))
            continue
        result.realised.append((outcome, as_planned))
