"""Writes to the partnership registry. Views and API handlers call these and nothing else."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.web.core.accounts import audit, notices
from samenspel.web.core.accounts.access import (
    PermissionDeniedError,
    may_add,
    may_change,
    may_delete,
    sees_contact_details,
)
from samenspel.web.core.accounts.models import ProgrammeRole, Role

from .models import NUL, Organisation, Programme, ProgrammeScoped, Region
from .resources import RESOURCES, Resource


def _check_region_text(**texts: str) -> None:
    errors = {k: _("Text may not contain NUL characters.") for k, v in texts.items() if NUL in v}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_programme(
    *,
    user: User,
    name: str,
    region_name: str,
    province: str = "",
    vision: str = "",
    governance_style: str = "",
    start_date: dt.date | None = None,
    is_demo: bool = False,
) -> Programme:
    """Create a programme (and its region if new); the creator becomes its programme director."""
    region_name = region_name.strip()
    if not region_name:
        raise ValidationError({"region": _("Name the region.")})
    _check_region_text(region=region_name, province=province)
    region, _created = Region.objects.get_or_create(
        name=region_name, defaults={"province": province}
    )
    programme = Programme(
        name=name.strip(),
        region=region,
        vision=vision,
        governance_style=governance_style,
        start_date=start_date,
        is_demo=is_demo,
    )
    programme.full_clean()
    programme.save()
    ProgrammeRole.objects.create(user=user, programme=programme, role=Role.DIRECTOR)
    return programme


@transaction.atomic
def update_programme(*, role: ProgrammeRole, data: Mapping[str, Any]) -> Programme:
    """Change the programme's own fields (directors only)."""
    programme = role.programme
    if role.role != Role.DIRECTOR:
        raise PermissionDeniedError("Only the programme director changes the programme.")
    for name, value in data.items():
        if name == "region_name":
            if value is None or not str(value).strip():
                raise ValidationError({"region": _("Name the region.")})
            _check_region_text(region=str(value))
            region, _created = Region.objects.get_or_create(name=str(value).strip())
            programme.region = region
            continue
        field = Programme._meta.get_field(name)
        assert isinstance(field, models.Field), name
        if value is None and not field.null:
            if not field.blank:
                raise ValidationError({name: _("This field cannot be empty.")})
            value = ""  # an empty text, as the web form stores it
        setattr(programme, name, value)
    programme.full_clean()
    programme.save()
    return programme


def _check_many_to_many(
    resource: Resource, programme_id: int, m2m: Mapping[str, Iterable[int]]
) -> dict[str, list[int]]:
    clean: dict[str, list[int]] = {}
    for name, ids in m2m.items():
        field = resource.field(name)
        target = field.related_model
        assert isinstance(target, type) and issubclass(target, ProgrammeScoped)
        wanted = sorted(set(int(i) for i in ids))
        found = set(
            target.objects.filter(pk__in=wanted, programme_id=programme_id).values_list(
                "pk", flat=True
            )
        )
        missing = [i for i in wanted if i not in found]
        if missing:
            raise ValidationError(
                {
                    name: _("No such %(thing)s in this programme: %(ids)s.")
                    % {"thing": target._meta.verbose_name, "ids": ", ".join(map(str, missing))}
                }
            )
        clean[name] = wanted
    return clean


class ConflictError(ValidationError):
    """Someone else changed the record since it was read (optimistic locking)."""


def is_versioned(model: type[models.Model]) -> bool:
    return any(f.name == "version" for f in model._meta.concrete_fields)


def _without_hidden_contact(
    resource: Resource, role: ProgrammeRole, data: Mapping[str, Any]
) -> Mapping[str, Any]:
    """A member who may not see contact details may not set them either. An empty value (as
    read back from the API, where they are null) keeps what is stored; any other is refused."""
    if sees_contact_details(role):
        return data
    refused = {n for n in resource.contact if data.get(n) not in (None, "")}
    if refused:
        raise ValidationError(
            {n: _("Only the programme director sees and sets contact details.") for n in refused}
        )
    return {k: v for k, v in data.items() if k not in resource.contact}


