"""Core pages: programmes, their records and roles. Thin: resolve access, call services, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from samenspel.web.core import services, worker
from samenspel.web.core.accounts.access import (
    is_director,
    may_add,
    may_change,
    may_delete,
    sees_contact_details,
)
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.forms import (
    ProgrammeForm,
    RoleForm,
    record_form,
)
from samenspel.web.core.models import Programme
from samenspel.web.core.numbers import percent
from samenspel.web.core.pages import apply_validation_error, programme_view
from samenspel.web.core.resources import RESOURCES, Resource
from samenspel.web.core.selectors import demo_text, list_page, records, sortable


def _resource(slug: str) -> Resource:
    try:
        return RESOURCES[slug]
    except KeyError as exc:
        raise Http404("No such page.") from exc


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
            apply_validation_error(form, exc)
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
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("programme", programme_id=programme.pk)
    return render(
        request,
        "partnership/programme_form.html",
        {"form": form, "programme": programme, "role": role},
    )


def _cell(obj: models.Model, name: str, programme: Programme) -> Any:
    field = obj._meta.get_field(name)
    if getattr(field, "choices", None):
        return getattr(obj, f"get_{name}_display")()
    if isinstance(field, models.ManyToManyField):
        return ", ".join(str(o) for o in getattr(obj, name).all())
    value = getattr(obj, name)
    if value is not None and getattr(field, "shown_as_percent", False):
        return percent(float(value))
    return "" if value is None else demo_text(value, programme)


@programme_view
def record_list(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, slug: str
) -> HttpResponse:
    resource = _resource(slug)
    query = request.GET.get("q", "").strip()[:200]
    page, sort = list_page(
        programme,
        resource,
        query=query,
        sort=request.GET.get("sort", ""),
        page=request.GET.get("page", ""),
    )
    rows = [(obj, [_cell(obj, n, programme) for n in resource.columns]) for obj in page.object_list]
    can_sort = sortable(resource)
    headers = [
        {
            "label": resource.field(n).verbose_name,
            "sort": (f"-{n}" if sort == n else n) if n in can_sort else "",
            "aria": "ascending" if sort == n else "descending" if sort == f"-{n}" else "",
        }
        for n in resource.columns
    ]
    return render(
        request,
        "partnership/record_list.html",
        {
            "programme": programme,
            "role": role,
            "resource": resource,
            "rows": rows,
            "page": page,
            "query": query,
            "sort": sort,
            "headers": headers,
            "can_add": may_add(role, resource.model),
        },
    )


@programme_view
def record_detail(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, slug: str, record_id: int
) -> HttpResponse:
    resource = _resource(slug)
    obj = get_object_or_404(records(programme, resource), pk=record_id)
    shown = resource.fields_for(contact=sees_contact_details(role))
    fields = [(resource.field(n).verbose_name, _cell(obj, n, programme)) for n in shown]
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
            apply_validation_error(form, exc)
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
                    signs_agreements=form.cleaned_data["signs_agreements"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
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


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For the reverse proxy and monitoring: 200 when the database answers and a worker beat
    recently, 503 otherwise. Needs no log-in and tells nothing about the data."""
    state = worker.health()
    return JsonResponse(
        {
            "status": "ok" if state.ok else "failing",
            "database": state.database,
            "worker": state.worker,
            "worker_seen_seconds_ago": state.worker_seen_seconds_ago,
        },
        status=200 if state.ok else 503,
    )
