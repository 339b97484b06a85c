"""Money pages: the dashboard of one agreement and its exports."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.web.core.accounts import audit
from samenspel.web.core.accounts.access import PermissionDeniedError, is_director
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.approvals import DecisionForm, fingerprint
from samenspel.web.core.downloads import XLSX, attachment
from samenspel.web.core.extensions import RegionalCost, regional_costs
from samenspel.web.core.models import Programme
from samenspel.web.core.pages import programme_view
from samenspel.web.core.pdf import render_pdf

from . import services
from .evaluation import agreement_document, evaluate
from .excel import agreement_workbook
from .models import Agreement, ApprovalRound
from .selectors import agreement_of, analysis_html, dashboard_context, snapshot


@programme_view
def money(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    agreement = agreement_of(programme, agreement_id)
    context = dashboard_context(programme, role, agreement)
    context["analysis"] = analysis_html(context, page_path=request.path)
    return render(request, "finance/money.html", context)


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
        content, XLSX, f"{name}.xlsx"
    )


@programme_view
def money_json(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    """The agreement in the JSON form that ``samenspel allocate`` reads."""
    agreement = agreement_of(programme, agreement_id)
    name = slugify(f"{agreement.name}-{agreement.scenario}") or "agreement"
    document = agreement_document(agreement, with_rules=True)
    document["fingerprint"] = fingerprint(snapshot(agreement))  # `samenspel verify` reads it
    return attachment(
        json.dumps(document, ensure_ascii=False, indent=2),
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


@require_POST
@programme_view
def freeze(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    """The director puts the agreement as it stands to every party for approval."""
    if not is_director(role):
        raise PermissionDenied
    agreement = agreement_of(programme, agreement_id)
    try:
        round_ = services.freeze_for_approval(role=role, agreement=agreement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Version %(n)d is put to the parties for approval.") % {"n": round_.number}
        )
    return redirect(_approval_anchor(programme, agreement))


@require_POST
@programme_view
def decide(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    """An authorised representative approves or rejects the version they saw."""
    agreement = agreement_of(programme, agreement_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.problems())
        return redirect(_approval_anchor(programme, agreement))
    round_ = get_object_or_404(
        ApprovalRound, agreement=agreement, number=form.cleaned_data["version"]
    )
    try:
        services.decide(
            role=role,
            round_=round_,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your decision is recorded."))
    return redirect(_approval_anchor(programme, agreement))


def _whole(text: str | None) -> int:
    return int(text) if text and text.isdigit() and len(text) < 9 else 0


def _approval_anchor(programme: Programme, agreement: Agreement) -> str:
    url = reverse("agreement_money", args=[programme.pk, agreement.pk])
    return f"{url}#approval"


@require_POST
@programme_view
def base_from_regiobeeld(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, agreement_id: int
) -> HttpResponse:
    """Open the realised-year form with the base taken from the regiobeeld: the region's
    inhabitants and published cost per inhabitant of the chosen stream and year. When the
    agreement truncates costs, the truncated figures, their spread, and the next year's
    truncated cost as the realised cost."""
    if not is_director(role):
        raise PermissionDenied
    agreement = agreement_of(programme, agreement_id)
    year_text, _bar, stream = request.POST.get("choice", "").partition("|")
    year = _whole(year_text)
    figures = {c.year: c for c in regional_costs(programme) if c.stream == stream}
    figure = figures.get(year)
    money = reverse("agreement_money", args=[programme.pk, agreement.pk])
    if figure is None:
        messages.error(request, _("The regiobeeld has no published figure for that year."))
        return redirect(f"{money}#settlement")
    truncate = agreement.truncate_costs

    def cost(c: RegionalCost) -> float | None:
        return c.truncated_per_inhabitant if truncate else c.per_inhabitant

    base = cost(figure)
    if not base or base <= 0:
        messages.error(
            request,
            _(
                "The regiobeeld publishes no truncated cost for that year and stream: too few "
                "persons are above the 99th percentile, or the cost is hidden."
            )
            if truncate
            else _("The regiobeeld has no published figure for that year."),
        )
        return redirect(f"{money}#settlement")
    audit.record(request.user, programme, "use regiobeeld figures", f"run {figure.run_id}")
    scale = 1000 if agreement.amount_unit == "thousand" else 1
    fields = {
        "agreement": str(agreement.pk),
        "stream": stream,
        "year": str(year + 1),
        "base_year": str(year),
        "persons": str(figure.inhabitants),
        "base_cost_per_person": f"{base / scale:.4f}",
        "next": money,
    }
    if truncate:
        fields["truncated"] = "on"
        if figure.sd_per_inhabitant:
            fields["cost_sd_per_person"] = f"{figure.sd_per_inhabitant / scale:.4f}"
        following = figures.get(year + 1)
        realised = cost(following) if following else None
        if following and realised:
            fields |= {
                "persons": str(following.inhabitants),
                "realised_cost": f"{realised * following.inhabitants / scale:.2f}",
            }
    earlier = {
        y: known for y in (year - 2, year - 1) if y in figures and (known := cost(figures[y]))
    }
    if len(earlier) == 2:  # three base years, weighted as MSSP's first agreement period
        fields |= {
            "earlier_base_costs": "; ".join(
                f"{y}: {earlier[y] / scale:.4f}" for y in sorted(earlier)
            ),
            "base_weights": "10/30/60",
            "trend_rate": f"{(base / earlier[year - 2]) ** 0.5 - 1:.4f}",
            "trend_source": "regional",
        }
    query = urlencode(fields)
    return redirect(f"{reverse('record_new', args=[programme.pk, 'realised-years'])}?{query}")
