"""The partnership registry.

Every record below a Programme belongs to exactly one programme: each programme keeps its own
register of organisations and people, so that access control is a single, checkable rule
("you see what belongs to your programmes") and every programme can compose itself freely.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import choices as c


class Region(models.Model):
    """A geographic region in which one or more programmes work (e.g. Midden-Brabant)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


NUL = "\x00"
# The largest key a record can have (a 64-bit signed integer on SQLite and PostgreSQL); a
# larger number asked for makes the database driver fail, so it is refused before any query.
LARGEST_ID = 2**63 - 1


def reject_nul_characters(instance: models.Model) -> None:
    """Refuse text with NUL characters, field by field: PostgreSQL cannot store them."""
    errors = {
        f.name: _("Text may not contain NUL characters.")
        for f in instance._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and NUL in str(getattr(instance, f.attname) or "")
    }
    if errors:
        raise ValidationError(errors)


class Programme(models.Model):
    """A regional partnership (proeftuin, regional health programme, IZA region)."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("region")
    )
    vision = models.TextField(_("vision"), blank=True)
    governance_style = models.TextField(
        _("governance style"),
        blank=True,
        help_text=_("In your own words: how is the programme steered or supported?"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    is_demo = models.BooleanField(_("illustrative demo programme"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        reject_nul_characters(self)


class ProgrammeScoped(models.Model):
    """Base for every record that belongs to one programme.

    ``clean()`` checks that every foreign key to another programme-scoped record stays inside
    the same programme, so no form or API payload can link across programmes.
    """

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, verbose_name=_("programme"))
    objects: models.Manager[Any] = models.Manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        reject_nul_characters(self)
        errors: dict[str, Any] = {}
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey) or field.name == "programme":
                continue
            target = field.related_model
            if not (isinstance(target, type) and issubclass(target, ProgrammeScoped)):
                continue
            value = getattr(self, field.attname)
            if value is None:
                continue
            if not target.objects.filter(pk=value, programme_id=self.programme_id).exists():
                errors[field.name] = _("No such %(thing)s in this programme.") % {
                    "thing": target._meta.verbose_name
                }
        if errors:
            raise ValidationError(errors)


class Objective(ProgrammeScoped):
    """A shared objective of the programme, tagged by Triple Aim dimension."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    dimension = models.CharField(
        _("Triple Aim dimension"), max_length=32, choices=c.TripleAim.choices
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("programme")
    )

    class Meta:
        ordering = ["programme", "id"]
        verbose_name = _("shared objective")
        verbose_name_plural = _("shared objectives")

    def __str__(self) -> str:
        return self.title


class Organisation(ProgrammeScoped):
    """An organisation in the programme's register, with its partnership role."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=32, choices=c.OrganisationKind.choices)
    domain = models.CharField(_("domain"), max_length=16, choices=c.Domain.choices)
    echelon = models.CharField(
        _("echelon"),
        max_length=8,
        choices=c.Echelon.choices,
        blank=True,
        help_text=_("Only for care organisations."),
    )
    level = models.CharField(_("level"), max_length=16, choices=c.Level.choices)
    partnership_role = models.CharField(
        _("partnership role"),
        max_length=16,
        choices=c.PartnershipRole.choices,
        default=c.PartnershipRole.PARTNER,
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    place = models.CharField(_("place"), max_length=120, blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="organisations",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="org_name_unique_in_programme"
            )
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.echelon and self.domain != c.Domain.CARE:
            raise ValidationError({"echelon": _("An echelon applies to care organisations only.")})
        if self.parent_id is not None and self.pk is not None:
            seen = {self.pk}
            node: Organisation | None = Organisation.objects.filter(pk=self.parent_id).first()
            while node is not None:
                if node.pk in seen:
                    raise ValidationError(
                        {"parent": _("An organisation cannot be part of itself.")}
                    )
                seen.add(node.pk)
                node = node.parent


class Person(ProgrammeScoped):
    """A person taking part in the programme, in a stakeholder group."""

    name = models.CharField(_("name"), max_length=200)
    stakeholder_group = models.CharField(
        _("stakeholder group"), max_length=32, choices=c.StakeholderGroup.choices
    )
    profession = models.CharField(
        _("profession"),
        max_length=32,
        choices=c.Profession.choices,
        blank=True,
        help_text=_("Only for professionals."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=settings.LANGUAGES,
        default="nl",
        help_text=_("The language of survey invitations and reminders."),
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="people", verbose_name=_("programme")
    )

    class Meta:
        ordering = ["programme", "name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        sg = c.StakeholderGroup
        if self.stakeholder_group == sg.PROFESSIONAL and not self.profession:
            raise ValidationError({"profession": _("Choose the profession of a professional.")})
        if self.stakeholder_group != sg.PROFESSIONAL and self.profession:
            raise ValidationError({"profession": _("Only professionals have a profession.")})
        needs_org = {sg.EXECUTIVE, sg.MANAGER, sg.PROFESSIONAL}
        if self.stakeholder_group in needs_org and self.organisation_id is None:
            raise ValidationError(
                {"organisation": _("Executives, managers and professionals need an organisation.")}
            )


class Group(ProgrammeScoped):
    """A steering, support, working, project, monitoring or other group in one layer."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=c.GroupKind.choices)
    layer = models.CharField(_("layer"), max_length=16, choices=c.Layer.choices)
    description = models.TextField(_("description"), blank=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="groups", verbose_name=_("programme")
    )

    class Meta:
        ordering = ["programme", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="group_name_unique_in_programme"
            )
        ]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name


