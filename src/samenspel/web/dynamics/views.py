"""Dynamics pages: dashboard, waves, exports, and the respondent's survey page."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from samenspel.analytics.network import MIN_RESPONDENTS
from samenspel.analytics.network.io import to_graphml
from samenspel.web.core.accounts.access import (
    PermissionDeniedError,
    is_director,
    visible_programmes,
)
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.downloads import attachment, csv_response
from samenspel.web.core.models import Organisation, Programme
from samenspel.web.core.pages import programme_view
from samenspel.web.core.pdf import render_pdf

from . import services
from .forms import WaveMailForm
from .models import ANSWER_FIELDS, ITEM_FIELDS, Invitation, SurveyWave, Unit
from .networks import (
    Dynamics,
    evaluate,
    responded,
)
from .selectors import (
    METRICS,
    SURVEY_STEPS,
    attribute_names,
    board_wave,
    dashboard_context,
    explorer_json,
    mail_status,
    network_for,
    network_table,
    node_attributes,
    organisation_profile,
    response_rates,
    selection,
    survey_context,
)


@programme_view
def dashboard(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    return render(request, "dynamics/dashboard.html", dashboard_context(request, programme, role))


# The explorer's libraries (from npm, copied into static/vendor by the set-up command).
EXPLORER_LIBRARIES = ("graphology.umd.min.js", "sigma.min.js")
# People per page of the explorer's table: a network of thousands stays a light page.
TABLE_PAGE = 100


@programme_view
def explore(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    """The interactive network: names on the nodes, colour, size, filters, search, ego view,
    change since an earlier wave; with the same network as a table for screen readers."""
    context = dashboard_context(request, programme, role)
    context["metrics"] = METRICS
    context["compare"] = request.GET.get("compare", "")
    context["has_library"] = all(finders.find(f"vendor/{f}") for f in EXPLORER_LIBRARIES)
    rows = network_table(context["dyn"], context["labels"])
    context["table"] = Paginator(rows, TABLE_PAGE).get_page(request.GET.get("page"))
    others = request.GET.copy()
    others.pop("page", None)
    context["table_query"] = others.urlencode()
    names = attribute_names()
    context["table_columns"] = [names[a] for a in node_attributes(context["dyn"])]
    return render(request, "dynamics/explore.html", context)


@programme_view
def network_json(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    return HttpResponse(
        explorer_json(request, programme, role), content_type="application/json"
    )


def _profile(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, organisation_id: int
) -> dict[str, Any]:
    """The profile of one organisation: the director sees every organisation's, a partner
    member only their own; viewers none."""
    organisation = get_object_or_404(Organisation, pk=organisation_id, programme=programme)
    if not (is_director(role) or role.organisation_id == organisation.pk):
        raise PermissionDenied
    wave, _source, _colour = selection(request, programme)
    if wave is None:
        raise Http404("No survey wave yet.")
    return {
        "programme": programme,
        "role": role,
        "profile": organisation_profile(programme, wave, organisation),
    }


@programme_view
def profile(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, organisation_id: int
) -> HttpResponse:
    context = _profile(request, programme, role, organisation_id)
    return render(request, "dynamics/profile.html", context)


@programme_view
def profile_pdf(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, organisation_id: int
) -> HttpResponse:
    context = _profile(request, programme, role, organisation_id)
    content = render_pdf(request, "dynamics/profile_print.html", context)
    name = slugify(context["profile"]["organisation"].name)
    return attachment(content, "application/pdf", f"profiel-{name}.pdf")


@programme_view
def dashboard_pdf(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    content = render_pdf(
        request, "dynamics/dashboard_print.html", dashboard_context(request, programme, role)
    )
    return attachment(content, "application/pdf", f"{slugify(programme.name)}-dynamics.pdf")


def _network_for_export(
    request: HttpRequest, programme: Programme, role: ProgrammeRole
) -> tuple[Dynamics, str]:
    wave, source, _colour = selection(request, programme)
    return network_for(request, programme, role, source, wave)[0], source


def _rounded(value: float | None) -> float | str:
    """Six decimals for the CSV; an undefined measure stays empty."""
    return "" if value is None else round(value, 6)


@programme_view
def export_nodes(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    dyn, source = _network_for_export(request, programme, role)
    attributes = node_attributes(dyn)
    header = ["id", "name", *attributes, "degree", "betweenness", "closeness", "constraint"]
    rows = [
        [
            n,
            dyn.names[n],
            *[dyn.network.nodes[n].get(a, "") for a in attributes],
            dyn.centrality.degree[n],
            _rounded(dyn.centrality.betweenness[n]),
            _rounded(dyn.centrality.closeness[n]),
            _rounded(dyn.centrality.constraint[n]),
        ]
        for n in dyn.network.ids
    ]
    return csv_response([header, *rows], f"nodes-{source}.csv")


@programme_view
def export_edges(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    dyn, source = _network_for_export(request, programme, role)
    rows = [[t.source, t.target, t.weight, dyn.network.directed] for t in dyn.network.ties]
    return csv_response([["source", "target", "weight", "directed"], *rows], f"edges-{source}.csv")


@programme_view
def export_graphml(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    dyn, source = _network_for_export(request, programme, role)
    content = to_graphml(dyn.network, dyn.names)
    return attachment(
        content, "application/graphml+xml; charset=utf-8", f"network-{source}.graphml"
    )


def _minimum(text: str) -> int:
    """The minimum respondents typed in the form; anything but a whole number is refused."""
    value = text.strip() or str(MIN_RESPONDENTS)
    if not value.isdigit() or len(value) > 4:
        raise ValidationError(_("Enter the minimum number of respondents as a whole number."))
    return int(value)


@programme_view
def waves(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    if request.method == "POST":
        if not is_director(role):
            raise PermissionDenied
        try:
            services.open_wave(
                role=role,
                name=request.POST.get("name", ""),
                min_respondents=_minimum(request.POST.get("min_respondents", "")),
                named_ties=request.POST.get("named_ties") == "1",
                unit=request.POST.get("unit", Unit.PERSON),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "Wave opened: an invitation is ready for everyone in the programme. Nothing "
                    "has been sent yet: send the invitations from the wave's page, or download "
                    "the personal links."
                ),
            )
        return redirect("waves", programme_id=programme.pk)
    rows = []
    for wave in SurveyWave.objects.filter(programme=programme).order_by("-opened_on", "-id"):
        invitations = wave.invitations.all()
        rows.append(
            (wave, invitations.count(), invitations.filter(submitted_at__isnull=False).count())
        )
    return render(
        request,
        "dynamics/waves.html",
        {
            "programme": programme,
            "role": role,
            "rows": rows,
            "shown": board_wave(programme),
            "min_respondents": MIN_RESPONDENTS,
            "units": Unit.choices,
        },
    )


@programme_view
def wave_detail(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, wave_id: int
) -> HttpResponse:
    """One wave: the response so far (live), and for the director its invitations by mail."""
    wave = get_object_or_404(SurveyWave, pk=wave_id, programme=programme)
    director = is_director(role)
    form = WaveMailForm(instance=wave) if director else None
    if request.method == "POST":
        if not director:
            raise PermissionDenied
        form = WaveMailForm(request.POST, instance=wave)
        if form.is_valid():
            form.save()
            if request.POST.get("send") == "1":
                try:
                    services.schedule_mail(
                        role=role, wave=wave, send_at=form.cleaned_data["send_at"]
                    )
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    messages.success(request, _("The invitations are on their way."))
            else:
                messages.success(request, _("Texts saved."))
            return redirect("wave", programme_id=programme.pk, wave_id=wave.pk)
    template = "dynamics/_response.html" if request.GET.get("part") == "response" else (
        "dynamics/wave.html"
    )
    return render(
        request,
        template,
        {
            "programme": programme,
            "role": role,
            "wave": wave,
            "form": form,
            "rates": response_rates(wave),
            "invited": wave.invitations.count(),
            "submitted": wave.invitations.filter(submitted_at__isnull=False).count(),
            "mail": mail_status(wave) if director else None,
        },
    )


@programme_view
def wave_links(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, wave_id: int
) -> HttpResponse:
    """Personal links of a wave, for the programme director to send (CSV)."""
    if not is_director(role):
        raise PermissionDenied
    wave = get_object_or_404(SurveyWave, pk=wave_id, programme=programme)
    rows = [
        [
            inv.person.name,
            inv.person.email,
            request.build_absolute_uri(f"/s/{inv.token}/"),
            "yes" if inv.submitted_at else "no",
        ]
        for inv in wave.invitations.select_related("person")
    ]
    return csv_response(
        [["name", "email", "link", "submitted"], *rows], f"links-{slugify(wave.name)}.csv"
    )


@require_http_methods(["GET", "POST"])
@programme_view
def wave_action(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, wave_id: int, action: str
) -> HttpResponse:
    wave = get_object_or_404(SurveyWave, pk=wave_id, programme=programme)
    if request.method == "GET":  # closing is final: the director confirms on a page first
        if action != "close" or wave.is_closed:
            raise Http404
        if not is_director(role):
            raise PermissionDenied
        invited, submitted = responded(wave)
        context = {"programme": programme, "role": role, "wave": wave,
                   "invited": invited, "submitted": submitted}  # fmt: skip
        return render(request, "dynamics/wave_close.html", context)
    try:
        if action == "close":
            services.close_wave(role=role, wave=wave)
            messages.success(
                request, _("Wave closed: its answers are frozen, and its figures are shown.")
            )
        elif action == "show":
            services.show_first(role=role, wave=wave)
            messages.success(request, _("The programme's pages now show this wave first."))
        elif action == "invite":
            count = services.invite_missing(role=role, wave=wave)
            messages.success(request, _("%(n)d people invited.") % {"n": count})
        else:
            raise Http404
    except PermissionDeniedError as exc:
        raise PermissionDenied from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("waves", programme_id=programme.pk)


def _posted_answers(
    post: Any, prefix: str, fields: tuple[str, ...]
) -> dict[int, dict[str, str]]:
    """Answers posted as ``<prefix><field>_<id>``, per id."""
    answers: dict[int, dict[str, str]] = {}
    for field in fields:
        head = f"{prefix}{field}_"
        for key, value in post.items():
            if key.startswith(head) and key[len(head) :].isdigit():
                answers.setdefault(int(key[len(head) :]), {})[field] = value
    return answers


def _save_posted(request: HttpRequest, invitation: Invitation) -> None:
    """Save what this step posted; the people chosen change only on the first step (or when a
    one-page form posts everything at once)."""
    post = request.POST
    step = post.get("step", "")
    chosen = None
    if step in ("", "choose"):
        chosen = [int(k[6:]) for k in post if k.startswith("works_") and k[6:].isdigit()]
    services.save_draft(
        invitation=invitation,
        chosen=chosen,
        nobody=post.get("nobody") == "1",
        people=_posted_answers(post, "", ANSWER_FIELDS),
        organisations=_posted_answers(post, "org_", ITEM_FIELDS),
    )


def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's survey, step by step on a personal link (no account): choose people,
    describe each working relationship, (per organisation) rate organisations, check and submit.
    Every step is saved; a saved survey can be continued later with the same link."""
    invitation = (
        Invitation.objects.select_related("wave", "person", "programme").filter(token=token).first()
    )
    if invitation is None:
        return render(request, "dynamics/survey_gone.html", {"reason": "unknown"}, status=404)
    if invitation.wave.is_closed or invitation.submitted_at is not None:
        reason = "submitted" if invitation.submitted_at else "closed"
        return render(
            request, "dynamics/survey_gone.html", {"reason": reason, "invitation": invitation}
        )
    step = request.GET.get("step", "")
    problems: list[str] = []
    if request.method == "POST":
        step = request.POST.get("step", "") or "review"
        try:
            _save_posted(request, invitation)
            invitation.refresh_from_db(fields=["draft"])
            if request.POST.get("submit") == "1":
                services.submit(invitation=invitation)
                return redirect("respond", token=token)
        except services.AnswerError as exc:
            problems = exc.problems
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            go = request.POST.get("go", "")
            if go not in SURVEY_STEPS:
                messages.success(
                    request,
                    _("Saved. You can come back later with your personal link to continue."),
                )
                go = step
                card = request.POST.get("at", "")
                if re.fullmatch(r"[po][0-9]{1,12}", card):  # back to the card they were on
                    return redirect(f"{request.path}?step={go}#{card}")
            elif go in ("people", "organisations") and not invitation.draft.get("chosen"):
                go = "review"
            return redirect(f"{request.path}?step={go}")
        invitation.refresh_from_db()
    return render(
        request, "dynamics/respond.html", survey_context(invitation, step, problems)
    )


