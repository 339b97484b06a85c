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
- in a **two-sided** contract a loss beyond the minimum loss rate is shared at the loss-sharing
  rate, at most the loss cap (MSSP's own loss terms; each defaults to its savings counterpart),
  and the providers pay it back; in a one-sided contract a loss costs them nothing;
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

LOSS_TERMS = ("loss_sharing_rate", "minimum_loss_rate", "loss_cap_rate")


class SharedSavingsError(ValueError):
    """Terms or a year's figures that cannot be settled; the message names the field."""


@dataclass(frozen=True)
class Terms:
    minimum_savings_rate: float = 0.02
    sharing_rate: float = 0.5
    cap_rate: float = 0.10
    two_sided: bool = False
    # a two-sided contract's own loss terms (MSSP, 42 CFR 425.605-610); None: as for savings
    loss_sharing_rate: float | None = None
    minimum_loss_rate: float | None = None
    loss_cap_rate: float | None = None

    def __post_init__(self) -> None:
        for name in ("minimum_savings_rate", "sharing_rate", "cap_rate", *LOSS_TERMS):
            value = getattr(self, name)
            if value is None and name in LOSS_TERMS:
                continue
            if not is_finite_number(value) or not 0 <= value <= 1:
                raise SharedSavingsError(f"{name}: a fraction from 0 to 1, got {value!r}")
        given = [name for name in LOSS_TERMS if getattr(self, name) is not None]
        if given and not self.two_sided:
            raise SharedSavingsError(f"{given[0]}: only a two-sided contract has loss terms")
        if given and self.loss_sharing_rate is None:
            raise SharedSavingsError("loss_sharing_rate: give it with the other loss terms")

    def for_loss(self) -> tuple[float, float, float]:
        """(minimum rate, sharing rate, cap rate) that settle a loss year."""
        return (
            self.minimum_savings_rate if self.minimum_loss_rate is None else self.minimum_loss_rate,
            self.sharing_rate if self.loss_sharing_rate is None else self.loss_sharing_rate,
            self.cap_rate if self.loss_cap_rate is None else self.loss_cap_rate,
        )


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
    minimum, sharing, cap = (
        terms.for_loss()
        if savings < 0
        else (terms.minimum_savings_rate, terms.sharing_rate, terms.cap_rate)
    )
    qualifies = abs(rate) >= minimum and (savings > 0 or terms.two_sided)
    shared = sharing * savings if qualifies else 0.0
    limit = cap * benchmark
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
