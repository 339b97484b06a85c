"""Advice a programme director can act on, each rule triggered by a figure.

Every rule returns the code, the figure that triggered it and the threshold, so the web layer can
phrase it in the user's language. Thresholds are configurable (``Thresholds``). The rules:

- ``no_strategic_contact``: a stakeholder group (other than executives) has no tie at all to
  anyone who sits in a strategic-layer group.
- ``residents_absent``: residents take part in the programme but sit in no group, or the
  programme has no residents at all.
- ``professionals_not_in_steering``: no professional sits in a strategic-layer group (steering
  or support group).
- ``brokerage_concentrated``: one organisation's people hold at least ``brokerage_share`` of all
  brokerage between stakeholder groups (gatekeeper, representative, liaison roles).
- ``low_trust_partner``: an organisation's trust score lies ``trust_gap`` or more below the mean
  of the other organisations' scores (only scores shown, i.e. with enough respondents).
- ``low_response``: the response rate is below ``min_response_rate``: the map is unreliable.
- ``groups_closed``: the E-I index by stakeholder group is at or below ``ei_closed`` — contact
  stays within groups.
- ``no_resident_executive_contact``: residents and executives both take part but have no tie.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .brokerage import brokerage
from .groups import contact_matrix, ei_index
from .model import Network
from .scores import MIN_RESPONDENTS, Score


@dataclass(frozen=True)
class Thresholds:
    brokerage_share: float = 0.6
    trust_gap: float = 0.75
    min_response_rate: float = 0.7
    ei_closed: float = -0.5
    min_respondents: int = MIN_RESPONDENTS


@dataclass(frozen=True)
class Advice:
    code: str
    severity: str  # "warning" or "attention"
    figure: float | None
    threshold: float | None
    params: dict[str, Any] = field(default_factory=dict)


CROSS_ROLES = ("gatekeeper", "representative", "liaison")


def advise(
    network: Network,
    *,
    seated: Mapping[str, set[str]],
    organisation_scores: Mapping[str, Score] | None = None,
    response_rate: float | None = None,
    thresholds: Thresholds | None = None,
) -> list[Advice]:
    """Run every rule.

    ``network`` nodes carry ``stakeholder_group``, ``organisation`` and ``layers`` (the layers of
    the groups the person sits in, joined by ``+``; empty when in no group). ``seated`` maps a layer
    to the people with a seat in a group of that layer.
    """
    t = thresholds or Thresholds()
    found: list[Advice] = []
    groups = network.attribute("stakeholder_group")
    strategic = seated.get("strategic", set())
    any_seat = set().union(*seated.values()) if seated else set()
    present = sorted(set(groups.values()))

    linked_to_strategic: dict[str, int] = dict.fromkeys(present, 0)
    for tie in network.undirected().ties:
        for a, b in ((tie.source, tie.target), (tie.target, tie.source)):
            if b in strategic:
                linked_to_strategic[groups[a]] += 1
    for group in present:
        if group == "executive":
            continue
        members = [n for n, g in groups.items() if g == group]
        if members and linked_to_strategic[group] == 0 and not (set(members) & strategic):
            found.append(
                Advice(
                    "no_strategic_contact",
                    "warning",
                    0,
                    None,
                    {"group": group, "people": len(members)},
                )
            )

    residents = [n for n, g in groups.items() if g == "resident"]
    seated_residents = [n for n in residents if n in any_seat]
    if not residents or not seated_residents:
        found.append(
            Advice(
                "residents_absent",
                "attention",
                float(len(seated_residents)),
                None,
                {"residents": len(residents)},
            )
        )

    if not any(groups[n] == "professional" for n in strategic if n in groups):
        found.append(Advice("professionals_not_in_steering", "attention", 0, None, {}))

    roles = brokerage(network, "stakeholder_group")
    organisations = network.attribute("organisation")
    per_org: dict[str, int] = {}
    for node, counts in roles.items():
        cross = sum(counts[r] for r in CROSS_ROLES)
        if cross and organisations[node]:
            per_org[organisations[node]] = per_org.get(organisations[node], 0) + cross
    total = sum(per_org.values())
    if total and len(per_org) >= 1:
        top, amount = max(per_org.items(), key=lambda kv: (kv[1], kv[0]))
        share = amount / total
        if share >= t.brokerage_share and len({o for o in organisations.values() if o}) > 1:
            found.append(
                Advice(
                    "brokerage_concentrated",
                    "warning",
                    share,
                    t.brokerage_share,
                    {"organisation": top},
                )
            )

    shown = {o: s.trust for o, s in (organisation_scores or {}).items() if s.trust is not None}
    if len(shown) >= 3:
        for org, trust in sorted(shown.items()):
            others = [v for o, v in shown.items() if o != org]
            mean = sum(others) / len(others)
            if mean - trust >= t.trust_gap:
                found.append(
                    Advice(
                        "low_trust_partner",
                        "warning",
                        trust,
                        t.trust_gap,
                        {"organisation": org, "others_mean": mean},
                    )
                )

    if response_rate is not None and response_rate < t.min_response_rate:
        found.append(Advice("low_response", "warning", response_rate, t.min_response_rate, {}))

    ei = ei_index(network, "stakeholder_group").index
    if ei is not None and ei <= t.ei_closed:
        found.append(Advice("groups_closed", "attention", ei, t.ei_closed, {}))

    if "resident" in present and "executive" in present:
        matrix = contact_matrix(network, "stakeholder_group")
        if matrix.ties["resident"]["executive"] == 0:
            found.append(Advice("no_resident_executive_contact", "attention", 0, None, {}))
    return found
