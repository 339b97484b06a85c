from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "samenspel.web.monitoring"
    label = "monitoring"
    verbose_name = _("Population")

    def ready(self) -> None:
        from samenspel.analytics.population.limits import remove_orphans
        from samenspel.web.core.extensions import (
            offer_housekeeping,
            offer_regional_costs,
            offer_shared_patients,
        )

        from .runs import fail_abandoned_runs
        from .selectors import regional_costs, shared_patients

        offer_shared_patients(shared_patients)
        offer_regional_costs(regional_costs)
        # a run whose worker was killed: recorded as stopped, its queue entry and files removed
        offer_housekeeping(fail_abandoned_runs)
        offer_housekeeping(remove_orphans)
