"""Realised savings, settled as agreed: a shared-savings contract per year and financing stream.

The mechanism follows the Dutch shared-savings contracts and the Medicare Shared Savings
Program (MSSP):

- **benchmark**: the base year's cost per person, trended at an annual rate, times a risk
  adjustment (the ratio of the year's expected cost to the base year's, for a population that
  aged or changed in sex make-up; 1 without adjustment), times the persons of the year;
- **savings** = benchmark - realised cost; they count only when they reach the **minimum
  savings rate** (MSR) of the benchmark, and are then shared from the first euro;
- the **shared amount** = sharing rate x savings, at most the **cap** (a rate of the benchmark),
  goes to the **providers**; the stream's funder (the insurer for the Zvw, ...) keeps the rest,
  as in MSSP and the Dutch insurer contracts, where the sharing rate is what providers receive;
- in a **two-sided** contract a loss beyond the same corridor is shared the same way (the
  providers pay back); in a one-sided contract a loss costs them nothing;
- the shared amount is divided among the providers in proportion to their shares of the plan's
  gains under the agreement's chosen rule (equal when those add up to nothing). A party that
  funds the year's stream receives none of it; when every party funds it, all share.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from ..inputs import is_finite_number
from .evaluate import grand_plan
from .model import Agreement


class SharedSavingsError(ValueError):
    """Terms or a year's figures that cannot be settled; the message names the field."""


@dataclass(frozen=True)
class Terms:
    minimum_savings_rate: float = 0.02
    sharing_rate: float = 0.5
    cap_rate: float = 0.10
    two_sided: bool = False

    def __post_init__(self) -> None:
        for name in ("minimum_savings_rate", "sharing_rate", "cap_rate"):
            value = getattr(self, name)
            if not is_finite_number(value) or not 0 <= value <= 1:
                raise SharedSavingsError(f"{name}: a fraction from 0 to 1, got {value!r}")


@dataclass(frozen=True)
class Year:
    """One settlement year of one financing stream."""

    year: int
    stream: str
    persons: float
    base_cost_per_person: float
    years_since_base: int
    realised_cost: float
    trend_rate: float = 0.0
    risk_adjustment: float = 1.0

    def __post_init__(self) -> None:
        checks = {
            "persons": self.persons > 0,
            "base_cost_per_person": self.base_cost_per_person > 0,
            "realised_cost": self.realised_cost >= 0,
            "trend_rate": -0.5 < self.trend_rate < 1,
            "risk_adjustment": 0 < self.risk_adjustment < 10,
            "years_since_base": self.years_since_base >= 0,
        }
        for name, fine in checks.items():
            value = getattr(self, name)
            if not is_finite_number(value) or not fine:
                raise SharedSavingsError(f"{self.year} {self.stream}, {name}: out of range")

    @property
    def benchmark(self) -> float:
        """The expected cost without the programme."""
        trend = (1.0 + self.trend_rate) ** self.years_since_base
        return self.persons * self.base_cost_per_person * trend * self.risk_adjustment


@dataclass(frozen=True)
class Outcome:
    year: Year
    benchmark: float
    savings: float
    """Benchmark minus realised cost; negative in a loss year."""
    savings_rate: float
    qualifies: bool
    """The savings (or, two-sided, the loss) reach the minimum rate."""
    capped: bool
    shared: float
    """What the providers receive (negative: pay back), after the sharing rate and the cap."""
    per_party: dict[str, float]


def settle_year(
    year: Year,
    terms: Terms,
    shares: Mapping[str, float],
    funders: Collection[str] = (),
) -> Outcome:
    """Settle one year: benchmark, savings, minimum rate, sharing, cap, and division among
    the providers (every party but the ``funders`` of the year's stream, who get 0)."""
    benchmark = year.benchmark
    savings = benchmark - year.realised_cost
    rate = savings / benchmark
    qualifies = abs(rate) >= terms.minimum_savings_rate and (savings > 0 or terms.two_sided)
    shared = terms.sharing_rate * savings if qualifies else 0.0
    limit = terms.cap_rate * benchmark
    capped = abs(shared) > limit
    if capped:
        shared = limit if shared > 0 else -limit
    providers = {p: s for p, s in shares.items() if p not in funders} or dict(shares)
    per_party = dict.fromkeys(shares, 0.0) | divide(shared, providers)
    return Outcome(year, benchmark, savings, rate, qualifies, capped, shared, per_party)


def divide(amount: float, shares: Mapping[str, float]) -> dict[str, float]:
    """``amount`` in proportion to ``shares`` (the chosen rule's shares of the plan's gains);
    equally when they add up to nothing. A negative share counts as none."""
    weights = {p: max(0.0, s) for p, s in shares.items()}
    total = sum(weights.values())
    if not shares:
        return {}
    if total <= 0:
        return dict.fromkeys(shares, amount / len(shares))
    return {p: amount * w / total for p, w in weights.items()}


def planned_savings(agreement: Agreement) -> dict[tuple[str, int], float]:
    """(stream, calendar year) → how much less the plan expects the stream to spend that year:
    its saving lines minus its cost lines (likely amounts, undiscounted), to set against what
    was realised. Revenue lines are the providers' side of the funder's spending and are not
    counted again."""
    planned: dict[tuple[str, int], float] = {}
    for intervention in grand_plan(agreement):
        for sign, lines in ((1.0, intervention.savings), (-1.0, intervention.costs)):
            for line in lines:
                for y in line.years:
                    key = (line.stream, agreement.start_year + y - 1)
                    planned[key] = planned.get(key, 0.0) + sign * line.likely
    return planned
