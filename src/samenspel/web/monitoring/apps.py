from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "samenspel.web.monitoring"
    label = "monitoring"
    verbose_name = _("Population")

    def ready(self) -> None:
        from samenspel.web.core.extensions import offer_regional_costs, offer_shared_patients

        from .selectors import regional_costs, shared_patients

        offer_shared_patients(shared_patients)
        offer_regional_costs(regional_costs)
