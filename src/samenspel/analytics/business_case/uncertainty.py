"""Monte-Carlo over the low/likely/high ranges: who ends with a positive NPV, under each rule?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .evaluate import discount_factors, grand_plan, settlement
from .model import Agreement, Line


@dataclass(frozen=True)
class RuleRisk:
    rule: str
    probability_positive: dict[str, float | None]
    """Share of draws in which the party's NPV after the agreed side payments is > 0; None for a
    party with no cash flow and no side payment at all (nothing at stake)."""
    p5: dict[str, float]
    p50: dict[str, float]
    p95: dict[str, float]


def _draw(line: Line, rng: np.random.Generator, draws: int) -> np.ndarray:
    if line.high == line.low:
        return np.full(draws, line.likely)
    return rng.triangular(line.low, line.likely, line.high, size=draws)


def triangular_quantile(line: Line, u: np.ndarray) -> np.ndarray:
    """The triangular(low, likely, high) distribution's inverse CDF at ``u`` in [0, 1]."""
    low, mode, high = line.low, line.likely, line.high
    if high == low:
        return np.full(u.shape, mode)
    split = (mode - low) / (high - low)
    rising = low + np.sqrt(u * (high - low) * (mode - low))
    falling = high - np.sqrt((1.0 - u) * (high - low) * (high - mode))
    return np.where(u < split, rising, falling)


def simulate(
    agreement: Agreement, rules: Sequence[str], *, draws: int = 2000, seed: int = 0
) -> list[RuleRisk]:
    """Sample every cost and saving line from a triangular(low, likely, high) distribution.

    The plan and the side payments are fixed in advance from the likely amounts, as they would be
    in a signed agreement; only the realised costs and savings vary. Each line is drawn once per
    draw and applies to all of its years (a pessimistic, fully correlated-over-time assumption).
    Lines are independent, except within an intervention marked ``uptake_linked``: there one
    uniform draw of uptake sets every line at the same quantile of its own range.
    """
    if draws < 1:
        raise ValueError("take at least one draw")
    rng = np.random.default_rng(seed)
    factors = discount_factors(agreement)
    index = {p: i for i, p in enumerate(agreement.parties)}
    npv = np.zeros((draws, len(agreement.parties)))
    for intervention in grand_plan(agreement):
        uptake = rng.random(draws) if intervention.uptake_linked else None
        for line, sign, _role in intervention.signed_lines():
            weight = float(factors[[y - 1 for y in line.years]].sum())
            amounts = (
                _draw(line, rng, draws) if uptake is None else triangular_quantile(line, uptake)
            )
            npv[:, index[line.party]] += sign * weight * amounts
    results = []
    for rule in rules:
        side = settlement(agreement, rule).side_payments
        after = npv + np.array([side[p] for p in agreement.parties])[None, :]
        results.append(
            RuleRisk(
                rule=rule,
                probability_positive={
                    p: float((after[:, i] > 0).mean()) if after[:, i].any() else None
                    for p, i in index.items()
                },
                p5={p: float(np.percentile(after[:, i], 5)) for p, i in index.items()},
                p50={p: float(np.percentile(after[:, i], 50)) for p, i in index.items()},
                p95={p: float(np.percentile(after[:, i], 95)) for p, i in index.items()},
            )
        )
    return results
