"""Population pages: datasets, runs with progress, the regiobeeld dashboard and its exports.

Every view of population results is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from samenspel.analytics.population.contract import TABLES
from samenspel.web.core.accounts import audit
from samenspel.web.core.accounts.access import PermissionDeniedError
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.downloads import XLSX, attachment
from samenspel.web.core.models import Programme
from samenspel.web.core.pages import programme_view
from samenspel.web.core.pdf import render_pdf
from samenspel.web.core.uploads import first_problems

from . import services
from .excel import open_data_workbook, regiobeeld_workbook, withheld_note
from .models import Dataset, OpenDataFile, RegiobeeldRun
from .selectors import open_data_context, regiobeeld_body_html, regiobeeld_context, run_of


def _whole(text: str | None) -> int:
    """A whole number typed in a form; anything else is refused in the form's own words."""
    value = (text or "0").strip()
    if not value.isdigit() or len(value) > 9:
        raise services.DatasetRejectedError([_("Enter a whole number of persons and a seed.")])
    return int(value)


@programme_view
def population(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    if request.method == "POST":
        try:
            if request.POST.get("action") == "register":
                services.register_folder(
                    role=role,
                    user=request.user,  # type: ignore[arg-type]
                    name=request.POST.get("name", ""),
                    folder=request.POST.get("folder", ""),
                )
            elif request.POST.get("action") == "areas":
                services.set_region_areas(role=role, text=request.POST.get("areas", ""))
            elif request.POST.get("action") == "opendata":
                services.upload_open_data(
                    role=role,
                    user=request.user,  # type: ignore[arg-type]
                    kind=request.POST.get("kind", ""),
                    upload=request.FILES.get("file"),
                )
            elif request.POST.get("action") == "synthetic":
                services.add_synthetic_dataset(
                    role=role,
                    user=request.user,  # type: ignore[arg-type]
                    name=request.POST.get("name", ""),
                    persons=_whole(request.POST.get("persons")),
                    seed=_whole(request.POST.get("seed")),
                )
            else:
                services.add_uploaded_dataset(
                    role=role,
                    user=request.user,  # type: ignore[arg-type]
                    name=request.POST.get("name", ""),
                    files={t: f for t in TABLES if (f := request.FILES.get(t)) is not None},
                )
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except services.DatasetRejectedError as exc:
            return render(
                request,
                "monitoring/population.html",
                _population_context(request, programme, role, problems=exc.problems),
            )
        except ValueError:
            messages.error(request, _("Give a whole number of persons."))
        else:
            messages.success(
                request, _SAVED.get(request.POST.get("action", ""), _("Dataset added."))
            )
        return redirect("population", programme_id=programme.pk)
    return render(
        request, "monitoring/population.html", _population_context(request, programme, role)
    )


_SAVED = {
    "areas": gettext_lazy("The region's municipalities are saved."),
    "opendata": gettext_lazy("Open-data file loaded."),
}


def _population_context(
    request: HttpRequest,
    programme: Programme,
    role: ProgrammeRole,
    problems: list[str] | None = None,
) -> dict[str, Any]:
    return {
        **open_data_context(programme, request.GET.get("year", "")),
        "programme": programme,
        "role": role,
        **first_problems(problems or []),
        "datasets": Dataset.objects.filter(programme=programme),
        "runs": RegiobeeldRun.objects.filter(programme=programme).select_related("dataset")[:20],
        "methods": RegiobeeldRun.Method.choices,
        "can_manage": services.may_manage(role),
        "importable": services.importable_folders(),
        "tables": TABLES,
    }


@require_POST
@programme_view
def start_run(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, dataset_id: int
) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=dataset_id, programme=programme)
    try:
        run = services.start_run(
            role=role,
            user=request.user,  # type: ignore[arg-type]
            dataset=dataset,
            engine=request.POST.get("engine", "duckdb"),
            method=request.POST.get("method", RegiobeeldRun.Method.EXACT),
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except services.DatasetRejectedError as exc:
        messages.error(request, " ".join(exc.problems))
        return redirect("population", programme_id=programme.pk)
    return redirect("regiobeeld", programme_id=programme.pk, run_id=run.pk)


@require_POST
@programme_view
def delete_dataset(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, dataset_id: int
) -> HttpResponse:
    dataset = get_object_or_404(Dataset, pk=dataset_id, programme=programme)
    try:
        services.delete_dataset(role=role, dataset=dataset)
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    messages.success(request, _("Dataset deleted."))
    return redirect("population", programme_id=programme.pk)


@require_POST
@programme_view
def delete_open_data(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, file_id: int
) -> HttpResponse:
    file = get_object_or_404(OpenDataFile.objects.defer("content"), pk=file_id, programme=programme)
    try:
        services.delete_open_data_file(role=role, file=file)
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    messages.success(request, _("Open-data file deleted."))
    return redirect("population", programme_id=programme.pk)


@programme_view
def open_data_excel(
    request: HttpRequest, programme: Programme, role: ProgrammeRole
) -> HttpResponse:
    context = open_data_context(programme, request.GET.get("year", ""))
    if not context.get("open"):
        return redirect("population", programme_id=programme.pk)
    return attachment(
        open_data_workbook(context),
        XLSX,
        f"open-data-{slugify(programme.name)}-{context['open']['year']}.xlsx",
    )


@programme_view
def regiobeeld(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, run_id: int
) -> HttpResponse:
    run = run_of(programme, run_id)
    audit.record(request.user, programme, "view regiobeeld", f"run {run.pk}")
    context = regiobeeld_context(request, programme, role, run)
    context["can_manage"] = services.may_manage(role)
    if "v" in context:
        context["body"] = regiobeeld_body_html(context)
        context["withheld_note"] = withheld_note(run.published or {})
    return render(request, "monitoring/regiobeeld.html", context)


@programme_view
def regiobeeld_excel(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, run_id: int
) -> HttpResponse:
    run = run_of(programme, run_id)
    result = run.published
    if not result:
        return redirect("regiobeeld", programme_id=programme.pk, run_id=run.pk)
    audit.record(request.user, programme, "export regiobeeld (Excel)", f"run {run.pk}")
    content = regiobeeld_workbook(f"{programme.name} – {run.dataset.name}", result)
    return attachment(
        content,
        XLSX,
        f"regiobeeld-{slugify(programme.name)}-{run.pk}.xlsx",
    )


@programme_view
def regiobeeld_pdf(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, run_id: int
) -> HttpResponse:
    run = run_of(programme, run_id)
    if not run.published:
        return redirect("regiobeeld", programme_id=programme.pk, run_id=run.pk)
    audit.record(request.user, programme, "export regiobeeld (PDF)", f"run {run.pk}")
    content = render_pdf(
        request,
        "monitoring/regiobeeld_print.html",
        regiobeeld_context(request, programme, role, run),
    )
    return attachment(
        content, "application/pdf", f"regiobeeld-{slugify(programme.name)}-{run.pk}.pdf"
    )
