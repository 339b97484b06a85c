"""The regioplan as data: themes, goals with a measurable target, actions, milestones, roles.

Every check that keeps a plan sound sits in ``clean()``, so the pages, the API and the
programme import refuse the same bad input with the same message, naming the field.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenspel.analytics.plan.progress import Direction
from samenspel.web.core import choices as c
from samenspel.web.core.approvals import FrozenVersion, PartyDecision
from samenspel.web.core.models import (
    Group,
    Initiative,
    Organisation,
    Person,
    Programme,
    ProgrammeScoped,
)
from samenspel.web.finance.models import Intervention

from .figures import latest_figures
from .labels import indicator_choices

PLAN_GROUP_KINDS = (c.GroupKind.STEERING, c.GroupKind.WORKING, c.GroupKind.PROJECT)
"""The groups that can be responsible for an action."""

_YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class Theme(ProgrammeScoped):
    """A theme of the plan, e.g. "ouderen langer thuis"."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="plan_themes", verbose_name=_("programme")
    )

    class Meta:
        ordering = ["programme", "id"]
        verbose_name = _("plan theme")
        verbose_name_plural = _("plan themes")

    def __str__(self) -> str:
        return self.title


class DirectionChoice(models.TextChoices):
    UP = Direction.UP.value, _("higher is better")
    DOWN = Direction.DOWN.value, _("lower is better")


class Goal(ProgrammeScoped):
    """A measurable goal: a target on a regiobeeld indicator or on an indicator of its own."""

    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="goals", verbose_name=_("theme")
    )
    title = models.CharField(_("title"), max_length=300)
    indicator = models.CharField(
        _("indicator from the data"),
        max_length=64,
        blank=True,
        choices=indicator_choices,
        help_text=_(
            "A regiobeeld or open-data figure; leave empty for an indicator of your own, with "
            "figures you enter."
        ),
    )
    own_indicator = models.CharField(
        _("own indicator"),
        max_length=200,
        blank=True,
        help_text=_("Its name and unit, e.g. 'clients with a care plan (%)'."),
    )
    own_source = models.CharField(
        _("source of the own indicator"), max_length=300, blank=True
    )
    direction = models.CharField(_("direction"), max_length=8, choices=DirectionChoice.choices)
    baseline_year = models.PositiveIntegerField(_("baseline year"), validators=_YEAR)
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Leave empty on a regiobeeld or open-data indicator to take the figure of the "
            "baseline year from the data."
        ),
    )
    baseline_source = models.CharField(
        _("baseline taken from"), max_length=200, blank=True, editable=False
    )
    target_year = models.PositiveIntegerField(_("target year"), validators=_YEAR)
    target_value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="plan_goals", verbose_name=_("programme")
    )

    class Meta:
        ordering = ["programme", "theme", "id"]
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if bool(self.indicator) == bool(self.own_indicator.strip()):
            errors["indicator"] = str(
                _("Choose a regiobeeld indicator or name an indicator of your own (one of them).")
            )
        if self.baseline_year and self.target_year and self.target_year <= self.baseline_year:
            errors["target_year"] = str(_("The target year must come after the baseline year."))
        if not errors and self.baseline_value is None:
            self._take_baseline(errors)
        if (
            not errors
            and self.baseline_value is not None
            and self.target_value is not None
            and not _improves(self.direction, self.baseline_value, self.target_value)
        ):
            errors["target_value"] = str(
                _("The target must be better than the baseline in the goal's direction.")
            )
        if errors:
            raise ValidationError(errors)

    def _take_baseline(self, errors: dict[str, str]) -> None:
        """Fill an empty baseline from the figures of its indicator, or say why not."""
        if not self.indicator:
            errors["baseline_value"] = str(_("An own indicator needs a baseline value."))
            return
        source, figures = latest_figures(self.programme_id, self.indicator)
        found = next((f for f in figures if f.year == self.baseline_year), None)
        if found is None or found.value is None:
            errors["baseline_value"] = str(
                _("The figures have no shown value for %(year)s: enter the baseline value.")
                % {"year": self.baseline_year}
            )
            return
        self.baseline_value = Decimal(str(round(found.value, 2)))
        self.baseline_source = source[:200]


def _improves(direction: str, baseline: Decimal, target: Decimal) -> bool:
    return target > baseline if direction == Direction.UP else target < baseline


