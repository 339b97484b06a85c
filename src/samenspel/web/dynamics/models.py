"""Survey waves, personal invitations and the ratings respondents give.

Ratings are confidential: no page, export or API shows one respondent's ratings; only
aggregates with at least the wave's minimum number of respondents are shown.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenspel.analytics.network import MIN_RESPONDENTS
from samenspel.web.core.models import Organisation, Person, Programme, ProgrammeScoped


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Every few months")
    YEARLY = "yearly", _("Once a year or less")


class Collaboration(models.IntegerChoices):
    AWARENESS = 1, _("Awareness")
    INFORMATION = 2, _("Sharing information")
    COOPERATION = 3, _("Cooperation")
    COORDINATION = 4, _("Coordination")
    INTEGRATION = 5, _("Integration")


ITEM_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]
TRUST_ITEMS = ("trust_reliability", "trust_mission", "trust_openness")
VALUE_ITEMS = ("value_influence", "value_involvement", "value_resources")
ITEM_FIELDS = (*TRUST_ITEMS, *VALUE_ITEMS)
ANSWER_FIELDS = ("frequency", "collaboration", *ITEM_FIELDS)


def _item(label: Any, *, optional: bool = False) -> models.PositiveSmallIntegerField[Any, Any]:
    """One trust or value item on the 1–4 scale; optional where a wave asks it per organisation."""
    return models.PositiveSmallIntegerField(
        label, validators=ITEM_VALIDATORS, null=optional, blank=optional
    )


class Unit(models.TextChoices):
    """What respondents rate for trust and value: each person, or each organisation (PARTNER)."""

    PERSON = "person", _("Each person")
    ORGANISATION = "organisation", _("Each organisation")


class SurveyWave(ProgrammeScoped):
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(
        _("trust and value are asked about"),
        max_length=16,
        choices=Unit.choices,
        default=Unit.PERSON,
        help_text=_(
            "Per organisation asks each respondent once about every organisation of the people "
            "they work with, as PARTNER does; contact and collaboration stay per person."
        ),
    )
    opened_on = models.DateField(_("opened on"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    shown_first = models.BooleanField(
        _("shown first"),
        default=False,
        help_text=_("The closed wave that dashboards, the explorer and reports show unless asked."),
    )
    min_respondents = models.PositiveSmallIntegerField(
        _("minimum respondents for a score"),
        default=MIN_RESPONDENTS,
        validators=[MinValueValidator(MIN_RESPONDENTS), MaxValueValidator(1000)],
        help_text=_(
            "Trust and value scores, and the network, are shown only when at least this many "
            "people answered (3 or more)."
        ),
    )
    named_ties = models.BooleanField(
        _("the programme director sees who named whom"),
        default=False,
        help_text=_(
            "Said to respondents on the survey's first page. Without it, everyone (the programme "
            "director too) sees the network only per organisation."
        ),
    )
    # Invitations and reminders by e-mail; an empty subject or text uses the standard one.
    subject_nl = models.CharField(_("subject (Dutch)"), max_length=200, blank=True)
    body_nl = models.TextField(_("text (Dutch)"), blank=True)
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    send_at = models.DateTimeField(_("send invitations at"), null=True, blank=True)
    reminder_days = models.PositiveSmallIntegerField(
        _("remind after (days)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_("0: no reminders. Reminders go only to people who have not submitted."),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="survey_waves",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["programme", "opened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_respondents__gte=MIN_RESPONDENTS),
                name="wave_min_respondents_at_least_3",
            )
        ]
        verbose_name = _("survey wave")
        verbose_name_plural = _("survey waves")

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(ProgrammeScoped):
    """A person's personal link to one wave; no account is needed to answer."""

    wave = models.ForeignKey(SurveyWave, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Answers saved to continue later; they count for nothing until submitted.
    draft = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    opted_out_at = models.DateTimeField(null=True, blank=True)
    # why the last mail failed: no_address, invalid, refused, unreachable or not_accepted
    mail_error = models.CharField(max_length=16, blank=True)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "person"], name="one_invitation_per_wave")
        ]
        ordering = ["wave", "person__name"]

    def __str__(self) -> str:
        return f"{self.person} – {self.wave}"


class Rating(ProgrammeScoped):
    """How a respondent rates working with one other person in the programme (trust and value
    stay empty in a wave per organisation)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="ratings")
    alter = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ratings_received")
    frequency = models.CharField(_("contact"), max_length=16, choices=Frequency.choices)
    collaboration = models.PositiveSmallIntegerField(
        _("level of collaboration"), choices=Collaboration.choices
    )
    trust_reliability = _item(_("reliable"), optional=True)
    trust_mission = _item(_("supports the shared mission"), optional=True)
    trust_openness = _item(_("open to discussion"), optional=True)
    value_influence = _item(_("influence"), optional=True)
    value_involvement = _item(_("involvement"), optional=True)
    value_resources = _item(_("contributes resources"), optional=True)
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="ratings")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "alter"], name="one_rating_per_alter")
        ]

    def clean(self) -> None:
        super().clean()
        if (
            self.invitation_id is not None
            and self.alter_id is not None
            and self.invitation.person_id == self.alter_id
        ):
            raise ValidationError({"alter": _("Respondents do not rate themselves.")})


class OrganisationRating(ProgrammeScoped):
    """In a wave per organisation: how a respondent rates trust in and value of one organisation."""

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="organisation_ratings"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="ratings_received"
    )
    trust_reliability = _item(_("reliable"))
    trust_mission = _item(_("supports the shared mission"))
    trust_openness = _item(_("open to discussion"))
    value_influence = _item(_("influence"))
    value_involvement = _item(_("involvement"))
    value_resources = _item(_("contributes resources"))
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="organisation_ratings"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "organisation"], name="one_rating_per_organisation"
            )
        ]