def save_record(
    *,
    role: ProgrammeRole | None,
    resource: Resource,
    data: Mapping[str, Any],
    instance: ProgrammeScoped | None = None,
    expected_version: int | None = None,
) -> ProgrammeScoped:
    """Create or update one record of ``resource`` in the member's programme.

    ``data`` maps field names to values; foreign keys are given as ids or instances. The change is
    refused when the member may not change the record before or after it (a partner cannot move
    a person into another organisation), and validated in full before anything is written.

    Versioned records (agreements and their parts) use optimistic locking: pass the
    ``expected_version`` that was read; if someone saved in between, ConflictError is raised and
    nothing is written, so no change is silently overwritten.
    """
    if role is None:
        raise PermissionDeniedError("Not a member of this programme.")
    obj = instance if instance is not None else resource.model(programme_id=role.programme_id)
    if obj.pk is None and not may_add(role, resource.model):
        raise PermissionDeniedError("You may not add this kind of record.")
    if obj.pk is not None and not may_change(role, obj):
        raise PermissionDeniedError("You may not change this record.")
    unknown = set(data) - set(resource.fields)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    data = _without_hidden_contact(resource, role, data)
    # a list of ids replaces the links; null leaves them as they are
    m2m = {name: data[name] for name in resource.many_to_many if data.get(name) is not None}
    for name, value in data.items():
        if name in resource.many_to_many:
            continue
        field = resource.field(name)
        if value is None and not field.null:
            # null empties a text; a date or number that cannot be empty is refused by name
            if not isinstance(field, models.CharField | models.TextField):
                raise ValidationError({name: field.error_messages["null"]})
            value = ""
        if isinstance(field, models.ForeignKey) and not isinstance(value, models.Model):
            setattr(obj, field.attname, value)
        else:
            setattr(obj, name, value)
    obj.programme_id = role.programme_id
    if not may_change(role, obj):
        raise PermissionDeniedError("You may not change this record.")
    obj.full_clean()
    checked = _check_many_to_many(resource, role.programme_id, m2m)
    with transaction.atomic():
        if obj.pk is not None and is_versioned(resource.model) and expected_version is not None:
            bumped = resource.model.objects.filter(pk=obj.pk, version=expected_version).update(
                version=models.F("version") + 1
            )
            if not bumped:
                raise ConflictError(
                    _(
                        "Someone else changed this record after you opened it. Reload it to "
                        "see their change, then make yours again."
                    )
                )
            obj.version = expected_version + 1  # type: ignore[attr-defined]
        created = obj.pk is None
        obj.save()
        for name, ids in checked.items():
            getattr(obj, name).set(ids)
        if resource.audited:
            verb = "added" if created else "changed"
            audit.record(role.user, role.programme, f"{resource.slug} {verb}", f"{obj.pk} {obj}")
    return obj


def delete_record(*, role: ProgrammeRole | None, instance: ProgrammeScoped) -> None:
    """Delete one record; refused when other records still depend on it."""
    if not may_delete(role, instance):
        raise PermissionDeniedError("You may not delete this record.")
    try:
        with transaction.atomic():
            pk, described = instance.pk, str(instance)
            instance.delete()
            for resource in RESOURCES.values():
                if resource.model is type(instance) and resource.audited and role is not None:
                    action = f"{resource.slug} deleted"
                    audit.record(role.user, role.programme, action, f"{pk} {described}")
    except models.ProtectedError as exc:
        blocking = sorted({str(o._meta.verbose_name_plural) for o in exc.protected_objects})
        raise ValidationError(
            _("Still in use by: %(things)s. Remove or move those first.")
            % {"things": ", ".join(blocking)}
        ) from exc


