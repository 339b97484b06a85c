"""Writes for survey waves: open, invite, answer, close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.analytics.network import MIN_RESPONDENTS
from samenspel.web.core.accounts import audit
from samenspel.web.core.accounts.access import PermissionDeniedError, is_director
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.models import Organisation, Person
from samenspel.web.core.versions import bump

from .models import (
    ITEM_FIELDS,
    Frequency,
    Invitation,
    OrganisationRating,
    Rating,
    SurveyWave,
    Unit,
)
from .selectors import person_fields, question_texts, rated_organisations
from .tasks import enqueue_mail


def _require_director(role: ProgrammeRole) -> None:
    if not is_director(role):
        raise PermissionDeniedError("Only the programme director manages survey waves.")


@transaction.atomic
def open_wave(
    *,
    role: ProgrammeRole,
    name: str,
    opened_on: dt.date | None = None,
    min_respondents: int = MIN_RESPONDENTS,
    named_ties: bool = False,
    unit: str = Unit.PERSON,
) -> SurveyWave:
    """Open a wave and invite every person of the programme.

    ``named_ties``: the programme director may see who named whom; the survey says so.
    """
    _require_director(role)
    wave = SurveyWave(
        programme_id=role.programme_id,
        name=name.strip(),
        opened_on=opened_on or timezone.localdate(),
        min_respondents=min_respondents,
        named_ties=named_ties,
        unit=unit,
    )
    wave.full_clean()
    wave.save()
    invite_missing(role=role, wave=wave)
    audit.record(role.user, wave.programme, "survey wave opened", _described(wave))
    return wave


def _described(wave: SurveyWave) -> str:
    named = ", who named whom shown to the director" if wave.named_ties else ""
    return f"wave {wave.pk} {wave.name} (minimum {wave.min_respondents}{named})"


@transaction.atomic
def invite_missing(*, role: ProgrammeRole, wave: SurveyWave) -> int:
    """Invite the people added to the programme since the wave opened; returns how many."""
    _require_director(role)
    if wave.is_closed:
        raise ValidationError(_("This wave is closed."))
    invited = set(wave.invitations.values_list("person_id", flat=True))
    new = [
        Invitation(programme_id=wave.programme_id, wave=wave, person=p)
        for p in Person.objects.filter(programme_id=wave.programme_id).exclude(pk__in=invited)
    ]
    Invitation.objects.bulk_create(new)
    bump(wave.programme_id)
    return len(new)


@transaction.atomic
def close_wave(*, role: ProgrammeRole, wave: SurveyWave) -> None:
    """Freeze the wave: no answers change after this, and its figures are published.

    The wave's row is locked first, so an answer being submitted either lands before the
    close or is refused after it; the published figures rest on one fixed set of answers.
    """
    _require_director(role)
    locked = SurveyWave.objects.select_for_update().get(pk=wave.pk)
    if not locked.is_closed:
        locked.closed_at = wave.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        bump(locked.programme_id)
        audit.record(role.user, locked.programme, "survey wave closed", _described(locked))


@transaction.atomic
def show_first(*, role: ProgrammeRole, wave: SurveyWave) -> None:
    """Make ``wave`` (closed) the one the programme's pages show unless asked otherwise."""
    _require_director(role)
    if not wave.is_closed:
        raise ValidationError(
            _("Only a closed wave can be shown first: an open wave has no figures yet.")
        )
    SurveyWave.objects.filter(programme_id=wave.programme_id).exclude(pk=wave.pk).update(
        shown_first=False
    )
    wave.shown_first = True
    wave.save(update_fields=["shown_first"])
    bump(wave.programme_id)
    audit.record(role.user, wave.programme, "survey wave shown first", _described(wave))


def _label(field: str) -> str:
    return question_texts()[field]


