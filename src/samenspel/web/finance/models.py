"""An agreement: who does which care task, which interventions, who pays and who saves."""

from __future__ import annotations

import copy
import math
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samenspel.analytics.business_case.shared_savings import (
    GROWTH_BENDING,
    LOSS_TERMS,
    LUMP_SUM,
    SHARED_SAVINGS,
)
from samenspel.web.core.approvals import FrozenVersion, PartyDecision
from samenspel.web.core.models import Organisation, Programme, ProgrammeScoped
from samenspel.web.core.numbers import calendar_years, shown_as_percent


class Stream(models.TextChoices):
    ZVW = "Zvw", _("Zvw (health insurer)")
    WLZ = "Wlz", _("Wlz (long-term-care office)")
    WMO = "Wmo", _("Wmo (municipality)")
    JEUGDWET = "Jeugdwet", _("Youth Act (municipality)")
    WPG = "Wpg", _("Public Health Act (Wpg)")
    SUBSIDY = "subsidy", _("Subsidy")
    OWN_FUNDS = "own_funds", _("Own funds")
    OTHER = "other", _("Other")


RULE_CHOICES = [
    ("proportional_investment", _("Proportional to investment")),
    ("proportional_savings", _("Proportional to savings")),
    ("equal", _("Equal split")),
    ("shapley", _("Shapley value")),
    ("nucleolus", _("Nucleolus")),
]
"""The allocation rules (the analytics core's RULES), with their labels."""


class LineKind(models.TextChoices):
    COST = "cost", _("Cost")
    SAVING = "saving", _("Saving")
    REVENUE = "revenue", _("New revenue")
    LOST_REVENUE = "lost_revenue", _("Lost revenue")


def parse_years(text: str, horizon: int) -> tuple[int, ...]:
    """'all' (every year) or year numbers such as '1' or '2, 3, 4' within 1..horizon."""
    cleaned = text.strip().lower()
    if cleaned in ("all", "alle", ""):
        return tuple(range(1, horizon + 1))
    try:
        years = sorted({int(part) for part in cleaned.replace(";", ",").split(",") if part.strip()})
    except ValueError as exc:
        raise ValidationError(_("Write 'all' or year numbers such as 1 or 2, 3, 4.")) from exc
    bad = [y for y in years if not 1 <= y <= horizon]
    if bad or not years:
        raise ValidationError(_("Year numbers run from 1 to %(horizon)d.") % {"horizon": horizon})
    return tuple(years)


def _fraction(label: Any, help_text: Any, **options: Any) -> models.DecimalField[Any, Any]:
    """A contract term given as a fraction from 0 to 1 (0.02 is 2%), shown as a percentage."""
    field: models.DecimalField[Any, Any] = shown_as_percent(
        models.DecimalField(
            label,
            max_digits=5,
            decimal_places=4,
            help_text=help_text,
            **{
                "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
                **options,
            },
        )
    )
    return field


