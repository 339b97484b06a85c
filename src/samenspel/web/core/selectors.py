"""Reads from the partnership registry, always within one programme."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from .models import Programme
from .resources import Resource

RELATED_FOR_LIST: dict[str, tuple[str, ...]] = {
    "organisations": ("parent",),
    "people": ("organisation",),
    "memberships": ("group", "person"),
    "projects": ("owning_group", "objective"),
    "initiatives": ("proposed_by_person", "proposed_by_group", "project"),
}


def records(programme: Programme | int, resource: Resource) -> QuerySet[Any]:
    """All records of one kind in one programme, with their foreign keys joined."""
    programme_id = programme if isinstance(programme, int) else programme.pk
    qs = resource.model.objects.filter(programme_id=programme_id)
    related = RELATED_FOR_LIST.get(resource.slug)
    if related:
        qs = qs.select_related(*related)
    if resource.many_to_many:
        qs = qs.prefetch_related(*resource.many_to_many)
    return qs


PAGE_SIZE = 50
SEARCHED = (models.CharField, models.TextField, models.ForeignKey)


def _label_field(model: type[models.Model]) -> str | None:
    """The field a record is known by (``name`` or ``title``), for searching and sorting."""
    names = {f.name for f in model._meta.get_fields()}
    return next((n for n in ("name", "title") if n in names), None)


def _path(resource: Resource, column: str) -> str | None:
    """The ORM path that sorts or searches a list column; None for a many-to-many column."""
    field = resource.field(column)
    if isinstance(field, models.ManyToManyField):
        return None
    if isinstance(field, models.ForeignKey):
        label = _label_field(field.related_model)
        return f"{column}__{label}" if label else None
    return column


def sortable(resource: Resource) -> set[str]:
    return {c for c in resource.columns if _path(resource, c)}


def list_page(
    programme: Programme, resource: Resource, *, query: str = "", sort: str = "", page: str = ""
) -> tuple[Page[Any], str]:
    """One page of a record list, searched over its text and sorted by one column.

    ``sort`` is a column name, ``-`` in front for descending; anything else keeps the default
    order. Returns the page and the sort that was applied.
    """
    qs = records(programme, resource)
    words = query.split()
    if words:
        paths = [
            path
            for name in resource.fields
            if (path := _path(resource, name)) and isinstance(resource.field(name), SEARCHED)
        ]
        for word in words[:10]:
            condition = Q()
            for path in paths:
                condition |= Q(**{f"{path}__icontains": word})
            qs = qs.filter(condition)
    applied = ""
    path = (
        _path(resource, sort.removeprefix("-"))
        if sort.removeprefix("-") in resource.columns
        else None
    )
    if path:
        qs = qs.order_by(f"-{path}" if sort.startswith("-") else path, "pk")
        applied = sort
    return Paginator(qs, PAGE_SIZE).get_page(page), applied


def demo_text(value: Any, programme: Programme) -> Any:
    """A demo programme's text in the reader's language: the demo is written in English and
    translated in the message catalogue. Text that users wrote is never translated."""
    if programme.is_demo and isinstance(value, str) and value:
        return gettext(value)
    return value
