"""The figures a plan's goals follow: the latest published regiobeeld, and the open data."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samenspel.analytics.plan.indicators import (
    INDICATORS,
    Observation,
    comparison_observations,
    observations,
)
from samenspel.web.core.models import Programme
from samenspel.web.core.versions import remember
from samenspel.web.monitoring.models import RegiobeeldRun
from samenspel.web.monitoring.selectors import region_comparisons

Figures = tuple[str, list[Observation]]
"""Where the figures come from ("regiobeeld run 12", "open data: <files>", "" for nowhere yet),
and the figure per year. The source is English: the pages word it in the reader's language
(``source_text``)."""


REGIOBEELD, OPEN_DATA = "regiobeeld run ", "open data: "


def source_text(source: str) -> str:
    """The figures' source in the reader's language."""
    if source.startswith(REGIOBEELD):
        return _("regiobeeld run %(run)s") % {"run": source.removeprefix(REGIOBEELD)}
    if source.startswith(OPEN_DATA):
        return _("open data: %(files)s") % {"files": source.removeprefix(OPEN_DATA)}
    return source


def _latest_published(programme_id: int) -> tuple[int | None, dict[str, object] | None]:
    runs = RegiobeeldRun.objects.filter(
        programme_id=programme_id, status=RegiobeeldRun.Status.DONE
    ).order_by("-created_at", "-pk")
    for run in runs:
        if run.published:
            return run.pk, run.published
    return None, None


def _all_figures(programme_id: int) -> dict[str, Figures]:
    run_id, result = _latest_published(programme_id)
    comparisons = region_comparisons(Programme.objects.get(pk=programme_id))
    files = ", ".join(sorted({c.file.name for c in comparisons}))
    out: dict[str, Figures] = {}
    for key, indicator in INDICATORS.items():
        if indicator.from_open_data:
            source = f"{OPEN_DATA}{files}" if files else ""
            out[key] = (source, comparison_observations(comparisons, key))
        else:
            source = f"{REGIOBEELD}{run_id}" if run_id else ""
            out[key] = (source, observations(result, key))
    return out


def latest_figures(programme_id: int, key: str) -> Figures:
    """Where the indicator's figures come from, and its figure for every year there.

    A new regiobeeld run, new open data or any change to the programme gives new figures: they
    are kept per data version, so a page reads the stored results at most once per version.
    """
    figures = remember("plan-figures", programme_id, (), lambda: _all_figures(programme_id))
    return figures.get(key, ("", []))
