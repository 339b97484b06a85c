"""Composition pages: compare programmes, import and export organisations, people and whole
programmes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samenspel.web.composition import exchange, services, tabular
from samenspel.web.composition.selectors import composition_of
from samenspel.web.core import choices as c
from samenspel.web.core.accounts.access import (
    PermissionDeniedError,
    is_director,
    sees_contact_details,
    visible_programmes,
)
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.downloads import attachment
from samenspel.web.core.forms import (
    ProgrammeImportForm,
    TableImportForm,
)
from samenspel.web.core.models import Idea, Programme
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
        exchange.export_programme_json(programme, contact=sees_contact_details(role)),
        "application/json; charset=utf-8",
        filename,
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


@programme_view
def ideas(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    """Ideas from the field: every member may propose one; the director accepts or declines.
    A member sees their own ideas and the answers; the director sees all."""
    if request.method == "POST":
        idea_id = request.POST.get("idea", "")
        try:
            if idea_id.isdigit():
                idea = get_object_or_404(Idea, pk=int(idea_id), programme=programme)
                services.decide_idea(
                    role=role,
                    idea=idea,
                    accept=request.POST.get("decision") == "accept",
                    answer=request.POST.get("answer", ""),
                )
                messages.success(request, _("Your decision is recorded."))
            else:
                services.propose_idea(
                    role=role,
                    title=request.POST.get("title", ""),
                    description=request.POST.get("description", ""),
                )
                messages.success(request, _("Thank you. The programme director will look at it."))
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            messages.error(request, " ".join(_idea_problems(exc)))
        return redirect("ideas", programme_id=programme.pk)
    shown = Idea.objects.filter(programme=programme).select_related("proposed_by", "initiative")
    if not is_director(role):
        shown = shown.filter(proposed_by=request.user)
    return render(
        request,
        "partnership/ideas.html",
        {"programme": programme, "role": role, "ideas": shown, "director": is_director(role)},
    )


def _idea_problems(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        labels = {"title": _("Title"), "description": _("Description")}
        return [f"{labels.get(f, f)}: {' '.join(m)}" for f, m in exc.message_dict.items()]
    return list(exc.messages)
