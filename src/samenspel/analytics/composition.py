"""Composition of a partnership: who takes part, in which layer, from which organisations.

Pure functions over plain records, so the same summary serves the web page, the API, the CLI
and the comparison of programmes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

NO_GROUP = "none"
"""Column for people who sit in no group at all."""


@dataclass(frozen=True)
class PersonRecord:
    id: int
    stakeholder_group: str
    organisation_id: int | None = None


@dataclass(frozen=True)
class GroupRecord:
    id: int
    name: str
    kind: str
    layer: str


@dataclass(frozen=True)
class SeatRecord:
    group_id: int
    person_id: int
    role: str


@dataclass(frozen=True)
class OrganisationRecord:
    id: int
    level: str
    domain: str
    kind: str
    partnership_role: str


@dataclass(frozen=True)
class GroupMakeup:
    """Who sits in one group, counted per stakeholder group."""

    id: int
    name: str
    kind: str
    layer: str
    size: int
    by_stakeholder_group: dict[str, int]
    organisations: int


@dataclass(frozen=True)
class Composition:
    """The composition of one programme at a glance."""

    people: int
    organisations: int
    groups: int
    people_by_stakeholder_group: dict[str, int]
    participation: dict[str, dict[str, int]]
    """stakeholder group → layer (or ``NO_GROUP``) → distinct people taking part there."""
    organisations_by_level: dict[str, int]
    organisations_by_domain: dict[str, int]
    organisations_by_kind: dict[str, int]
    organisations_by_role: dict[str, int]
    group_makeup: list[GroupMakeup]
    initiatives_by_stage: dict[str, int]
    layers_reached: dict[str, list[str]] = field(default_factory=dict)
    """stakeholder group → the layers in which it has at least one person."""


def _ordered_counts(values: Iterable[str], order: Sequence[str]) -> dict[str, int]:
    counts = Counter(values)
    result = {key: counts.get(key, 0) for key in order}
    for key in sorted(set(counts) - set(order)):
        result[key] = counts[key]
    return result


def compose(
    *,
    people: Sequence[PersonRecord],
    groups: Sequence[GroupRecord],
    seats: Sequence[SeatRecord],
    organisations: Sequence[OrganisationRecord],
    initiative_stages: Sequence[str],
    stakeholder_order: Sequence[str],
    layer_order: Sequence[str],
    level_order: Sequence[str],
    domain_order: Sequence[str],
    kind_order: Sequence[str],
    role_order: Sequence[str],
    stage_order: Sequence[str],
) -> Composition:
    """Summarise a programme's composition.

    A person counts once per layer in which they hold at least one seat; people without any seat
    count in the ``NO_GROUP`` column, so every person appears in the participation table.
    """
    person_by_id = {p.id: p for p in people}
    group_by_id = {g.id: g for g in groups}
    layers_of_person: dict[int, set[str]] = {p.id: set() for p in people}
    members_of_group: dict[int, set[int]] = {g.id: set() for g in groups}
    for seat in seats:
        if seat.person_id not in person_by_id or seat.group_id not in group_by_id:
            raise ValueError(f"seat {seat} refers to an unknown person or group")
        layers_of_person[seat.person_id].add(group_by_id[seat.group_id].layer)
        members_of_group[seat.group_id].add(seat.person_id)

    columns = [*layer_order, NO_GROUP]
    participation = {sg: dict.fromkeys(columns, 0) for sg in stakeholder_order}
    for person in people:
        row = participation.setdefault(person.stakeholder_group, dict.fromkeys(columns, 0))
        for layer in layers_of_person[person.id] or {NO_GROUP}:
            row[layer] = row.get(layer, 0) + 1

    makeup = []
    for group in groups:
        members = [person_by_id[pid] for pid in members_of_group[group.id]]
        makeup.append(
            GroupMakeup(
                id=group.id,
                name=group.name,
                kind=group.kind,
                layer=group.layer,
                size=len(members),
                by_stakeholder_group=_ordered_counts(
                    (m.stakeholder_group for m in members), stakeholder_order
                ),
                organisations=len({m.organisation_id for m in members if m.organisation_id}),
            )
        )
    layer_rank = {layer: i for i, layer in enumerate(layer_order)}
    makeup.sort(key=lambda g: (layer_rank.get(g.layer, len(layer_rank)), g.name))

    return Composition(
        people=len(people),
        organisations=len(organisations),
        groups=len(groups),
        people_by_stakeholder_group=_ordered_counts(
            (p.stakeholder_group for p in people), stakeholder_order
        ),
        participation=participation,
        organisations_by_level=_ordered_counts((o.level for o in organisations), level_order),
        organisations_by_domain=_ordered_counts((o.domain for o in organisations), domain_order),
        organisations_by_kind=_ordered_counts((o.kind for o in organisations), kind_order),
        organisations_by_role=_ordered_counts(
            (o.partnership_role for o in organisations), role_order
        ),
        group_makeup=makeup,
        initiatives_by_stage=_ordered_counts(initiative_stages, stage_order),
        layers_reached={
            sg: [layer for layer in layer_order if row.get(layer, 0) > 0]
            for sg, row in participation.items()
        },
    )
