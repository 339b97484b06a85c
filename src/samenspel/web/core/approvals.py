"""Approval by the parties, shared by agreements and the regioplan: a frozen version, each
party's decision by its authorised representative, and the state of the round."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Organisation


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class FrozenVersion(models.Model):
    """A version frozen for the parties: its number, what it held and its fingerprint, and who
    froze it when. The subclass adds the thing it versions and the parties."""

    number = models.PositiveIntegerField(_("version"))
    fingerprint = models.CharField(max_length=64, editable=False)
    snapshot = models.JSONField(editable=False)
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("frozen by"),
    )

    class Meta:
        abstract = True

    def subject(self) -> str:
        """What this is a version of, for a reader: "agreement X" or "regioplan Y"."""
        raise NotImplementedError

    VERSION_OF: ClassVar[str] = ""
    """The field holding what this is a version of (its versions are numbered within it)."""

    def later_versions(self) -> int:
        """How many versions were frozen after this one."""
        key = f"{self.VERSION_OF}_id"
        return (
            type(self)
            ._default_manager.filter(**{key: getattr(self, key), "number__gt": self.number})
            .count()
        )

    def holds_document(self, data: Any) -> bool | None:
        """Whether an exported JSON document holds exactly this version's figures; None when
        this kind of version has no JSON export."""
        return None


class PartyDecision(models.Model):
    """One party's decision on one frozen version; the version's key comes with the subclass."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("party")
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_decision_display()}"


def fingerprint(state: dict[str, Any]) -> str:
    """What a frozen version is known by: any change to ``state`` gives another."""
    return hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()


FINGERPRINT_LABEL = "samenspel-fingerprint"
"""How a PDF's metadata (keywords) and a JSON export name the fingerprint of what they show."""


def grouped(value: str) -> str:
    """A fingerprint in eight groups of eight, to read aloud or compare by eye."""
    return " ".join(value[i : i + 8] for i in range(0, len(value), 8))


def round_status(decisions: Iterable[str | None], *, stale: bool) -> str:
    """"stale" when the thing changed after freezing; else "rejected" when a party rejected,
    "approved" when every party approved, and "awaiting" otherwise (one entry per party,
    None for a party that has not decided)."""
    if stale:
        return "stale"
    made = list(decisions)
    if any(d == Decision.REJECTED for d in made):
        return "rejected"
    if made and all(d == Decision.APPROVED for d in made):
        return "approved"
    return "awaiting"


class DecisionForm(forms.Form):
    """A representative's decision on the version they saw (its number), with a comment."""

    version = forms.IntegerField(min_value=1, max_value=10**8)
    decision = forms.ChoiceField(
        choices=Decision.choices,
        error_messages={
            "required": _("Choose approve or reject."),
            "invalid_choice": _("Choose approve or reject."),
        },
    )
    comment = forms.CharField(required=False, max_length=2000)

    def problems(self) -> str:
        """Every problem, in words, for a message above the page."""
        return " ".join(str(e) for errors in self.errors.values() for e in errors)
