"""Person-level datasets of a programme and the regiobeeld runs computed from them.

Only suppressed results are stored in the database; the person-level files stay in the
dataset folder on the server.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samenspel.analytics.population.thresholds import DEFAULT_THRESHOLD, EXACT, ROUNDED
from samenspel.web.core.models import Programme, ProgrammeScoped


class Dataset(ProgrammeScoped):
    class Kind(models.TextChoices):
        UPLOAD = "upload", _("Uploaded")
        REGISTERED = "registered", _("Registered server folder")
        SYNTHETIC = "synthetic", _("Synthetic")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    folder = models.CharField(max_length=300, editable=False)
    persons = models.PositiveIntegerField(_("persons"), default=0)
    events = models.PositiveIntegerField(_("care events"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="datasets", verbose_name=_("programme")
    )

    class Meta:
        ordering = ["programme", "-created_at"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")

    def __str__(self) -> str:
        return self.name


ABANDONED = _("The run stopped before it finished (the worker was stopped). Start it again.")
# The steps a run reports (analytics.population.pipeline), as a reader sees them.
STEPS = {
    "starting": _("starting"),
    "validating": _("checking the data"),
    "computing": _("computing"),
    "suppressing": _("protecting small numbers"),
    "done": _("done"),
}


class RegiobeeldRun(ProgrammeScoped):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Method(models.TextChoices):
        EXACT = EXACT, _("Exact counts (within the partnership)")
        ROUNDED = ROUNDED, _("Rounded counts (to publish)")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="runs")
    engine = models.CharField(_("engine"), max_length=16, default="duckdb")
    method = models.CharField(
        _("protection"), max_length=16, choices=Method.choices, default=Method.EXACT
    )
    threshold = models.PositiveSmallIntegerField(
        _("suppression threshold"), default=DEFAULT_THRESHOLD
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    step = models.CharField(_("step"), max_length=60, blank=True)
    progress = models.FloatField(_("progress"), default=0.0)
    result = models.JSONField(null=True, blank=True)
    sharing = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Last sign of life of the worker."
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="regiobeeld_runs",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["programme", "-created_at"]
        verbose_name = _("regiobeeld run")
        verbose_name_plural = _("regiobeeld runs")

    def __str__(self) -> str:
        return f"{self.dataset} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def published(self) -> dict[str, Any] | None:
        """The result, only when the disclosure audit passed on it (a run computed before the
        audit existed, or one it refused, shows nothing and must be run again)."""
        result = self.result
        if result and (result.get("disclosure") or {}).get("passed"):
            return cast("dict[str, Any] | None", result)
        return None

    @property
    def needs_rerun(self) -> bool:
        return self.status == self.Status.DONE and bool(self.result) and self.published is None

    @property
    def abandoned(self) -> bool:
        """Running, but silent for longer than SAMENSPEL_RUN_STALE_MINUTES: its worker stopped.

        Pages show such a run as failed without writing; the worker records it (see
        ``runs.fail_abandoned_runs``)."""
        if self.status != self.Status.RUNNING or self.heartbeat_at is None:
            return False
        quiet = dt.timedelta(minutes=settings.SAMENSPEL_RUN_STALE_MINUTES)
        return self.heartbeat_at < timezone.now() - quiet

    @property
    def shown_status(self) -> str:
        return str(self.Status.FAILED) if self.abandoned else self.status

    @property
    def shown_status_label(self) -> str:
        return str(self.Status(self.shown_status).label)

    @property
    def shown_step(self) -> str:
        return str(STEPS.get(self.step, self.step))

    @property
    def shown_error(self) -> str:
        return str(ABANDONED) if self.abandoned else self.error


class OpenDataFile(ProgrammeScoped):
    """A published open-data file as uploaded (kept compressed), read again when shown."""

    class Kind(models.TextChoices):
        VEKTIS = "vektis", _("Vektis Zvw costs")
        CBS = "cbs", _("CBS population")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("file"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    level = models.CharField(_("level"), max_length=16, blank=True)
    synthetic = models.BooleanField(_("synthetic (demo)"), default=False)
    content = models.BinaryField(editable=False)
    rows = models.PositiveIntegerField(_("areas"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="open_data_files",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["programme", "kind", "level", "-year"]
        verbose_name = _("open-data file")
        verbose_name_plural = _("open-data files")

    def __str__(self) -> str:
        return self.name


class RegionArea(ProgrammeScoped):
    """A municipality (CBS code) or 3-digit postcode area that belongs to the programme's region."""

    code = models.CharField(_("code"), max_length=8)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="region_areas",
        verbose_name=_("programme"),
    )

    class Meta:
        ordering = ["programme", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "code"], name="one_area_once_per_programme"
            )
        ]
        verbose_name = _("area of the region")
        verbose_name_plural = _("areas of the region")

    def __str__(self) -> str:
        return self.code


class ReleaseKey(models.Model):
    """The installation's secret for rounded releases (the cell-key method): made once, on the
    first rounded run, never shown or edited, and carried by every backup, so that the same
    persons give the same rounded figures in every release, also after a restore."""

    slot = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)  # just one
    secret = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("release key")
        verbose_name_plural = _("release keys")

    def __str__(self) -> str:
        return f"release key of {self.created_at:%Y-%m-%d}"
