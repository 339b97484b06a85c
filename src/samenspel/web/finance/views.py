"""Money pages: the dashboard of one agreement and its exports."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.web.core.accounts.access import is_director
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.downloads import attachment
from samenspel.web.core.models import Programme
from samenspel.web.core.pages import programme_view
from samenspel.web.core.pdf import render_pdf

from . import services
from .evaluation import agreement_document, evaluate
from .excel import agreement_workbook
from .selectors import agreement_of, dashboard_context


@programme_view
def money(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    agreement = agreement_of(programme, agreement_id)
    return render(request, "finance/money.html", dashboard_context(programme, role, agreement))


@programme_view
def money_pdf(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    agreement = agreement_of(programme, agreement_id)
    content = render_pdf(
        request, "finance/money_print.html", dashboard_context(programme, role, agreement)
    )
    name = slugify(f"{agreement.name}-{agreement.scenario}") or "agreement"
    return attachment(content, "application/pdf", f"{name}.pdf")


@programme_view
def money_excel(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    agreement = agreement_of(programme, agreement_id)
    content = agreement_workbook(agreement, evaluate(agreement))
    name = slugify(f"{agreement.name}-{agreement.scenario}") or "agreement"
    return attachment(
        content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{name}.xlsx"
    )


@programme_view
def money_json(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    """The agreement in the JSON form that ``samenspel allocate`` reads."""
    agreement = agreement_of(programme, agreement_id)
    name = slugify(f"{agreement.name}-{agreement.scenario}") or "agreement"
    return attachment(
        json.dumps(agreement_document(agreement), ensure_ascii=False, indent=2),
        "application/json; charset=utf-8",
        f"{name}.json",
    )


@require_POST
@programme_view
def copy_scenario(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    if not is_director(role):
        raise PermissionDenied
    agreement = agreement_of(programme, agreement_id)
    name = request.POST.get("scenario", "").strip() or _("scenario")
    copy = services.copy_as_scenario(agreement, name)
    return redirect("agreement_money", programme_id=programme.pk, agreement_id=copy.pk)
