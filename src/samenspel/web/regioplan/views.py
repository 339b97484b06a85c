"""The regioplan pages: the plan, the werkagenda, the responsibility matrix, a partner's part."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samenspel.analytics.plan.progress import GoalStatus
from samenspel.web.core.accounts.access import is_director
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.approvals import DecisionForm
from samenspel.web.core.downloads import XLSX, attachment
from samenspel.web.core.models import Initiative, Organisation, Programme
from samenspel.web.core.pages import apply_validation_error, programme_view
from samenspel.web.core.pdf import render_pdf

from . import selectors, services
from .exports import plan_workbook
from .forms import AdoptForm, ReportForm
from .labels import GOAL_STATUS
from .models import Action, Milestone, PlanVersion


def _base(programme: Programme, role: ProgrammeRole, tab: str) -> dict[str, object]:
    return {
        "programme": programme,
        "role": role,
        "tab": tab,
        "can_edit": is_director(role),
        "organisations": Organisation.objects.filter(programme=programme),
    }


@programme_view
def plan(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    today = timezone.localdate()
    context = _base(programme, role, "plan")
    context.update(
        themes=selectors.plan(programme, today),
        initiatives=selectors.open_initiatives(programme) if is_director(role) else [],
        costs=selectors.costs(programme),
        updatable=selectors.updatable_actions(role),
        approval=selectors.approval(programme, role),
        today=today,
    )
    return render(request, "regioplan/plan.html", context)


@require_POST
@programme_view
def freeze(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    """The director puts the plan as it stands to its parties."""
    try:
        version = services.freeze_plan(role=role)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Version %(n)d is put to the parties.") % {"n": version.number}
        )
    return redirect(f"{reverse('plan', args=[programme.pk])}#approval")


@require_POST
@programme_view
def decide(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    """A party's authorised representative approves or rejects the frozen version."""
    form = DecisionForm(request.POST)
    back = f"{reverse('plan', args=[programme.pk])}#approval"
    if not form.is_valid():
        messages.error(request, form.problems())
        return redirect(back)
    version = get_object_or_404(
        PlanVersion, programme=programme, number=form.cleaned_data["version"]
    )
    try:
        services.decide_plan(
            role=role,
            version=version,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your decision is recorded."))
    return redirect(back)


@programme_view
def plan_pdf(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    """The plan in the board layout: goals and progress, actions, werkagenda, roles, money."""
    today = timezone.localdate()
    themes = selectors.plan(programme, today)
    counts = Counter(g.progress.status for _theme, goals in themes for g in goals)
    context: dict[str, object] = {
        "programme": programme,
        "today": today,
        "themes": themes,
        "summary": [(s, GOAL_STATUS[s], counts[s]) for s in GoalStatus if counts[s]],
        "agenda": selectors.agenda(programme, today),
        "costs": selectors.costs(programme),
        **selectors.matrix(programme, today),
    }
    context["approval"] = approval = selectors.approval(programme, role)
    context["document_fingerprint"] = approval["fingerprint"]
    content = render_pdf(request, "regioplan/plan_print.html", context)
    return attachment(content, "application/pdf", f"regioplan-{slugify(programme.name)}.pdf")


@programme_view
def plan_excel(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    content = plan_workbook(programme, timezone.localdate())
    return attachment(content, XLSX, f"regioplan-{slugify(programme.name)}.xlsx")


@programme_view
def agenda(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    context = _base(programme, role, "agenda")
    context["groups"] = selectors.agenda(programme, timezone.localdate())
    return render(request, "regioplan/agenda.html", context)


@programme_view
def matrix(request: HttpRequest, programme: Programme, role: ProgrammeRole) -> HttpResponse:
    context = _base(programme, role, "matrix")
    context.update(selectors.matrix(programme, timezone.localdate()))
    return render(request, "regioplan/matrix.html", context)


@programme_view
def organisation(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, organisation_id: int
) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=organisation_id, programme=programme)
    context = _base(programme, role, "organisation")
    context["organisation"] = org
    context.update(selectors.for_organisation(programme, org, timezone.localdate()))
    return render(request, "regioplan/organisation.html", context)


@programme_view
def organisation_pick(
    request: HttpRequest, programme: Programme, role: ProgrammeRole
) -> HttpResponse:
    """The organisation chosen in the plan's selector (a plain GET form, no script needed)."""
    chosen = request.GET.get("organisation", "")
    org = get_object_or_404(
        Organisation, pk=int(chosen) if chosen.isdigit() and len(chosen) < 18 else 0,
        programme=programme,
    )
    return redirect("plan_organisation", programme_id=programme.pk, organisation_id=org.pk)


@programme_view
def report(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, action_id: int
) -> HttpResponse:
    """An action of the plan; members of its owner and responsible organisations report on it."""
    action = get_object_or_404(Action, pk=action_id, programme=programme)
    can_report = selectors.may_update(role, action)
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        target = request.POST.get("milestone", "")
        form = ReportForm(request.POST)
        if form.is_valid():
            done, comment = form.cleaned_data["done"], form.cleaned_data["comment"]
            try:
                if target:
                    milestone = get_object_or_404(Milestone, pk=target, action=action)
                    services.report_milestone(
                        role=role, milestone=milestone, done=done, comment=comment
                    )
                else:
                    services.report_action(role=role, action=action, done=done, comment=comment)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Progress saved."))
                return redirect("plan_report", programme_id=programme.pk, action_id=action.pk)
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(problems) or _("The report was not saved."))
    context = _base(programme, role, "plan")
    context.update(
        action=selectors.action_view(action, timezone.localdate()),
        can_report=can_report,
        today=timezone.localdate(),
    )
    return render(request, "regioplan/report.html", context)


@programme_view
def adopt(
    request: HttpRequest, programme: Programme, role: ProgrammeRole, initiative_id: int
) -> HttpResponse:
    """Adopt an initiative from the field as an action of the plan (director)."""
    initiative = get_object_or_404(Initiative, pk=initiative_id, programme=programme)
    if not is_director(role):
        raise PermissionDenied
    person = initiative.proposed_by_person
    form = AdoptForm(
        programme,
        request.POST or None,
        initial={"owner": person.organisation_id if person else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            action = services.adopt_initiative(
                role=role,
                initiative=initiative,
                goal=form.cleaned_data["goal"],
                owner_id=form.cleaned_data["owner"].pk,
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The initiative is now an action of the plan."))
            return redirect("plan_report", programme_id=programme.pk, action_id=action.pk)
    context = _base(programme, role, "plan")
    context.update(form=form, initiative=initiative)
    return render(request, "regioplan/adopt.html", context)