def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """Stop all mail about this wave to the person behind the link (asked first: a link in a
    mail may be opened by a mail scanner)."""
    invitation = Invitation.objects.select_related("wave").filter(token=token).first()
    if invitation is None:
        return render(request, "dynamics/survey_gone.html", {"reason": "unknown"}, status=404)
    reason = "opt_out_confirm"
    if request.method == "POST":
        services.opt_out(invitation=invitation)
        reason = "opted_out"
    context = {"reason": reason, "invitation": invitation}
    return render(request, "dynamics/survey_gone.html", context)


@login_required
def compare_dynamics(request: HttpRequest) -> HttpResponse:
    """The collaboration of several programmes side by side (each one's latest closed wave, or
    its latest wave when none is closed yet; survey network)."""
    mine = list(visible_programmes(request.user))
    wanted = {int(i) for i in request.GET.getlist("p") if i.isdigit()}
    chosen = [p for p in mine if p.pk in wanted] or mine
    columns = []
    for programme in chosen:
        wave = board_wave(programme)
        dyn = evaluate(programme, source="survey" if wave else "combined", wave=wave)
        matrix = dyn.matrices["stakeholder_group"].ties if not dyn.withheld else {}
        columns.append(
            {
                "programme": programme,
                "wave": wave,
                "dyn": dyn,
                "resident_executive": matrix.get("resident", {}).get("executive"),
                "professional_executive": matrix.get("professional", {}).get("executive"),
            }
        )
    return render(
        request,
        "dynamics/compare.html",
        {"programmes": mine, "chosen": {p.pk for p in chosen}, "columns": columns},
    )
