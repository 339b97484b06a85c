"""REST endpoints of composition: the composition figures, and programme export and import."""

import dataclasses
from typing import Any

from django.http import HttpRequest
from ninja import Body, Router, Status

from samenspel.web.composition import exchange, services
from samenspel.web.composition.selectors import composition_of
from samenspel.web.core.accounts.access import get_programme_for, sees_contact_details
from samenspel.web.core.api_errors import WRITE_ERRORS
from samenspel.web.core.schemas import (
    CompositionOut,
    ImportResultOut,
)

router = Router()
ERRORS = WRITE_ERRORS


@router.get(
    "/programmes/{programme_id}/composition",
    response={200: CompositionOut, **ERRORS},
    tags=["programmes"],
)
def get_composition(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    """Counts of people per stakeholder group × layer, organisations, groups and initiatives."""
    programme, _role = get_programme_for(request.user, programme_id)
    return dataclasses.asdict(composition_of(programme))


@router.get(
    "/programmes/{programme_id}/export", response={200: dict[str, Any], **ERRORS}, tags=["exchange"]
)
def export_programme(request: HttpRequest, programme_id: int) -> dict[str, Any]:
    """The whole programme as a JSON document (the import format)."""
    programme, role = get_programme_for(request.user, programme_id)
    return exchange.export_programme(programme, contact=sees_contact_details(role))


@router.post("/programme-imports", response={201: ImportResultOut, **ERRORS}, tags=["exchange"])
def import_programme(
    request: HttpRequest,
    document: dict[str, Any] = Body(...),  # type: ignore[type-arg]  # ninja's Body marker
) -> Status[dict[str, Any]]:
    """Create a new programme from an exported document; you become its programme director."""
    programme = services.import_programme(document, user=request.user, source="request body")  # type: ignore[arg-type]
    return Status(201, {"id": programme.pk, "name": programme.name})
