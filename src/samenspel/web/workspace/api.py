"""The REST API at ``/api/v1/``: session authentication with CSRF, OpenAPI, local docs."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.parser import Parser
from ninja.security import django_auth

from samenspel import __version__
from samenspel.web.composition.api import router as composition_router
from samenspel.web.composition.exchange import ImportFailedError
from samenspel.web.core.accounts.access import PermissionDeniedError
from samenspel.web.core.api import router as core_router
from samenspel.web.core.services import ConflictError
from samenspel.web.core.uploads import MAX_PROBLEMS_SHOWN
from samenspel.web.finance.api import router as finance_router
from samenspel.web.monitoring.api import router as monitoring_router


class ObjectBodies(Parser):
    """Every body this API takes is a JSON object: a list or a bare value is refused as an
    unreadable body (400), instead of being read as an empty change."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return data


api = NinjaAPI(
    title="Samenspel API",
    version="1",
    description=(
        f"Samenspel {__version__}. Sign in through the web app; unsafe methods need the "
        "CSRF token (header X-CSRFToken). You only ever see programmes you belong to."
    ),
    auth=django_auth,
    parser=ObjectBodies(),
    urls_namespace="api",
)
api.add_router("/", core_router)
api.add_router("/", composition_router)
api.add_router("/", finance_router)
api.add_router("/", monitoring_router)


def _validation_detail(exc: ValidationError) -> list[dict[str, object]]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", field], "msg": " ".join(messages)}
            for field, messages in exc.message_dict.items()
        ]
    return [{"loc": ["body"], "msg": " ".join(exc.messages)}]


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    status = 409 if isinstance(exc, ConflictError) else 422
    return api.create_response(request, {"detail": _validation_detail(exc)}, status=status)


@api.exception_handler(PermissionDeniedError)
def on_permission_denied(request: HttpRequest, exc: PermissionDeniedError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(ImportFailedError)
def on_import_failed(request: HttpRequest, exc: ImportFailedError) -> HttpResponse:
    problems = [
        {
            "source": p.source,
            "location": p.location,
            "field": p.field,
            "message": p.message,
            "text": str(p),
        }
        for p in exc.problems[:MAX_PROBLEMS_SHOWN]
    ]
    return api.create_response(
        request, {"detail": problems, "total": len(exc.problems)}, status=422
    )
