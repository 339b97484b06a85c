"""REST endpoints of the partnership registry (``/api/v1/``). Thin: access, services, schemas."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from samenspel.web.core.accounts.access import (
    get_programme_for,
    roles_of,
    sees_contact_details,
)
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.api_errors import READ_ERRORS, WRITE_ERRORS

from . import services
from .resources import RESOURCES, Resource
from .schemas import (
    ProgrammeIn,
    ProgrammeOut,
    ProgrammePatch,
    input_schema,
    output_schema,
    serialise,
)
from .selectors import records

router = Router()
ERRORS = WRITE_ERRORS


def _programme_out(role: ProgrammeRole) -> dict[str, Any]:
    p = role.programme
    return {
        "id": p.pk,
        "name": p.name,
        "region": {"id": p.region.pk, "name": p.region.name, "province": p.region.province},
        "vision": p.vision,
        "governance_style": p.governance_style,
        "start_date": p.start_date,
        "my_role": role.role,
    }


@router.get("/programmes", response={200: list[ProgrammeOut], **READ_ERRORS}, tags=["programmes"])
def list_programmes(request: HttpRequest) -> list[dict[str, Any]]:
    """The programmes you belong to."""
    roles = roles_of(request.user).order_by("programme__name", "programme_id")
    return [_programme_out(r) for r in roles]


@router.post("/programmes", response={201: ProgrammeOut, **ERRORS}, tags=["programmes"])
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Status[dict[str, Any]]:
    """Create a programme; you become its programme director."""
    programme = services.create_programme(
        user=request.user,  # type: ignore[arg-type]
        name=payload.name,
        region_name=payload.region,
        province=payload.province,
        vision=payload.vision,
        governance_style=payload.governance_style,
        start_date=payload.start_date,
    )
    _, role = get_programme_for(request.user, programme.pk)
    return Status(201, _programme_out(role))


@router.get(
    "/programmes/{programme_id}", response={200: ProgrammeOut, **ERRORS}, tags=["programmes"]
)
def get_programme(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    _, role = get_programme_for(request.user, programme_id)
    return _programme_out(role)


@router.patch(
    "/programmes/{programme_id}", response={200: ProgrammeOut, **ERRORS}, tags=["programmes"]
)
def patch_programme(
    request: HttpRequest, programme_id: int, payload: ProgrammePatch
) -> dict[str, Any]:
    _, role = get_programme_for(request.user, programme_id)
    data = payload.dict(exclude_unset=True)
    if "region" in data:
        data["region_name"] = data.pop("region")
    services.update_programme(role=role, data=data)
    return _programme_out(role)


def _register(resource: Resource) -> None:
    slug = resource.slug
    create_in = input_schema(resource, partial=False)
    patch_in = input_schema(resource, partial=True)
    out = output_schema(resource)
    label = resource.verbose_name
    collection = f"/programmes/{{programme_id}}/{slug}"
    item = f"{collection}/{{record_id}}"

    def _get(request: HttpRequest, programme_id: int, record_id: int) -> tuple[ProgrammeRole, Any]:
        programme, role = get_programme_for(request.user, programme_id)
        obj = records(programme, resource).filter(pk=record_id).first()
        if obj is None:
            from django.http import Http404

            raise Http404(f"No such {label}.")
        return role, obj

    @router.get(
        collection,
        response={200: list[out], **ERRORS},  # type: ignore[valid-type]
        tags=[slug],
        operation_id=f"list_{slug}",
        summary=f"List {resource.verbose_name_plural}",
    )
    def list_records(request: HttpRequest, programme_id: int) -> list[dict[str, Any]]:
        programme, role = get_programme_for(request.user, programme_id)
        contact = sees_contact_details(role)
        return [serialise(resource, o, contact=contact) for o in records(programme, resource)]

    @router.post(
        collection,
        response={201: out, **ERRORS},
        tags=[slug],
        operation_id=f"create_{slug}",
        summary=f"Create a {label}",
    )
    def create_record(
        request: HttpRequest,
        programme_id: int,
        payload: create_in,  # type: ignore[valid-type]
    ) -> Status[dict[str, Any]]:
        _programme, role = get_programme_for(request.user, programme_id)
        data = payload.dict()  # type: ignore[attr-defined]
        data.pop("version", None)
        obj = services.save_record(role=role, resource=resource, data=data)
        return Status(201, serialise(resource, obj, contact=sees_contact_details(role)))

    @router.get(
        item,
        response={200: out, **ERRORS},
        tags=[slug],
        operation_id=f"get_{slug}",
        summary=f"Get a {label}",
    )
    def get_record(request: HttpRequest, programme_id: int, record_id: int) -> dict[str, Any]:
        role, obj = _get(request, programme_id, record_id)
        return serialise(resource, obj, contact=sees_contact_details(role))

    @router.put(
        item,
        response={200: out, **ERRORS},
        tags=[slug],
        operation_id=f"replace_{slug}",
        summary=f"Replace a {label}",
    )
    def replace_record(
        request: HttpRequest,
        programme_id: int,
        record_id: int,
        payload: create_in,  # type: ignore[valid-type]
    ) -> dict[str, Any]:
        role, obj = _get(request, programme_id, record_id)
        data = payload.dict()  # type: ignore[attr-defined]
        obj = services.save_record(
            role=role,
            resource=resource,
            instance=obj,
            expected_version=data.pop("version", None),
            data=data,
        )
        return serialise(resource, obj, contact=sees_contact_details(role))

    @router.patch(
        item,
        response={200: out, **ERRORS},
        tags=[slug],
        operation_id=f"update_{slug}",
        summary=f"Change some fields of a {label}",
    )
    def update_record(
        request: HttpRequest,
        programme_id: int,
        record_id: int,
        payload: patch_in,  # type: ignore[valid-type]
    ) -> dict[str, Any]:
        role, obj = _get(request, programme_id, record_id)
        data = payload.dict(exclude_unset=True)  # type: ignore[attr-defined]
        obj = services.save_record(
            role=role,
            resource=resource,
            instance=obj,
            expected_version=data.pop("version", None),
            data=data,
        )
        return serialise(resource, obj, contact=sees_contact_details(role))

    @router.delete(
        item,
        response={204: None, **ERRORS},
        tags=[slug],
        operation_id=f"delete_{slug}",
        summary=f"Delete a {label}",
    )
    def delete_record(request: HttpRequest, programme_id: int, record_id: int) -> Status[None]:
        role, obj = _get(request, programme_id, record_id)
        services.delete_record(role=role, instance=obj)
        return Status(204, None)


for _resource in RESOURCES.values():
    _register(_resource)

__all__ = ["router"]
