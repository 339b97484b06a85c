"""Export and import of a whole programme as one JSON document.

Records refer to each other by ``ref`` strings (``"organisations-3"``), never by database ids,
so a document moves between installations. Exporting, importing and exporting again yields the
same document. An import is atomic: with any problem, nothing is written and every problem is
reported with its location.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from samenspel.web.core.accounts.models import ProgrammeRole, Role
from samenspel.web.core.models import Programme, ProgrammeScoped, Region
from samenspel.web.core.resources import RESOURCES, Resource

FORMAT = "samenspel.programme"
VERSION = 1
PROGRAMME_FIELDS = ("name", "region", "province", "vision", "governance_style", "start_date")


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an import, precise enough to find and fix it."""

    source: str
    location: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}, {self.location}" if self.location else self.source
        if self.field:
            where += ", " + _("field '%(field)s'") % {"field": self.field}
        return f"{where}: {self.message}"


class ImportFailedError(Exception):
    """The import was refused; nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _unknown(ref: str) -> str:
    return _("refers to unknown '%(ref)s'") % {"ref": ref}


def _ref(resource: Resource, index: int) -> str:
    return f"{resource.slug}-{index}"


def _export_value(
    field: models.Field[Any, Any],
    value: Any,
    refs: Mapping[tuple[Any, int], str],
) -> Any:
    if isinstance(field, models.ForeignKey):
        return None if value is None else refs[(field.related_model, value)]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _acceptable(field: models.Field[Any, Any], value: Any) -> bool:
    """JSON types each kind of field takes (true/false for yes-no fields, numbers for numeric
    fields, text otherwise)."""
    if isinstance(field, models.BooleanField):
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if isinstance(field, models.IntegerField):
        return isinstance(value, int)
    if isinstance(field, models.DecimalField):
        if isinstance(value, float):
            return math.isfinite(value)
        return isinstance(value, int | str)
    return isinstance(value, str)


def export_programme(programme: Programme, *, contact: bool) -> dict[str, Any]:
    """The whole programme as a JSON-ready dict; contact details only with ``contact`` (for the
    programme director), otherwise left out (an import then leaves them empty)."""
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "programme": {
            "name": programme.name,
            "region": programme.region.name,
            "province": programme.region.province,
            "vision": programme.vision,
            "governance_style": programme.governance_style,
            "start_date": programme.start_date.isoformat() if programme.start_date else None,
        },
    }
    refs: dict[tuple[type, int], str] = {}
    for resource in RESOURCES.values():
        qs = resource.model.objects.filter(programme=programme).order_by("pk")
        pks = list(qs.values_list("pk", flat=True))
        for index, pk in enumerate(pks, start=1):
            refs[(resource.model, pk)] = _ref(resource, index)
    for resource in RESOURCES.values():
        rows = []
        qs = resource.model.objects.filter(programme=programme).order_by("pk")
        if resource.many_to_many:
            qs = qs.prefetch_related(*resource.many_to_many)
        for obj in qs:
            row: dict[str, Any] = {"ref": refs[(resource.model, obj.pk)]}
            for name in resource.fields_for(contact=contact):
                field = resource.field(name)
                if isinstance(field, models.ManyToManyField):
                    target = field.related_model
                    row[name] = sorted(
                        (refs[(target, o.pk)] for o in getattr(obj, name).all()),
                        key=_ref_sort_key,
                    )
                elif isinstance(field, models.ForeignKey):
                    row[name] = _export_value(field, getattr(obj, field.attname), refs)
                else:
                    row[name] = _export_value(field, getattr(obj, name), refs)
            rows.append(row)
        document[resource.slug] = rows
    return document


def _ref_sort_key(ref: str) -> tuple[str, int]:
    slug, _, number = ref.rpartition("-")
    return slug, int(number) if number.isdigit() else 0


def export_programme_json(programme: Programme, *, contact: bool) -> str:
    return json.dumps(export_programme(programme, contact=contact), ensure_ascii=False, indent=2)


class Importer:
    """Builds a programme from a document, collecting every problem before deciding."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[ImportProblem] = []
        self.objects: dict[str, ProgrammeScoped] = {}
        self.failed_refs: set[str] = set()

    def problem(self, location: str, field: str, message: str) -> None:
        self.problems.append(ImportProblem(self.source, location, field, message))

    def run(self, document: Any, user: User, name: str | None) -> Programme:
        if not isinstance(document, dict):
            self.problem("", "", _("the document must be a JSON object"))
            raise ImportFailedError(self.problems)
        if document.get("format") != FORMAT or document.get("version") != VERSION:
            self.problem(
                "",
                "format",
                _(
                    "expected format '%(format)s' version %(version)s; this is not a Samenspel "
                    "programme file"
                )
                % {"format": FORMAT, "version": VERSION},
            )
            raise ImportFailedError(self.problems)
        known = {"format", "version", "programme", *RESOURCES}
        for key in sorted(set(document) - known):
            self.problem(key, "", _("unknown section"))
        programme = self._programme(document.get("programme"), user, name)
        for resource in RESOURCES.values():
            rows = document.get(resource.slug, [])
            if not isinstance(rows, list):
                self.problem(resource.slug, "", _("must be a list"))
                continue
            self._records(programme, resource, rows)
        if self.problems:
            raise ImportFailedError(self.problems)
        return programme

    def _programme(self, data: Any, user: User, name: str | None) -> Programme:
        if not isinstance(data, dict):
            self.problem("programme", "", _("missing or not an object"))
            raise ImportFailedError(self.problems)
        for key in sorted(set(data) - set(PROGRAMME_FIELDS)):
            self.problem("programme", key, _("unknown field"))
        region_name = data.get("region")
        if not isinstance(region_name, str) or not region_name.strip():
            self.problem("programme", "region", _("give the region's name"))
            raise ImportFailedError(self.problems)
        region, _created = Region.objects.get_or_create(
            name=region_name.strip(), defaults={"province": data.get("province") or ""}
        )
        programme = Programme(region=region, name=name or data.get("name") or "")
        for key in ("vision", "governance_style", "start_date"):
            if data.get(key) is not None:
                setattr(programme, key, data[key])
        try:
            programme.full_clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.problem("programme", field, " ".join(messages))
            raise ImportFailedError(self.problems) from exc
        programme.save()
        ProgrammeRole.objects.create(user=user, programme=programme, role=Role.DIRECTOR)
        return programme

    def _records(self, programme: Programme, resource: Resource, rows: list[Any]) -> None:
        deferred: list[tuple[ProgrammeScoped, str, str, str]] = []
        for index, row in enumerate(rows):
            location = f"{resource.slug}[{index}]"
            if not isinstance(row, dict):
                self.problem(location, "", _("must be an object"))
                continue
            ref = row.get("ref")
            if not isinstance(ref, str) or not ref:
                self.problem(location, "ref", _("every record needs a text 'ref'"))
                continue
            if ref in self.objects or ref in self.failed_refs:
                self.problem(location, "ref", _("duplicate ref '%(ref)s'") % {"ref": ref})
                continue
            obj, m2m, ok = self._build(programme, resource, row, location, deferred)
            if not ok:
                self.failed_refs.add(ref)
                continue
            try:
                obj.full_clean()
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.problem(location, field, " ".join(messages))
                self.failed_refs.add(ref)
                continue
            obj.save()
            for name, targets in m2m.items():
                getattr(obj, name).set(targets)
            self.objects[ref] = obj
        for obj, field_name, target_ref, location in deferred:
            target = self.objects.get(target_ref)
            if target is None or obj.pk is None:
                if target is None:
                    self.problem(location, field_name, _unknown(target_ref))
                continue
            setattr(obj, field_name, target)
            try:
                obj.full_clean()
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.problem(location, field, " ".join(messages))
                continue
            obj.save()

    def _build(
        self,
        programme: Programme,
        resource: Resource,
        row: dict[str, Any],
        location: str,
        deferred: list[tuple[ProgrammeScoped, str, str, str]],
    ) -> tuple[ProgrammeScoped, dict[str, list[ProgrammeScoped]], bool]:
        obj = resource.model(programme=programme)
        m2m: dict[str, list[ProgrammeScoped]] = {}
        ok = True
        for key in sorted(set(row) - {"ref", *resource.fields}):
            self.problem(location, key, _("unknown field"))
            ok = False
        for name in resource.fields:
            field = resource.field(name)
            value = row.get(name)
            if isinstance(field, models.ManyToManyField):
                targets = self._many(field, name, value, location)
                ok = ok and targets is not None
                m2m[name] = targets or []
            elif isinstance(field, models.ForeignKey):
                ok = self._one(obj, resource, field, name, value, location, deferred) and ok
            else:
                ok = self._plain(obj, field, name, value, location) and ok
        return obj, m2m, ok

    def _many(
        self, field: models.ManyToManyField[Any, Any], name: str, value: Any, location: str
    ) -> list[ProgrammeScoped] | None:
        value = value or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(location, name, _("must be a list of refs"))
            return None
        targets = []
        for target_ref in value:
            target = self.objects.get(target_ref)
            if target is None or not isinstance(target, field.related_model):
                self.problem(location, name, _unknown(target_ref))
                return None
            targets.append(target)
        return targets

    def _one(
        self,
        obj: ProgrammeScoped,
        resource: Resource,
        field: models.ForeignKey[Any, Any],
        name: str,
        value: Any,
        location: str,
        deferred: list[tuple[ProgrammeScoped, str, str, str]],
    ) -> bool:
        if value is None:
            return True
        if not isinstance(value, str):
            self.problem(location, name, _("must be a ref (text) or null"))
            return False
        if field.related_model is resource.model:
            deferred.append((obj, name, value, location))
            return True
        target = self.objects.get(value)
        if target is None or not isinstance(target, field.related_model):
            self.problem(location, name, _unknown(value))
            return False
        setattr(obj, name, target)
        return True

    def _plain(
        self,
        obj: ProgrammeScoped,
        field: models.Field[Any, Any],
        name: str,
        value: Any,
        location: str,
    ) -> bool:
        if value is None:
            if not field.null and not field.has_default() and not field.blank:
                self.problem(location, name, _("is required"))
                return False
            if not field.null:
                value = field.get_default() if field.has_default() else ""
        elif not _acceptable(field, value):
            if isinstance(field, models.BooleanField):
                expected = _("must be true or false")
            elif isinstance(field, models.IntegerField):
                expected = _("must be a whole number")
            elif isinstance(field, models.DecimalField):
                expected = _("must be a finite number")
            else:
                expected = _("must be text")
            self.problem(location, name, expected)
            return False
        setattr(obj, name, value)
        return True
