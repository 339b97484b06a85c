"""What a shared-savings settlement needs of person-level data: each stream's cost per person
with the costliest persons truncated, and the spread of the cost per person.

Definitions (also in docs/money.md):

- The persons of year Y are those the regiobeeld counts in Y; a person's cost of a stream in Y
  is the sum of their events' costs (0 without events).
- The **cap** is the 99th percentile of that cost over the persons of Y (nearest rank: the
  ``ceil(0.99 n)``-th smallest of the n costs, zeros included), as MSSP truncates each
  beneficiary's expenditure at the 99th percentile (42 CFR 425.601(a)(4)).
- The **truncated cost** is the sum over persons of the lesser of their cost and the cap, so
  one catastrophic claim cannot turn a year into a saving or a loss.
- The **spread** is the standard deviation of the truncated cost per person (zeros included):
  with the benchmark it gives a minimum savings rate from a confidence interval.

The cap itself is close to one person's cost and is never published. The truncated cost is
published only when at least the threshold of persons are above the cap and no one of them
accounts for more than half of what truncation removes: the published cost minus the truncated
cost is then a sum over at least that many persons that no single person dominates. Where the
region's cost of a stream is hidden, so are its settlement figures; a rounded release (the
cell-key method) publishes none.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

import ibis
import pandas as pd
from ibis import _

from .engine import Tables

TRUNCATION_PERCENTILE = 99
"""The percentile at which each person's cost is truncated (MSSP's)."""
DOMINANCE = 0.5
"""The largest part of the removed cost one person may account for before nothing is shown."""

# why a stream's truncated figures are not published
TOO_FEW_ABOVE = "too_few_above_cap"
DOMINATED = "one_person_dominates"
NO_CAP = "cap_is_zero"
COST_HIDDEN = "cost_hidden"
ROUNDED_RELEASE = "rounded_release"


def cap_rank(persons: Any) -> Any:
    """The nearest rank (1-based) of the truncation percentile among ``persons`` costs:
    ``ceil(p n / 100)`` in whole numbers, so no rounding of 0.99 n moves it."""
    return (persons * TRUNCATION_PERCENTILE + 99) // 100


def settlement_costs(tables: Tables, person_years: Any) -> Any:
    """Per year and stream: the persons counted (``persons``), their cost (``cost``), the
    ``cap``, the ``truncated`` cost, the persons above the cap (``capped``), the sum of squares
    of the truncated cost per person (``squares``), and the cost truncation removes in total
    (``removed``) and for the one person with most removed (``largest_removed``). A stream whose
    cap is 0 (fewer persons with its costs than above the percentile) has a null cap."""
    py = person_years.select("person_id", "year")
    persons = py.group_by("year").aggregate(persons=_.count())
    per_person = (
        tables.care_events.mutate(year=_.date.year().cast("int32"))
        .group_by(["person_id", "year", "stream"])
        .aggregate(cost=_.cost.sum().fill_null(0.0))
        .join(py, ["person_id", "year"])
        .filter(_.cost > 0)
    )
    users = per_person.group_by(["year", "stream"]).aggregate(users=_.count())
    ranked = per_person.mutate(
        rank=ibis.row_number().over(
            ibis.window(group_by=["year", "stream"], order_by=[_.cost, _.person_id])
        )
    )
    # the cap's rank among the persons with a cost: its rank among all, less the zeros
    caps = (
        ranked.join(users, ["year", "stream"])
        .join(persons, "year")
        .filter(_.rank + 1 == cap_rank(_.persons) - (_.persons - _.users))
        .select("year", "stream", cap=_.cost)
    )
    truncated = (
        per_person.join(caps, ["year", "stream"])
        .mutate(kept=ibis.least(_.cost, _.cap), removed=ibis.greatest(_.cost - _.cap, 0.0))
        .group_by(["year", "stream"])
        .aggregate(
            cap=_.cap.max(),
            truncated=_.kept.sum(),
            squares=(_.kept * _.kept).sum(),
            capped=(_.cost > _.cap).sum(),
            removed=_.removed.sum(),
            largest_removed=_.removed.max(),
        )
    )
    totals = per_person.group_by(["year", "stream"]).aggregate(cost=_.cost.sum())
    return (
        totals.join(persons, "year")
        .left_join(truncated, ["year", "stream"])
        .select(
            "year", "stream", "persons", "cost", "cap", "truncated", "capped", "squares",
            "removed", "largest_removed",
        )
    )  # fmt: skip


def withheld_because(row: Any, threshold: int, shown: bool = True) -> str | None:
    """Why a year and stream's truncated figures cannot be published (None: they can);
    ``shown``: the region's cost of that year and stream is published."""
    if not shown:
        return COST_HIDDEN
    if pd.isna(row.cap):
        return NO_CAP
    if row.capped < threshold:
        return TOO_FEW_ABOVE
    if row.largest_removed > DOMINANCE * row.removed:
        return DOMINATED
    return None


def spread(row: Any) -> float:
    """The standard deviation of the truncated cost per person, zeros included."""
    n = float(row.persons)
    mean = row.truncated / n
    variance = (row.squares - n * mean * mean) / (n - 1) if n > 1 else 0.0
    return math.sqrt(max(variance, 0.0))


def published_settlement(
    raw: pd.DataFrame,
    threshold: int,
    shown: Collection[tuple[int, str]] | None = None,
    *,
    rounded: bool = False,
) -> list[dict[str, Any]]:
    """The settlement figures to publish, per year and stream: the truncated cost per person
    and the spread, in whole cents, or the reason they are withheld. The cap, the persons above
    it and the sums they come from stay inside. ``shown``: the (year, stream) whose region
    cost is published (None: all); of the others nothing is published here either. A
    ``rounded`` release publishes none: exact sums beside perturbed ones would let two releases
    be differenced to one person's cost, which the perturbation exists to prevent."""
    records: list[dict[str, Any]] = []
    if raw.empty:
        return records
    for row in raw.sort_values(["year", "stream"]).itertuples():
        visible = shown is None or (int(row.year), str(row.stream)) in shown
        reason = ROUNDED_RELEASE if rounded else withheld_because(row, threshold, visible)
        record: dict[str, Any] = {
            "year": int(row.year),
            "stream": str(row.stream),
            "percentile": TRUNCATION_PERCENTILE,
        }
        if reason is None:
            record |= {
                "truncated_per_capita": round(row.truncated / row.persons, 2),
                "sd_per_capita": round(spread(row), 2),
                "suppressed": False,
            }
        else:
            record |= {"suppressed": True, "reason": reason}
        records.append(record)
    return records


__all__ = [
    "DOMINANCE",
    "ROUNDED_RELEASE",
    "TRUNCATION_PERCENTILE",
    "cap_rank",
    "published_settlement",
    "settlement_costs",
    "spread",
    "withheld_because",
]
