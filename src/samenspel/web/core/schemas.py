"""API schemas, derived from the resource descriptions so the API and the models never drift."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import models
from ninja import Schema
from pydantic import Field, StrictBool, StrictInt, create_model

from .models import LARGEST_ID
from .resources import Resource

RecordId = Annotated[StrictInt, Field(ge=1, le=LARGEST_ID)]
"""A record id in a request body: a whole number a database key can hold (a larger one made
the database driver fail with a server error)."""


def _python_type(field: models.Field[Any, Any]) -> tuple[Any, Any]:
    """The pydantic type and default of one model field for input.

    Numbers are refused when they are booleans, NaN, Infinity or outside the field's range.
    """
    required = not field.blank and not field.null and not field.has_default()
    if isinstance(field, models.ManyToManyField):
        return list[RecordId], Field(default_factory=list)
    if isinstance(field, models.ForeignKey):
        return (RecordId | None), None
    if isinstance(field, models.DateField):
        return (dt.date if required else dt.date | None), (... if required else None)
    if isinstance(field, models.BooleanField):
        # strict: 1, 0 and "yes" are not true or false here
        return StrictBool, field.get_default() if field.has_default() else ...
    if isinstance(field, models.DecimalField):
        bounds = _limits(field)
        kind_d: Any = Decimal | None if field.null else Decimal
        return kind_d, Field(
            ... if required else field.get_default(),
            max_digits=field.max_digits,
            decimal_places=field.decimal_places,
            **bounds,
        )
    if isinstance(field, models.IntegerField):
        # strict: true, 3.0 and "3" are not whole numbers here
        return StrictInt, Field(... if required else field.get_default(), **_limits(field))
    if field.choices:
        values = [str(code) for code, _label in field.choices]
        if field.blank:
            values.append("")
        kind: Any = Literal[tuple(values)]
        default = ... if required else (field.get_default() if field.has_default() else "")
        return kind, default
    max_length = getattr(field, "max_length", None)
    if required:
        return str, Field(..., min_length=1, max_length=max_length)
    return str, Field("", max_length=max_length)


def _limits(field: models.Field[Any, Any]) -> dict[str, Any]:
    """ge/le bounds from a field's Min/MaxValueValidators (and positive integer fields)."""
    from django.core.validators import MaxValueValidator, MinValueValidator

    limits: dict[str, Any] = {}
    if isinstance(field, models.PositiveIntegerField):
        limits["ge"] = 0
    for validator in field.validators:
        if isinstance(validator, MinValueValidator):
            limits["ge"] = validator.limit_value
        elif isinstance(validator, MaxValueValidator):
            limits["le"] = validator.limit_value
    return limits


def _versioned(resource: Resource) -> bool:
    return any(f.name == "version" for f in resource.model._meta.concrete_fields)


def input_schema(resource: Resource, *, partial: bool) -> type[Schema]:
    """Schema for creating (all required fields) or patching (every field optional) a record."""
    fields: dict[str, Any] = {}
    for name in resource.fields:
        kind, default = _python_type(resource.field(name))
        if partial:
            fields[name] = (kind | None, None)
        elif name in resource.contact:  # null, as read by all but the director, keeps it
            fields[name] = (kind | None, default)
        else:
            fields[name] = (kind, default)
    if _versioned(resource):
        fields["version"] = (
            int | None,
            Field(None, description="The version you read; a stale version is refused (409)."),
        )
    suffix = "Patch" if partial else "In"
    return create_model(f"{resource.model.__name__}{suffix}", __base__=Schema, **fields)


def output_schema(resource: Resource) -> type[Schema]:
    """Schema of a record as the API returns it: id, programme and every editable field."""
    fields: dict[str, Any] = {"id": (int, ...), "programme": (int, ...)}
    if _versioned(resource):
        fields["version"] = (int, ...)
    for name in resource.fields:
        field = resource.field(name)
        if isinstance(field, models.ManyToManyField):
            fields[name] = (list[int], ...)
        elif isinstance(field, models.ForeignKey):
            fields[name] = (int | None, ...)
        elif isinstance(field, models.DateField):
            fields[name] = (dt.date | None, ...)
        elif isinstance(field, models.DecimalField):
            fields[name] = (Decimal | None if field.null else Decimal, ...)
        elif isinstance(field, models.BooleanField):
            fields[name] = (bool, ...)
        elif isinstance(field, models.IntegerField):
            fields[name] = (int, ...)
        elif name in resource.contact:
            fields[name] = (
                str | None,
                Field(..., description="Contact detail: null for all but the programme director."),
            )
        else:
            fields[name] = (str, ...)
    return create_model(f"{resource.model.__name__}Out", __base__=Schema, **fields)


def serialise(resource: Resource, obj: models.Model, *, contact: bool) -> dict[str, Any]:
    """A record as a plain dict matching ``output_schema``; contact details are null unless
    ``contact`` (the reader is the programme director)."""
    data: dict[str, Any] = {"id": obj.pk, "programme": obj.programme_id}  # type: ignore[attr-defined]
    if _versioned(resource):
        data["version"] = obj.version  # type: ignore[attr-defined]
    for name in resource.fields:
        field = resource.field(name)
        if isinstance(field, models.ManyToManyField):
            data[name] = sorted(o.pk for o in getattr(obj, name).all())
        elif isinstance(field, models.ForeignKey):
            data[name] = getattr(obj, field.attname)
        elif name in resource.contact and not contact:
            data[name] = None
        else:
            data[name] = getattr(obj, name)
    return data


class RegionOut(Schema):
    id: int
    name: str
    province: str


class ProgrammeIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    region: str = Field(..., min_length=1, max_length=200, description="Region name")
    province: str = Field("", max_length=100)
    vision: str = ""
    governance_style: str = ""
    start_date: dt.date | None = None


class ProgrammePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    region: str | None = Field(None, min_length=1, max_length=200)
    vision: str | None = None
    governance_style: str | None = None
    start_date: dt.date | None = None


class ProgrammeOut(Schema):
    id: int
    name: str
    region: RegionOut
    vision: str
    governance_style: str
    start_date: dt.date | None
    my_role: str


class GroupMakeupOut(Schema):
    id: int
    name: str
    kind: str
    layer: str
    size: int
    by_stakeholder_group: dict[str, int]
    organisations: int


class CompositionOut(Schema):
    people: int
    organisations: int
    groups: int
    people_by_stakeholder_group: dict[str, int]
    participation: dict[str, dict[str, int]]
    organisations_by_level: dict[str, int]
    organisations_by_domain: dict[str, int]
    organisations_by_kind: dict[str, int]
    organisations_by_role: dict[str, int]
    group_makeup: list[GroupMakeupOut]
    initiatives_by_stage: dict[str, int]
    layers_reached: dict[str, list[str]]


class ProblemOut(Schema):
    source: str
    location: str
    field: str
    message: str


class ImportResultOut(Schema):
    id: int
    name: str


class ErrorOut(Schema):
    detail: Any
