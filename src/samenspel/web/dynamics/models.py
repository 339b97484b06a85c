"""Survey waves, personal invitations and the ratings respondents give.

Ratings are confidential: no page, export or API shows one respondent's ratings; only
aggregates with at least the wave's minimum number of respondents are shown.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenspel.analytics.network import MIN_RESPONDENTS
from samenspel.web.core.models import Person, Programme, ProgrammeScoped


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


class SurveyWave(ProgrammeScoped):
    name = models.CharField(_("name"), max_length=200)
    opened_on = models.DateField(_("opened on"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
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
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="invitations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["wave", "person"], name="one_invitation_per_wave")
        ]
        ordering = ["wave", "person__name"]

    def __str__(self) -> str:
        return f"{self.person} – {self.wave}"


class Rating(ProgrammeScoped):
    """How a respondent rates working with one other person in the programme."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="ratings")
    alter = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ratings_received")
    frequency = models.CharField(_("contact"), max_length=16, choices=Frequency.choices)
    collaboration = models.PositiveSmallIntegerField(
        _("level of collaboration"), choices=Collaboration.choices
    )
    trust_reliability = models.PositiveSmallIntegerField(_("reliable"), validators=ITEM_VALIDATORS)
    trust_mission = models.PositiveSmallIntegerField(
        _("supports the shared mission"), validators=ITEM_VALIDATORS
    )
    trust_openness = models.PositiveSmallIntegerField(
        _("open to discussion"), validators=ITEM_VALIDATORS
    )
    value_influence = models.PositiveSmallIntegerField(_("influence"), validators=ITEM_VALIDATORS)
    value_involvement = models.PositiveSmallIntegerField(
        _("involvement"), validators=ITEM_VALIDATORS
    )
    value_resources = models.PositiveSmallIntegerField(
        _("contributes resources"), validators=ITEM_VALIDATORS
    )
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
