"""Composition pages: compare programmes, import and export organisations, people and whole
programmes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samenspel.web.composition import exchange, services, tabular
from samenspel.web.composition.selectors import composition_of
from samenspel.web.core import choices as c
from samenspel.web.core.accounts.access import (
    visible_programmes,
)
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.downloads import attachment
from samenspel.web.core.forms import (
    ProgrammeImportForm,
    TableImportForm,
)
from samenspel.web.core.models import Programme
from samenspel.web.core.pages import code_labels, programme_view
from samenspel.web.core.uploads import first_problems


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    """Composition of several programmes side by side."""
    mine = list(visible_programmes(request.user))
    wanted = {int(i) for i in request.GET.getlist("p") if i.isdigit()}
    chosen = [p for p in mine if p.pk in wanted] or mine
    columns = [(p, composition_of(p)) for p in chosen]
    return render(
        request,
        "partnership/compare.html",
        {
            "programmes": mine,
            "columns": columns,
            "chosen": {p.pk for p in chosen},
            "labels": code_labels(),
            "stakeholder_groups": c.StakeholderGroup.values,
            "layers": [*c.Layer.values, "none"],
            "levels": c.Level.values,
            "domains": c.Domain.values,
            "stages": c.InitiativeStage.values,
        },
    )


@programme_view
def export_json(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    filename = f"{slugify(programme.name) or 'programme'}.samenspel.json"
    return attachment(
        exchange.export_programme_json(programme), "application/json; charset=utf-8", f"{filename}"
    )


@login_required
def import_programme(request: HttpRequest) -> HttpResponse:
    form = ProgrammeImportForm(request.POST or None, request.FILES or None)
    problems: list[exchange.ImportProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            programme = services.import_programme_json(
                upload.read(),
                user=request.user,  # type: ignore[arg-type]
                source=upload.name,
                name=form.cleaned_data["name"] or None,
            )
        except exchange.ImportFailedError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("Programme imported."))
            return redirect("programme", programme_id=programme.pk)
    return render(
        request, "partnership/import_programme.html", {"form": form, **first_problems(problems)}
    )


@programme_view
def import_table(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    if role.role == "viewer":
        raise PermissionDenied
    form = TableImportForm(request.POST or None, request.FILES or None)
    problems: list[exchange.ImportProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            counts = services.import_table(
                role=role,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(),
            )
        except exchange.ImportFailedError as exc:
            problems = exc.problems
        else:
            messages.success(
                request,
                _("Imported: %(created)d new, %(updated)d updated.") % counts,
            )
            return redirect("records", programme_id=programme.pk, slug=form.cleaned_data["kind"])
    return render(
        request,
        "partnership/import_table.html",
        {
            "programme": programme,
            "role": role,
            "form": form,
            **first_problems(problems),
            "columns": tabular.COLUMNS,
        },
    )
