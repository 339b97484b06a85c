"""Translated names of the regioplan's indicators and statuses (literal strings for translators)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samenspel.analytics.plan.indicators import INDICATORS
from samenspel.analytics.plan.progress import ActionStatus, GoalStatus
from samenspel.analytics.population.suppression import TOTAL
from samenspel.analytics.population.vektis import CATEGORIES
from samenspel.web.monitoring.labels import CONDITION_LABELS, KIND_LABELS, SEGMENT_LABELS

CATEGORY_LABELS = {c.code: c.label for c in CATEGORIES}  # English, in the message catalogue
_HEADLINE = {
    "multimorbidity_percent": _("Multimorbidity (percent of inhabitants)"),
    "readmission_percent": _("Readmissions within 30 days (percent of admissions)"),
    "cost_per_capita": _("Cost per inhabitant (€, all streams)"),
}
GOAL_STATUS = {
    GoalStatus.ACHIEVED: _("Achieved"),
    GoalStatus.ON_TRACK: _("On track"),
    GoalStatus.BEHIND: _("Behind"),
    GoalStatus.NOT_MEASURABLE: _("Not measurable yet"),
}
UNITS = {"%": "%", "€": "€", "per 1,000": _("per 1,000"), "index": _("index (100: as expected)")}
"""The catalogue's units in the reader's language."""
ACTION_STATUS = {
    ActionStatus.DONE: _("Done"),
    ActionStatus.LATE: _("Late"),
    ActionStatus.ON_SCHEDULE: _("On schedule"),
}


def indicator_label(key: str) -> str:
    """The indicator's name as a reader sees it."""
    indicator = INDICATORS[key]
    if indicator.group == "prevalence":
        return str(_("%(condition)s per 1,000") % {"condition": CONDITION_LABELS[indicator.code]})
    if indicator.group == "care_use":
        return str(_("%(kind)s per 1,000") % {"kind": KIND_LABELS[indicator.code]})
    if indicator.group == "open_data":
        if indicator.code == TOTAL:
            return str(_("Zvw cost against expected (index, 100: as expected for age and sex)"))
        category = gettext(CATEGORY_LABELS[indicator.code])
        return str(
            _("%(category)s: cost against expected (index, 100: as expected)")
            % {"category": category}
        )
    if indicator.group == "segments":
        segment = SEGMENT_LABELS[indicator.code]
        return str(_("%(segment)s (%% of inhabitants)") % {"segment": segment})
    return str(_HEADLINE[key])


def indicator_choices() -> list[tuple[str, str]]:
    """The catalogue as choices, in its order (headline figures, prevalence, care use,
    segments); flat, so the API's schema lists the keys."""
    return [(key, indicator_label(key)) for key in INDICATORS]
