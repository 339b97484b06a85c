"""Which kinds of organisation a financing stream's money can reach, and the lines that breach it.

In the Dutch system each public stream has one funder: the health insurer for the Zvw, the
long-term-care office (zorgkantoor) for the Wlz, the municipality for the Wmo, the Youth Act
and public health (Wpg). Only the funder can save on a stream or bear its costs; the providers
it pays *earn* from it. A hospital that treats fewer patients therefore does not save Zvw money:
it loses Zvw revenue, and the insurer saves. Subsidy, own funds and other money have no rule.
Kinds are the organisation kinds of the partnership register ("health_insurer", ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .model import Agreement, Line

_CARE = frozenset(
    {"hospital", "gp_care_group", "gp_practice", "pharmacy", "mental_health", "elderly_care"}
)
_MUNICIPALITY = frozenset({"municipality"})

STREAM_RULES: dict[str, dict[str, frozenset[str]]] = {
    "Zvw": {
        "pays": frozenset({"health_insurer"}),
        "saves": frozenset({"health_insurer"}),
        "earns": _CARE | {"other"},
    },
    "Wlz": {
        "pays": frozenset({"zorgkantoor"}),
        "saves": frozenset({"zorgkantoor"}),
        "earns": frozenset({"elderly_care", "mental_health", "gp_practice", "other"}),
    },
    "Wmo": {
        "pays": _MUNICIPALITY,
        "saves": _MUNICIPALITY,
        "earns": frozenset(
            {"welfare", "elderly_care", "mental_health", "housing_corporation", "other"}
        ),
    },
    "Jeugdwet": {
        "pays": _MUNICIPALITY,
        "saves": _MUNICIPALITY,
        "earns": frozenset({"mental_health", "welfare", "gp_practice", "other"}),
    },
    "Wpg": {
        "pays": _MUNICIPALITY,
        "saves": _MUNICIPALITY,
        "earns": frozenset({"welfare", "other"}),  # the GGD is registered as "other"
    },
}
"""stream → role (pays, saves, earns) → the organisation kinds that may have that role."""


@dataclass(frozen=True)
class StreamLine:
    """One cost, saving or revenue line as the check sees it."""

    party: str
    kind: str
    """The party's organisation kind."""
    stream: str
    role: str
    """"pays", "saves" or "earns"."""
    reason: str = ""
    """Why the line is right all the same; a line with a reason is not a breach."""


@dataclass(frozen=True)
class Breach:
    line: StreamLine
    allowed: frozenset[str]
    """The organisation kinds the stream allows in this role."""


def allowed_kinds(stream: str, role: str) -> frozenset[str] | None:
    """The kinds that may have ``role`` in ``stream``; None when the stream has no rule."""
    rules = STREAM_RULES.get(stream)
    return None if rules is None else rules[role]


def breach(line: StreamLine) -> Breach | None:
    """The breach, when the line's party may not have its role in its stream and no reason is
    given; else None."""
    allowed = allowed_kinds(line.stream, line.role)
    if allowed is None or line.kind in allowed or line.reason.strip():
        return None
    return Breach(line, allowed)


def breaches(lines: Iterable[StreamLine]) -> list[Breach]:
    """The lines that breach the stream rules, in order."""
    return [b for b in map(breach, lines) if b is not None]


@dataclass(frozen=True)
class NotCounted:
    """A line left out of the business case and the division: it breaks a stream rule."""

    intervention: str
    breach: Breach


def counted(agreement: Agreement) -> tuple[Agreement, list[NotCounted]]:
    """The agreement without the lines that break a financing-stream rule and give no reason,
    and those lines. Only parties with a known kind are checked."""
    kinds = dict(agreement.kinds)
    left_out: list[NotCounted] = []
    interventions = []
    for intervention in agreement.interventions:
        kept: dict[str, list[Line]] = {"pays": [], "saves": [], "earns": []}
        for line, _sign, role in intervention.signed_lines():
            found = (
                breach(StreamLine(line.party, kinds[line.party], line.stream, role, line.reason))
                if line.party in kinds
                else None
            )
            if found is None:
                kept[role].append(line)
            else:
                left_out.append(NotCounted(intervention.name, found))
        interventions.append(
            replace(
                intervention,
                costs=tuple(kept["pays"]),
                savings=tuple(kept["saves"]),
                revenues=tuple(kept["earns"]),
            )
        )
    return replace(agreement, interventions=tuple(interventions)), left_out
