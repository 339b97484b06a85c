"""REST endpoints for regiobeeld runs (suppressed results only; every read is audited)."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from samenspel.web.core.accounts import audit
from samenspel.web.core.accounts.access import get_programme_for
from samenspel.web.core.api_errors import READ_ERRORS

from .models import RegiobeeldRun

router = Router(tags=["population"])


@router.get(
    "/programmes/{programme_id}/regiobeeld-runs",
    response={200: list[dict[str, Any]], **READ_ERRORS},
)
def list_runs(request: HttpRequest, programme_id: int) -> list[dict[str, Any]]:
    programme, _role = get_programme_for(request.user, programme_id)
    return [
        {
            "id": r.pk,
            "dataset": r.dataset.name,
            "status": r.shown_status,
            "progress": r.progress,
            "engine": r.engine,
            "created_at": r.created_at.isoformat(),
        }
        for r in RegiobeeldRun.objects.filter(programme=programme).select_related("dataset")
    ]


@router.get(
    "/programmes/{programme_id}/regiobeeld-runs/{run_id}",
    response={200: dict[str, Any], **READ_ERRORS},
)
def get_run(request: HttpRequest, programme_id: int, run_id: int) -> dict[str, Any]:
    """Status and, when done, the suppressed regiobeeld tables of one run."""
    programme, _role = get_programme_for(request.user, programme_id)
    run = RegiobeeldRun.objects.filter(pk=run_id, programme=programme).first()
    if run is None:
        raise Http404("No such run.")
    audit.record(request.user, programme, "read regiobeeld (API)", f"run {run.pk}")
    return {
        "id": run.pk,
        "status": run.shown_status,
        "progress": run.progress,
        "step": run.step,
        "error": run.shown_error,
        "result": run.published,  # only what passed the disclosure audit
        "sharing": run.sharing,
    }