class AnswerError(ValidationError):
    """Some answers are incomplete or invalid; ``problems`` names each person and question."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems)


def _valid(field: str, value: str) -> bool:
    if field == "frequency":
        return value in Frequency.values
    if not value.isdigit():
        return False
    top = 5 if field == "collaboration" else 4
    return 1 <= int(value) <= top


def _check_values(
    name: str, values: Mapping[str, Any], fields: tuple[str, ...], problems: list[str]
) -> dict[str, str]:
    """The answered fields of one card as strings; a value out of range is a problem."""
    kept: dict[str, str] = {}
    for field in fields:
        value = str(values.get(field) or "").strip()
        if not value:
            continue
        if _valid(field, value):
            kept[field] = value
        else:
            problems.append(
                _("%(person)s: %(question)s – choose one of the answers given.")
                % {"person": name, "question": _label(field)}
            )
    return kept


def _locked_invitation(invitation: Invitation) -> Invitation:
    """The invitation, locked for this transaction; refuses a closed wave or a submitted survey."""
    wave = SurveyWave.objects.select_for_update().get(pk=invitation.wave_id)
    current = Invitation.objects.select_for_update().select_related("person").get(pk=invitation.pk)
    if wave.is_closed:
        raise ValidationError(_("This survey wave is closed; answers can no longer change."))
    if current.submitted_at is not None:
        raise ValidationError(_("You have already submitted your answers."))
    current.wave = wave
    return cast("Invitation", current)


@transaction.atomic
def save_draft(
    *,
    invitation: Invitation,
    chosen: list[int] | None = None,
    nobody: bool = False,
    people: Mapping[int, Mapping[str, Any]] | None = None,
    organisations: Mapping[int, Mapping[str, Any]] | None = None,
) -> Invitation:
    """Save the respondent's answers so far, to continue later; they count for nothing until
    submitted. ``chosen`` replaces the people chosen (None keeps them); answers merge in.

    All or nothing: an unknown person or organisation, or an answer outside the scale, raises
    AnswerError naming it, and nothing is saved.
    """
    current = _locked_invitation(invitation)
    wave = current.wave
    known = dict(
        Person.objects.filter(programme_id=current.programme_id)
        .exclude(pk=current.person_id)
        .values_list("pk", "name")
    )
    draft = dict(current.draft or {})
    problems: list[str] = []
    if chosen is not None:
        unknown = [pk for pk in chosen if pk not in known]
        problems += [_("Unknown person (id %(id)s).") % {"id": pk} for pk in unknown]
        draft["chosen"] = [pk for pk in dict.fromkeys(chosen) if pk in known]
        draft["nobody"] = bool(nobody) and not draft["chosen"]
    answers = {int(k): v for k, v in draft.get("people", {}).items()}
    for pk, values in (people or {}).items():
        if pk not in known:
            problems.append(_("Unknown person (id %(id)s).") % {"id": pk})
            continue
        fields = person_fields(wave)
        answers[pk] = {**answers.get(pk, {}), **_check_values(known[pk], values, fields, problems)}
    org_answers = {int(k): v for k, v in draft.get("organisations", {}).items()}
    org_names = dict(
        Organisation.objects.filter(programme_id=current.programme_id).values_list("pk", "name")
    )
    for pk, values in (organisations or {}).items():
        if pk not in org_names or wave.unit != Unit.ORGANISATION:
            problems.append(_("Unknown organisation (id %(id)s).") % {"id": pk})
            continue
        checked = _check_values(org_names[pk], values, ITEM_FIELDS, problems)
        org_answers[pk] = {**org_answers.get(pk, {}), **checked}
    if problems:
        raise AnswerError(problems)
    draft["people"] = {str(k): v for k, v in answers.items()}
    draft["organisations"] = {str(k): v for k, v in org_answers.items()}
    current.draft = draft
    current.saved_at = timezone.now()
    current.save(update_fields=["draft", "saved_at"])
    return current


def _missing(name: str, values: Mapping[str, str], fields: tuple[str, ...]) -> str | None:
    missing = [f for f in fields if f not in values]
    if not missing:
        return None
    labels = "”, “".join(_label(f) for f in missing)
    return _("%(person)s: please answer “%(questions)s”.") % {"person": name, "questions": labels}


@transaction.atomic
def submit(*, invitation: Invitation) -> int:
    """Submit the saved answers: every chosen person (and organisation) fully answered, or
    AnswerError names each gap and nothing is stored. Returns the number of people named."""
    current = _locked_invitation(invitation)
    draft = current.draft or {}
    chosen: list[int] = draft.get("chosen", [])
    if not chosen and not draft.get("nobody"):
        raise AnswerError(
            [_("Choose the people you work with, or say that you work with nobody here yet.")]
        )
    people = {
        p.pk: p
        for p in Person.objects.filter(programme_id=current.programme_id, pk__in=chosen)
    }
    chosen = [pk for pk in chosen if pk in people]  # someone removed since is left out
    fields = person_fields(current.wave)
    answers = draft.get("people", {})
    problems = [
        problem
        for pk in chosen
        if (problem := _missing(people[pk].name, answers.get(str(pk), {}), fields))
    ]
    organisations = rated_organisations(current, chosen)
    org_answers = draft.get("organisations", {})
    problems += [
        problem
        for org in organisations
        if (problem := _missing(org.name, org_answers.get(str(org.pk), {}), ITEM_FIELDS))
    ]
    if problems:
        raise AnswerError(problems)
    current.ratings.all().delete()
    current.organisation_ratings.all().delete()
    Rating.objects.bulk_create(
        Rating(
            programme_id=current.programme_id,
            invitation=current,
            alter=people[pk],
            **{f: answers[str(pk)][f] for f in fields},
        )
        for pk in chosen
    )
    OrganisationRating.objects.bulk_create(
        OrganisationRating(
            programme_id=current.programme_id,
            invitation=current,
            organisation=org,
            **{f: org_answers[str(org.pk)][f] for f in ITEM_FIELDS},
        )
        for org in organisations
    )
    current.submitted_at = current.saved_at = timezone.now()
    current.save(update_fields=["saved_at", "submitted_at"])
    bump(current.programme_id)
    return len(chosen)


def save_answers(
    *, invitation: Invitation, answers: Mapping[int, Mapping[str, Any]], submit_now: bool
) -> int:
    """Choose exactly the people in ``answers`` with their answers, save, and submit when
    ``submit_now`` (the one-form survey of the API and of scripts)."""
    with transaction.atomic():
        save_draft(invitation=invitation, chosen=list(answers), people=answers)
        return submit(invitation=invitation) if submit_now else len(answers)


def opt_out(*, invitation: Invitation) -> None:
    """No more mail about this wave to the person behind the link."""
    Invitation.objects.filter(pk=invitation.pk, opted_out_at__isnull=True).update(
        opted_out_at=timezone.now()
    )


@transaction.atomic
def schedule_mail(
    *, role: ProgrammeRole, wave: SurveyWave, send_at: dt.datetime | None = None
) -> SurveyWave:
    """Send the wave's invitations now, or at ``send_at``; reminders follow by themselves."""
    if not is_director(role):
        raise PermissionDeniedError("Only the programme director sends survey mail.")
    if wave.is_closed:
        raise ValidationError(_("This wave is closed."))
    when = send_at or timezone.now()
    wave.send_at = when
    wave.save(update_fields=["send_at"])
    # failed addresses are tried again once the regisseur sends again (after correcting them)
    wave.invitations.filter(sent_at__isnull=True).update(mail_error="")
    transaction.on_commit(lambda: enqueue_mail(wave.pk, when))
    return wave
