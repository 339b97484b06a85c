"""Writes of the regioplan beyond plain record edits: progress reports and adopting initiatives."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.web.core.accounts import audit
from samenspel.web.core.accounts.access import (
    PermissionDeniedError,
    is_director,
    require_change,
)
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.approvals import Decision, fingerprint
from samenspel.web.core.models import Initiative

from . import selectors
from .models import Action, Goal, Milestone, PlanApproval, PlanVersion
from .selectors import may_update


def report_milestone(
    *, role: ProgrammeRole, milestone: Milestone, done: bool, comment: str
) -> Milestone:
    """A member of the owning or responsible organisation marks a milestone, with a comment."""
    if not may_update(role, milestone.action):
        raise PermissionDeniedError("You may not report on this action.")
    with transaction.atomic():
        milestone.done = done
        milestone.done_on = (milestone.done_on or timezone.localdate()) if done else None
        milestone.comment = comment.strip()
        milestone.full_clean()
        milestone.save()
        state = "done" if done else "open"
        audit.record(
            role.user, role.programme, "milestone reported", f"{milestone.pk} {state}: {comment}"
        )
    return milestone


def report_action(*, role: ProgrammeRole, action: Action, done: bool, comment: str) -> Action:
    """A member of the owning or responsible organisation reports the action's status."""
    if not may_update(role, action):
        raise PermissionDeniedError("You may not report on this action.")
    with transaction.atomic():
        action.done = done
        action.comment = comment.strip()
        action.full_clean()
        action.save()
        state = "done" if done else "running"
        target = f"{action.pk} {state}: {comment}"
        audit.record(role.user, role.programme, "action reported", target)
    return action


def adopt_initiative(
    *,
    role: ProgrammeRole,
    initiative: Initiative,
    goal: Goal,
    owner_id: int,
    start_date: dt.date,
) -> Action:
    """Take an initiative from the field into the plan as an action, in one step.

    The action keeps its link to the initiative, so the initiative's history (proposed, pilot,
    scaling, embedded) stays visible from the plan.
    """
    action = Action(
        programme_id=role.programme_id,
        goal=goal,
        title=initiative.title,
        description=initiative.description,
        owner_id=owner_id,
        group=initiative.proposed_by_group,
        initiative=initiative,
        start_date=start_date,
    )
    require_change(role, action)
    action.full_clean()
    with transaction.atomic():
        action.save()
        if initiative.proposed_by_person_id:
            action.people.add(initiative.proposed_by_person_id)
        audit.record(
            role.user, role.programme, "initiative adopted", f"{initiative.pk} → action {action.pk}"
        )
    return action


def freeze_plan(*, role: ProgrammeRole) -> PlanVersion:
    """The director freezes the plan as it stands and puts it to its parties."""
    if not is_director(role):
        raise PermissionDeniedError("Only the programme director freezes the plan.")
    programme = role.programme
    parties = selectors.plan_parties(programme)
    if not parties:
        raise ValidationError(_("Add an action with its owner before asking for approval."))
    state = selectors.snapshot(programme)
    with transaction.atomic():
        last = (
            PlanVersion.objects.select_for_update()
            .filter(programme=programme)
            .order_by("-number")
            .first()
        )
        if last is not None and last.fingerprint == fingerprint(state):
            raise ValidationError(_("This version of the plan is already put to the parties."))
        version = PlanVersion.objects.create(
            programme=programme,
            number=(last.number + 1) if last else 1,
            fingerprint=fingerprint(state),
            snapshot=state,
            frozen_by=role.user,
        )
        version.parties.set(parties)
        audit.record(role.user, programme, "plan frozen", f"v{version.number}")
    return cast("PlanVersion", version)


def decide_plan(
    *, role: ProgrammeRole, version: PlanVersion, decision: str, comment: str = ""
) -> PlanApproval:
    """An organisation's authorised representative approves or rejects a frozen version; a
    version the plan has changed from since cannot be decided on."""
    if decision not in Decision.values:
        raise ValidationError(_("Choose approve or reject."))
    if not role.signs_agreements or role.organisation_id is None:
        raise PermissionDeniedError("Only an organisation's authorised representative decides.")
    with transaction.atomic():
        version = PlanVersion.objects.select_for_update().get(pk=version.pk)
        latest = PlanVersion.objects.filter(programme=version.programme).order_by("-number")
        if latest.first() != version or version.fingerprint != fingerprint(
            selectors.snapshot(version.programme)
        ):
            raise ValidationError(
                _("The plan changed after this version was frozen; decide on the new version.")
            )
        if not version.parties.filter(pk=role.organisation_id).exists():
            raise PermissionDeniedError("The organisation is not a party to this plan.")
        approval, _created = PlanApproval.objects.update_or_create(
            version=version,
            organisation_id=role.organisation_id,
            defaults={"decision": decision, "comment": comment.strip(), "decided_by": role.user},
        )
        audit.record(
            role.user,
            version.programme,
            f"plan {decision}",
            f"v{version.number}: {role.organisation}",
        )
    return approval
