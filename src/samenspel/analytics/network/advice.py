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

    ``network`` nodes carry ``stakeholder_group`` and ``organisation``. ``seated`` maps a layer
    to the people with a seat in a group of that layer.
    """
    t = thresholds or Thresholds()
    groups = network.attribute("stakeholder_group")
    return [
        *_strategic_contact(network, groups, seated.get("strategic", set())),
        *_residents(groups, set().union(*seated.values()) if seated else set()),
        *_professionals_in_steering(groups, seated.get("strategic", set())),
        *_brokerage_concentrated(network, t),
        *_low_trust(organisation_scores or {}, t),
        *_low_response(response_rate, t),
        *_closed_groups(network, groups, t),
    ]


def _strategic_contact(
    network: Network, groups: Mapping[str, str], strategic: set[str]
) -> list[Advice]:
    """A stakeholder group with no seat and no tie in the strategic layer."""
    present = sorted(set(groups.values()))
    linked: dict[str, int] = dict.fromkeys(present, 0)
    for tie in network.undirected().ties:
        for a, b in ((tie.source, tie.target), (tie.target, tie.source)):
            if b in strategic:
                linked[groups[a]] += 1
    found = []
    for group in present:
        members = {n for n, g in groups.items() if g == group}
        if group != "executive" and linked[group] == 0 and not members & strategic:
            found.append(
                Advice(
                    "no_strategic_contact",
                    "warning",
                    0,
                    None,
                    {"group": group, "people": len(members)},
                )
            )
    return found


def _residents(groups: Mapping[str, str], any_seat: set[str]) -> list[Advice]:
    residents = [n for n, g in groups.items() if g == "resident"]
    seated = [n for n in residents if n in any_seat]
    if residents and seated:
        return []
    return [
        Advice(
            "residents_absent",
            "attention",
            float(len(seated)),
            None,
            {"residents": len(residents)},
        )
    ]


def _professionals_in_steering(groups: Mapping[str, str], strategic: set[str]) -> list[Advice]:
    if any(groups.get(n) == "professional" for n in strategic):
        return []
    return [Advice("professionals_not_in_steering", "attention", 0, None, {})]


def _brokerage_concentrated(network: Network, t: Thresholds) -> list[Advice]:
    """One organisation holds most brokerage between stakeholder groups (undirected ties)."""
    roles = brokerage(network.undirected(), "stakeholder_group")
    organisations = network.attribute("organisation")
    per_org: dict[str, int] = {}
    for node, counts in roles.items():
        cross = sum(counts[r] for r in CROSS_ROLES)
        if cross and organisations[node]:
            per_org[organisations[node]] = per_org.get(organisations[node], 0) + cross
    total = sum(per_org.values())
    if not total or len({o for o in organisations.values() if o}) < 2:
        return []
    top, amount = max(per_org.items(), key=lambda kv: (kv[1], kv[0]))
    share = amount / total
    if share < t.brokerage_share:
        return []
    return [
        Advice("brokerage_concentrated", "warning", share, t.brokerage_share, {"organisation": top})
    ]


def _low_trust(scores: Mapping[str, Score], t: Thresholds) -> list[Advice]:
    shown = {o: s.trust for o, s in scores.items() if s.trust is not None}
    if len(shown) < 3:
        return []
    found = []
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
    return found


def _low_response(rate: float | None, t: Thresholds) -> list[Advice]:
    if rate is None or rate >= t.min_response_rate:
        return []
    return [Advice("low_response", "warning", rate, t.min_response_rate, {})]


def _closed_groups(network: Network, groups: Mapping[str, str], t: Thresholds) -> list[Advice]:
    found = []
    ei = ei_index(network, "stakeholder_group").index
    if ei is not None and ei <= t.ei_closed:
        found.append(Advice("groups_closed", "attention", ei, t.ei_closed, {}))
    present = set(groups.values())
    if "resident" in present and "executive" in present:
        matrix = contact_matrix(network, "stakeholder_group")
        if matrix.ties["resident"]["executive"] == 0:
            found.append(Advice("no_resident_executive_contact", "attention", 0, None, {}))
    return found
