"""Reads from the partnership registry, always within one programme."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Programme
from .resources import Resource

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
