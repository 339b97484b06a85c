"""The access policy: who may see and change what.

One rule for every page, API endpoint, export and download:
- a user sees a programme and everything in it only with a ProgrammeRole in that programme;
- a programme director may change everything in the programme;
- a partner member may change the record of their own organisation and its people;
- a viewer only reads.
Outsiders get "not found" (HTTP 404), so a programme's existence does not leak; members who
lack the right to change something get "forbidden" (HTTP 403).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Model, QuerySet
from django.http import Http404

from samenspel.web.core.models import LARGEST_ID, Organisation, Person, Programme

from .models import ProgrammeRole, Role

AnyUser = User | AnonymousUser


class PermissionDeniedError(Exception):
    """The user is a member of the programme but may not make this change."""


def visible_programmes(user: AnyUser) -> QuerySet[Programme]:
    """The programmes the user belongs to."""
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(roles__user=user).select_related("region").distinct()


def roles_of(user: AnyUser) -> QuerySet[ProgrammeRole]:
    """The user's roles, one per programme they belong to, with programme and region joined."""
    if not user.is_authenticated or user.pk is None:
        return ProgrammeRole.objects.none()
    return ProgrammeRole.objects.filter(user_id=user.pk).select_related("programme__region")


def membership(user: AnyUser, programme: Programme | int) -> ProgrammeRole | None:
    """The user's role row in the programme, or None for outsiders."""
    if not user.is_authenticated:
        return None
    programme_id = programme if isinstance(programme, int) else programme.pk
    if not 1 <= programme_id <= LARGEST_ID:  # no programme has it, and no database holds it
        return None
    return (
        ProgrammeRole.objects.select_related("organisation", "programme__region")
        .filter(user=user, programme_id=programme_id)
        .first()
    )


def get_programme_for(user: AnyUser, programme_id: int) -> tuple[Programme, ProgrammeRole]:
    """The programme and the user's role in it; 404 for outsiders and unknown ids alike."""
    role = membership(user, programme_id)
    if role is None:
        raise Http404("No such programme.")
    return role.programme, role


def is_director(role: ProgrammeRole | None) -> bool:
    return role is not None and role.role == Role.DIRECTOR


def sees_contact_details(role: ProgrammeRole | None) -> bool:
    """Contact details (e-mail addresses) are for the programme director only: partners and
    viewers never read or set them, in pages, the API or exports. (People take part through
    their survey link and have no account in which to see their own record.)"""
    return is_director(role)


def may_change(role: ProgrammeRole | None, obj: Model) -> bool:
    """Whether the member may create or change ``obj`` (a record in the member's programme)."""
    if role is None or getattr(obj, "programme_id", role.programme_id) != role.programme_id:
        return False
    if role.role == Role.DIRECTOR:
        return True
    if role.role == Role.PARTNER and role.organisation_id is not None:
        if isinstance(obj, Organisation):
            return obj.pk is not None and obj.pk == role.organisation_id
        if isinstance(obj, Person):
            return obj.organisation_id == role.organisation_id
    return False


def may_add(role: ProgrammeRole | None, model: type[Model]) -> bool:
    """Whether the member may add records of this kind at all (partners: only people)."""
    if role is None:
        return False
    if role.role == Role.DIRECTOR:
        return True
    return role.role == Role.PARTNER and role.organisation_id is not None and model is Person


def may_delete(role: ProgrammeRole | None, obj: Model) -> bool:
    """Partners may remove their own organisation's people, never the organisation itself."""
    if isinstance(obj, Organisation) and not is_director(role):
        return False
    return may_change(role, obj)


def require_change(role: ProgrammeRole | None, obj: Model) -> None:
    if not may_change(role, obj):
        raise PermissionDeniedError("You may not change this record.")