class Measurement(ProgrammeScoped):
    """A figure of an own indicator in one year, with its interval when the source gives one."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("goal")
    )
    year = models.PositiveIntegerField(_("year"), validators=_YEAR)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    low = models.DecimalField(
        _("interval, low"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    high = models.DecimalField(
        _("interval, high"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="plan_measurements",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["programme", "goal", "year"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "year"], name="one_measurement_per_goal_year")
        ]
        verbose_name = _("goal figure")
        verbose_name_plural = _("goal figures")

    def __str__(self) -> str:
        return f"{self.goal} {self.year}: {self.value}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        goal = Goal.objects.filter(pk=self.goal_id).first() if self.goal_id else None
        if goal is not None and goal.indicator:
            errors["goal"] = str(
                _("This goal's figures come from the regiobeeld; enter figures for own indicators.")
            )
        if (self.low is None) != (self.high is None):
            errors["high" if self.high is None else "low"] = str(
                _("Give both ends of the interval, or neither.")
            )
        elif (
            self.low is not None
            and self.high is not None
            and self.value is not None
            and not self.low <= self.value <= self.high
        ):
            errors["low"] = str(_("The interval must contain the value."))
        if errors:
            raise ValidationError(errors)


class Action(ProgrammeScoped):
    """What the partners do towards a goal: who owns it, who works on it, what pays for it."""

    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, related_name="actions", verbose_name=_("goal")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="plan_actions",
        verbose_name=_("owner organisation"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("responsible group"),
        limit_choices_to={"kind__in": PLAN_GROUP_KINDS},
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="plan_actions", verbose_name=_("people involved")
    )
    interventions = models.ManyToManyField(
        Intervention,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("paid through interventions"),
        help_text=_("The agreement's interventions whose money lines pay for this action."),
    )
    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("grew from initiative"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    comment = models.TextField(_("latest status comment"), blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="plan_actions",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["programme", "goal", "start_date", "id"]
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = str(_("The end date cannot come before the start date."))
        if self.group_id:
            kind = Group.objects.filter(pk=self.group_id).values_list("kind", flat=True).first()
            if kind is not None and kind not in PLAN_GROUP_KINDS:
                errors["group"] = str(
                    _("Choose a steering group, working group or project group.")
                )
        if errors:
            raise ValidationError(errors)


class Milestone(ProgrammeScoped):
    """A dated step of an action; the owner's members mark it done with a comment."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("action")
    )
    title = models.CharField(_("title"), max_length=300)
    due = models.DateField(_("due date"))
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="plan_milestones",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["programme", "due", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        action = Action.objects.filter(pk=self.action_id).first() if self.action_id else None
        if action is not None and self.due and self.due < action.start_date:
            raise ValidationError(
                {
                    "due": _("A milestone cannot fall before its action starts (%(date)s).")
                    % {"date": action.start_date.isoformat()}
                }
            )


class Raci(models.TextChoices):
    RESPONSIBLE = "R", _("Responsible")
    ACCOUNTABLE = "A", _("Accountable")
    CONSULTED = "C", _("Consulted")
    INFORMED = "I", _("Informed")


class Responsibility(ProgrammeScoped):
    """An organisation's part in an action (the owner is accountable unless stated)."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("action")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="plan_responsibilities",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=1, choices=Raci.choices)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="plan_responsibilities",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["programme", "action", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "organisation"], name="one_role_per_organisation_per_action"
            )
        ]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.role}"


class PlanVersion(FrozenVersion, ProgrammeScoped):
    """One frozen version of the plan, put to the parties for approval.

    The ``fingerprint`` covers what the parties commit to (themes, goals, actions, owners,
    groups, money links, milestone dates, roles), not the progress reported on it, so a
    milestone marked done does not void an approval; any change to the plan itself does.
    """

    parties = models.ManyToManyField(
        Organisation, related_name="plan_versions", verbose_name=_("parties")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="plan_versions",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="plan_version_unique")
        ]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")

    def __str__(self) -> str:
        return f"{self.programme} v{self.number}"

    VERSION_OF = "programme"

    def subject(self) -> str:
        return f"regioplan of {self.programme.name}"


class PlanApproval(PartyDecision):
    """One party's decision on one frozen version of the plan, by its authorised representative."""

    version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("version")
    )

    class Meta:
        ordering = ["version", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organisation"], name="one_plan_decision_per_party"
            )
        ]
        verbose_name = _("plan approval")
        verbose_name_plural = _("plan approvals")

