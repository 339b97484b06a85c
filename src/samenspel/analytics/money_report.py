"""One JSON-ready report of an allocation, for the CLI, the API and exports."""

from __future__ import annotations

from typing import Any

from .business_case import (
    AgreementError,
    business_case,
    coalition_game,
    parse_agreement,
    settlement,
)
from .business_case.streams import NotCounted, counted
from .games import (
    MAX_EXACT_PLAYERS,
    Allocation,
    Game,
    GameError,
    allocate,
    least_core,
    settle,
)
from .games.io import game_kind, parse_game
from .inputs import is_finite_number


class MoneyInputError(ValueError):
    """The game or agreement could not be read; the message says where."""


def _transfers_from_holdings(
    holdings: Any, shares: dict[str, float], grand_value: float
) -> dict[str, Any]:
    if (
        not isinstance(holdings, dict)
        or set(holdings) != set(shares)
        or not all(is_finite_number(v) for v in holdings.values())
    ):
        raise GameError("holdings: map every party to a finite number")
    total = float(sum(holdings.values()))
    if abs(total - grand_value) > 1e-6 * max(1.0, abs(grand_value)):
        raise GameError(f"holdings sum to {total:.6g}, but v(N) is {grand_value:.6g}")
    side = {p: shares[p] - float(holdings[p]) for p in shares}
    drift = sum(side.values())
    largest = max(side, key=lambda p: abs(side[p]))
    side[largest] -= drift
    return {
        "holdings": {p: float(v) for p, v in holdings.items()},
        "side_payments": side,
        "final_positions": {p: float(holdings[p]) + side[p] for p in shares},
        "transfers": [
            {"payer": t.payer, "payee": t.payee, "amount": t.amount} for t in settle(side)
        ],
    }


def cost_shares(
    costs: Game,
    rule: str,
    *,
    investments: dict[str, float] | None = None,
    savings: dict[str, float] | None = None,
) -> tuple[Allocation, Game]:
    """Divide the cost c(N) of a cost game by ``rule``, with the core checked on the cost side:
    x(N) = c(N) and no coalition S pays more than c(S).

    Every rule commutes with negation (Shapley is linear, the nucleolus covariant, the equal
    and proportional splits scale), so the cost shares are minus the shares of the game -c, and
    x(S) <= c(S) is exactly the core of -c. The core's ``max_excess`` is then the most any
    coalition pays above its stand-alone cost. Also returns -c, whose least core is the cost
    side's.
    """
    negated = Game(costs.players, -costs.values)
    gains = allocate(negated, rule, investments=investments, savings=savings)
    return Allocation(rule, costs.players, -gains.shares, gains.core), negated


def not_counted_entry(item: NotCounted) -> dict[str, Any]:
    """A left-out line as the JSON report lists it, with why."""
    line = item.breach.line
    return {
        "intervention": item.intervention,
        "party": line.party,
        "kind": line.kind,
        "stream": line.stream,
        "role": line.role,
        "allowed": sorted(item.breach.allowed),
        "why": f"{line.party} ({line.kind}) may not {_VERB[line.role]} {line.stream} money; "
        f"only {', '.join(sorted(item.breach.allowed))} may. Give the line a reason to count it.",
    }


_VERB = {"pays": "pay from", "saves": "save", "earns": "earn from"}


def allocation_report(document: Any, rule: str) -> dict[str, Any]:
    """Allocation, core check, least-core epsilon and transfers for a game or an agreement.

    A document with ``interventions`` is an agreement; the transfers then move every party from its
    own NPV in the partnership's plan to its allotted share. A plain game gets transfers when it
    states ``holdings``: what each party receives before side payments (summing to v(N)).
    """
    try:
        game: Game | None
        if isinstance(document, dict) and "interventions" in document:
            agreement, left_out = counted(parse_agreement(document))
            exact = len(agreement.parties) <= MAX_EXACT_PLAYERS
            game = coalition_game(agreement) if exact else None
            case = business_case(agreement)
            result = settlement(agreement, rule, game, case)
            allocation = result.allocation
            extra: dict[str, Any] = {
                "own_npv": result.own_npv,
                "side_payments": result.side_payments,
                "final_positions": result.final_positions,
                "transfers": [
                    {
                        "payer": t.payer,
                        "payee": t.payee,
                        "amount": t.amount,
                        "per_year": y.amount,
                        "within_margin": within,
                    }
                    for t, y, within in zip(
                        result.transfers, result.yearly_transfers, result.within_margin, strict=True
                    )
                ],
                "plan": case.plan,
                "discount_rate": agreement.discount_rate,
                "not_counted": [not_counted_entry(n) for n in left_out],
            }
        elif game_kind(document) == "cost":
            costs, investments, savings = parse_game(document)
            if document.get("holdings") is not None:
                raise GameError("holdings: side payments are planned for a game of gains only")
            allocation, game = cost_shares(costs, rule, investments=investments, savings=savings)
            extra = {"kind": "cost"}
        else:
            game, investments, savings = parse_game(document)
            allocation = allocate(game, rule, investments=investments, savings=savings)
            extra = {}
            holdings = document.get("holdings")
            if holdings is not None:
                extra = _transfers_from_holdings(holdings, allocation.as_dict(), game.grand_value)
        epsilon = (
            least_core(game)[0] if game is not None and game.n <= MAX_EXACT_PLAYERS else None
        )
    except (GameError, AgreementError) as exc:
        raise MoneyInputError(str(exc)) from exc
    core = allocation.core
    return {
        "rule": rule,
        "players": list(allocation.players),
        "grand_value": float(allocation.shares.sum()),
        "shares": allocation.as_dict(),
        "core": None
        if core is None
        else {
            "in_core": core.in_core,
            "max_excess": core.max_excess,
            "blocking": list(core.blocking),
        },
        "least_core_epsilon": epsilon,
        "shapley_error_bound_95": allocation.error_bound,
        **extra,
    }
