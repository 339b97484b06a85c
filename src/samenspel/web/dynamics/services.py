"""Writes for survey waves: open, invite, answer, close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samenspel.analytics.network import MIN_RESPONDENTS
from samenspel.web.core.accounts.access import PermissionDeniedError, is_director
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.models import Person
from samenspel.web.core.versions import bump

from .models import TRUST_ITEMS, VALUE_ITEMS, Invitation, Rating, SurveyWave

ANSWER_FIELDS = ("frequency", "collaboration", *TRUST_ITEMS, *VALUE_ITEMS)


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
    )
    wave.full_clean()
    wave.save()
    invite_missing(role=role, wave=wave)
    return wave


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


def close_wave(*, role: ProgrammeRole, wave: SurveyWave) -> None:
    """Freeze the wave: no answers change after this."""
    _require_director(role)
    if not wave.is_closed:
        wave.closed_at = timezone.now()
        wave.save(update_fields=["closed_at"])


def _label(field: str) -> str:
    return str(getattr(Rating._meta.get_field(field), "verbose_name", field))


class AnswerError(ValidationError):
    """Some answers are incomplete or invalid; ``problems`` names each person and question."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(problems)


@transaction.atomic
def save_answers(
    invitation: Invitation, answers: Mapping[int, Mapping[str, Any]], *, submit: bool
) -> int:
    """Replace the respondent's answers (alter person id → answers); all or nothing.

    Raises AnswerError naming every incomplete or invalid answer, and ValidationError when the
    wave is closed or the answers were already submitted.
    """
    wave = SurveyWave.objects.select_for_update().get(pk=invitation.wave_id)
    if wave.is_closed:
        raise ValidationError(_("This survey wave is closed; answers can no longer change."))
    if invitation.submitted_at is not None:
        raise ValidationError(_("You have already submitted your answers."))
    people = {p.pk: p for p in Person.objects.filter(programme_id=invitation.programme_id)}
    problems: list[str] = []
    ratings: list[Rating] = []
    for alter_id, values in answers.items():
        alter = people.get(alter_id)
        if alter is None or alter_id == invitation.person_id:
            problems.append(_("Unknown person (id %(id)s).") % {"id": alter_id})
            continue
        missing = [f for f in ANSWER_FIELDS if values.get(f) in (None, "")]
        if missing:
            labels = ", ".join(_label(f) for f in missing)
            problems.append(
                _("%(person)s: answer %(questions)s.") % {"person": alter.name, "questions": labels}
            )
            continue
        rating = Rating(
            programme_id=invitation.programme_id,
            invitation=invitation,
            alter=alter,
            **{f: values[f] for f in ANSWER_FIELDS},
        )
        try:
            rating.full_clean(exclude=["invitation", "programme"])
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                label = _label(field) if field != "__all__" else ""
                problems.append(f"{alter.name}: {label} – {' '.join(messages)}")
            continue
        ratings.append(rating)
    if problems:
        raise AnswerError(problems)
    invitation.ratings.all().delete()
    Rating.objects.bulk_create(ratings)
    bump(invitation.programme_id)
    invitation.saved_at = timezone.now()
    if submit:
        invitation.submitted_at = invitation.saved_at
    invitation.save(update_fields=["saved_at", "submitted_at"])
    return len(ratings)
