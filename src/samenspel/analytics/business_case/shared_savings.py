"""Realised savings, settled as agreed: a shared-savings contract per year and financing stream.

The mechanism follows the Dutch shared-savings contracts and the Medicare Shared Savings
Program (MSSP):

- **benchmark**: the base year's cost per person (or a weighted mean of several base years,
  each trended to the last, as MSSP's 10/30/60), trended at an annual rate, times a risk
  adjustment (the ratio of the year's expected cost to the base year's, for a population that
  aged or changed in sex make-up; 1 without adjustment), times the persons of the year;
- persons who **moved from Zvw into Wlz care** during the year are left out of a Zvw year, with
  their Zvw cost: the cost they no longer make is a shift between streams, not a saving;
- **savings** = benchmark - realised cost; they count only when they reach the **minimum
  savings rate** (MSR) of the benchmark, and are then shared from the first euro. The MSR is
  the agreed rate, or, by population size, CMS's table for one-sided contracts
  (42 CFR 425.604(b): 12.2% for fewer than 500 persons down to 2.0% from 60,000), or the
  half-width of a confidence interval of the benchmark: ``z * sd / (base cost * sqrt(n))``,
  from the spread of the base year's cost per person (CMS's table is this rule at 90% with a
  coefficient of variation of about 1.66, from 500 to 5,000 persons);
- with person-level data, each person's cost can be **truncated** at the 99th percentile
  (``population.settlement``): the year's figures then say so;
- a **quality gate**: when the parties named quality indicators, the sharing rate of a savings
  year is scaled by that year's quality score (0-1); without a score nothing is shared;
- in a Zvw year the contracting insurer settles only **its own insured's** part: the shared
  amount and the cap are scaled by its share of the insured (1 when the figures are its own);
- the **shared amount** = sharing rate x savings, at most the **cap** (a rate of the benchmark),
  goes to the **providers**; the stream's funder (the insurer for the Zvw, ...) keeps the rest,
  as in MSSP and the Dutch insurer contracts, where the sharing rate is what providers receive;
- in a **two-sided** contract a loss beyond the minimum loss rate is shared at the loss-sharing
  rate, at most the loss cap (MSSP's own loss terms; each defaults to its savings counterpart),
  and the providers pay it back; in a one-sided contract a loss costs them nothing;
- two other contract types settle against another reference than the benchmark. In a
  **growth-bending** contract ("groeiafspraak") the parties agree a lower growth of the cost per
  person than the trend: the year is settled against a **target** grown at that rate, always
  two-sided (above the target the providers pay back, below it they share in the difference).
  In a **lump-sum** contract ("aanneemsom") the funder pays the year's agreed sum whatever the
  care costs: the providers keep the whole difference, or bear it, with no minimum rate, gate
  or cap. In both, the benchmark at the trend still shows what the funder gained;
- the shared amount is divided among the providers in proportion to their shares of the plan's
  gains under the agreement's chosen rule (equal when those add up to nothing). A party that
  funds the year's stream receives none of it; when every party funds it, all share.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from itertools import pairwise
from statistics import NormalDist

from ..inputs import is_finite_number
from .evaluate import grand_plan
from .model import Agreement

LOSS_TERMS = ("loss_sharing_rate", "minimum_loss_rate", "loss_cap_rate")

SHARED_SAVINGS, GROWTH_BENDING, LUMP_SUM = "shared_savings", "growth_bending", "lump_sum"
CONTRACT_TYPES = (SHARED_SAVINGS, GROWTH_BENDING, LUMP_SUM)

ZVW = "Zvw"
"""The stream of the health insurers: the one an insurer's share and Wlz moves apply to."""

CMS_MSR_TABLE: tuple[tuple[int, float], ...] = (
    (1, 0.122), (500, 0.122), (1_000, 0.087), (3_000, 0.050), (5_000, 0.039), (6_000, 0.036),
    (7_000, 0.034), (8_000, 0.032), (9_000, 0.031), (10_000, 0.030), (15_000, 0.027),
    (20_000, 0.025), (50_000, 0.022), (60_000, 0.020),
)  # fmt: skip
"""CMS's minimum savings rate for a one-sided contract by number of persons (42 CFR
425.604(b)): each band's rate at its lower bound, running linearly to the next band's."""


def msr_by_size(persons: float) -> float:
    """The minimum savings rate for ``persons`` from :data:`CMS_MSR_TABLE`."""
    if persons <= CMS_MSR_TABLE[0][0]:
        return CMS_MSR_TABLE[0][1]
    for (low, low_rate), (high, high_rate) in pairwise(CMS_MSR_TABLE):
        if persons < high:
            return low_rate + (high_rate - low_rate) * (persons - low) / (high - low)
    return CMS_MSR_TABLE[-1][1]


