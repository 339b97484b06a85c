"""A user's role in a programme."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DIRECTOR = "director", _("Programme director")
    PARTNER = "partner", _("Partner member")
    VIEWER = "viewer", _("Viewer")


class ProgrammeRole(models.Model):
    """Grants one user one role in one programme. No row, no access."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programme_roles",
        verbose_name=_("user"),
    )
    programme = models.ForeignKey(
        "partnership.Programme",
        on_delete=models.CASCADE,
        related_name="roles",
        verbose_name=_("programme"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    organisation = models.ForeignKey(
        "partnership.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="member_roles",
        verbose_name=_("on behalf of organisation"),
        help_text=_("Partner members edit the data of this organisation."),
    )
    signs_agreements = models.BooleanField(
        _("signs agreements for the organisation"),
        default=False,
        help_text=_("The organisation's authorised representative approves or rejects agreements."),
    )
    signs_since = models.DateTimeField(_("signs since"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="one_role_per_programme")
        ]
        ordering = ["programme", "role", "user__username"]
        verbose_name = _("programme role")
        verbose_name_plural = _("programme roles")

    def __str__(self) -> str:
        return f"{self.user} – {self.programme}: {self.get_role_display()}"

    def clean(self) -> None:
        if self.signs_agreements and (self.role != Role.PARTNER or self.organisation_id is None):
            raise ValidationError(
                {"signs_agreements": _("Only a partner member signs, for their organisation.")}
            )
        if self.role == Role.PARTNER and self.organisation_id is None:
            raise ValidationError(
                {"organisation": _("A partner member represents an organisation.")}
            )
        if self.organisation is not None and self.organisation.programme_id != self.programme_id:
            raise ValidationError({"organisation": _("No such organisation in this programme.")})


class AuditEvent(models.Model):
    """Who looked at or exported what, and when (population results are logged on every view)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    programme = models.ForeignKey(
        "partnership.Programme",
        on_delete=models.CASCADE,
        related_name="audit_events",
        verbose_name=_("programme"),
    )
    action = models.CharField(_("action"), max_length=60)
    target = models.CharField(_("target"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.target}"