class Agreement(ProgrammeScoped):
    """A multi-year agreement (baseline or scenario) between the partners of a programme."""

    name = models.CharField(_("name"), max_length=200)
    scenario = models.CharField(
        _("scenario"),
        max_length=100,
        default="baseline",
        help_text=_("'baseline' or the name of a scenario."),
    )
    description = models.TextField(_("description"), blank=True)
    start_year = models.PositiveIntegerField(
        _("first year"), default=2026, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    horizon = models.PositiveIntegerField(
        _("horizon (years)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    discount_rate = shown_as_percent(
        models.DecimalField(
            _("discount rate"),
            max_digits=6,
            decimal_places=4,
            default=Decimal("0.0225"),
            validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("0.5"))],
            help_text=_("As a fraction: 0.0225 is the Dutch MKBA standard of 2.25%."),
        )
    )
    amount_unit = models.CharField(
        _("amounts in"),
        max_length=10,
        choices=[("euro", _("euros")), ("thousand", _("thousands of euros"))],
        default="euro",
        help_text=_("How this agreement's amounts are entered; every page and export says so."),
    )
    settlement_rule = models.CharField(
        _("division rule for shared savings"),
        max_length=32,
        choices=RULE_CHOICES,
        default="shapley",
        help_text=_("Realised shared savings are divided in proportion to this rule's shares."),
    )
    minimum_savings_rate = _fraction(
        _("minimum savings rate"),
        _("Savings below this fraction of the benchmark are not shared (0.02 is 2%)."),
        default=Decimal("0.02"),
    )
    sharing_rate = _fraction(
        _("sharing rate"),
        _("The fraction of realised savings that goes to the parties."),
        default=Decimal("0.5"),
    )
    cap_rate = _fraction(
        _("cap"),
        _("The shared amount is at most this fraction of the benchmark."),
        default=Decimal("0.1"),
    )
    two_sided = models.BooleanField(
        _("losses are shared too"),
        default=False,
        help_text=_("Two-sided: in a loss year beyond the minimum rate the parties pay back."),
    )
    # A two-sided contract's own loss terms (MSSP: minimum loss rate, shared loss rate, loss
    # sharing limit); empty, losses follow the savings terms.
    loss_sharing_rate = _fraction(
        _("loss-sharing rate"),
        _(
            "Two-sided only: the fraction of a loss the providers pay back (for example 0.4 "
            "to 0.75). Empty: the sharing rate."
        ),
        null=True,
        blank=True,
    )
    minimum_loss_rate = _fraction(
        _("minimum loss rate"),
        _(
            "Two-sided only: losses below this fraction of the benchmark are not shared. "
            "Empty: the minimum savings rate."
        ),
        null=True,
        blank=True,
    )
    loss_cap_rate = _fraction(
        _("loss cap"),
        _(
            "Two-sided only: the providers pay back at most this fraction of the benchmark. "
            "Empty: the cap."
        ),
        null=True,
        blank=True,
    )
    contract_type = models.CharField(
        _("contract type"),
        max_length=20,
        choices=[
            (SHARED_SAVINGS, _("shared savings")),
            (GROWTH_BENDING, _("growth bending")),
            (LUMP_SUM, _("lump sum")),
        ],
        default=SHARED_SAVINGS,
        help_text=_(
            "Shared savings against the benchmark; growth bending against a target that grows "
            "at the agreed rate (always two-sided); or a lump sum per year, whose whole "
            "difference with the cost the providers keep or bear."
        ),
    )
    agreed_growth_rate = models.DecimalField(
        _("agreed growth"),
        max_digits=6,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-0.4999")), MaxValueValidator(Decimal("0.9999"))],
        help_text=_("Growth bending only: the agreed annual growth of the cost per person."),
    )
    msr_by_size = models.BooleanField(
        _("minimum savings rate by population size"),
        default=False,
        help_text=_(
            "Instead of the rate above: CMS's table for one-sided contracts, from 12.2% below "
            "500 persons to 2% from 60,000, by the persons of each year."
        ),
    )
    msr_confidence = _fraction(
        _("minimum savings rate from a confidence interval"),
        _(
            "Instead of the rate above: the half-width of this confidence interval of the "
            "benchmark (0.9 is 90%), from the spread of each year's cost per person. Empty: not."
        ),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("0.9999"))],
    )
    truncate_costs = models.BooleanField(
        _("truncate costs at the 99th percentile"),
        default=False,
        help_text=_(
            "Each person's cost counts up to the 99th percentile of the year, so one "
            "catastrophic claim does not decide the settlement. Needs person-level data: the "
            "figures then come from the regiobeeld."
        ),
    )
    quality_indicators = models.TextField(
        _("quality indicators"),
        blank=True,
        help_text=_(
            "One per line: the indicators whose score scales the sharing rate each year. "
            "Empty: no quality gate."
        ),
    )
    insurer_share = _fraction(
        _("insurer's share of the insured"),
        _(
            "In a Zvw year of the whole population: the contracting insurer's share of the "
            "insured, which it settles (1 when the figures are its own insured only)."
        ),
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("1"))],
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("programme")
    )

    LOSS_TERMS = LOSS_TERMS

    @property
    def quality_indicator_list(self) -> tuple[str, ...]:
        """The quality indicators, one per line, without blanks."""
        return tuple(
            line.strip() for line in (self.quality_indicators or "").splitlines() if line.strip()
        )

    def clean(self) -> None:
        super().clean()
        given = [name for name in self.LOSS_TERMS if getattr(self, name) is not None]
        if given and not self.two_sided:
            raise ValidationError(
                {name: _("Only a two-sided contract has loss terms.") for name in given}
            )
        if given and self.loss_sharing_rate is None:
            raise ValidationError(
                {"loss_sharing_rate": _("Give the loss-sharing rate with the other loss terms.")}
            )
        bending = self.contract_type == GROWTH_BENDING
        if bending and self.agreed_growth_rate is None:
            raise ValidationError({"agreed_growth_rate": _("Give the agreed growth.")})
        if not bending and self.agreed_growth_rate is not None:
            raise ValidationError(
                {"agreed_growth_rate": _("Only a growth-bending contract has an agreed growth.")}
            )
        if self.msr_confidence is not None and self.msr_by_size:
            raise ValidationError(
                {"msr_confidence": _("Choose one: by population size or a confidence interval.")}
            )
        if self.pk:
            self._check_entered_years()

    def _check_entered_years(self) -> None:
        """Terms that realised years already entered would contradict: the first is refused,
        on its field."""
        conflicts = (
            ("contract_type", True, {"lump_sum__isnull": self.contract_type == LUMP_SUM},
             _("Realised years were entered for another contract type: change them first.")),
            ("msr_confidence", self.msr_confidence is not None,
             {"cost_sd_per_person__isnull": True},
             _("Realised years have no spread of the cost per person: give it first.")),
            ("truncate_costs", self.truncate_costs, {"truncated": False},
             _("Realised years hold untruncated costs: take them from the regiobeeld first.")),
            ("quality_indicators", not self.quality_indicator_list,
             {"quality_score__isnull": False},
             _("Realised years have a quality score: name the indicators it is on.")),
        )  # fmt: skip
        for field, applies, rows, message in conflicts:
            if applies and self.realised_years.filter(**rows).exists():
                raise ValidationError({field: message})

    class Meta:
        ordering = ["programme", "name", "scenario"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name", "scenario"], name="agreement_scenario_unique"
            )
        ]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.name if self.scenario == "baseline" else f"{self.name} ({self.scenario})"

    @property
    def scenario_label(self) -> str:
        """The scenario as the reader's language names it: "basis" for 'baseline' in Dutch;
        a scenario's own name as written."""
        return str(_("baseline")) if self.scenario == "baseline" else self.scenario

    @property
    def last_year(self) -> int:
        return int(self.start_year) + int(self.horizon) - 1


class CareTask(ProgrammeScoped):
    """Who does what: a care task, its target population and volume, and who performs it."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="care_tasks", verbose_name=_("agreement")
    )
    name = models.CharField(_("name"), max_length=200)
    target_population = models.CharField(_("target population"), max_length=300, blank=True)
    volume = models.PositiveIntegerField(_("volume per year"), default=0)
    unit = models.CharField(
        _("unit"), max_length=60, blank=True, help_text=_("e.g. clients, visits")
    )
    performer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="care_tasks",
        verbose_name=_("performed by"),
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="care_tasks", verbose_name=_("programme")
    )

    class Meta:
        ordering = ["agreement", "name"]
        verbose_name = _("care task")
        verbose_name_plural = _("care tasks")

    def __str__(self) -> str:
        return self.name


class Intervention(ProgrammeScoped):
    """An intervention that needs a set of partners and brings costs and savings per party."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="interventions",
        verbose_name=_("agreement"),
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    partners = models.ManyToManyField(
        Organisation,
        related_name="interventions",
        verbose_name=_("partners needed"),
        help_text=_("The intervention can only be carried out when all of these take part."),
    )
    uptake_linked = models.BooleanField(
        _("costs and savings move together"),
        default=False,
        help_text=_(
            "In the uncertainty analysis, all its amounts are high or low together, as when "
            "costs and savings both follow how many people take part (uptake)."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="interventions",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["agreement", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="intervention_name_unique")
        ]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self) -> str:
        return self.name


