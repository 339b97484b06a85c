"""Web pages of the partnership registry. Thin: resolve access, call services, render."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.web.accounts.access import (
    PermissionDeniedError,
    get_programme_for,
    is_director,
    may_add,
    may_change,
    may_delete,
    roles_of,
    visible_programmes,
)
from samenspel.web.accounts.models import ProgrammeRole
from samenspel.web.downloads import attachment
from samenspel.web.uploads import first_problems

from . import choices as c
from . import exchange, services, tabular
from .forms import ProgrammeForm, ProgrammeImportForm, RoleForm, TableImportForm, record_form
from .models import Programme
from .overview import glance
from .resources import RESOURCES, Resource
from .selectors import composition_of, initiative_timeline, records
from .versions import versions_of

View = Callable[..., HttpResponse]


def programme_view(view: View) -> View:
    """Resolve ``programme_id`` to (programme, role); outsiders get 404, refusals 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, programme_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
        programme, role = get_programme_for(request.user, programme_id)
        try:
            return view(request, programme, role, *args, **kwargs)
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc)) from exc

    return wrapper


def _resource(slug: str) -> Resource:
    try:
        return RESOURCES[slug]
    except KeyError as exc:
        raise Http404("No such page.") from exc


def _apply_validation_error(form: BaseForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = list(roles_of(request.user).order_by("programme__name", "programme_id"))
    versions = versions_of(r.programme_id for r in roles)
    cards = [(r, composition_of(r.programme, version=versions[r.programme_id])) for r in roles]
    return render(request, "partnership/home.html", {"cards": cards})


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                region_name=form.cleaned_data["region_name"],
                province=form.cleaned_data["province"],
                vision=form.cleaned_data["vision"],
                governance_style=form.cleaned_data["governance_style"],
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Programme created. You are its programme director."))
            return redirect("programme", programme_id=programme.pk)
    return render(request, "partnership/programme_form.html", {"form": form, "programme": None})


@programme_view
def programme_edit(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    if not is_director(role):
        raise PermissionDenied
    initial = {"region_name": programme.region.name, "province": programme.region.province}
    form = ProgrammeForm(request.POST or None, instance=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            k: form.cleaned_data[k] for k in ("name", "vision", "governance_style", "start_date")
        }
        data["region_name"] = form.cleaned_data["region_name"]
        try:
            services.update_programme(role=role, data=data)
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("programme", programme_id=programme.pk)
    return render(
        request,
        "partnership/programme_form.html",
        {"form": form, "programme": programme, "role": role},
    )


@programme_view
def programme_overview(
    request: HttpRequest, programme: Programme, role: ProgrammeRole
) -> HttpResponse:
    composition = composition_of(programme)
    context = {
        "programme": programme,
        "role": role,
        "composition": composition,
        "labels": code_labels(),
        "objectives": programme.objectives.all(),
        "initiatives": initiative_timeline(programme),
        "layers": c.Layer.choices,
        "four_groups": ["executive", "manager", "professional", "resident"],
        "glance": glance(programme),
    }
    return render(request, "partnership/overview.html", context)


def code_labels() -> dict[str, str]:
    """Labels of every vocabulary code, for templates that show summary dictionaries."""
    labels: dict[str, str] = {"none": _("In no group")}
    for vocabulary in (
        c.StakeholderGroup,
        c.Layer,
        c.Level,
        c.Domain,
        c.OrganisationKind,
        c.PartnershipRole,
        c.InitiativeStage,
        c.GroupKind,
        c.TripleAim,
    ):
        for code, label in vocabulary.choices:
            labels.setdefault(code, str(label))
    return labels


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


def _cell(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if getattr(field, "choices", None):
        return getattr(obj, f"get_{name}_display")()
    if isinstance(field, models.ManyToManyField):
        return ", ".join(str(o) for o in getattr(obj, name).all())
    value = getattr(obj, name)
    return "" if value is None else value


@programme_view
def record_list(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, slug: str
) -> HttpResponse:
    resource = _resource(slug)
    rows = [
        (obj, [_cell(obj, n) for n in resource.columns]) for obj in records(programme, resource)
    ]
    headers = [resource.field(n).verbose_name for n in resource.columns]
    can_add = may_add(role, resource.model)
    return render(
        request,
        "partnership/record_list.html",
        {
            "programme": programme,
            "role": role,
            "resource": resource,
            "rows": rows,
            "headers": headers,
            "can_add": can_add,
        },
    )


@programme_view
def record_detail(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, slug: str, record_id: int
) -> HttpResponse:
    resource = _resource(slug)
    obj = get_object_or_404(records(programme, resource), pk=record_id)
    fields = [(resource.field(n).verbose_name, _cell(obj, n)) for n in resource.fields]
    context: dict[str, Any] = {
        "programme": programme,
        "role": role,
        "resource": resource,
        "object": obj,
        "fields": fields,
        "can_change": may_change(role, obj),
        "can_delete": may_delete(role, obj),
    }
    if slug == "groups":
        context["seats"] = obj.memberships.select_related("person__organisation")
    if slug == "people":
        context["seats"] = obj.memberships.select_related("group")
    if slug == "organisations":
        context["members"] = obj.people.all()
        context["children"] = obj.children.all()
    return render(request, "partnership/record_detail.html", context)


@programme_view
def record_edit(
    request: HttpRequest,
    programme: Programme,
    role: ProgrammeRole,
    slug: str,
    record_id: int | None = None,
) -> HttpResponse:
    resource = _resource(slug)
    instance = None
    if record_id is not None:
        instance = get_object_or_404(records(programme, resource), pk=record_id)
        if not may_change(role, instance):
            raise PermissionDenied
    elif not may_add(role, resource.model):
        raise PermissionDenied
    form = record_form(resource, role, data=request.POST or None, instance=instance)
    if request.method == "GET" and instance is None:
        for key, value in request.GET.items():
            if key in form.fields:
                form.initial[key] = value
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in resource.fields}
        for name in resource.many_to_many:
            data[name] = [o.pk for o in data[name]]
        try:
            obj = services.save_record(
                role=role,
                resource=resource,
                data=data,
                instance=instance,
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            _apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            back = request.POST.get("next", "")
            if back.startswith(f"/p/{programme.pk}/"):
                return redirect(back)
            return redirect("record", programme_id=programme.pk, slug=slug, record_id=obj.pk)
    return render(
        request,
        "partnership/record_form.html",
        {
            "programme": programme,
            "role": role,
            "resource": resource,
            "form": form,
            "object": instance,
            "next": request.GET.get("next", ""),
        },
    )


@programme_view
def record_delete(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, slug: str, record_id: int
) -> HttpResponse:
    resource = _resource(slug)
    obj = get_object_or_404(records(programme, resource), pk=record_id)
    if not may_delete(role, obj):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.delete_record(role=role, instance=obj)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("record", programme_id=programme.pk, slug=slug, record_id=obj.pk)
        messages.success(request, _("Deleted."))
        return redirect("records", programme_id=programme.pk, slug=slug)
    return render(
        request,
        "partnership/record_delete.html",
        {"programme": programme, "role": role, "resource": resource, "object": obj},
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
            programme = exchange.import_programme_json(
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
            counts = tabular.import_table(
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
def roles(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    if not is_director(role):
        raise PermissionDenied
    form = RoleForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            form.add_error("username", _("No user with this username."))
        else:
            organisation = form.cleaned_data["organisation"]
            try:
                services.grant_role(
                    director=role,
                    user=user,
                    role=form.cleaned_data["role"],
                    organisation_id=organisation.pk if organisation else None,
                )
            except ValidationError as exc:
                _apply_validation_error(form, exc)
            else:
                messages.success(request, _("Role saved."))
                return redirect("roles", programme_id=programme.pk)
    grants = ProgrammeRole.objects.filter(programme=programme).select_related(
        "user", "organisation"
    )
    return render(
        request,
        "partnership/roles.html",
        {"programme": programme, "role": role, "form": form, "grants": grants},
    )


@require_POST
@programme_view
def role_revoke(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, grant_id: int
) -> HttpResponse:
    grant = get_object_or_404(ProgrammeRole, pk=grant_id, programme=programme)
    try:
        services.revoke_role(director=role, grant=grant)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Role removed."))
    return redirect("roles", programme_id=programme.pk)
