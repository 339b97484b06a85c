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
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.analytics.population.contract import TABLES
from samenspel.analytics.population.regiobeeld import AGE_BANDS
from samenspel.analytics.population.suppression import TOTAL
from samenspel.web.accounts import audit
from samenspel.web.accounts.access import PermissionDeniedError
from samenspel.web.accounts.models import ProgrammeRole
from samenspel.web.downloads import attachment
from samenspel.web.partnership.models import Programme
from samenspel.web.partnership.versions import remember
from samenspel.web.partnership.views import programme_view
from samenspel.web.pdf import render_pdf
from samenspel.web.uploads import first_problems

from . import services
from .charts import bar_chart, line_chart, pyramid_chart
from .dashboard import view
from .excel import regiobeeld_workbook
from .labels import CONDITION_LABELS, KIND_LABELS, SEGMENT_LABELS
from .models import Dataset, RegiobeeldRun


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
            elif request.POST.get("action") == "synthetic":
                services.add_synthetic_dataset(
                    role=role,
                    user=request.user,  # type: ignore[arg-type]
                    name=request.POST.get("name", ""),
                    persons=int(request.POST.get("persons") or 0),
                    seed=int(request.POST.get("seed") or 0),
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
                _population_context(programme, role, problems=exc.problems),
            )
        except ValueError:
            messages.error(request, _("Give a whole number of persons."))
        else:
            messages.success(request, _("Dataset added."))
        return redirect("population", programme_id=programme.pk)
    return render(request, "monitoring/population.html", _population_context(programme, role))


def _population_context(
    programme: Programme, role: ProgrammeRole, problems: list[str] | None = None
) -> dict[str, Any]:
    return {
        "programme": programme,
        "role": role,
        **first_problems(problems or []),
        "datasets": Dataset.objects.filter(programme=programme),
        "runs": RegiobeeldRun.objects.filter(programme=programme).select_related("dataset")[:20],
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


def _run(programme: Programme, run_id: int) -> RegiobeeldRun:
    return get_object_or_404(
        RegiobeeldRun.objects.select_related("dataset"), pk=run_id, programme=programme
    )


def regiobeeld_context(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, run: RegiobeeldRun
) -> dict[str, Any]:
    context: dict[str, Any] = {"programme": programme, "role": role, "run": run}
    result = run.result
    if run.status != RegiobeeldRun.Status.DONE or not result:
        return context
    years = result["years"]
    year_param = request.GET.get("year", "")
    year = int(year_param) if year_param.isdigit() and int(year_param) in years else years[-1]
    municipality = request.GET.get("municipality", TOTAL)
    if municipality not in [*result["municipalities"], TOTAL]:
        municipality = TOTAL
    context.update(
        remember(
            "regiobeeld-figures",
            programme.pk,
            (run.pk, year, municipality, get_language()),
            lambda: _figures(run, year, municipality),
        )
    )
    context.update({"result": result, "sharing": run.sharing})
    return context


def _figures(run: RegiobeeldRun, year: int, municipality: str) -> dict[str, Any]:
    """The shown year's figures and charts of a finished run; kept while the run is unchanged.

    The stored result itself is not kept here (it can be large); the caller adds it.
    """
    result = run.result or {}
    years = result["years"]
    v = view(result, year, municipality)
    condition_labels = {code: str(label) for code, label in CONDITION_LABELS.items()}
    kind_labels = {code: str(label) for code, label in KIND_LABELS.items()}
    segment_labels = {code: str(label) for code, label in SEGMENT_LABELS.items()}
    return {
        "v": v,
        "years": years,
        "year": year,
        "municipality": municipality,
        "municipalities": result["municipalities"],
        "total": TOTAL,
        "condition_labels": condition_labels,
        "kind_labels": kind_labels,
        "segment_labels": segment_labels,
        "pyramid_svg": pyramid_chart(
            AGE_BANDS, v.women, v.men, _("Age pyramid"), (_("Women"), _("Men"))
        ),
        "prevalence_svg": bar_chart(
            [(condition_labels[c], r) for c, _n, r in v.prevalence],
            _("Prevalence per 1,000"),
            decimals=1,
        ),
        "segments_svg": bar_chart(
            [(segment_labels[s], p) for s, _n, p, _c in v.segments],
            _("Population segments"),
            decimals=1,
            unit="%",
        ),
        "costs_svg": bar_chart([(s, c) for s, c in v.costs], _("Cost per inhabitant"), unit=" €"),
        "trends_svg": line_chart(
            years,
            [
                (_("Population"), [t["population"] for t in v.trends]),
                (_("Multimorbidity") + " %", [t["multimorbidity_percent"] for t in v.trends]),
                (_("Cost per inhabitant") + " €", [t["cost_per_capita"] for t in v.trends]),
            ],
            _("Trends"),
        ),
    }


@programme_view
def regiobeeld(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, run_id: int
) -> HttpResponse:
    run = _run(programme, run_id)
    audit.record(request.user, programme, "view regiobeeld", f"run {run.pk}")
    return render(
        request, "monitoring/regiobeeld.html", regiobeeld_context(request, programme, role, run)
    )


@programme_view
def regiobeeld_excel(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, run_id: int
) -> HttpResponse:
    run = _run(programme, run_id)
    if not run.result:
        return redirect("regiobeeld", programme_id=programme.pk, run_id=run.pk)
    audit.record(request.user, programme, "export regiobeeld (Excel)", f"run {run.pk}")
    content = regiobeeld_workbook(f"{programme.name} – {run.dataset.name}", run.result)
    return attachment(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"regiobeeld-{slugify(programme.name)}-{run.pk}.xlsx",
    )


@programme_view
def regiobeeld_pdf(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, run_id: int
) -> HttpResponse:
    run = _run(programme, run_id)
    if not run.result:
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