class MoneyLine(ProgrammeScoped):
    """A cost (who pays) or a saving or revenue (who receives, from which stream), per year."""

    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("intervention"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=LineKind.choices)
    party = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="money_lines", verbose_name=_("party")
    )
    stream = models.CharField(
        _("financing stream"), max_length=16, choices=Stream.choices, default=Stream.OTHER
    )
    low = models.DecimalField(
        _("low"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    likely = models.DecimalField(
        _("likely"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    high = models.DecimalField(
        _("high"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    years = models.CharField(
        _("years"),
        max_length=100,
        default="all",
        help_text=_(
            "'all' for every year (recurring), '1' for a one-off in the first year, or "
            "year numbers such as 2, 3, 4."
        ),
    )
    stream_reason = models.TextField(
        _("reason for an exception to the stream rules"),
        blank=True,
        help_text=_(
            "Only the funder saves on or pays from a public stream (Zvw: the health insurer; "
            "Wlz: the long-term-care office; Wmo, Youth Act and Wpg: the municipality), and "
            "providers earn from it. If this line is right all the same, say why."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="money_lines",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["intervention", "kind", "party__name"]
        verbose_name = _("money line")
        verbose_name_plural = _("money lines")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.party} {self.likely}"

    @property
    def calendar_years(self) -> str:
        """The line's years as calendar years: "2027–2030" for '2, 3, 4, 5' from 2026."""
        agreement = self.intervention.agreement
        try:
            years = parse_years(self.years, agreement.horizon)
        except ValidationError:  # stored past the form's check: shown as written
            return self.years
        return calendar_years(years, agreement.start_year)

    def clean(self) -> None:
        super().clean()
        if None not in (self.low, self.likely, self.high) and not (
            self.low <= self.likely <= self.high
        ):
            raise ValidationError({"likely": _("Needs low ≤ likely ≤ high.")})
        if self.intervention_id is not None:
            horizon = (
                Intervention.objects.filter(pk=self.intervention_id)
                .values_list("agreement__horizon", flat=True)
                .first()
            )
            if horizon is not None:
                try:
                    parse_years(self.years, horizon)
                except ValidationError as exc:
                    raise ValidationError({"years": exc.messages}) from exc


def _number(text: str) -> float:
    value = float(text.strip().replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_earlier_bases(text: str, base_year: int) -> tuple[tuple[int, float], ...]:
    """'2023: 3050; 2024: 3120' (year: cost per person) as (years before ``base_year``, cost)."""
    bases: list[tuple[int, float]] = []
    for part in re.split(r"[;\n]", text or ""):
        if not part.strip():
            continue
        year_text, colon, cost_text = part.partition(":")
        try:
            year, cost = int(year_text.strip()), _number(cost_text)
        except ValueError:
            colon = ""
        if not colon:
            raise ValidationError(
                _("Write year: cost per person, separated by semicolons: 2023: 3050; 2024: 3120.")
            )
        if not year < base_year or cost <= 0 or any(base_year - year == b[0] for b in bases):
            raise ValidationError(
                _("Each earlier year once, before the base year, with a cost above 0.")
            )
        bases.append((base_year - year, cost))
    return tuple(bases)


def parse_weights(text: str) -> tuple[float, ...]:
    """'10/30/60' (percentages) or '0.1/0.3/0.6', oldest base year first; they add up to 1."""
    parts = [p for p in re.split(r"[/;\s]+", (text or "").strip()) if p]
    try:
        weights = [_number(p) for p in parts]
    except ValueError as exc:
        raise ValidationError(_("Write the weights as 10/30/60 or 0.1/0.3/0.6.")) from exc
    if weights and math.isclose(sum(weights), 100, abs_tol=1e-6):
        weights = [w / 100 for w in weights]
    if weights and (any(w < 0 for w in weights) or not math.isclose(sum(weights), 1, abs_tol=1e-6)):
        raise ValidationError(_("The weights add up to 100% (or 1)."))
    return tuple(weights)


class TrendSource(models.TextChoices):
    AGREED = "agreed", _("agreed between the parties")
    NATIONAL = "national", _("national (e.g. Vektis or CBS)")
    REGIONAL = "regional", _("regional (from the regiobeeld)")


class RealisedYear(ProgrammeScoped):
    """What one financing stream actually cost in one year, against its benchmark."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="realised_years",
        verbose_name=_("agreement"),
    )
    year = models.PositiveIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    stream = models.CharField(
        _("financing stream"), max_length=16, choices=Stream.choices, default=Stream.ZVW
    )
    persons = models.PositiveIntegerField(
        _("persons"),
        validators=[MinValueValidator(1)],
        help_text=_("The target population or the region's inhabitants in this year."),
    )
    base_year = models.PositiveIntegerField(
        _("base year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    base_cost_per_person = models.DecimalField(
        _("cost per person in the base year"),
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0.0001"))],
        help_text=_("In the agreement's unit, e.g. from the regiobeeld's cost per inhabitant."),
    )
    trend_rate = models.DecimalField(
        _("annual trend"),
        max_digits=6,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("-0.4999")), MaxValueValidator(Decimal("0.9999"))],
        help_text=_("Growth of the cost per person each year without the programme (0.03 is 3%)."),
    )
    trend_source = models.CharField(
        _("trend from"),
        max_length=10,
        choices=TrendSource.choices,
        default=TrendSource.AGREED,
        help_text=_("Where the annual trend comes from; shown with the settlement."),
    )
    earlier_base_costs = models.CharField(
        _("earlier base years"),
        max_length=200,
        blank=True,
        help_text=_(
            "For a benchmark of several base years: the earlier years' cost per person, e.g. "
            "2023: 3050; 2024: 3120. Each is trended to the base year."
        ),
    )
    base_weights = models.CharField(
        _("weights of the base years"),
        max_length=60,
        blank=True,
        help_text=_(
            "Oldest first, the base year last, adding up to 100: e.g. 10/30/60. Empty: the "
            "base year alone."
        ),
    )
    risk_adjustment = models.DecimalField(
        _("age and sex adjustment"),
        max_digits=6,
        decimal_places=4,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.0001")), MaxValueValidator(Decimal("9.9999"))],
        help_text=_(
            "Expected cost of this year's population over the base year's, from the national "
            "cost per sex and age class; 1 for none."
        ),
    )
    realised_cost = models.DecimalField(
        _("realised cost"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What the stream actually cost for these persons this year."),
    )
    moved_to_wlz = models.PositiveIntegerField(
        _("persons who moved into Wlz care"),
        default=0,
        help_text=_(
            "Zvw only: of the persons, those who moved into Wlz care this year. They and their "
            "Zvw cost are left out, so a shift to the Wlz does not count as a saving."
        ),
    )
    moved_to_wlz_cost = models.DecimalField(
        _("their Zvw cost"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("The part of the realised cost made by the persons who moved into Wlz care."),
    )
    lump_sum = models.DecimalField(
        _("lump sum"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("A lump-sum contract only: the sum agreed for this year and stream."),
    )
    cost_sd_per_person = models.DecimalField(
        _("spread of the cost per person"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.0001"))],
        help_text=_(
            "The standard deviation of the base year's cost per person, in the agreement's "
            "unit: for a minimum savings rate from a confidence interval."
        ),
    )
    truncated = models.BooleanField(
        _("costs truncated at the 99th percentile"),
        default=False,
        help_text=_("The base and realised costs count each person up to the 99th percentile."),
    )
    quality_score = _fraction(
        _("quality score"),
        _(
            "The year's score on the agreement's quality indicators, from 0 to 1 (0.8 is 80%); "
            "it scales the sharing rate. Empty: not known yet, and savings wait for it."
        ),
        null=True,
        blank=True,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="realised_years",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["agreement", "year", "stream"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "year", "stream"], name="realised_year_unique"
            )
        ]
        verbose_name = _("realised year")
        verbose_name_plural = _("realised years")

    def __str__(self) -> str:
        return f"{self.year} {self.stream}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.year is not None and self.base_year is not None and self.base_year > self.year:
            errors["base_year"] = _("The base year cannot come after the year.")
        errors.update(self._base_errors())
        if (self.moved_to_wlz or self.moved_to_wlz_cost) and self.stream != Stream.ZVW:
            errors["moved_to_wlz"] = _("Only a Zvw year has persons who moved into Wlz care.")
        elif self.moved_to_wlz_cost and not self.moved_to_wlz:
            errors["moved_to_wlz"] = _("Give the number of persons with their cost.")
        elif self.persons is not None and self.moved_to_wlz and self.moved_to_wlz >= self.persons:
            errors["moved_to_wlz"] = _("Fewer than the persons of the year.")
        if (
            self.moved_to_wlz_cost is not None
            and self.realised_cost is not None
            and self.moved_to_wlz_cost > self.realised_cost
        ):
            errors["moved_to_wlz_cost"] = _("At most the realised cost.")
        terms = (
            Agreement.objects.filter(pk=self.agreement_id)
            .values("quality_indicators", "contract_type", "msr_confidence", "truncate_costs")
            .first()
            if self.agreement_id is not None
            else None
        )
        if terms and (self.lump_sum is None) == (terms["contract_type"] == LUMP_SUM):
            errors["lump_sum"] = (
                _("Give the sum agreed for this year.")
                if self.lump_sum is None
                else _("Only a lump-sum contract has a sum per year.")
            )
        if terms and terms["msr_confidence"] is not None and self.cost_sd_per_person is None:
            errors["cost_sd_per_person"] = _(
                "The agreement's minimum savings rate comes from a confidence interval: give "
                "the spread."
            )
        if terms and terms["truncate_costs"] and not self.truncated:
            errors["truncated"] = _(
                "The agreement truncates costs at the 99th percentile: enter truncated figures "
                "(from the regiobeeld or your own person-level data) and tick this."
            )
        if self.quality_score is not None and terms and not terms["quality_indicators"].strip():
            errors["quality_score"] = _(
                "The agreement names no quality indicators: name them first."
            )
        if errors:
            raise ValidationError(errors)

    def _base_errors(self) -> dict[str, Any]:
        """The earlier base years and weights, checked together."""
        errors: dict[str, Any] = {}
        bases: tuple[tuple[int, float], ...] = ()
        weights: tuple[float, ...] = ()
        try:
            bases = parse_earlier_bases(self.earlier_base_costs, self.base_year or 0)
        except ValidationError as exc:
            errors["earlier_base_costs"] = exc.messages
        try:
            weights = parse_weights(self.base_weights)
        except ValidationError as exc:
            errors["base_weights"] = exc.messages
        if not errors and (bases or weights) and len(weights) != len(bases) + 1:
            errors["base_weights"] = _(
                "One weight per base year: %(n)d here, oldest first and the base year last."
            ) % {"n": len(bases) + 1}
        return errors

    def bases(self) -> tuple[tuple[tuple[int, float], ...], tuple[float, ...]]:
        """(earlier bases, weights) for the settlement."""
        return (
            parse_earlier_bases(self.earlier_base_costs, self.base_year),
            parse_weights(self.base_weights),
        )


class ApprovalRound(FrozenVersion, ProgrammeScoped):
    """One frozen version of an agreement, put to every party for approval.

    A change to the agreement after freezing supersedes the round and opens the next version,
    so an approval always refers to exactly the figures it saw (``fingerprint``).
    """

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("agreement")
    )
    # the snapshot: the agreement as frozen (its document, terms and care tasks)
    parties = models.ManyToManyField(
        Organisation, related_name="approval_rounds", verbose_name=_("parties")
    )
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="approval_rounds",
        verbose_name=_("programme"),
    )  # fmt: skip

    class Meta:
        ordering = ["agreement", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="approval_round_unique")
        ]
        verbose_name = _("approval round")
        verbose_name_plural = _("approval rounds")

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"

    VERSION_OF = "agreement"

    def subject(self) -> str:
        return f"agreement '{self.agreement}' ({self.programme.name})"

    def holds_document(self, data: Any) -> bool | None:
        """The export's figures against the frozen ones, without what only the export carries
        (each party's kind, each line's reason and the fingerprint)."""
        if not isinstance(data, dict):
            return False
        document = {
            k: copy.deepcopy(v) for k, v in data.items() if k not in ("kinds", "fingerprint")
        }
        for intervention in document.get("interventions") or []:
            for key in ("costs", "savings", "revenues"):
                lines = intervention.get(key) if isinstance(intervention, dict) else None
                for line in lines if isinstance(lines, list) else []:
                    if isinstance(line, dict):
                        line.pop("reason", None)
        return bool(document == self.snapshot.get("document"))


class Approval(PartyDecision):
    """One party's decision on one frozen version, by its authorised representative."""

    round = models.ForeignKey(
        ApprovalRound, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("round")
    )

    class Meta:
        ordering = ["round", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="one_decision_per_party")
        ]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")

