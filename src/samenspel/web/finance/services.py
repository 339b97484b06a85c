"""Writes for money records beyond the generic record services."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.web.core.accounts import audit
from samenspel.web.core.accounts.access import PermissionDeniedError
from samenspel.web.core.accounts.models import ProgrammeRole, Role
from samenspel.web.core.approvals import Decision, fingerprint

from .models import Agreement, Approval, ApprovalRound
from .selectors import current_round, party_organisations, snapshot


@transaction.atomic
def copy_as_scenario(agreement: Agreement, scenario: str) -> Agreement:
    """Copy an agreement with all its care tasks, interventions and lines as a new scenario.

    When the scenario name is taken, a number is added (``scenario 2``).
    """
    base, number = scenario[:90], 1
    name = base
    while Agreement.objects.filter(
        programme_id=agreement.programme_id, name=agreement.name, scenario=name
    ).exists():
        number += 1
        name = f"{base} {number}"
    # No prefetching: a prefetched M2M cache would make partners.set() on the copy a no-op.
    interventions = list(agreement.interventions.all())
    tasks = list(agreement.care_tasks.all())
    copy = Agreement.objects.get(pk=agreement.pk)
    copy.pk = None
    copy.scenario = name
    copy.save()
    for task in tasks:
        task.pk = None
        task.agreement = copy
        task.save()
    for intervention in interventions:
        partners = list(intervention.partners.all())
        lines = list(intervention.lines.all())
        intervention.pk = None
        intervention.agreement = copy
        intervention.save()
        intervention.partners.set(partners)
        for line in lines:
            line.pk = None
            line.intervention = intervention
            line.save()
    return cast("Agreement", copy)


def _open_round(agreement: Agreement, user: Any, state: dict[str, Any]) -> ApprovalRound:
    last = agreement.rounds.order_by("-number").first()
    round_ = ApprovalRound.objects.create(
        programme=agreement.programme, agreement=agreement,
        number=(last.number + 1) if last else 1, fingerprint=fingerprint(state),
        snapshot=state, frozen_by=user,
    )  # fmt: skip
    round_.parties.set(party_organisations(agreement))
    return cast("ApprovalRound", round_)


@transaction.atomic
def freeze_for_approval(*, role: ProgrammeRole, agreement: Agreement) -> ApprovalRound:
    """The director freezes the agreement as it stands and puts it to every party."""
    if role.role != Role.DIRECTOR:
        raise PermissionDeniedError("Only the programme director freezes an agreement.")
    if not party_organisations(agreement):
        raise ValidationError(
            _("Add an intervention with its partners before asking for approval.")
        )
    state = snapshot(agreement)
    current = current_round(agreement)
    if current is not None:
        if current.fingerprint == fingerprint(state):
            raise ValidationError(_("This version is already put to the parties."))
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
    round_ = _open_round(agreement, role.user, state)
    target = f"{agreement} v{round_.number}"
    audit.record(role.user, agreement.programme, "agreement frozen", target)
    return round_


@transaction.atomic
def decide(
    *, role: ProgrammeRole, round_: ApprovalRound, decision: str, comment: str = ""
) -> Approval:
    """The authorised representative approves or rejects the frozen version for their
    organisation. A version that was changed since it was frozen cannot be decided on."""
    if decision not in Decision.values:
        raise ValidationError(_("Choose approve or reject."))
    if not role.signs_agreements or role.organisation_id is None:
        raise PermissionDeniedError("Only an organisation's authorised representative decides.")
    round_ = ApprovalRound.objects.select_for_update().get(pk=round_.pk)
    agreement = round_.agreement
    if round_.superseded_at is not None or round_.fingerprint != fingerprint(snapshot(agreement)):
        raise ValidationError(
            _("The agreement changed after this version was frozen; decide on the new version.")
        )
    if not round_.parties.filter(pk=role.organisation_id).exists():
        raise PermissionDeniedError("The organisation is not a party to this agreement.")
    approval, _created = Approval.objects.update_or_create(
        round=round_, organisation_id=role.organisation_id,
        defaults={"decision": decision, "comment": comment.strip(), "decided_by": role.user},
    )  # fmt: skip
    audit.record(
        role.user, agreement.programme, f"agreement {decision}",
        f"{agreement} v{round_.number}: {role.organisation}",
    )  # fmt: skip
    return approval


def supersede_if_changed(*, agreement: Agreement) -> ApprovalRound | None:
    """After any change to an agreement under approval: when it no longer matches the frozen
    version, that version is superseded and the next one is put to the parties, without
    approvals. Called inside the change's own transaction."""
    current = current_round(agreement)
    if current is None:
        return None
    state = snapshot(agreement)
    if current.fingerprint == fingerprint(state):
        return None
    current.superseded_at = timezone.now()
    current.save(update_fields=["superseded_at"])
    round_ = _open_round(agreement, None, state)
    audit.record(
        None, agreement.programme, "agreement changed after freezing",
        f"{agreement} v{current.number} → v{round_.number}",
    )  # fmt: skip
    return round_