def grant_role(
    *,
    director: ProgrammeRole,
    user: User,
    role: str,
    organisation_id: int | None = None,
    signs_agreements: bool = False,
) -> ProgrammeRole:
    """Give a user a role in the director's programme (or change it); a partner member may be
    their organisation's authorised representative, who signs agreements."""
    if director.role != Role.DIRECTOR:
        raise PermissionDeniedError("Only the programme director manages roles.")
    grant = ProgrammeRole.objects.filter(user=user, programme=director.programme).first()
    if grant is None:
        grant = ProgrammeRole(user=user, programme=director.programme)
    elif grant.role == Role.DIRECTOR and role != Role.DIRECTOR:
        directors = ProgrammeRole.objects.filter(programme=director.programme, role=Role.DIRECTOR)
        if directors.count() == 1:
            raise ValidationError(_("A programme keeps at least one programme director."))
    before = _described(grant) if grant.pk else ""
    signed_for = grant.organisation_id if grant.signs_agreements else None
    grant.role = role
    grant.organisation_id = organisation_id if role == Role.PARTNER else None
    grant.signs_agreements = signs_agreements
    grant.full_clean(exclude=["user", "programme"])
    newly_signs = grant.signs_agreements and grant.organisation_id != signed_for
    if newly_signs:
        grant.signs_since = timezone.now()
    elif not grant.signs_agreements:
        grant.signs_since = None
    with transaction.atomic():
        grant.save()
        after = _described(grant)
        if after != before:
            audit.record(
                director.user, director.programme, "role changed" if before else "role granted",
                f"{user.username}: {before + ' → ' if before else ''}{after}",
            )  # fmt: skip
        if newly_signs:
            # in the installation's language: the recipients' own is not known
            grant_id, director_id = grant.pk, director.user_id
            transaction.on_commit(
                lambda: notices.mail_new_signatory.enqueue(
                    grant_id, director_id, settings.LANGUAGE_CODE
                )
            )
    return grant


def _described(grant: ProgrammeRole) -> str:
    """A role as the audit log names it: role, organisation, and signing rights."""
    text = str(grant.role)
    if grant.organisation_id:
        text += f" ({Organisation.objects.get(pk=grant.organisation_id).name})"
    return text + (", signs agreements" if grant.signs_agreements else "")


def revoke_role(*, director: ProgrammeRole, grant: ProgrammeRole) -> None:
    """Remove a user's role; the last programme director cannot be removed."""
    if director.role != Role.DIRECTOR or grant.programme_id != director.programme_id:
        raise PermissionDeniedError("Only the programme director manages roles.")
    directors = ProgrammeRole.objects.filter(programme=grant.programme, role=Role.DIRECTOR)
    if grant.role == Role.DIRECTOR and directors.count() == 1:
        raise ValidationError(_("A programme keeps at least one programme director."))
    with transaction.atomic():
        audit.record(
            director.user, director.programme, "role removed",
            f"{grant.user.username}: {_described(grant)}",
        )  # fmt: skip
        grant.delete()


_deleting = threading.local()


def being_deleted(programme_id: int) -> bool:
    """Whether ``delete_programmes`` is deleting this programme right now (on this thread), so
    a feature's change hooks can leave its records alone."""
    return programme_id in getattr(_deleting, "ids", ())


def delete_programmes(programmes: QuerySet[Programme]) -> int:
    """Delete programmes with all their records, in one transaction; returns how many.

    Records point at each other with protected keys (a person at their organisation, a money
    line at its party), so a plain cascade refuses; records go first, those still referenced
    in a later round.
    """
    from django.apps import apps

    scoped = [
        m for m in apps.get_models() if issubclass(m, ProgrammeScoped) and not m._meta.abstract
    ]
    ids = list(programmes.values_list("pk", flat=True))
    _deleting.ids = set(ids)
    try:
        return _delete(ids, scoped)
    finally:
        _deleting.ids = set()


def _delete(ids: list[int], scoped: list[type[ProgrammeScoped]]) -> int:
    from django.db.models import ProtectedError

    with transaction.atomic():
        for _round in range(len(scoped) + 1):
            remaining = [m for m in scoped if m.objects.filter(programme_id__in=ids).exists()]
            if not remaining:
                break
            for model in remaining:
                try:
                    with transaction.atomic():
                        model.objects.filter(programme_id__in=ids).delete()
                except ProtectedError:
                    continue  # still referenced; the referencing records go this round
        deleted = Programme.objects.filter(pk__in=ids).delete()[1].get(Programme._meta.label, 0)
    return deleted