class GroupMembership(ProgrammeScoped):
    """A person's seat in a group."""

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(
        _("role"), max_length=16, choices=c.MembershipRole.choices, default=c.MembershipRole.MEMBER
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="group_memberships",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["group", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"], name="one_seat_per_person_per_group"
            )
        ]
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")

    def __str__(self) -> str:
        return f"{self.person} – {self.group} ({self.get_role_display()})"


class Project(ProgrammeScoped):
    """A project of the programme, owned by a group and serving a shared objective."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owning_group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("owning group"),
    )
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("shared objective"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=c.ProjectStatus.choices, default=c.ProjectStatus.PLANNED
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="projects", verbose_name=_("programme")
    )

    class Meta:
        ordering = ["programme", "name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date lies before the start date.")})


class Initiative(ProgrammeScoped):
    """An initiative from the field, growing from idea through pilot and scaling to embedded."""

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    proposed_by_person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("proposed by (person)"),
    )
    proposed_by_group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("proposed by (group)"),
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=c.InitiativeStage.choices, default=c.InitiativeStage.IDEA
    )
    proposed_on = models.DateField(_("proposed on"))
    pilot_on = models.DateField(_("pilot started on"), null=True, blank=True)
    scaling_on = models.DateField(_("scaling started on"), null=True, blank=True)
    embedded_on = models.DateField(_("embedded on"), null=True, blank=True)
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiatives",
        verbose_name=_("grew into project"),
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="initiatives", verbose_name=_("programme")
    )

    class Meta:
        ordering = ["programme", "proposed_on", "title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self) -> str:
        return self.title

    STAGE_DATE_FIELDS = (
        ("pilot", "pilot_on"),
        ("scaling", "scaling_on"),
        ("embedded", "embedded_on"),
    )

    def clean(self) -> None:
        super().clean()
        if self.proposed_by_person_id is None and self.proposed_by_group_id is None:
            raise ValidationError(
                {"proposed_by_person": _("Name the person or the group that proposed it.")}
            )
        if self.stage not in c.STAGE_ORDER:
            return  # clean_fields names the unknown stage
        reached = c.STAGE_ORDER.index(self.stage)
        previous_date, previous_name = self.proposed_on, "proposed_on"
        for position, (stage, date_field) in enumerate(self.STAGE_DATE_FIELDS, start=1):
            value = getattr(self, date_field)
            if position <= reached and value is None:
                raise ValidationError(
                    {
                        date_field: _("Give the date the initiative reached the stage %(stage)s.")
                        % {"stage": c.InitiativeStage(stage).label}
                    }
                )
            if position > reached and value is not None:
                raise ValidationError(
                    {date_field: _("This stage has not been reached yet; leave the date empty.")}
                )
            if value is not None and previous_date is not None and value < previous_date:
                raise ValidationError(
                    {
                        date_field: _("This date lies before %(field)s.")
                        % {
                            "field": getattr(
                                self._meta.get_field(previous_name), "verbose_name", ""
                            )
                        }
                    }
                )
            if value is not None:
                previous_date, previous_name = value, date_field


class Interaction(ProgrammeScoped):
    """A logged meeting or conversation: who took part, which groups, which bottlenecks."""

    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=c.InteractionKind.choices,
        default=c.InteractionKind.MEETING,
    )
    topic = models.CharField(_("topic"), max_length=300)
    participants = models.ManyToManyField(
        Person, related_name="interactions", blank=True, verbose_name=_("participants")
    )
    groups = models.ManyToManyField(
        Group, related_name="interactions", blank=True, verbose_name=_("groups")
    )
    bottlenecks = models.TextField(
        _("bottlenecks raised"), blank=True, help_text=_("One bottleneck per line.")
    )
    notes = models.TextField(_("notes"), blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="interactions",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["programme", "-date", "id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")

    def __str__(self) -> str:
        return f"{self.date} {self.topic}"

    @property
    def bottleneck_list(self) -> list[str]:
        return [line.strip() for line in self.bottlenecks.splitlines() if line.strip()]


class DataVersion(models.Model):
    """A token that changes whenever anything in the programme changes.

    Computed figures (composition, network metrics, business case) are kept per token, so a
    page shows them again without recomputing until the data behind them changes. The row is
    only ever written with a query update, never saved from a possibly stale instance.
    """

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.token}"


class Idea(ProgrammeScoped):
    """An idea from the field, proposed by a member (a partner or a resident with an account);
    the programme director accepts it as an initiative or declines it."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the programme director")
        ACCEPTED = "accepted", _("Accepted as an initiative")
        DECLINED = "declined", _("Declined")

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("what is the idea, and who would take part?"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="ideas"
    )
    proposed_on = models.DateField(_("proposed on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    answer = models.TextField(_("answer from the programme director"), blank=True)
    initiative = models.OneToOneField(
        Initiative, on_delete=models.SET_NULL, null=True, blank=True, related_name="idea"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="ideas")

    class Meta:
        ordering = ["programme", "-proposed_on", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")

    def __str__(self) -> str:
        return self.title


class WorkerHeartbeat(models.Model):
    """A background worker's last sign of life, written every few seconds while it runs (the
    health endpoint reads it); a worker that stops cleanly removes its row."""

    worker = models.CharField(max_length=200, unique=True)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker
