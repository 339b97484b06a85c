"""Register the money record kinds with the shared record machinery (pages, API, export)."""

from samenspel.web.core.resources import Resource, register

from .models import Agreement, CareTask, Intervention, MoneyLine, RealisedYear

register(
    Resource(
        "agreements",
        Agreement,
        ("name", "scenario", "description", "start_year", "horizon", "discount_rate",
         "amount_unit", "settlement_rule", "minimum_savings_rate", "sharing_rate", "cap_rate",
         "two_sided", "loss_sharing_rate", "minimum_loss_rate", "loss_cap_rate", "contract_type",
         "agreed_growth_rate", "msr_by_size", "msr_confidence", "truncate_costs",
         "quality_indicators", "insurer_share"),
        ("name", "scenario", "start_year", "horizon", "discount_rate"),
    ),
    Resource(
        "care-tasks",
        CareTask,
        ("agreement", "name", "target_population", "volume", "unit", "performer"),
        ("name", "agreement", "performer", "volume", "unit"),
    ),
    Resource(
        "interventions",
        Intervention,
        ("agreement", "name", "description", "partners", "uptake_linked"),
        ("name", "agreement", "partners"),
    ),
    Resource(
        "money-lines",
        MoneyLine,
        ("intervention", "kind", "party", "stream", "low", "likely", "high", "years",
         "stream_reason"),
        ("intervention", "kind", "party", "stream", "low", "likely", "high", "years"),
    ),
    Resource(
        "realised-years",
        RealisedYear,
        ("agreement", "year", "stream", "persons", "base_year", "base_cost_per_person",
         "trend_rate", "trend_source", "earlier_base_costs", "base_weights", "risk_adjustment",
         "realised_cost", "lump_sum", "moved_to_wlz", "moved_to_wlz_cost", "quality_score",
         "cost_sd_per_person", "truncated"),
        ("agreement", "year", "stream", "persons", "realised_cost"),
    ),
)
