"""Composition reads: who takes part in which layer, and the initiatives' path."""

from __future__ import annotations

from samenspel.analytics.composition import (
    Composition,
    GroupRecord,
    OrganisationRecord,
    PersonRecord,
    SeatRecord,
    compose,
)
from samenspel.web.core import choices as c
from samenspel.web.core.models import (
    Group,
    GroupMembership,
    Initiative,
    Organisation,
    Person,
    Programme,
)
from samenspel.web.core.versions import remember


def composition_of(programme: Programme | int, *, version: str | None = None) -> Composition:
    """The composition summary of one programme; kept until its data changes."""
    pid = programme if isinstance(programme, int) else programme.pk
    return remember("composition", pid, (), lambda: _compose(pid), version=version)


def _compose(pid: int) -> Composition:
    return compose(
        people=[
            PersonRecord(id=p[0], stakeholder_group=p[1], organisation_id=p[2])
            for p in Person.objects.filter(programme_id=pid).values_list(
                "id", "stakeholder_group", "organisation_id"
            )
        ],
        groups=[
            GroupRecord(id=g[0], name=g[1], kind=g[2], layer=g[3])
            for g in Group.objects.filter(programme_id=pid).values_list(
                "id", "name", "kind", "layer"
            )
        ],
        seats=[
            SeatRecord(group_id=s[0], person_id=s[1], role=s[2])
            for s in GroupMembership.objects.filter(programme_id=pid).values_list(
                "group_id", "person_id", "role"
            )
        ],
        organisations=[
            OrganisationRecord(id=o[0], level=o[1], domain=o[2], kind=o[3], partnership_role=o[4])
            for o in Organisation.objects.filter(programme_id=pid).values_list(
                "id", "level", "domain", "kind", "partnership_role"
            )
        ],
        initiative_stages=list(
            Initiative.objects.filter(programme_id=pid).values_list("stage", flat=True)
        ),
        stakeholder_order=c.StakeholderGroup.values,
        layer_order=c.Layer.values,
        level_order=c.Level.values,
        domain_order=c.Domain.values,
        kind_order=c.OrganisationKind.values,
        role_order=c.PartnershipRole.values,
        stage_order=c.InitiativeStage.values,
    )


def initiative_timeline(programme: Programme | int) -> list[Initiative]:
    """Initiatives with their proposers, oldest first, to show the model growing from the field."""
    pid = programme if isinstance(programme, int) else programme.pk
    return list(
        Initiative.objects.filter(programme_id=pid)
        .select_related("proposed_by_person", "proposed_by_group", "project")
        .order_by("proposed_on", "title")
    )
