"""The editable record types of a programme, described once for the web UI, the API and exports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from .models import (
    Group,
    GroupMembership,
    Initiative,
    Interaction,
    Objective,
    Organisation,
    Person,
    ProgrammeScoped,
    Project,
)


@dataclass(frozen=True)
class Resource:
    """One kind of programme record: its URL slug, model, editable fields and list columns."""

    slug: str
    model: type[ProgrammeScoped]
    fields: tuple[str, ...]
    columns: tuple[str, ...]
    contact: tuple[str, ...] = ()
    """Contact details among ``fields``: read and written by the programme director only."""
    audited: bool = False
    """Every change to a record of this kind is written to the audit log."""

    def fields_for(self, *, contact: bool) -> tuple[str, ...]:
        """The editable fields, without the contact details for whoever may not see them."""
        return self.fields if contact else tuple(f for f in self.fields if f not in self.contact)

    def field(self, name: str) -> models.Field[Any, Any]:
        return self.model._meta.get_field(name)  # type: ignore[return-value]

    @property
    def many_to_many(self) -> tuple[str, ...]:
        return tuple(f for f in self.fields if isinstance(self.field(f), models.ManyToManyField))

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)


RESOURCES: dict[str, Resource] = {}
"""Every kind of programme record, in dependency order (export and import follow this order)."""


def register(*resources: Resource) -> None:
    """Add record kinds; other apps call this from their AppConfig.ready()."""
    for resource in resources:
        if resource.slug in RESOURCES and RESOURCES[resource.slug] is not resource:
            raise ValueError(f"resource {resource.slug!r} is registered twice")
        RESOURCES[resource.slug] = resource


register(
    *(
        Resource(
            "objectives", Objective, ("title", "dimension", "description"), ("title", "dimension")
        ),
        Resource(
            "organisations",
            Organisation,
            ("name", "kind", "domain", "echelon", "level", "partnership_role", "parent", "place"),
            ("name", "kind", "domain", "level", "partnership_role", "parent"),
        ),
        Resource(
            "people",
            Person,
            ("name", "stakeholder_group", "profession", "organisation", "job_title", "email"),
            ("name", "stakeholder_group", "profession", "organisation", "job_title"),
            contact=("email",),
        ),
        Resource(
            "groups", Group, ("name", "kind", "layer", "description"), ("name", "kind", "layer")
        ),
        Resource(
            "memberships",
            GroupMembership,
            ("group", "person", "role"),
            ("group", "person", "role"),
        ),
        Resource(
            "projects",
            Project,
            (
                "name",
                "description",
                "owning_group",
                "objective",
                "status",
                "start_date",
                "end_date",
            ),
            ("name", "owning_group", "objective", "status", "start_date"),
        ),
        Resource(
            "initiatives",
            Initiative,
            (
                "title",
                "description",
                "proposed_by_person",
                "proposed_by_group",
                "stage",
                "proposed_on",
                "pilot_on",
                "scaling_on",
                "embedded_on",
                "project",
            ),
            ("title", "stage", "proposed_by_person", "proposed_by_group", "proposed_on", "project"),
        ),
        Resource(
            "interactions",
            Interaction,
            ("date", "kind", "topic", "participants", "groups", "bottlenecks", "notes"),
            ("date", "kind", "topic"),
        ),
    )
)


def resource_for(model: type[models.Model]) -> Resource:
    for resource in RESOURCES.values():
        if resource.model is model:
            return resource
    raise KeyError(model)
