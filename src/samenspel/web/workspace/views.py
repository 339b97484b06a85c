"""The workspace: my programmes, and the programme at a glance."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from samenspel.web.composition.selectors import composition_of, initiative_timeline
from samenspel.web.core import choices as c
from samenspel.web.core.accounts.access import (
    is_director,
    roles_of,
)
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.models import Idea, Programme
from samenspel.web.core.pages import code_labels, programme_view
from samenspel.web.core.versions import versions_of
from samenspel.web.workspace.overview import glance


@login_required
def home(request: HttpRequest) -> HttpResponse:
    roles = list(roles_of(request.user).order_by("programme__name", "programme_id"))
    versions = versions_of(r.programme_id for r in roles)
    cards = [(r, composition_of(r.programme, version=versions[r.programme_id])) for r in roles]
    return render(request, "partnership/home.html", {"cards": cards})


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
        "ideas_waiting": (
            Idea.objects.filter(programme=programme, status=Idea.Status.WAITING).count()
            if is_director(role)
            else 0
        ),
    }
    return render(request, "partnership/overview.html", context)