def msr_from_confidence(persons: float, variation: float, confidence: float) -> float:
    """The minimum savings rate as the half-width of the two-sided ``confidence`` interval of
    a mean cost per person over ``persons``, whose coefficient of ``variation`` is the spread
    of the cost per person over its mean."""
    z = NormalDist().inv_cdf((1.0 + confidence) / 2.0)
    return z * variation / math.sqrt(persons)


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
    msr_by_size: bool = False
    """The minimum savings (and, unless given, loss) rate from CMS's table by population size."""
    msr_confidence: float | None = None
    """The minimum savings (and, unless given, loss) rate from a confidence interval of the
    benchmark at this level (0.9 is 90%); each year then needs its spread."""
    quality_indicators: tuple[str, ...] = ()
    """The indicators the parties chose for the quality gate; none: no gate."""
    insurer_share: float = 1.0
    """The contracting insurer's share of the insured in a Zvw year's figures."""
    contract: str = SHARED_SAVINGS
    """One of :data:`CONTRACT_TYPES`."""
    agreed_growth: float | None = None
    """A growth-bending contract's agreed annual growth of the cost per person."""

    def __post_init__(self) -> None:
        for name in ("minimum_savings_rate", "sharing_rate", "cap_rate", *LOSS_TERMS):
            value = getattr(self, name)
            if value is None and name in LOSS_TERMS:
                continue
            if not is_finite_number(value) or not 0 <= value <= 1:
                raise SharedSavingsError(f"{name}: a fraction from 0 to 1, got {value!r}")
        level = self.msr_confidence
        if level is not None and (not is_finite_number(level) or not 0.5 <= level < 1):
            raise SharedSavingsError(f"msr_confidence: from 0.5 to below 1, got {level!r}")
        if level is not None and self.msr_by_size:
            raise SharedSavingsError("msr_confidence: or by population size, not both")
        share = self.insurer_share
        if not is_finite_number(share) or not 0 < share <= 1:
            raise SharedSavingsError(f"insurer_share: a fraction above 0 up to 1, got {share!r}")
        if any(not isinstance(i, str) or not i.strip() for i in self.quality_indicators):
            raise SharedSavingsError("quality_indicators: name each indicator")
        if self.contract not in CONTRACT_TYPES:
            raise SharedSavingsError(f"contract: one of {', '.join(CONTRACT_TYPES)}")
        growth = self.agreed_growth
        if (growth is None) == (self.contract == GROWTH_BENDING):
            raise SharedSavingsError("agreed_growth: given for a growth-bending contract only")
        if growth is not None and (not is_finite_number(growth) or not -0.5 < growth < 1):
            raise SharedSavingsError(f"agreed_growth: a fraction such as 0.015, got {growth!r}")
        given = [name for name in LOSS_TERMS if getattr(self, name) is not None]
        if given and not self.two_sided:
            raise SharedSavingsError(f"{given[0]}: only a two-sided contract has loss terms")
        if given and self.loss_sharing_rate is None:
            raise SharedSavingsError("loss_sharing_rate: give it with the other loss terms")

    def minimum_rate(self, persons: float, variation: float | None = None) -> float:
        """The minimum savings rate for a year of ``persons`` whose cost per person has the
        coefficient of ``variation`` (needed for a rate from a confidence interval)."""
        if self.msr_confidence is not None:
            if variation is None:
                raise SharedSavingsError(
                    "cost_sd_per_person: the minimum rate comes from a confidence interval, "
                    "which needs the spread of the cost per person"
                )
            return msr_from_confidence(persons, variation, self.msr_confidence)
        return msr_by_size(persons) if self.msr_by_size else self.minimum_savings_rate

    def for_loss(
        self, persons: float, variation: float | None = None
    ) -> tuple[float, float, float]:
        """(minimum rate, sharing rate, cap rate) that settle a loss year of ``persons``."""
        return (
            self.minimum_rate(persons, variation)
            if self.minimum_loss_rate is None
            else self.minimum_loss_rate,
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
    quality_score: float | None = None
    """The year's score on the agreed quality indicators, 0-1; None: not (yet) known."""
    moved_to_wlz: float = 0
    """Of ``persons``, those who moved from Zvw into Wlz care in the year (a Zvw year only)."""
    moved_to_wlz_cost: float = 0.0
    """Their part of ``realised_cost``."""
    earlier_bases: tuple[tuple[int, float], ...] = ()
    """Earlier base years as (years before the base year, cost per person)."""
    weights: tuple[float, ...] = ()
    """The base years' weights, oldest first and the base year last, adding up to 1; empty:
    the base year alone."""
    trend_source: str = "agreed"
    """Where ``trend_rate`` comes from ("agreed", "national", "regional"), to show with it."""
    lump_sum: float | None = None
    """A lump-sum contract's agreed sum for this year and stream."""
    cost_sd_per_person: float | None = None
    """The standard deviation of the base year's cost per person, for a minimum rate from a
    confidence interval."""
    truncated: bool = False
    """The costs were truncated per person at the 99th percentile (shown with the year)."""

    @property
    def base_years(self) -> tuple[int, ...]:
        """The calendar years of the benchmark's base, oldest first."""
        base = self.year - self.years_since_base
        return (*sorted(base - offset for offset, _cost in self.earlier_bases), base)

    def __post_init__(self) -> None:
        checks = {
            "persons": self.persons > 0,
            "base_cost_per_person": self.base_cost_per_person > 0,
            "realised_cost": self.realised_cost >= 0,
            "trend_rate": -0.5 < self.trend_rate < 1,
            "risk_adjustment": 0 < self.risk_adjustment < 10,
            "years_since_base": self.years_since_base >= 0,
            "moved_to_wlz": 0 <= self.moved_to_wlz < self.persons,
            "moved_to_wlz_cost": 0 <= self.moved_to_wlz_cost <= self.realised_cost,
        }
        for name, fine in checks.items():
            value = getattr(self, name)
            if not is_finite_number(value) or not fine:
                raise SharedSavingsError(f"{self.year} {self.stream}, {name}: out of range")
        score = self.quality_score
        if score is not None and (not is_finite_number(score) or not 0 <= score <= 1):
            raise SharedSavingsError(f"{self.year} {self.stream}, quality_score: 0 to 1")
        if (self.moved_to_wlz or self.moved_to_wlz_cost) and self.stream != ZVW:
            raise SharedSavingsError(f"{self.year} {self.stream}, moved_to_wlz: a Zvw year only")
        if self.moved_to_wlz_cost and not self.moved_to_wlz:
            raise SharedSavingsError(
                f"{self.year} {self.stream}, moved_to_wlz: give the persons with their cost"
            )
        spread = self.cost_sd_per_person
        if spread is not None and (not is_finite_number(spread) or spread <= 0):
            raise SharedSavingsError(f"{self.year} {self.stream}, cost_sd_per_person: above 0")
        lump = self.lump_sum
        if lump is not None and (not is_finite_number(lump) or lump <= 0):
            raise SharedSavingsError(f"{self.year} {self.stream}, lump_sum: an amount above 0")
        self._check_bases()

    def target(self, growth: float) -> float:
        """The cost of the persons settled with the cost per person grown at ``growth`` a year
        since the base year: the benchmark at the trend, a growth-bending target at the
        agreed growth."""
        return (
            self.counted_persons
            * self.base_per_person
            * (1.0 + growth) ** self.years_since_base
            * self.risk_adjustment
        )

    def _check_bases(self) -> None:
        where = f"{self.year} {self.stream}"
        offsets = [offset for offset, _cost in self.earlier_bases]
        if any(
            not isinstance(o, int) or o < 1 or not is_finite_number(c) or c <= 0
            for o, c in self.earlier_bases
        ) or len(set(offsets)) != len(offsets):
            raise SharedSavingsError(
                f"{where}, earlier_bases: distinct earlier years, each with a cost above 0"
            )
        if not self.weights:
            if self.earlier_bases:
                raise SharedSavingsError(f"{where}, weights: give one per base year")
            return
        if len(self.weights) != len(self.earlier_bases) + 1:
            raise SharedSavingsError(f"{where}, weights: give one per base year, oldest first")
        if any(not is_finite_number(w) or w < 0 for w in self.weights) or not math.isclose(
            sum(self.weights), 1.0, abs_tol=1e-9
        ):
            raise SharedSavingsError(f"{where}, weights: fractions that add up to 1")

    @property
    def base_per_person(self) -> float:
        """The base cost per person: the base year's, or the weighted mean of the base years
        with each earlier year trended to the base year."""
        if not self.weights:
            return self.base_cost_per_person
        bases = [
            *sorted(self.earlier_bases, key=lambda b: -b[0]),
            (0, self.base_cost_per_person),
        ]
        return sum(
            w * cost * (1.0 + self.trend_rate) ** offset
            for w, (offset, cost) in zip(self.weights, bases, strict=True)
        )

    @property
    def variation(self) -> float | None:
        """The coefficient of variation of the base year's cost per person, when known."""
        spread = self.cost_sd_per_person
        return None if spread is None else spread / self.base_cost_per_person

    @property
    def counted_persons(self) -> float:
        """The persons settled: those who moved into Wlz care are left out."""
        return self.persons - self.moved_to_wlz

    @property
    def counted_cost(self) -> float:
        """The realised cost settled, without that of the persons who moved into Wlz care."""
        return self.realised_cost - self.moved_to_wlz_cost

    @property
    def benchmark(self) -> float:
        """The expected cost without the programme, of the persons settled."""
        return self.target(self.trend_rate)


@dataclass(frozen=True)
class Outcome:
    year: Year
    benchmark: float
    savings: float
    """Benchmark minus realised cost (both without Wlz moves); negative in a loss year."""
    savings_rate: float
    qualifies: bool
    """The savings (or, two-sided, the loss) reach the minimum rate."""
    capped: bool
    shared: float
    """What the providers receive (negative: pay back), after the sharing rate and the cap."""
    per_party: dict[str, float]
    minimum_rate: float = 0.0
    """The minimum savings or loss rate that applied."""
    sharing_rate: float = 0.0
    """The sharing rate that applied, after the quality gate."""
    quality_missing: bool = False
    """Savings that qualify but are not shared because the year has no quality score yet."""
    insurer_share: float = 1.0
    """The part of the savings the contracting insurer settles (its share of the insured)."""
    target: float | None = None
    """What a growth-bending or lump-sum year is settled against (the target or the sum)."""

    @property
    def funder_gain(self) -> float:
        """What the funder spent less than the benchmark, after paying the providers."""
        return self.savings * self.insurer_share - self.shared


def settle_year(
    year: Year,
    terms: Terms,
    shares: Mapping[str, float],
    funders: Collection[str] = (),
) -> Outcome:
    """Settle one year: benchmark, savings, minimum rate, quality gate, sharing, the insurer's
    share, cap, and division among the providers (every party but the ``funders`` of the
    year's stream, who get 0). A growth-bending year is settled against its target, a lump-sum
    year against its sum."""
    where = f"{year.year} {year.stream}"
    if year.quality_score is not None and not terms.quality_indicators:
        raise SharedSavingsError(f"{where}, quality_score: the agreement names no indicators")
    if (year.lump_sum is None) == (terms.contract == LUMP_SUM):
        raise SharedSavingsError(f"{where}, lump_sum: given for a lump-sum contract only")
    benchmark = year.benchmark
    savings = benchmark - year.counted_cost
    insured = terms.insurer_share if year.stream == ZVW else 1.0
    providers = {p: s for p, s in shares.items() if p not in funders} or dict(shares)
    if year.lump_sum is not None:  # the providers keep or bear the whole difference
        shared = (year.lump_sum - year.counted_cost) * insured
        return Outcome(
            year, benchmark, savings, (year.lump_sum - year.counted_cost) / year.lump_sum, True,
            False, shared, dict.fromkeys(shares, 0.0) | divide(shared, providers),
            minimum_rate=0.0, sharing_rate=1.0, insurer_share=insured, target=year.lump_sum,
        )  # fmt: skip
    bent = terms.agreed_growth is not None
    reference = year.target(terms.agreed_growth) if terms.agreed_growth is not None else benchmark
    difference = reference - year.counted_cost
    rate = difference / reference
    gated = bool(terms.quality_indicators) and difference >= 0
    if difference < 0:
        minimum, sharing, cap = terms.for_loss(year.counted_persons, year.variation)
    else:
        minimum, sharing, cap = (
            terms.minimum_rate(year.counted_persons, year.variation),
            terms.sharing_rate * ((year.quality_score or 0.0) if gated else 1.0),
            terms.cap_rate,
        )
    qualifies = abs(rate) >= minimum and (difference > 0 or terms.two_sided or bent)
    shared = sharing * difference * insured if qualifies else 0.0
    limit = cap * reference * insured
    capped = abs(shared) > limit
    if capped:
        shared = limit if shared > 0 else -limit
    per_party = dict.fromkeys(shares, 0.0) | divide(shared, providers)
    return Outcome(
        year, benchmark, savings, rate, qualifies, capped, shared, per_party,
        minimum_rate=minimum, sharing_rate=sharing,
        quality_missing=gated and qualifies and year.quality_score is None,
        insurer_share=insured, target=reference if bent else None,
    )  # fmt: skip


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
