"""Dynamics pages: dashboard, waves, exports, and the respondent's survey page."""

from __future__ import annotations

import networkx as nx
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.analytics.network import MIN_RESPONDENTS
from samenspel.web.core import choices as c
from samenspel.web.core.accounts.access import (
    PermissionDeniedError,
    is_director,
    visible_programmes,
)
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.downloads import attachment, csv_response
from samenspel.web.core.models import Person, Programme
from samenspel.web.core.pages import programme_view
from samenspel.web.core.pdf import render_pdf

from . import services
from .models import Collaboration, Frequency, Invitation, SurveyWave
from .networks import (
    ATTRIBUTES,
    Dynamics,
    evaluate,
)
from .selectors import dashboard_context, network_for, selection


@programme_view
def dashboard(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    return render(request, "dynamics/dashboard.html", dashboard_context(request, programme, role))


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
    attributes = [a for a in ATTRIBUTES if all(a in v for v in dyn.network.nodes.values())] or [
        "kind"
    ]
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
    graph = nx.DiGraph() if dyn.network.directed else nx.Graph()
    for n in dyn.network.ids:
        graph.add_node(n, name=dyn.names[n], **dyn.network.nodes[n])
    for tie in dyn.network.ties:
        graph.add_edge(tie.source, tie.target, weight=tie.weight)
    content = "\n".join(nx.generate_graphml(graph))
    return attachment(
        content, "application/graphml+xml; charset=utf-8", f"network-{source}.graphml"
    )


@programme_view
def waves(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    if request.method == "POST":
        if not is_director(role):
            raise PermissionDenied
        try:
            services.open_wave(
                role=role,
                name=request.POST.get("name", ""),
                min_respondents=int(request.POST.get("min_respondents") or MIN_RESPONDENTS),
                named_ties=request.POST.get("named_ties") == "1",
            )
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Wave opened; everyone in the programme is invited."))
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
        {"programme": programme, "role": role, "rows": rows, "min_respondents": MIN_RESPONDENTS},
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


@require_POST
@programme_view
def wave_action(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, wave_id: int, action: str
) -> HttpResponse:
    wave = get_object_or_404(SurveyWave, pk=wave_id, programme=programme)
    try:
        if action == "close":
            services.close_wave(role=role, wave=wave)
            messages.success(request, _("Wave closed; its answers are frozen."))
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


def respond(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent's page: no account, a personal link; save and return, or submit."""
    invitation = (
        Invitation.objects.select_related("wave", "person", "programme").filter(token=token).first()
    )
    if invitation is None:
        raise Http404("No such invitation.")
    others = (
        Person.objects.filter(programme_id=invitation.programme_id)
        .exclude(pk=invitation.person_id)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )
    current = {r.alter_id: r for r in invitation.ratings.all()}
    problems: list[str] = []
    answers: dict[int, dict[str, str]] = {}
    locked = invitation.wave.is_closed or invitation.submitted_at is not None
    if request.method == "POST" and not locked:
        for person in others:
            if request.POST.get(f"works_{person.pk}"):
                answers[person.pk] = {
                    f: request.POST.get(f"{f}_{person.pk}", "") for f in services.ANSWER_FIELDS
                }
        try:
            count = services.save_answers(
                invitation, answers, submit=request.POST.get("submit") == "1"
            )
        except services.AnswerError as exc:
            problems = exc.problems
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            if request.POST.get("submit") == "1":
                messages.success(request, _("Thank you. Your answers are submitted."))
            else:
                messages.success(
                    request,
                    _(
                        "Saved (%(n)d people). You can come back to this "
                        "page with your personal link."
                    )
                    % {"n": count},
                )
            return redirect("respond", token=token)
    rows = []
    for person in others:
        posted = answers.get(person.pk)
        existing = current.get(person.pk)
        values = posted or (
            {f: str(getattr(existing, f)) for f in services.ANSWER_FIELDS} if existing else {}
        )
        rows.append((person, bool(posted or existing) if not problems else bool(posted), values))
    return render(
        request,
        "dynamics/respond.html",
        {
            "invitation": invitation,
            "rows": rows,
            "problems": problems,
            "locked": locked,
            "frequencies": Frequency.choices,
            "levels": Collaboration.choices,
            "items": [
                ("trust_reliability", _("Reliable")),
                ("trust_mission", _("Supports the mission")),
                ("trust_openness", _("Open to discussion")),
                ("value_influence", _("Influence")),
                ("value_involvement", _("Involvement")),
                ("value_resources", _("Contributes resources")),
            ],
            "scale": [(1, _("not at all")), (2, _("a little")), (3, _("fairly")), (4, _("very"))],
            "layers": c.Layer.choices,
        },
    )


@login_required
def compare_dynamics(request: HttpRequest) -> HttpResponse:
    """The collaboration of several programmes side by side (latest wave, survey network)."""
    mine = list(visible_programmes(request.user))
    wanted = {int(i) for i in request.GET.getlist("p") if i.isdigit()}
    chosen = [p for p in mine if p.pk in wanted] or mine
    columns = []
    for programme in chosen:
        wave = SurveyWave.objects.filter(programme=programme).order_by("-opened_on").first()
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
