"""Reads from the partnership registry, always within one programme."""

from __future__ import annotations

from django.db.models import QuerySet

from samenspel.analytics.composition import (
    Composition,
    GroupRecord,
    OrganisationRecord,
    PersonRecord,
    SeatRecord,
    compose,
)

from . import choices as c
from .models import Group, GroupMembership, Initiative, Organisation, Person, Programme
from .resources import Resource
from .versions import remember

RELATED_FOR_LIST: dict[str, tuple[str, ...]] = {
    "organisations": ("parent",),
    "people": ("organisation",),
    "memberships": ("group", "person"),
    "projects": ("owning_group", "objective"),
    "initiatives": ("proposed_by_person", "proposed_by_group", "project"),
}


def records(programme: Programme | int, resource: Resource) -> QuerySet:
    """All records of one kind in one programme, with their foreign keys joined."""
    programme_id = programme if isinstance(programme, int) else programme.pk
    qs = resource.model.objects.filter(programme_id=programme_id)
    related = RELATED_FOR_LIST.get(resource.slug)
    if related:
        qs = qs.select_related(*related)
    if resource.many_to_many:
        qs = qs.prefetch_related(*resource.many_to_many)
    return qs


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
