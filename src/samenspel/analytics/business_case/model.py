"""The agreement as data: parties, interventions, and their cost and saving lines over the years.

JSON form (documented in docs/money.md)::

    {"parties": ["hospital", "insurer", "municipality"],
     "start_year": 2026, "horizon": 5, "discount_rate": 0.0225,
     "interventions": [
       {"name": "Hospital at home", "partners": ["hospital", "insurer"],
        "costs":   [{"party": "hospital", "low": 80, "likely": 100, "high": 140,
                     "years": "all"}],
        "savings": [{"party": "insurer", "stream": "Zvw", "low": 90, "likely": 160,
                     "high": 200, "years": [2, 3, 4, 5]}],
        "revenues": [{"party": "hospital", "stream": "Zvw", "likely": 40, "lost": true}],
        "uptake_linked": true}]}

Amounts are per year (in whatever unit the agreement uses, e.g. thousands of euros); ``years``
lists 1-based years of the horizon, or "all"; a one-off cost is ``"years": [1]``.
``revenues`` are who gets what from which stream: a party's new revenue, or with ``"lost": true``
revenue it loses (a hospital paid per treatment that treats fewer patients). New revenue counts
as a gain of the party, lost revenue as a loss, like savings and costs.
``uptake_linked`` (default false): the intervention's lines rise and fall together in the
Monte-Carlo, as costs and savings do when both follow how many people take part.
``kinds`` (optional) gives each party's organisation kind ("health_insurer", "hospital", ...):
then a line that breaks the financing-stream rules (see ``streams``) is left out unless it
gives a ``reason``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..inputs import MAX_AMOUNT, is_finite_number, unique_names, within_amount_range

STREAMS = ("Zvw", "Wlz", "Wmo", "Jeugdwet", "Wpg", "subsidy", "own_funds", "other")
DEFAULT_DISCOUNT_RATE = 0.0225
"""The Dutch standard discount rate for social cost-benefit analyses (MKBA), 2.25%."""


class AgreementError(ValueError):
    """The agreement is not well formed; the message names the place."""


@dataclass(frozen=True)
class Line:
    party: str
    low: float
    likely: float
    high: float
    years: tuple[int, ...]
    stream: str = "other"
    lost: bool = False
    """For a revenue line: revenue the party loses rather than gains."""
    reason: str = ""
    """Why the line is right although it breaks a financing-stream rule."""


ROLES = ("pays", "saves", "earns")
"""What a line does for its party: a cost, a saving, or revenue (gained, or lost)."""


@dataclass(frozen=True)
class Intervention:
    name: str
    partners: frozenset[str]
    costs: tuple[Line, ...]
    savings: tuple[Line, ...]
    uptake_linked: bool = False
    """The lines move together in the Monte-Carlo (one draw of uptake for all of them)."""
    revenues: tuple[Line, ...] = ()

    def signed_lines(self) -> list[tuple[Line, float, str]]:
        """Every line with its sign for the party (+1 gain, -1 loss) and its role."""
        return [
            *((line, -1.0, "pays") for line in self.costs),
            *((line, 1.0, "saves") for line in self.savings),
            *((line, -1.0 if line.lost else 1.0, "earns") for line in self.revenues),
        ]


@dataclass(frozen=True)
class Agreement:
    parties: tuple[str, ...]
    start_year: int
    horizon: int
    discount_rate: float
    interventions: tuple[Intervention, ...]
    kinds: tuple[tuple[str, str], ...] = ()
    """(party, organisation kind) where known: the financing-stream rules apply to these."""

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.start_year, self.start_year + self.horizon))


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AgreementError(f"{where}: must be a number, got {value!r}")
    if not is_finite_number(value):
        raise AgreementError(f"{where}: must be a finite number, got {value!r}")
    return float(value)


def _amount(value: Any, where: str) -> float:
    amount = _number(value, where)
    if not within_amount_range(amount):
        raise AgreementError(f"{where}: must be below {MAX_AMOUNT:,.0f}, got {amount:,.0f}")
    return amount


def _line(data: Any, where: str, parties: set[str], horizon: int, kind: str) -> Line:
    if not isinstance(data, dict):
        raise AgreementError(f"{where}: must be an object")
    fields = {"party", "low", "likely", "high", "years", "stream", "reason"} | (
        {"lost"} if kind == "revenues" else set()
    )
    unknown = sorted(set(data) - fields)
    if unknown:
        raise AgreementError(f"{where}: unknown field(s) {', '.join(unknown)}")
    party = data.get("party")
    if party not in parties:
        raise AgreementError(f"{where}.party: unknown party {party!r}")
    likely = _amount(data.get("likely"), f"{where}.likely")
    low = _amount(data.get("low", likely), f"{where}.low")
    high = _amount(data.get("high", likely), f"{where}.high")
    if min(low, likely, high) < 0:
        raise AgreementError(f"{where}: amounts cannot be negative (record a saving instead)")
    if not low <= likely <= high:
        raise AgreementError(f"{where}: needs low <= likely <= high, got {low}, {likely}, {high}")
    years_raw = data.get("years", "all")
    if years_raw == "all":
        years = tuple(range(1, horizon + 1))
    elif (
        isinstance(years_raw, list)
        and years_raw
        and all(isinstance(y, int) and not isinstance(y, bool) for y in years_raw)
    ):
        bad = [y for y in years_raw if not 1 <= y <= horizon]
        if bad:
            raise AgreementError(f"{where}.years: {bad} outside the horizon 1..{horizon}")
        years = tuple(sorted(set(years_raw)))
    else:
        raise AgreementError(f'{where}.years: give "all" or a list of year numbers')
    stream = data.get("stream", "other" if kind == "costs" else None)
    if stream not in STREAMS:
        raise AgreementError(f"{where}.stream: {stream!r} is not one of {', '.join(STREAMS)}")
    lost = data.get("lost", False)
    if not isinstance(lost, bool):
        raise AgreementError(f"{where}.lost: true or false")
    reason = data.get("reason", "")
    if not isinstance(reason, str) or len(reason) > 2000:
        raise AgreementError(f"{where}.reason: a text of at most 2,000 characters")
    return Line(str(party), low, likely, high, years, str(stream), lost, reason.strip())


def parse_agreement(data: Any) -> Agreement:
    """Validate and build an Agreement from its JSON form."""
    if not isinstance(data, dict):
        raise AgreementError("the agreement must be a JSON object")
    parties = tuple(unique_names(data.get("parties"), "parties", "party", AgreementError))
    horizon = data.get("horizon", 5)
    if not isinstance(horizon, int) or isinstance(horizon, bool) or not 1 <= horizon <= 50:
        raise AgreementError("horizon: a whole number of years from 1 to 50")
    start_year = data.get("start_year", 2026)
    if not isinstance(start_year, int) or isinstance(start_year, bool):
        raise AgreementError("start_year: a year, e.g. 2026")
    rate = _number(data.get("discount_rate", DEFAULT_DISCOUNT_RATE), "discount_rate")
    if not -0.5 < rate < 1:
        raise AgreementError("discount_rate: a fraction such as 0.0225")
    raw = data.get("interventions")
    if not isinstance(raw, list) or not raw:
        raise AgreementError("interventions: give at least one intervention")
    interventions: list[Intervention] = []
    for k, item in enumerate(raw):
        intervention = _intervention(item, f"interventions[{k}]", set(parties), horizon)
        if any(i.name == intervention.name for i in interventions):
            raise AgreementError(
                f"interventions[{k}].name: duplicate intervention {intervention.name!r}"
            )
        interventions.append(intervention)
    return Agreement(
        parties, start_year, horizon, rate, tuple(interventions), _kinds(data, set(parties))
    )


def _kinds(data: dict[str, Any], parties: set[str]) -> tuple[tuple[str, str], ...]:
    raw = data.get("kinds", {})
    if not isinstance(raw, dict):
        raise AgreementError("kinds: an object of party → organisation kind")
    for party, kind in raw.items():
        if party not in parties:
            raise AgreementError(f"kinds: unknown party {party!r}")
        if not isinstance(kind, str) or not kind.strip():
            raise AgreementError(f"kinds.{party}: an organisation kind such as 'hospital'")
    return tuple(sorted((str(p), str(k).strip()) for p, k in raw.items()))


def _intervention(item: Any, where: str, parties: set[str], horizon: int) -> Intervention:
    if not isinstance(item, dict):
        raise AgreementError(f"{where}: must be an object")
    name = item.get("name")
    if not isinstance(name, str) or not name:
        raise AgreementError(f"{where}.name: give a name")
    partners = item.get("partners")
    if not isinstance(partners, list) or not partners:
        raise AgreementError(f"{where}.partners: list the parties needed to carry it out")
    unknown = sorted(set(map(str, partners)) - parties)
    if unknown:
        raise AgreementError(f"{where}.partners: unknown party {unknown[0]!r}")
    linked = item.get("uptake_linked", False)
    if not isinstance(linked, bool):
        raise AgreementError(f"{where}.uptake_linked: true or false")
    lines = {}
    for kind in ("costs", "savings", "revenues"):
        entries = item.get(kind, [])
        if not isinstance(entries, list):
            raise AgreementError(f"{where}.{kind}: must be a list")
        lines[kind] = tuple(
            _line(e, f"{where}.{kind}[{j}]", parties, horizon, kind) for j, e in enumerate(entries)
        )
    return Intervention(
        name, frozenset(map(str, partners)), lines["costs"], lines["savings"], linked,
        lines["revenues"],
    )  # fmt: skip
