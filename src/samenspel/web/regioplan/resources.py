"""Register the plan's record kinds with the shared record machinery (pages, API, export)."""

from samenspel.web.core.resources import Resource, register

from .models import Action, Goal, Measurement, Milestone, Responsibility, Theme

register(
    Resource("plan-themes", Theme, ("title", "description"), ("title",), audited=True),
    Resource(
        "plan-goals",
        Goal,
        ("theme", "title", "indicator", "own_indicator", "own_source", "direction",
         "baseline_year", "baseline_value", "target_year", "target_value"),
        ("title", "theme", "indicator", "baseline_year", "target_year", "target_value"),
        audited=True,
    ),
    Resource(
        "goal-figures",
        Measurement,
        ("goal", "year", "value", "low", "high", "source"),
        ("goal", "year", "value", "source"),
        audited=True,
    ),
    Resource(
        "plan-actions",
        Action,
        ("goal", "title", "description", "owner", "group", "people", "interventions",
         "initiative", "start_date", "end_date", "done", "comment"),
        ("title", "goal", "owner", "group", "start_date", "end_date"),
        audited=True,
    ),
    Resource(
        "milestones",
        Milestone,
        ("action", "title", "due", "done", "done_on", "comment"),
        ("title", "action", "due", "done"),
        audited=True,
    ),
    Resource(
        "responsibilities",
        Responsibility,
        ("action", "organisation", "role"),
        ("action", "organisation", "role"),
        audited=True,
    ),
)
